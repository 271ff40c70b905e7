"""Event records: the typed, immutable rows of the event log (docs/design.md, "The spine").

A record is a named tuple, cheap to build (the engine makes hundreds of thousands a second) and
impossible to change once made; its payload is a read-only mapping. The JSON Lines form has a
fixed field order and sorted payload keys, so the same run gives the same bytes anywhere; its
times are rounded to 1e-4 minute (6 ms), which keeps lines short and order intact.

A log read back may have been edited, damaged or forged, and scoring, the report and the
console trust the types of what they read. So every record is checked as it is read, against
the one declaration of its kind's payload (``simulator.kinds.PAYLOADS``), and refused at its
line when anything differs; the file is read with bounds on its size, its lines and its
records; and text is made harmless as it is read (terminal controls, invisible characters and
lone surrogates become visible escapes), so that nothing downstream needs to guess.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import IO, Annotated, Any, Literal, NamedTuple, get_args

from pydantic import ConfigDict, Field, StringConstraints, ValidationError, create_model
from pydantic_core import SchemaValidator

from ..errors import TtxError
from ..kinds import EVENT_KINDS, ID_PATTERN, PAYLOADS, FieldType
from ..safeio import LOG_LIMIT, MB, open_bounded
from ..scenario.countries import THIRD_COUNTRIES
from ..scenario.reference import IPCR_MODES, MEMBER_STATES, SECTORS, TIERS, Criticality, Tlp
from ..scenario.units import MAX_DURATION
from ..text import UNSAFE, visible

EMPTY: Mapping[str, Any] = MappingProxyType({})


class Event(NamedTuple):
    """One thing that happened. ``t`` is simulated minutes since the scenario's start;
    ``actor`` is the dotted scope of the body that did it (``DE.csirt``, ``cyclone``);
    ``subject`` is what the event is about (a wave, measure, inject, decision point ...)."""

    t: float
    kind: str
    actor: str
    subject: str | None = None
    member_state: str | None = None
    payload: Mapping[str, Any] = EMPTY

    def as_dict(self) -> dict[str, Any]:
        payload = self.payload
        return {
            "t": float(round(self.t, 4)),
            "kind": self.kind,
            "actor": self.actor,
            "subject": self.subject,
            "member_state": self.member_state,
            "payload": {key: payload[key] for key in sorted(payload)},
        }

    def to_json(self) -> str:
        return json.dumps(
            self.as_dict(), ensure_ascii=False, sort_keys=False, separators=(",", ":"),
            default=_plain,
        ).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: value[k] for k in sorted(value)}
    if isinstance(value, (tuple, frozenset, set)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def freeze(payload: dict[str, Any] | None) -> Mapping[str, Any]:
    """A read-only view of a payload the caller gives up (the JSON form sorts its keys)."""
    if not payload:
        return EMPTY
    return MappingProxyType(payload)


def write_log(events: Iterable[Event], out: IO[str]) -> int:
    n = 0
    for event in events:
        out.write(event.to_json())
        out.write("\n")
        n += 1
    return n


# --------------------------------------------------------------------------------------------
# reading a log back

#: the longest line a log may have, its newline included. The engine's longest record in the
#: library's runs over 40 seeds is 656 bytes; a megabyte is far above any record (a scenario's
#: text fields are at most 20,000 characters) and keeps one line's parsing cheap.
MAX_LINE_BYTES = 1 * MB

#: the most records a log may hold, counted as its lines (a blank line is read too, so a file
#: of newlines is bounded as well). The largest run of the library and the historical cases
#: over 40 seeds (library-vulnerability, seed 14) has 3,703 records in 704 KB, and a live
#: session adds a few hundred; a million is far above any run and keeps reading (about 10 s),
#: scoring and the report, which hold the whole log in memory, within reach. The total size is
#: bounded by ``safeio.LOG_LIMIT`` (200 MB, ``TTX_MAX_LOG_MB``).
MAX_RECORDS = 1_000_000

#: the envelope of a record: everything but the payload
_ENVELOPE = frozenset(Event._fields)
_SCOPE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,127}")
_ID = re.compile(ID_PATTERN.strip("^$"))
_MEMBER_STATES = frozenset(MEMBER_STATES)
#: a record holds unsafe text only where its line does, raw or as a JSON escape (``\\u``,
#: ``\\b``, ``\\f``, ``\\r``): the other lines, nearly all, are taken as they are
_ESCAPES = re.compile(r"\\[bfru]")
#: a record's depth of containers: the record, its payload, a list in it
_DEPTH = 3
#: a time may lie this far after the run's end: times in the log are rounded to 1e-4 minute
_ROUNDING = 1e-3

_ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "member_state": tuple(MEMBER_STATES),
    "country": tuple(THIRD_COUNTRIES),
    "sector": tuple(SECTORS),
    "tier": TIERS,
    "ipcr_mode": IPCR_MODES,
    "tlp": get_args(Tlp),
    "criticality": get_args(Criticality),
}
_PATTERNS = {
    "id": ID_PATTERN,
    "scope": f"^{_SCOPE.pattern}$",
    "technique": r"^T\d{4}(\.\d{3})?$",
    "sha256": r"^([0-9a-f]{64})?$",
    "timestamp": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$",
}
#: the bounds of times: within the longest run, or (a deadline) up to as long again after it
_TIMES = {"time": (0, MAX_DURATION), "due": (0, 2 * MAX_DURATION)}
_WORDS = {
    "text": "text",
    "id": "an id (a letter, then letters, digits, '_', '.' or '-')",
    "scope": "a body or role, such as DE.csirt, partner.US or all_players",
    "technique": "a MITRE ATT&CK technique id such as T1486",
    "sha256": "a SHA-256 hash in hexadecimal",
    "timestamp": "a date and time such as 2026-01-05T08:00:00Z",
    "boolean": "true or false",
}


def _annotation(field: FieldType) -> Any:
    """The strict pydantic type of a declared field."""
    base = field.base
    annotation: Any
    if base == "text":
        annotation = str
    elif base in _PATTERNS:
        annotation = Annotated[str, StringConstraints(pattern=_PATTERNS[base])]
    elif base in _ENUMERATIONS or base == "one_of":
        annotation = Literal[_ENUMERATIONS.get(base, field.values)]
    elif base in _TIMES or base == "number":
        low, high = _TIMES.get(base, (field.low, field.high))
        annotation = Annotated[float, Field(ge=low, le=high)]
    elif base == "integer":
        annotation = Annotated[int, Field(ge=field.low, le=field.high)]
    elif base == "boolean":
        annotation = bool
    elif base == "list" and field.item is not None:
        annotation = list[_annotation(field.item)]  # type: ignore[misc]
    else:
        raise AssertionError(f"simulator/kinds.py: no such field type {base!r}")
    return annotation | None if field.nullable else annotation


def describe(field: FieldType) -> str:
    """A declared field's type in words, for the message that refuses a value."""
    base = field.base
    if base in _ENUMERATIONS or base == "one_of":
        values = _ENUMERATIONS.get(base, field.values)
        words = f"one of {', '.join(values)}" if len(values) > 1 else repr(values[0])
        if base == "member_state":
            words = f"a Member State code ({values[0]} ... {values[-1]})"
        elif base == "country":
            words = "the ISO 3166 code of a country outside the Union (UA, RU, US ...)"
    elif base in _TIMES:
        low, high = _TIMES[base]
        words = f"a number of simulated minutes from {low:g} to {high:,.0f}"
    elif base in ("number", "integer"):
        kind = "a number" if base == "number" else "a whole number"
        words = f"{kind} from {field.low:g} to {field.high:g}"
    elif base == "list" and field.item is not None:
        words = f"a list, each {describe(field.item)}"
    else:
        words = _WORDS[base]
    return f"{words}, or null" if field.nullable else words


