"""Event records: the typed, immutable rows of the event log (DESIGN.md, "The spine").

A record is a named tuple, cheap to build (the engine makes hundreds of thousands a second) and
impossible to change once made; its payload is a read-only mapping. The JSON Lines form has a
fixed field order and sorted payload keys, so the same run gives the same bytes anywhere; its
times are rounded to 1e-4 minute (6 ms), which keeps lines short and order intact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, NamedTuple

from ..errors import TtxError
from ..kinds import EVENT_KINDS

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
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise TtxError(f"{where}: 't' must be a number of simulated minutes, not {t!r}")
    if kind not in EVENT_KINDS:
        raise TtxError(f"{where}: unknown event kind {kind!r}")
    payload = data.get("payload") or {}
    if not isinstance(payload, dict):
        raise TtxError(f"{where}: 'payload' must be an object")
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
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TtxError(f"{name}:{number}:{exc.colno}: not JSON: {exc.msg}") from None
                yield _event_from(data, f"{name}:{number}")
        except UnicodeDecodeError:
            raise TtxError(f"{name}: the log is not UTF-8 text") from None


def read_log(path: str | Path) -> list[Event]:
    return list(iter_log(path))
