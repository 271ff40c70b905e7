"""Who did what: each decision with how it was taken, and the events each one caused, read
from the log alone.

Scoring credits players only for what they did (docs/machinery.md section 11, "Credit"):

- a decision is taken by the scenario's **policy** (every decision of a headless run, and of a
  role nobody plays live), by the **players** (a live role, in a session), or falls to its
  **default at the deadline** because nobody decided; ``decision.made``'s ``by`` says which
  (``policy``, ``deadline``, or the name the players gave), and a run that was not interactive
  (``run.started``'s ``interactive``) has no players, whatever a record says;
- the events a decision caused name it: a ``decision`` field, or ``decision DP-1`` in a
  reason, a basis, a trigger or a proposer; an inject a decision delivered passes the decision
  on to its own effects (``inject INJ-1``); a measure carries its proposal's decision through
  the Council's chain, a Reserve request through its answer, an IPCR mode through the ISAA
  reports and roundtables held in it, a CSIRTs network alert through EU-CyCLONe's activation
  on it;
- what a scenario sets at the start (``machinery.initial_ipcr_mode``) is the **starting
  state**, which nobody decided in the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.records import Event
from ..labels import DEADLINE, PLAYERS, POLICY
from ..scenario.models import Scenario
from ..scenario.reference import IPCR_MODES

_DECISION = re.compile(r"\bdecision ([A-Za-z][A-Za-z0-9_.-]*)")
_INJECT = re.compile(r"\binject ([A-Za-z][A-Za-z0-9_.-]*)")
#: the text fields in which bodies name the source of what they do
_SOURCE_FIELDS = ("reason", "by", "basis", "trigger")
#: kinds about one measure (their subject) that follow its proposal through the Council
_MEASURE_KINDS = frozenset({
    "measure.proposed", "measure.prepared", "measure.adopted", "measure.blocked",
    "measure.in_effect", "hwpci.agreed", "psc.agreed", "coreper.agreed", "council.held",
    "council.vote", "member_state.veto",
})
#: what a decision's effect gives at once without naming the decision in the record: the kind
#: it is logged as, found at the same moment as the decision
_SAME_MOMENT = {
    "csirts_network.joint_statement": "joint_statement",
    "incident_review.requested": "request_incident_review",
    "cyclone.activated": "cyclone",
    "cyclone.deactivated": "cyclone",
}


@dataclass(frozen=True)
class Decision:
    """One decision taken in the run, and how."""

    point: str
    t: float
    option: str
    label: str
    by: str  # as the log has it
    source: str  # POLICY, DEADLINE or PLAYERS
    rationale: str | None

    @property
    def defaulted(self) -> bool:
        """Nobody decided: the default fell at the deadline."""
        return self.source == DEADLINE


def source_of(by: str, interactive: bool, taken: str | None = None) -> str:
    """How a decision was taken: ``decision.made``'s ``taken`` where the log has it (whatever
    name the players gave in ``by``), else read from ``by``; a run that was not interactive
    has no players, so every decision in it is the policy's."""
    if not interactive:
        return POLICY
    if taken in (POLICY, DEADLINE, PLAYERS):
        return taken
    if by == POLICY:
        return POLICY
    if by == DEADLINE:
        return DEADLINE
    return PLAYERS


