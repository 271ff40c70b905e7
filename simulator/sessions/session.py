"""A live exercise: a scenario, a seed and the journal of what people did in it.

The journal is the truth (docs/design.md, "Storage"). A session touches the machinery only
through the engine's stepping API (``Simulation``), and every action it takes is one journal
entry that names the call and its arguments; opening a session replays those calls, in order,
on a new ``Simulation`` of the session's own copy of the scenario, which rebuilds the event
log byte for byte (a run is a pure function of the scenario, the seed and the decisions).

An action is applied first and journaled second, and only then acknowledged: an action the
engine refuses (an option the decision point does not have) leaves no entry, and one that was
applied but not yet committed when the process died was never acknowledged, so nothing a
person was told was done can be lost.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..engine import Simulation
from ..engine.control import PendingDecision
from ..engine.records import Event
from ..errors import ScenarioError, TtxError
from ..safeio import SCENARIO_LIMIT, read_input
from ..scenario.loader import LoadedScenario, parse_scenario
from .store import JournalEntry, SessionRecord, SessionStore

#: the actions a journal holds; the clock-only ones (pause, resume, speed) change what the
#: facilitator sees, not the machinery, and are kept for the record and the After-Action Report
ACTIONS = ("advance", "next", "decide", "deliver", "note", "pause", "resume", "speed", "end")

#: where an advance may stop early (``Session.advance``)
STOPS = ("live", "decision", "inject")


def read_scenario(path: str | Path) -> tuple[LoadedScenario, bytes]:
    """A scenario file read once and validated: the text a session keeps is the text that
    was validated (``ScenarioError`` with every problem, ``file:line:col``)."""
    try:
        raw = read_input(path, SCENARIO_LIMIT)
    except TtxError as exc:
        raise ScenarioError(exc.diagnostics) from None
    return (LoadedScenario(parse_scenario(raw, str(path)), str(path),
                           hashlib.sha256(raw).hexdigest()), raw)


def start_session(
    store: SessionStore,
    loaded: LoadedScenario,
    raw: bytes,
    *,
    seed: int,
    name: str | None = None,
    live_roles: tuple[str, ...] = (),
) -> Session:
    """A new session of ``loaded`` (whose file's bytes are ``raw``), kept in ``store``."""
    scenario = loaded.scenario
    # the roles people play, and the bodies that decide a decision point without a role
    known = {r.id for r in scenario.roles} | {p.decided_by for p in scenario.decision_points}
    live_roles = tuple(dict.fromkeys(live_roles))
    unknown = [role for role in live_roles if role not in known]
    if unknown:
        roles = ", ".join(sorted(known)) or "none (every decision follows its policy)"
        raise TtxError(f"--live-roles: no role {', '.join(map(repr, unknown))} in "
                       f"{scenario.metadata.id}; its roles: {roles}")
    if name is not None and not name.strip():
        raise TtxError("--name: give a name with something in it")
    if name is None:  # the scenario and seed, numbered when that name is taken already
        taken = {r.name for r in store.sessions()}
        base = name = f"{scenario.metadata.id}-seed{seed}"
        number = 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
    record = store.create(
        name=name,
        scenario_id=scenario.metadata.id,
        scenario_path=loaded.path,
        scenario_text=raw,
        sha256=loaded.sha256,
        seed=seed,
        live_roles=live_roles,
        version=__version__,
    )
    return Session(store, record)


def _objectives(data: dict[str, Any]) -> list[str]:
    """A note's objectives (an earlier journal holds one ``objective``, or none)."""
    if "objectives" in data:
        return list(data["objectives"])
    return [] if data.get("objective") is None else [data["objective"]]


class MachineryFailed(RuntimeError):
    """The engine failed on an action (a bug, exit 1): the action is journaled all the same,
    since it was taken, and the log ends with the engine's ``run.failed`` record."""


class Session:
    """A session opened for driving: its simulation rebuilt from the journal."""

    def __init__(self, store: SessionStore, record: SessionRecord) -> None:
        self.store = store
        self.record = record
        scenario = parse_scenario(record.scenario_text, f"session {record.id} (its scenario)")
        self.simulation = Simulation(
            scenario, record.seed, sha256=record.sha256, live_roles=record.live_roles
        )
        self.ended = False
        #: the facilitator's clock, as the journal left it: a new session is paused, and
        #: runs at the console's default speed until one is chosen (simulated min per s)
        self.paused = True
        self.speed: float | None = None
        self.seq = 0  # the last journal entry applied
        for entry in store.journal(record.id):
            self._replay(entry)
        if self.ended and record.status != "ended":  # the process died between the two writes
            store.set_status(record.id, "ended")

    # -- what people do --------------------------------------------------------------------

    def advance(self, to: float, stop: str | None = None) -> list[Event]:
        """Move the clock to ``to`` (simulated minutes; at most the end). With ``stop``, stop
        early after the instant where one of these happened (``STOPS``): a decision opened
        that waits for a live role (``live``), any decision opened (``decision``), or an
        inject delivered (``inject``, which stops at live decisions too)."""
        if to < self.now:
            raise TtxError(f"the session is at {self.now:g} minutes; advance to a later time")
        if stop is not None and stop not in STOPS:
            raise TtxError(f"stop at {stop!r}: one of {', '.join(STOPS)}")
        data: dict[str, Any] = {"to": float(to)}
        if stop is not None:
            data["stop"] = stop
        return self._act("advance", data)

    def next_stop(self, limit: float | None = None) -> list[Event]:
        """Run until an inject is delivered or a decision opens (or ``limit``)."""
        return self._act("next", {"limit": limit})

    def decide(self, point: str, option: str, by: str = "players",
               rationale: str | None = None) -> list[Event]:
        return self._act("decide", {"point": point, "option": option, "by": by,
                                    "rationale": rationale})

    def deliver(self, inject: str, by: str = "facilitator") -> list[Event]:
        if inject not in {i.id for i in self.simulation.scenario.msel.contingency_injects}:
            known = ", ".join(i.id for i in self.simulation.scenario.msel.contingency_injects)
            raise TtxError(f"{inject!r} is not a contingency inject of this scenario; "
                           f"contingency injects: {known or 'none'}")
        return self._act("deliver", {"inject": inject, "by": by})

    def note(self, text: str, by: str = "evaluator", kind: str | None = None,
             objectives: Sequence[str] = ()) -> list[Event]:
        return self._act("note", {"text": text, "by": by, "kind": kind,
                                  "objectives": list(objectives)})

    def clock(self, action: str, speed: float | None = None) -> None:
        """Pause, resume or change the speed of the facilitator's clock (journal only)."""
        self._act(action, {} if speed is None else {"speed": speed})

    def end(self) -> list[Event]:
        events = self._act("end", {})
        self.store.set_status(self.record.id, "ended")
        return events

    # -- state ------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.simulation.now

    @property
    def events(self) -> list[Event]:
        return self.simulation.events

    def pending_decisions(self) -> list[PendingDecision]:
        return self.simulation.pending_decisions()

    # -- the journal ------------------------------------------------------------------------

    def _act(self, action: str, data: dict[str, Any]) -> list[Event]:
        if self.ended:
            raise TtxError(f"session {self.record.id} has ended")
        if self.simulation.status == "failed" and action != "end":
            raise TtxError(f"session {self.record.id}: the machinery failed "
                           f"({self.simulation.error}); only `end` is left to do")
        for value in data.values():
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise TtxError(f"{value[:40]!r} is not text (bytes that are not UTF-8?); "
                                   "nothing was recorded") from None
        start = len(self.events)
        self._apply(action, data)
        self.seq = self.store.append(self.record.id, action, self.now, data).seq
        if self.simulation.status == "failed" and action != "end":
            raise MachineryFailed(
                f"the machinery failed: {self.simulation.error}; the session's journal is "
                "kept, and its log up to the failure can be exported"
            )
        return self.events[start:]

    def follow(self) -> list[Event]:
        """Apply what another process has journaled since this copy was opened or last
        followed (the room view reads a session as it is driven); the new events."""
        start = len(self.events)
        for entry in self.store.journal(self.record.id, after=self.seq):
            self._replay(entry)
        if self.ended:
            self.record = self.store.find(self.record.id)
        return self.events[start:]

    def _replay(self, entry: JournalEntry) -> None:
        self.seq = entry.seq
        try:
            self._apply(entry.action, entry.data)
        except (TtxError, KeyError, TypeError, ValueError) as exc:
            raise TtxError(
                f"session {self.record.id}: journal entry {entry.seq} ({entry.action}) cannot be "
                f"replayed, the store is damaged: {exc}"
            ) from None

    def _apply(self, action: str, data: dict[str, Any]) -> None:
        sim = self.simulation
        steps: dict[str, Callable[[], Any]] = {
            "advance": lambda: self._advance(data["to"], data.get("stop")),
            "next": lambda: sim.run_until_stop(data.get("limit")),
            "decide": lambda: sim.decide(data["point"], data["option"], data["by"],
                                         data.get("rationale")),
            "deliver": lambda: sim.deliver(data["inject"], data["by"]),
            "note": lambda: sim.note(data["text"], data["by"], data.get("kind"),
                                     _objectives(data)),
            "pause": lambda: setattr(self, "paused", True),
            "resume": lambda: setattr(self, "paused", False),
            "speed": lambda: setattr(self, "speed", float(data["speed"])),
            "end": self._finish,
        }
        step = steps.get(action)
        if step is None:
            raise TtxError(f"unknown journal action {action!r}")
        step()

    def _advance(self, to: float, stop: str | None) -> None:
        sim = self.simulation
        if stop is None:
            sim.advance(to, through=True)
            return
        if stop not in STOPS:
            raise TtxError(f"unknown stop {stop!r}")
        while True:
            events = sim.run_until_stop(to)
            waiting = {p.point.id for p in sim.pending_decisions()}
            opened = any(e.kind == "decision.pending" and (stop == "decision"
                                                           or e.subject in waiting)
                         for e in events)
            delivered = stop == "inject" and any(e.kind == "inject.delivered" for e in events)
            if opened or delivered or sim.now >= to or sim.finished:
                return

    def _finish(self) -> None:
        """The run ends where the session stands (a session may end before its scenario);
        a run whose machinery failed is already closed by its run.failed record."""
        self.simulation.finish()
        self.ended = True

    @property
    def failed(self) -> str | None:
        """The machinery's error, when it failed."""
        return self.simulation.error if self.simulation.status == "failed" else None
