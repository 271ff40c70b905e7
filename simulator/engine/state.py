"""The state of the machinery as a fold of the event log.

Conditions, prerequisites and the classification read this, never an actor's internals
(docs/design.md: "Nothing downstream reaches into actors' internals"). Because it is rebuilt from
events alone, scoring or a resumed session can rebuild exactly the same state from a log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..scenario.reference import IPCR_MODES, TIERS
from .records import Event

TIER_RANK = {tier: i for i, tier in enumerate(TIERS)}
IPCR_RANK = {mode: i for i, mode in enumerate(IPCR_MODES)}
MEASURE_STAGES = ("proposed", "prepared", "adopted", "blocked", "in_effect")


class State:
    """What is true at the current simulated time."""

    def __init__(self, count_subjects: bool = True) -> None:
        self.t = 0.0
        self.counts: Counter[Any] = Counter()
        #: counts by subject are kept for every kind (``count_subjects``) or only for the kinds
        #: a condition asks about by subject (the engine's choice: most kinds are never asked)
        self.count_subjects = count_subjects
        self.subject_kinds: set[str] = set()
        #: counts of events matching a condition's payload filter (``where``), by its key;
        #: kept only for the filters some condition asks about (``track_where``)
        self.filtered: Counter[Any] = Counter()
        self._filters: dict[str, list[Any]] = {}
        self.tier = "below_threshold"
        self.max_tier_rank = 0
        self.ipcr_mode = "none"
        # ground truth, which the facilitator sees and scenario conditions read
        self.affected: dict[str, float] = {}  # Member State -> first compromise time
        self.significant: set[str] = set()  # Member States with a significant incident
        #: Member States significantly impacted (NIS2 Art 6(7)): disrupted at or above the
        #: threshold, or lives at risk; data theft or a loss alone make an incident significant
        #: (it is reported) without impacting the Member State so
        self.impacted: set[str] = set()
        self.risk_to_life: set[str] = set()
        # what the machinery knows: EU bodies act on reports, not on the adversary's success
        self.reported: dict[str, float] = {}  # Member State -> its first NIS2 report
        self.known_significant: set[str] = set()  # significant impact, and reported
        # what the EU level knows: what national CSIRTs passed on to the CSIRTs network
        self.eu_known: dict[str, float] = {}  # Member State -> when the network was told
        self.eu_significant: set[str] = set()  # significant incident, and passed on
        self.eu_impacted: set[str] = set()  # significantly impacted, and passed on
        self.eu_grade = -1  # grade of EU language adopted (-1: none yet)
        self.partner_grade = -1
        self.partners_attributed: set[str] = set()
        #: security vendors' public attributions: they inform EU INTCEN's confidence, and are
        #: never a basis for EU language (``attribution_basis`` leaves them out)
        self.vendor_grade = -1
        self.vendors_attributed: set[str] = set()
        #: a partner or a vendor has said publicly that the incident is not an attack: EU
        #: INTCEN assesses no threat, partners attribute nothing of their own, and EU language
        #: that attributes is disproportionate from then on (docs/machinery.md section 6)
        self.not_an_attack = False
        self.intcen_grade = -1
        self.intcen_confidence = 0.0
        self.national_grades: dict[str, int] = {}
        self.intel_shared: set[str] = set()
        self.decisions: dict[str, str] = {}
        self.delivered: set[str] = set()
        self.measures: dict[str, set[str]] = {}
        self.shared_awareness = False
        self.listing_proposals: set[str] = set()
        #: measure -> the Member States that proposed it as a listing (they never block it)
        self.listing_requests: dict[str, set[str]] = {}
        self.evidence_ready = False
        self.cyclone_active = False
        self.alert_mode: str | None = None
        self.indicators_shared = False
        self.peak_impact: dict[str, float] = {}
        self.impact: dict[str, float] = {}

    # -- reading ----------------------------------------------------------------------------

    def count(
        self, kind: str, subject: str | None = None, member_state: str | None = None
    ) -> int:
        if subject is not None and not self.count_subjects and kind not in self.subject_kinds:
            raise KeyError(f"{kind} is not counted by subject; call track_subjects first")
        return self.counts[(kind, subject, member_state)]

    def track_subjects(self, kind: str, log: Iterable[Event]) -> None:
        """Count ``kind`` by subject from now on, and for what ``log`` already holds."""
        if self.count_subjects or kind in self.subject_kinds:
            return
        self.subject_kinds.add(kind)
        counts = self.counts
        for event in log:
            if event.kind == kind and event.subject is not None:
                counts[(kind, event.subject, None)] += 1
                if event.member_state is not None:
                    counts[(kind, event.subject, event.member_state)] += 1

    def track_where(self, match: Any, log: Iterable[Event]) -> None:
        """Count the events ``match`` (an EventMatch with ``where``) selects, from now on and
        in what ``log`` already holds."""
        key = match.key()
        filters = self._filters.setdefault(match.kind, [])
        if any(known == key for known, _ in filters):
            return
        filters.append((key, match))
        self.filtered[key] += sum(1 for event in log if match.matches(event))

    @property
    def max_tier(self) -> str:
        return TIERS[self.max_tier_rank]

    @property
    def attribution_basis(self) -> int:
        """How far EU language may go on what has been attributed: a Member State's own
        attribution, EU language already adopted, or, for grade 1 only, citing a partner's
        assessment (SolarWinds). A declaration aligned with partners goes to their grade
        instead (``aligned_attribution_basis``). Attribution stays a sovereign decision of
        Member States (docs/machinery.md section 6): EU INTCEN's assessment is evidence for
        them, not a basis of its own, however high its grade; nor is a security vendor's
        public attribution (Microsoft, Mandiant ...): it informs EU INTCEN's confidence, but
        the EU speaks on what Member States and partners attribute."""
        return max(
            min(self.partner_grade, 1),
            self.eu_grade,
            max(self.national_grades.values(), default=-1),
        )

    @property
    def aligned_attribution_basis(self) -> int:
        """The basis of a declaration aligned with partners' public attributions: their grade,
        not capped (since 2021 HR declarations on behalf of the EU have used grades 2 and 3 the
        day partners or Member States attributed: docs/machinery.md section 6).
        ``actors.rules.attribution_basis`` says which measures are aligned."""
        return max(self.partner_grade, self.attribution_basis)

    def measure_reached(self, measure: str, stage: str) -> bool:
        return stage in self.measures.get(measure, ())

    # -- folding ----------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        t, kind, _, subject, ms, _ = event
        self.t = t
        counts = self.counts
        get = counts.get
        key: tuple[str, str | None, str | None] = (kind, None, None)
        counts[key] = get(key, 0) + 1
        if subject is not None and (self.count_subjects or kind in self.subject_kinds):
            key = (kind, subject, None)
            counts[key] = get(key, 0) + 1
            if ms is not None:
                key = (kind, subject, ms)
                counts[key] = get(key, 0) + 1
        if ms is not None:
            key = (kind, None, ms)
            counts[key] = get(key, 0) + 1
        fold = _FOLDS.get(kind)
        if fold is not None:
            fold(self, event)
        if self._filters:
            filters = self._filters.get(kind)
            if filters:
                for key, match in filters:
                    if match.matches(event):
                        self.filtered[key] += 1

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> State:
        state = cls()
        for event in events:
            state.apply(event)
        return state


def _tier(s: State, e: Event) -> None:
    s.tier = e.payload["tier"]
    s.max_tier_rank = max(s.max_tier_rank, TIER_RANK[s.tier])


def _ipcr(s: State, e: Event) -> None:
    s.ipcr_mode = e.payload["mode"]


def _compromised(s: State, e: Event) -> None:
    if e.member_state is not None:
        s.affected.setdefault(e.member_state, e.t)


def _impact(s: State, e: Event) -> None:
    ms = e.member_state
    if ms is None:
        return
    level = float(e.payload["level"])
    s.impact[ms] = level
    if level > s.peak_impact.get(ms, 0.0):
        s.peak_impact[ms] = level
    payload = e.payload
    if payload.get("significant") and ms not in s.significant:
        s.significant.add(ms)
        if ms in s.reported:
            s.known_significant.add(ms)
        if ms in s.eu_known:
            s.eu_significant.add(ms)
    if payload.get("significant_impact") and ms not in s.impacted:
        s.impacted.add(ms)
        if ms in s.eu_known:
            s.eu_impacted.add(ms)
    if payload.get("risk_to_life"):
        s.risk_to_life.add(ms)


def _first_known(seen: str, significant: str) -> Callable[[State, Event], None]:
    """A Member State known at one level (``seen``: when first), and its significant impact
    known there too (``significant``): nationally once it reported, at EU level once its CSIRT
    passed it on."""

    def fold(s: State, e: Event) -> None:
        ms = e.member_state
        first: dict[str, float] = getattr(s, seen)
        if ms is not None and ms not in first:
            first[ms] = e.t
            if ms in s.significant:
                getattr(s, significant).add(ms)
            if seen == "eu_known" and ms in s.impacted:
                s.eu_impacted.add(ms)

    return fold


_reported = _first_known("reported", "known_significant")
_informed = _first_known("eu_known", "eu_significant")


def _measure(stage: str) -> Callable[[State, Event], None]:
    def fold(s: State, e: Event) -> None:
        if e.subject is not None:
            s.measures.setdefault(e.subject, set()).add(stage)
        if stage == "adopted":
            grade = e.payload.get("attribution_grade")
            if grade is not None:
                s.eu_grade = max(s.eu_grade, int(grade))

    return fold


def _partner_attribution(s: State, e: Event) -> None:
    s.partners_attributed.add(e.payload.get("partner", e.actor))
    grade = e.payload.get("attribution_grade")
    s.partner_grade = max(s.partner_grade, 1 if grade is None else int(grade))


def _vendor_attribution(s: State, e: Event) -> None:
    s.vendors_attributed.add(str(e.payload["vendor"]))
    s.vendor_grade = max(s.vendor_grade, int(e.payload["attribution_grade"]))


def _not_an_attack(s: State, e: Event) -> None:
    s.not_an_attack = True


def _intcen(s: State, e: Event) -> None:
    s.shared_awareness = True
    s.intcen_grade = max(s.intcen_grade, int(e.payload["attribution_grade"]))
    s.intcen_confidence = float(e.payload["confidence"])


def _national(s: State, e: Event) -> None:
    if e.member_state is not None:
        grade = int(e.payload["grade"])
        s.national_grades[e.member_state] = max(s.national_grades.get(e.member_state, -1), grade)


def _shared(s: State, e: Event) -> None:
    if e.member_state is not None:
        s.intel_shared.add(e.member_state)


def _decision(s: State, e: Event) -> None:
    if e.subject is not None:
        s.decisions[e.subject] = e.payload["option"]


def _delivered(s: State, e: Event) -> None:
    if e.subject is not None:
        s.delivered.add(e.subject)


def _awareness(s: State, e: Event) -> None:
    s.shared_awareness = True


def _listing(s: State, e: Event) -> None:
    if e.member_state is not None:
        s.listing_proposals.add(e.member_state)
        s.listing_requests.setdefault(e.payload["measure"], set()).add(e.member_state)


def _evidence(s: State, e: Event) -> None:
    s.evidence_ready = True


def _cyclone(active: bool) -> Callable[[State, Event], None]:
    def fold(s: State, e: Event) -> None:
        s.cyclone_active = active

    return fold


def _alert(s: State, e: Event) -> None:
    s.alert_mode = e.payload["mode"]


def _indicators(s: State, e: Event) -> None:
    s.indicators_shared = True


_FOLDS: dict[str, Callable[[State, Event], None]] = {
    "classification.tier": _tier,
    "ipcr.mode": _ipcr,
    "entity.compromised": _compromised,
    "adversary.impact": _impact,
    "entity.early_warning": _reported,
    "entity.notification": _reported,
    "csirts_network.informed": _informed,
    **{f"measure.{stage}": _measure(stage) for stage in MEASURE_STAGES},
    "partner.attribution": _partner_attribution,
    "external.vendor_attribution": _vendor_attribution,
    "external.not_an_attack": _not_an_attack,
    "intcen.assessment": _intcen,
    "member_state.attribution": _national,
    "member_state.intel_shared": _shared,
    "member_state.listing_proposed": _listing,
    "member_state.evidence_ready": _evidence,
    "decision.made": _decision,
    "inject.delivered": _delivered,
    # the Toolbox's shared situational awareness: EU-CyCLONe's impact assessment (operational)
    # or EU INTCEN's threat assessment (EU Cyber Posture para 12); an ISAA report is not
    "cyclone.assessment": _awareness,
    "cyclone.activated": _cyclone(True),
    "cyclone.deactivated": _cyclone(False),
    "csirts_network.alert": _alert,
    "csirts_network.indicators_shared": _indicators,
}