@cache
def _payload_validator(kind: str) -> SchemaValidator:
    """A strict model of a kind's payload, built the first time a log holds the kind (so
    ``ttx run`` never pays, and a log pays only for its kinds): every declared field present
    with its type, no other field, no number for a boolean or text for a number, no NaN or
    infinity."""
    config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)
    definitions: dict[str, Any] = {
        name: (_annotation(field), None if field.optional else ...)
        for name, field in PAYLOADS[kind].items()
    }
    model = create_model(  # type: ignore[call-overload]
        "Payload_" + kind.replace(".", "_"), __config__=config, **definitions
    )
    return model.__pydantic_validator__  # type: ignore[no-any-return]


def _show(value: Any) -> str:
    """A value from a log, short, for an error message (never a huge number in full: Python
    refuses to format one of more than 4,300 digits)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if -(10**20) < value < 10**20:
            return str(value)
        try:
            digits = f"{len(str(abs(value))):,}"
        except ValueError:  # beyond sys.get_int_max_str_digits()
            digits = "thousands of"
        return f"a number of {digits} digits"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        text = visible(value, inline=True)
        return repr(text if len(text) <= 40 else text[:40] + "...")
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _clean(value: Any, depth: int = 0) -> Any:
    """``value`` with its text made visible: ESC, other controls, invisible characters and
    lone surrogates become escapes such as ``\\x1b``. Containers below a record's declared
    depth are left alone: their type refuses them anyway, and they are never printed."""
    if isinstance(value, str):
        return visible(value)
    if depth >= _DEPTH:
        return value
    if isinstance(value, list):
        return [_clean(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {visible(key): _clean(item, depth + 1) for key, item in value.items()}
    return value


def _payload_error(kind: str, exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    loc = error["loc"]
    field = str(loc[0]) if loc else ""
    fields = PAYLOADS[kind]
    if error["type"] == "extra_forbidden":
        known = ", ".join(fields) or "none"
        return f"{kind} has no field {_show(field)} (its fields: {known})"
    declared = fields.get(field)
    wanted = describe(declared) if declared is not None else "as documented"
    if error["type"] == "missing":
        return f"{kind} needs {field!r} ({wanted})"
    value = error.get("input") if len(loc) == 1 else None
    got = _show(value) if len(loc) == 1 else f"{_show(error.get('input'))} at index {loc[1]}"
    return f"{kind} needs {field!r} to be {wanted}, not {got}"


def parse_record(data: Any, where: str) -> Event:
    """The event a parsed line holds (its text already made visible), or ``TtxError``
    saying what is wrong with it: the envelope and the payload against its kind's declared
    fields and types."""
    if not isinstance(data, dict):
        raise TtxError(f"{where}: expected a JSON object, one event per line")
    missing = [f for f in ("t", "kind", "actor") if f not in data]
    if missing:
        raise TtxError(f"{where}: an event needs {', '.join(missing)}")
    if not data.keys() <= _ENVELOPE:
        unknown = ", ".join(_show(key)[1:-1] for key in sorted(set(data) - _ENVELOPE))
        raise TtxError(f"{where}: unknown field(s) {unknown}")
    t, kind, actor = data["t"], data["kind"], data["actor"]
    # comparisons, not float(): a 400-digit integer is out of range, not an OverflowError
    if isinstance(t, bool) or not isinstance(t, int | float) or not 0 <= t <= MAX_DURATION:
        raise TtxError(
            f"{where}: 't' must be a number of simulated minutes from 0 to {MAX_DURATION:,} "
            f"(5 years, the longest run), not {_show(t)}"
        )
    if not isinstance(kind, str) or kind not in EVENT_KINDS:
        raise TtxError(f"{where}: unknown event kind {_show(kind)}")
    if not isinstance(actor, str) or not _SCOPE.fullmatch(actor):
        raise TtxError(f"{where}: 'actor' must be {_WORDS['scope']}, not {_show(actor)}")
    subject = data.get("subject")
    if subject is not None and not (isinstance(subject, str) and _ID.fullmatch(subject)):
        raise TtxError(f"{where}: 'subject' must be {_WORDS['id']} or null, not {_show(subject)}")
    member_state = data.get("member_state")
    if member_state is not None and not (
        isinstance(member_state, str) and member_state in _MEMBER_STATES
    ):
        raise TtxError(
            f"{where}: 'member_state' must be a Member State code (AT, BE ... SE) or null, "
            f"not {_show(member_state)}"
        )
    payload = data.get("payload", {})
    if not isinstance(payload, dict):
        raise TtxError(f"{where}: 'payload' must be an object, not {_show(payload)}")
    try:
        _payload_validator(kind).validate_python(payload)
    except ValidationError as exc:
        raise TtxError(f"{where}: {_payload_error(kind, exc)}") from None
    return Event(float(t), kind, actor, subject, member_state, freeze(payload))



def _parse(raw: bytes, where: str) -> Any:
    """One line's JSON value, with its text made visible."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TtxError(f"{where}: not UTF-8 text (byte {exc.start + 1} of the line)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TtxError(f"{where}:{exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise TtxError(
            f"{where}: nested too deeply; a record is an object whose payload holds values "
            "and lists of values"
        ) from None
    except ValueError:  # an integer of more than 4,300 digits (sys.get_int_max_str_digits)
        raise TtxError(f"{where}: a number too long to read") from None
    return _clean(data) if _maybe_unsafe(text) else data


