"""Event records: the typed, immutable rows of the event log (DESIGN.md, "The spine").

A record is a named tuple, cheap to build (the engine makes hundreds of thousands a second) and
impossible to change once made; its payload is a read-only mapping. The JSON Lines form has a
fixed field order and sorted payload keys, so the same run gives the same bytes anywhere; its
times are rounded to 1e-4 minute (6 ms), which keeps lines short and order intact.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, NamedTuple

from ..errors import TtxError
from ..kinds import EVENT_KINDS, NIS2_REPORTS
from ..scenario.reference import IPCR_MODES, TIERS

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


def _number(low: float, high: float) -> Callable[[Any], bool]:
    return lambda v: (
        isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= high
    )


def _one_of(values: Iterable[str]) -> Callable[[Any], bool]:
    allowed = frozenset(values)
    return lambda v: v in allowed


def _text(v: Any) -> bool:
    return isinstance(v, str) and v != ""


def _grade(v: Any) -> bool:
    return v is None or (isinstance(v, int) and not isinstance(v, bool) and -1 <= v <= 4)


#: the payload values the state, scoring and the report rely on, checked when a log is read
#: (a log edited by hand fails at its line, not deep inside a chart)
_VALUES: dict[str, tuple[tuple[str, Callable[[Any], bool], str], ...]] = {
    "classification.tier": (("tier", _one_of(TIERS), f"one of {', '.join(TIERS)}"),),
    "ipcr.mode": (("mode", _one_of(IPCR_MODES), f"one of {', '.join(IPCR_MODES)}"),),
    "adversary.impact": (("level", _number(0.0, 1.0), "a number from 0 to 1"),),
    **{
        f"entity.{report}": (("entity", _text, "an entity id"),)
        for report in ("compromised", "detected", "early_warning", "notification",
                       "final_report", "recovered")
    },
    "entity.deadline_missed": (
        ("entity", _text, "an entity id"),
        ("report", _one_of(NIS2_REPORTS), " or ".join(NIS2_REPORTS)),
    ),
    "csirts_network.alert": (("mode", _text, "an alert mode"),),
    "decision.made": (("option", _text, "an option id"),),
    "communication.public": (("mode", _text, "a mode"),),
    "member_state.attribution": (("grade", _grade, "a grade from 0 to 4"),),
    "intcen.assessment": (
        ("attribution_grade", _grade, "a grade from 0 to 4"),
        ("confidence", _number(0.0, 1.0), "a number from 0 to 1"),
    ),
    "partner.attribution": (("attribution_grade", _grade, "a grade from 0 to 4"),),
    "measure.adopted": (("attribution_grade", _grade, "a grade from 0 to 4 or null"),),
}


def _event_from(data: Any, where: str) -> Event:
    if not isinstance(data, dict):
        raise TtxError(f"{where}: expected a JSON object, one event per line")
    missing = [f for f in ("t", "kind", "actor") if f not in data]
    if missing:
        raise TtxError(f"{where}: an event needs {', '.join(missing)}")
    unknown = set(data) - set(Event._fields)
    if unknown:
        raise TtxError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    t, kind = data["t"], data["kind"]
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t < 0:
        raise TtxError(f"{where}: 't' must be a number of simulated minutes, not {t!r}")
    if kind not in EVENT_KINDS:
        raise TtxError(f"{where}: unknown event kind {kind!r}")
    for name in ("actor", "subject", "member_state"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise TtxError(f"{where}: {name!r} must be a string, not {value!r:.40}")
    payload = data.get("payload") or {}
    if not isinstance(payload, dict):
        raise TtxError(f"{where}: 'payload' must be an object")
    for name, check, wanted in _VALUES.get(kind, ()):
        if not check(payload.get(name)):
            raise TtxError(
                f"{where}: {kind} needs {name!r} to be {wanted}, not {payload.get(name)!r:.40}"
            )
    return Event(
        float(t),
        kind,
        str(data["actor"]),
        data.get("subject"),
        data.get("member_state"),
        freeze(payload),
    )


def iter_log(path: str | Path) -> Iterator[Event]:
    """Read a JSON Lines log, saying which line is wrong when one is."""
    name = str(path)
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise TtxError(f"{name}: cannot read the log: {exc.strerror or exc}") from None
    with handle:
        last = 0.0
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TtxError(f"{name}:{number}:{exc.colno}: not JSON: {exc.msg}") from None
                event = _event_from(data, f"{name}:{number}")
                if event.t < last:
                    raise TtxError(
                        f"{name}:{number}: time goes backwards ({event.t:g} after {last:g}); "
                        "a log is in the order its events happened"
                    )
                last = event.t
                yield event
        except UnicodeDecodeError:
            raise TtxError(f"{name}: the log is not UTF-8 text") from None


def read_log(path: str | Path) -> list[Event]:
    return list(iter_log(path))
