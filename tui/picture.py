"""What the console shows, folded from a session's event log as it grows.

No Textual here: the picture is plain data, built in the worker that drives the engine and
handed to the screen whole, so the screen never reads the engine while it runs, and tests can
check what a facilitator would see without a terminal. Everything is read from the log (and
the scenario), as scoring and the report read it, so a resumed session shows the same picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from simulator.engine.records import Event
from simulator.kinds import EVENT_KINDS, NIS2_REPORTS
from simulator.scenario.models import Inject, Scenario
from simulator.scenario.reference import TIERS
from simulator.scenario.regime import law_of
from simulator.scenario.units import format_clock

#: the four tracks of the EU's answer, each with the bodies whose state the ladder shows
TRACKS = ("technical", "operational", "political crisis", "foreign policy")

#: the track of each body, by the first part of an event kind (the feed filters on it)
BODY_TRACK = {
    "adversary": "technical", "fimi": "foreign policy", "entity": "technical",
    "csirt": "technical", "spoc": "technical", "csirts_network": "technical",
    "classification": "operational", "cyclone": "operational", "reserve": "operational",
    "incident_review": "operational", "ipcr": "political crisis", "treaty": "political crisis",
    "member_state": "foreign policy", "intcen": "foreign policy", "hwpci": "foreign policy",
    "psc": "foreign policy", "coreper": "foreign policy", "council": "foreign policy",
    "measure": "foreign policy", "partner": "foreign policy", "external": "technical",
    "communication": "political crisis", "inject": "exercise", "move": "exercise",
    "decision": "exercise", "observation": "exercise", "run": "exercise",
    "presidency": "political crisis",
}

MEASURE_STAGES = ("proposed", "prepared", "adopted", "in_effect", "blocked")

#: what is public: shown on the room view (statements, measures, what the media says)
PUBLIC_KINDS = frozenset({
    "communication.public", "csirts_network.joint_statement", "measure.adopted",
    "measure.in_effect", "measure.blocked", "partner.attribution", "partner.sanctions",
    "member_state.attribution", "external.media_leak", "external.vendor_disclosure",
    "external.patch_release", "treaty.art222_invoked", "treaty.art42_7_invoked",
    "external.vendor_attribution", "external.not_an_attack", "presidency.handover",
})


def track_of(kind: str) -> str:
    return BODY_TRACK.get(kind.split(".", 1)[0], "exercise")


@dataclass(frozen=True)
class Rung:
    """One line of the escalation ladder: a body's state on a track, and since when."""

    track: str
    body: str
    state: str
    since: float | None  # None: as at the start


@dataclass
class MemberStateRow:
    """One affected Member State on the board."""

    code: str
    first_hit: float
    significant: bool = False
    sectors: set[str] = field(default_factory=set)
    entities: int = 0
    impact: float = 0.0
    peak: float = 0.0
    reports_due: int = 0
    reports_sent: int = 0
    reports_missed: int = 0
    csirt: str = "coping"
    reserve: str = "—"


@dataclass(frozen=True)
class MselRow:
    """An inject of the MSEL and where it stands."""

    inject: Inject
    contingency: bool
    status: str  # upcoming, waiting (on a condition), delivered, skipped, ready (contingency)
    delivered: float | None = None