def _maybe_unsafe(line: str) -> bool:
    """Whether a line may hold unsafe text. In an ASCII line (nearly every line of a log) a raw
    control character in a string is not JSON, so only DEL and escapes need looking at."""
    if line.isascii():
        return "\x7f" in line or ("\\" in line and _ESCAPES.search(line) is not None)
    return UNSAFE.search(line) is not None or _ESCAPES.search(line) is not None


#: the records that close a run's log: nothing may follow one of them
END_KINDS = frozenset({"run.ended", "run.failed", "run.interrupted"})


def iter_log(path: str | Path) -> Iterator[Event]:
    """Read a JSON Lines log, saying which line is wrong when one is. The file must be a
    regular file (never a pipe or a device, which could block or never end), and its size,
    lines and records are bounded as they are read."""
    name = str(path)
    bound = LOG_LIMIT.bytes
    with open_bounded(path, LOG_LIMIT) as handle:
        total = number = 0
        last = 0.0
        end: float | None = None  # the run's end, from its run.started record
        closed: str | None = None  # the record that ended the run, once read
        number_of_events = 0
        while True:
            try:
                raw = handle.readline(MAX_LINE_BYTES + 1)
            except OSError as exc:
                raise TtxError(f"{name}: cannot read the log: {exc.strerror or exc}") from None
            if not raw:
                return
            number += 1
            where = f"{name}:{number}"
            total += len(raw)
            if total > bound:
                raise LOG_LIMIT.refusal(name, "the file grew while it was read, past the limit")
            if len(raw) > MAX_LINE_BYTES:
                raise TtxError(
                    f"{where}: the line is longer than {MAX_LINE_BYTES // MB} MB; no record "
                    "comes near that (a damaged file, or not an event log?)"
                )
            if number > MAX_RECORDS:
                raise TtxError(
                    f"{where}: more than {MAX_RECORDS:,} records; the longest runs have a few "
                    "thousand (not an event log?)"
                )
            if not raw.strip():
                continue
            event = parse_record(_parse(raw, where), where)
            if event.t < last:
                raise TtxError(
                    f"{where}: time goes backwards ({event.t:g} after {last:g}); "
                    "a log is in the order its events happened"
                )
            if end is not None and event.t > end + _ROUNDING:
                raise TtxError(
                    f"{where}: at {event.t:g} minutes, after the run's end ({end:g}, in its "
                    "run.started record)"
                )
            if closed is not None:
                raise TtxError(
                    f"{where}: {event.kind} after the run's {closed} record; nothing follows "
                    "the end of a run (two logs put together?)"
                )
            if event.kind == "run.started":
                if number_of_events:
                    raise TtxError(
                        f"{where}: run.started must be the first record of a log, and come once"
                    )
                end = event.payload["end"]
            elif event.kind in END_KINDS:
                closed = event.kind
            number_of_events += 1
            last = event.t
            yield event


def read_log(path: str | Path) -> list[Event]:
    """The whole log, checked before any of it is used: scoring and the report look back and
    forth in it, and a log refused at its last line must not have been half acted on."""
    return list(iter_log(path))