class Causes:
    """The decisions of a run and what each caused; the starting state."""

    def __init__(self, events: Sequence[Event], scenario: Scenario) -> None:
        started = next((e for e in events if e.kind == "run.started"), None)
        #: people played some role live (a session); a headless run's decisions are all the
        #: policy's
        self.interactive = bool(started is not None and started.payload.get("interactive"))
        self.decisions: dict[str, Decision] = {}
        self._cause: dict[int, str] = {}  # id(event) -> decision point
        self._start: set[int] = set()
        self._trace(events, scenario)

    # -- questions ----------------------------------------------------------------------------

    def cause(self, event: Event) -> str | None:
        """The decision point whose decision caused ``event``, if any."""
        return self._cause.get(id(event))

    def decision_behind(self, event: Event) -> Decision | None:
        point = self.cause(event)
        return None if point is None else self.decisions.get(point)

    def defaulted(self, event: Event) -> bool:
        """Caused by a decision nobody took: its default fell at the deadline."""
        decision = self.decision_behind(event)
        return decision is not None and decision.defaulted

    def starting_state(self, event: Event) -> bool:
        """The scenario's starting state, logged at the start: nobody decided it."""
        return id(event) in self._start

    def credited(self, event: Event) -> bool:
        """Something the run's decision makers did (or the machinery did on its own), not the
        starting state nor a default nobody chose."""
        return not self.starting_state(event) and not self.defaulted(event)

    def consequences(self, point: str, events: Sequence[Event]) -> list[Event]:
        """The events the decision at ``point`` caused, in order (not the decision itself)."""
        return [e for e in events if self._cause.get(id(e)) == point
                and e.kind != "decision.made"]

    # -- tracing ------------------------------------------------------------------------------

    def _trace(self, events: Sequence[Event], scenario: Scenario) -> None:
        initial = scenario.machinery.initial_ipcr_mode
        first_mode = True
        inject_cause: dict[str, str] = {}
        measure_cause: dict[str, str | None] = {}
        request_cause: dict[str, str | None] = {}
        ipcr_cause: str | None = None
        alert_cause: str | None = None
        art222_cause: str | None = None
        art42_cause: str | None = None
        last_message: tuple[float, str | None] = (-1.0, None)
        effects_now: dict[str, tuple[float, str]] = {}  # effect -> (t, point) just decided
        for event in events:
            kind, payload = event.kind, event.payload
            cause: str | None = None
            if kind == "decision.made" and event.subject is not None:
                point = event.subject
                by = str(payload.get("by", ""))
                self.decisions[point] = Decision(
                    point, event.t, str(payload.get("option", "")),
                    str(payload.get("label", "")), by,
                    source_of(by, self.interactive, payload.get("taken")),
                    payload.get("rationale") if isinstance(payload.get("rationale"), str)
                    else None,
                )
                cause = point
                for effect in payload.get("effects") or ():
                    effects_now[str(effect)] = (event.t, point)
            else:
                cause = self._named(payload, inject_cause)
            if kind == "inject.delivered" and event.subject is not None and cause is not None:
                inject_cause[event.subject] = cause
            if kind in _SAME_MOMENT and cause is None:
                recent = effects_now.get(_SAME_MOMENT[kind])
                if recent is not None and abs(recent[0] - event.t) < 1e-6:
                    cause = recent[1]
            # chains: a measure, a Reserve request, an IPCR mode, an alert, a treaty clause
            if kind in _MEASURE_KINDS and event.subject is not None:
                if kind == "measure.proposed" and cause is not None:
                    measure_cause[event.subject] = cause
                cause = cause or measure_cause.get(event.subject)
            elif kind == "member_state.listing_proposed" and cause is not None:
                measure_cause[str(payload.get("measure"))] = cause
            elif kind in ("member_state.evidence_ready", "adversary.deterred",
                          "adversary.escalated"):
                cause = cause or measure_cause.get(str(payload.get("measure")))
            elif kind.startswith("reserve.") and isinstance(payload.get("request"), str):
                request = payload["request"]
                if kind == "reserve.requested":
                    request_cause[request] = cause
                cause = cause or request_cause.get(request)
            elif kind == "ipcr.mode":
                if first_mode:
                    first_mode = False
                    if (initial != "none" and event.t <= 1e-9
                            and payload.get("previous") == "none"
                            and payload.get("mode") == initial):
                        self._start.add(id(event))
                if cause is None and payload.get("via") == "art_222":
                    cause = art222_cause
                ipcr_cause = cause
            elif kind in ("ipcr.isaa_report", "ipcr.roundtable"):
                cause = cause or ipcr_cause
            elif kind == "csirts_network.alert":
                alert_cause = cause
            elif kind == "cyclone.activated" and cause is None:
                if str(payload.get("trigger", "")).startswith("CSIRTs network alert"):
                    cause = alert_cause
            elif kind == "treaty.art222_invoked":
                art222_cause = cause
            elif kind == "treaty.art42_7_invoked":
                art42_cause = cause
            elif kind == "treaty.art42_7_support":
                cause = cause or art42_cause
            elif kind == "communication.public":
                last_message = (event.t, cause)
            elif (kind == "fimi.countered" and cause is None
                  and abs(last_message[0] - event.t) < 1e-6):
                cause = last_message[1]
            if cause is not None:
                self._cause[id(event)] = cause

    def _named(self, payload, inject_cause: dict[str, str]) -> str | None:  # type: ignore[no-untyped-def]
        """The decision a record names: its ``decision`` field (an inject's id when the
        inject's effect did it), or ``decision X`` / ``inject X`` in its text."""
        named = payload.get("decision")
        if isinstance(named, str):
            if named in self.decisions:
                return named
            if named in inject_cause:
                return inject_cause[named]
        for field in _SOURCE_FIELDS:
            text = payload.get(field)
            if not isinstance(text, str):
                continue
            found = _DECISION.search(text)
            if found and found.group(1) in self.decisions:
                return found.group(1)
            found = _INJECT.search(text)
            if found and found.group(1) in inject_cause:
                return inject_cause[found.group(1)]
        return None


def is_climb(event: Event) -> bool:
    """An ``ipcr.mode`` record that raises IPCR (not a step back)."""
    mode, previous = event.payload.get("mode"), event.payload.get("previous")
    if mode not in IPCR_MODES or previous not in IPCR_MODES:
        return False
    return IPCR_MODES.index(mode) > IPCR_MODES.index(previous)