class Picture:
    """The state of the exercise as the console shows it, fed the log's events in order."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.start = scenario.metadata.start
        self.end = scenario.metadata.duration
        self.now = 0.0
        self.events: list[Event] = []
        modes = ("none", *scenario.machinery.csirts_network.alert_modes)
        self._alert_modes = modes
        self.rungs: dict[str, Rung] = {
            "csirts_network": Rung("technical", "CSIRTs network", "normal", None),
            "tier": Rung("operational", "Classification", "below threshold", None),
            "cyclone": Rung("operational", "EU-CyCLONe", "standing by", None),
            "ipcr": Rung("political crisis", "Presidency / IPCR", "none", None),
            "intcen": Rung("foreign policy", "EU INTCEN", "no assessment", None),
            "toolbox": Rung("foreign policy", "Council / Toolbox", "no measure", None),
        }
        # the law in force (docs/machinery.md section 12): a body that did not exist yet stays
        # so, and only NIS2 has reports that fall due
        law = law_of(scenario)
        for key in ("csirts_network", "cyclone"):
            if not getattr(law, key):
                self.rungs[key] = replace(self.rungs[key], state="not in force")
        self._nis2 = law.reporting == "nis2"
        self.tier = TIERS[0]
        #: the Member State holding the Council Presidency now, as the log says
        self.presidency = scenario.metadata.presidency_at(0)
        self.states: dict[str, MemberStateRow] = {}
        self._entities: dict[str, dict[str, object]] = {}
        self.delivered: dict[str, float] = {}
        self.skipped: set[str] = set()
        self.move: str | None = None
        self.measure_rank = -1
        self.new_cards: list[Event] = []  # injects delivered since the screen last looked

    # -- folding ------------------------------------------------------------------------------

    def add(self, events: Iterable[Event]) -> None:
        for event in events:
            self.events.append(event)
            self.now = max(self.now, event.t)
            self._fold(event)

    def advance_to(self, now: float) -> None:
        self.now = max(self.now, now)

    def _fold(self, e: Event) -> None:
        kind, ms, p = e.kind, e.member_state, e.payload
        if kind == "presidency.handover":
            self.presidency = str(p["incoming"])
        elif kind == "csirts_network.alert":
            self._rung("csirts_network", str(p.get("mode", "")), e.t)
        elif kind == "classification.tier":
            self.tier = str(p["tier"])
            self._rung("tier", self.tier.replace("_", " "), e.t)
        elif kind == "cyclone.activated":
            self._rung("cyclone", "activated", e.t)
        elif kind == "cyclone.assessment":
            self._rung("cyclone", "assessing (shared awareness)", e.t)
        elif kind == "cyclone.deactivated":
            self._rung("cyclone", "stood down", e.t)
        elif kind == "ipcr.mode":
            via = " (Art 222)" if p.get("via") == "art_222" else ""
            self._rung("ipcr", f"{str(p['mode']).replace('_', ' ')}{via}", e.t)
        elif kind == "intcen.assessment":
            self._rung("intcen", f"grade {p['attribution_grade']}, confidence "
                                 f"{float(p['confidence']):.0%}", e.t)
        elif kind.startswith("measure."):
            stage = kind.split(".", 1)[1]
            if stage in MEASURE_STAGES and (MEASURE_STAGES.index(stage) >= self.measure_rank
                                            or stage == "blocked"):
                self.measure_rank = max(self.measure_rank, MEASURE_STAGES.index(stage))
                self._rung("toolbox", f"{e.subject} {stage.replace('_', ' ')}", e.t)
        elif kind == "inject.delivered":
            self.delivered[str(e.subject)] = e.t
            self.new_cards.append(e)
        elif kind == "inject.skipped":
            self.skipped.add(str(e.subject))
        elif kind == "move.started":
            self.move = str(p.get("move"))
        if ms:
            self._member_state(e)

    def _rung(self, key: str, state: str, t: float) -> None:
        self.rungs[key] = replace(self.rungs[key], state=state, since=t)

    def _member_state(self, e: Event) -> None:
        kind, p = e.kind, e.payload
        row = self.states.get(str(e.member_state))
        if kind == "entity.compromised" and row is None:
            row = self.states[str(e.member_state)] = MemberStateRow(str(e.member_state), e.t)
        if row is None:
            return
        if kind == "entity.compromised":
            row.entities += 1
            row.sectors.add(str(p.get("sector")))
        elif kind == "adversary.impact":
            row.impact = float(p["level"])
            row.peak = max(row.peak, row.impact)
            row.significant = row.significant or bool(p.get("significant"))
        elif kind == "entity.detected":
            self._entities[str(p["entity"])] = {"ms": row.code, "next": 0}
            row.reports_due += 1 if self._nis2 else 0
        elif kind.startswith("entity.") and kind.split(".", 1)[1] in NIS2_REPORTS:
            row.reports_sent += 1
            if p.get("due") is not None:  # a NIS1 or voluntary notification fell due never
                self._report_done(row, str(p["entity"]))
        elif kind == "entity.deadline_missed":
            row.reports_missed += 1
            self._report_done(row, str(p["entity"]))
        elif kind == "csirt.overloaded":
            row.csirt = f"overloaded ({p['waiting']} waiting, capacity {p['capacity']})"
        elif kind.startswith("reserve."):
            row.reserve = kind.split(".", 1)[1]

    def _report_done(self, row: MemberStateRow, entity: str) -> None:
        """An entity's report sent or missed: the next one falls due, until the last."""
        state = self._entities.get(entity)
        if state is None:
            return
        state["next"] = int(state["next"]) + 1  # type: ignore[call-overload]
        if int(state["next"]) >= len(NIS2_REPORTS):  # type: ignore[call-overload]
            row.reports_due = max(0, row.reports_due - 1)

    # -- reading ------------------------------------------------------------------------------

    def clock(self, t: float | None = None) -> str:
        return format_clock(self.now if t is None else t, self.start)

    def date(self) -> str:
        from datetime import timedelta

        return f"{self.start + timedelta(minutes=self.now):%a %d %b %Y %H:%M} UTC"

    def ladder(self) -> list[Rung]:
        return list(self.rungs.values())

    def board(self) -> list[MemberStateRow]:
        return sorted(self.states.values(), key=lambda r: (-r.peak, r.first_hit, r.code))

    def msel(self) -> list[MselRow]:
        rows = []
        for inject in self.scenario.msel.injects:
            if inject.id in self.delivered:
                status = "delivered"
            elif inject.id in self.skipped:
                status = "skipped"
            elif inject.at is not None:
                status = "upcoming"
            else:
                status = "waiting"
            rows.append(MselRow(inject, False, status, self.delivered.get(inject.id)))
        for inject in self.scenario.msel.contingency_injects:
            status = "delivered" if inject.id in self.delivered else "ready"
            rows.append(MselRow(inject, True, status, self.delivered.get(inject.id)))
        order = {"delivered": 0, "upcoming": 1, "waiting": 2, "ready": 3, "skipped": 4}
        return sorted(rows, key=lambda r: (
            order[r.status] if r.status != "delivered" else 0,
            -(r.delivered or 0.0) if r.status == "delivered" else (r.inject.at or 0.0),
        ))

    def current_move(self) -> str | None:
        moves = {m.id: m.name for m in self.scenario.msel.moves}
        return None if self.move is None else moves.get(self.move, self.move)

    def next_move(self) -> tuple[str, float] | None:
        later = [m for m in self.scenario.msel.moves if m.start > self.now]
        return None if not later else (later[0].name, later[0].start)

    def take_cards(self) -> list[Event]:
        cards, self.new_cards = self.new_cards, []
        return cards

    def inject(self, inject_id: str) -> Inject | None:
        msel = self.scenario.msel
        return next((i for i in (*msel.injects, *msel.contingency_injects)
                     if i.id == inject_id), None)


def describe(event: Event) -> str:
    """One line for the feed: what happened, in words, with its main details."""
    p = event.payload
    what = EVENT_KINDS.get(event.kind, event.kind)
    details = []
    for key in ("mode", "tier", "option", "level", "sector", "reason", "partner", "vendor",
                "incoming", "synopsis", "description", "text"):
        if key in p and p[key] is not None:
            value = p[key]
            details.append(f"{value:.0%}" if key == "level" and isinstance(value, float)
                           else str(value))
    return f"{what}" + (f": {'; '.join(details)}" if details else "")


def matches(event: Event, track: str | None, body: str | None, member_state: str | None,
            kind: str | None, search: str) -> bool:
    """The feed's filters: all that are set must hold."""
    if track and track_of(event.kind) != track:
        return False
    if body and event.kind.split(".", 1)[0] != body:
        return False
    if member_state and event.member_state != member_state:
        return False
    if kind and event.kind != kind:
        return False
    if search:
        needle = search.casefold()
        haystack = " ".join(str(x) for x in (event.kind, event.actor, event.subject or "",
                                              event.member_state or "", describe(event)))
        if needle not in haystack.casefold():
            return False
    return True

