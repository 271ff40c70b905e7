"""Checks that need the whole scenario: unique ids, cross-references, times within the exercise,
and what a run of it will cost.

Each problem is reported at the path of the value that is wrong (an inject's objective, a
wave's target), so the loader can point at its line and column. Every problem is reported,
not only the first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from ..kinds import OPTIONAL_FIELDS, PAYLOAD_FIELDS
from .conditions import (
    PREDICATES,
    After,
    DecisionTaken,
    EventMatch,
    InjectDelivered,
    MeasureStatus,
)
from .distributions import Distribution, Empirical, Fixed, Triangular, Uniform
from .effects import (
    Attribute,
    CsirtsJointStatement,
    CsirtsNetworkAlert,
    CycloneAction,
    DeliverInject,
    Detect,
    PartnerAttribution,
    PartnerSanctions,
    ProposeListing,
    ProposeMeasure,
    PublicDisclosure,
    RequestIncidentReview,
    RequestReserve,
)
from .models import (
    CsirtsNetworkParams,
    DeadlineCompliance,
    DecisionPoint,
    ExpectedAction,
    ExternalEvent,
    FimiTrack,
    Inject,
    InjectExpectations,
    PlayerRole,
    Scenario,
    Wave,
)
from .presidencies import (
    council_holder,
    day,
    is_rotation,
    next_term,
    order_source,
    rotations,
    term_of,
    term_start,
)
from .reference import (
    EU_BODIES,
    FIMI_ROUND,
    MAX_ESCALATION,
    MEMBER_STATES,
    MIN_INTERVAL,
    NATIONAL_BODIES,
    OTHER_PARTICIPANTS,
    PATCHED_SPREAD,
)
from .regime import ABSENT, Law, law_of
from .suggest import did_you_mean
from .units import format_duration
from .yamlread import Path, render_path

Issue = tuple[Path, str]

# --------------------------------------------------------------------------------------------
# what a run may cost: every scenario that validates runs on a laptop in seconds
#
# A run's work is its events, and four things in a scenario multiply them: the entities the
# campaign compromises (each has its own impact, detection and NIS2 clocks: about fifteen
# events), the periodic processes (an event or more at each repetition), the spread attempts
# of the waves, and the conditions, each re-tested at every event of a kind it watches. Each is
# bounded here, and the worst scenario all four bounds allow together (5 years; 4,995
# entities; 24,964 repetitions; 99,674 spread attempts as counted below; 200 tests watching the
# most frequent kinds: ``worst()`` in tests/hostile/test_scenarios.py) logs 71,508 events and
# runs in about 4 s of CPU time (3.8 to 5.1 s wall clock) with a peak of 94 MB, measured with
# ``/usr/bin/time -v ttx run`` on a 2-core laptop. Entities cost about 0.3 ms each, periodic
# repetitions 40 us, spread attempts 6 us, conditions 0.4 us per test and event.

#: entities the whole campaign can compromise: ten times the largest library scenario's (490)
MAX_ENTITIES = 5_000
#: repetitions of the periodic processes that log an event each time (EU-CyCLONe's
#: assessments, ISAA reports, the FIMI track's rounds, one per narrative), about 40 us each:
#: 5 years of daily assessments and reports with five narratives, or a fortnight of
#: assessments and reports every two minutes
MAX_REPETITIONS = 25_000
#: spread attempts of all waves: an attempt that fails logs nothing and costs about 6 us
#: (525,600 failed attempts took 2.9 s), so a wave may try every minute for a month or so
MAX_SPREAD_ATTEMPTS = 100_000
#: the predicates of all ``when:`` conditions together (the library's scenarios have at most 28)
MAX_CONDITION_TESTS = 200

#: the engine's own pace, which these bounds follow (``reference``, read by the actors too): a
#: periodic delay is at least MIN_INTERVAL; each escalation doubles the spread rate; a vendor's
#: patch at worst cuts a spread attempt's chance to PATCHED_SPREAD; the FIMI track amplifies
#: every live narrative once a FIMI_ROUND
_FLOOR = MIN_INTERVAL
_FASTEST_SPREAD = 2**MAX_ESCALATION
_WORST_CHANCE = PATCHED_SPREAD


def _reach(wave: Wave) -> tuple[int, int]:
    """Member States a wave compromises at launch, and at most in all: its targets first
    (up to ``max_member_states``), then spread within its candidates (by default, all)."""
    spread = wave.spread
    targets = set(wave.targets.member_states)
    pool = set(spread.candidates) or set(MEMBER_STATES)
    return (
        min(spread.max_member_states, len(targets)),
        min(spread.max_member_states, len(targets | pool)),
    )


def _extra_sectors(wave: Wave) -> int:
    return len(set(wave.spread.sectors) - set(wave.targets.sectors))


def wave_entities(wave: Wave) -> int:
    """The most entities a wave can compromise (actors/adversary.py): entities_per_member_state
    in every Member State it reaches, spread round-robin over its sectors (so sectors do not
    multiply them), plus one entity per Member State reached for each sector it spreads into."""
    _, reach = _reach(wave)
    most = max([wave.impact.entities_per_member_state, *wave.impact.entities.values()])
    return (most + _extra_sectors(wave)) * reach


def _soonest(wave: Wave, member_state: str) -> float | None:
    """How soon after its start a wave can have compromised entities in a Member State
    (actors/adversary.py): at once if it is among the first targets it reaches, a spread
    attempt later if it can spread there; None if it never can."""
    first = list(dict.fromkeys(wave.targets.member_states))[: wave.spread.max_member_states]
    if member_state in first:
        return 0.0
    spread = wave.spread
    if (
        spread.probability > 0
        and len(first) < spread.max_member_states
        and (not spread.candidates or member_state in spread.candidates)
    ):
        return _FLOOR
    return None


def _least(distribution: Distribution) -> float:
    """The shortest delay a distribution can draw (0 for those without a lower bound)."""
    if isinstance(distribution, Fixed):
        return distribution.value
    if isinstance(distribution, Uniform | Triangular):
        return distribution.low
    if isinstance(distribution, Empirical):
        return min(distribution.values)
    return 0.0


def _every(distribution: Distribution) -> float:
    """The mean wait between two repetitions, as the engine waits it (at least a minute).
    Over a long run, repetitions number about ``duration / mean`` (renewal theory)."""
    return max(distribution.mean, _FLOOR)


def spread_attempts(wave: Wave, duration: float) -> float:
    """How many spread attempts a wave makes: one each ``spread.interval`` (up to 8 times as
    often once the adversary escalates) until it has nowhere left to go, which takes, in the
    mean, as many attempts as Member States and sectors are left, each divided by its chance
    (at worst halved); a chance of 0 never gets there, so it attempts until the end."""
    first, reach = _reach(wave)
    spread = wave.spread
    needed = 0.0
    for left, chance in (
        (reach - first, spread.probability),
        (_extra_sectors(wave), spread.sector_probability),
    ):
        worst = chance * _WORST_CHANCE  # 0 for a chance of 0, or too small to halve (5e-324)
        if left:
            needed += left / worst if worst > 0 else math.inf
    if not needed:
        return 0.0  # nowhere to spread: the engine starts no spread process
    fastest = max(spread.interval.mean / _FASTEST_SPREAD, _FLOOR)
    return min(needed, duration / fastest)


def _condition_size(condition: Any) -> int:
    return sum(1 for _, node in walk(condition) if isinstance(node, PREDICATES))


_Repeats = tuple[Path, str, float, str]  # where, what repeats, how often, what to change


def _too_often(
    group: list[_Repeats], total: float, limit: int, what: str, duration: float
) -> Issue:
    """The problem at the process that repeats most, with the group's limit and total."""
    path, which, most, advice = max(group, key=lambda entry: entry[2])
    return (
        path,
        f"over {format_duration(duration)}, {which} repeat about {most:,.0f} times; {what} at "
        f"most {limit:,} times in all (here {total:,.0f}): {advice}, or the scenario shorter",
    )


def cost(scenario: Scenario) -> list[Issue]:
    """Refuse a scenario whose run would grow beyond what a laptop runs in seconds; each
    problem at the value to change, with the limit."""
    issues: list[Issue] = []
    duration = scenario.metadata.duration
    waves = scenario.campaign.waves
    entities = [wave_entities(w) for w in waves]
    if sum(entities) > MAX_ENTITIES:
        i = max(range(len(waves)), key=entities.__getitem__)
        wave = waves[i]
        _, reach = _reach(wave)
        how = f"{wave.impact.entities_per_member_state:,} per Member State"
        if _extra_sectors(wave):
            how += f" and one for each of {_extra_sectors(wave)} sectors it can spread into"
        issues.append(
            (
                ("campaign", "waves", i, "impact", "entities_per_member_state"),
                f"the campaign can compromise up to {sum(entities):,} entities, more than the "
                f"limit of {MAX_ENTITIES:,}; wave {wave.id!r} alone up to {entities[i]:,} "
                f"({how}, in up to {reach} Member States): lower entities_per_member_state, "
                "or the Member States or sectors a wave can reach",
            )
        )
    timings = scenario.timings
    longer = "make the interval longer"
    periodic: list[_Repeats] = [
        (
            ("timings", "cyclone_assessment_interval"),
            "EU-CyCLONe's assessments",
            duration / _every(timings.cyclone_assessment_interval),
            longer,
        ),
        (
            ("timings", "isaa_report_interval"),
            "the ISAA reports",
            duration / _every(timings.isaa_report_interval),
            longer,
        ),
    ]
    if scenario.campaign.fimi is not None:
        narratives = len(scenario.campaign.fimi.narratives)
        periodic.append(
            (
                ("campaign", "fimi", "narratives"),
                f"the FIMI track's 12-hourly rounds over {narratives:,} narratives",
                duration / FIMI_ROUND * narratives,
                "use fewer narratives",
            )
        )
    spreads: list[_Repeats] = [
        (
            ("campaign", "waves", i, "spread", "interval"),
            f"the spread attempts of wave {wave.id!r}",
            spread_attempts(wave, duration),
            "make the interval longer, or the chances of spreading higher",
        )
        for i, wave in enumerate(waves)
    ]
    for group, limit, what in (
        (periodic, MAX_REPETITIONS, "the periodic processes of a run may repeat"),
        (spreads, MAX_SPREAD_ATTEMPTS, "the waves of a run may attempt to spread"),
    ):
        total = sum(entry[2] for entry in group)
        if total > limit:
            issues.append(_too_often(group, total, limit, what, duration))
    sizes = [
        ((*path, "when"), _condition_size(node.when))
        for path, node in walk(scenario)
        if getattr(node, "when", None) is not None
    ]
    tests = sum(n for _, n in sizes)
    if tests > MAX_CONDITION_TESTS:
        path, largest = max(sizes, key=lambda p: p[1])
        issues.append(
            (
                path,
                f"the scenario's 'when' conditions make {tests:,} tests in all (an event, a "
                "time, a tier ... is one test), more than the limit of "
                f"{MAX_CONDITION_TESTS:,} (this one makes {largest:,}): each is made again at "
                "every event of a kind it watches; trigger some of them by time ('at') instead",
            )
        )
    return issues


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every model inside ``value`` with its path, as the YAML spells it (aliases, indexes)."""
    if isinstance(value, BaseModel):
        yield path, value
        for name, info in type(value).model_fields.items():
            yield from walk(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))


def _unique(items: Iterable[Any], prefix: Path, what: str, seen: dict[str, Path]) -> list[Issue]:
    issues = []
    for index, item in enumerate(items):
        path = (*prefix, index, "id")
        if item.id in seen:
            issues.append(
                (
                    path,
                    f"duplicate {what} id {item.id!r}; it is already used at "
                    f"{render_path(seen[item.id])}",
                )
            )
        else:
            seen[item.id] = path
    return issues


def _stating(scenario: Scenario, *facts: type[BaseModel]) -> set[str]:
    """The injects with an effect of one of these kinds."""
    return {
        inject.id
        for inject in scenario.all_injects()
        if any(isinstance(effect, facts) for effect in inject.effects)
    }


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.issues: list[Issue] = []
        self.objectives = {o.id for o in scenario.objectives}
        self.injects = {i.id for i in scenario.all_injects()}
        self.moves = {m.id for m in scenario.msel.moves}
        self.measures = scenario.toolbox.catalogue()
        self.decisions = {d.id: {o.id for o in d.options} for d in scenario.decision_points}
        self.partners = {p.id for p in scenario.world.partners}
        self.roles = {r.id for r in scenario.roles}
        self.alert_modes = scenario.machinery.csirts_network.alert_modes
        self.duration = scenario.metadata.duration
        waves = {w.id for w in scenario.campaign.waves}
        external = {e.id for e in scenario.external_events}
        # an inject that states a disclosure or a partner's move is the subject of its event,
        # as an external event is of its own
        disclosed = _stating(scenario, PublicDisclosure)
        by_partners = _stating(scenario, PartnerAttribution, PartnerSanctions)
        # what the events of each namespace can be about (EventMatch.subject)
        self.subjects: dict[str, tuple[str, set[str]]] = {
            "adversary": ("wave", waves),
            "entity": ("wave", waves),
            "partner": (
                "external event or inject" if by_partners else "external event",
                external | by_partners,
            ),
            "external": (
                "external event or inject" if disclosed else "external event",
                external | disclosed,
            ),
            "measure": ("measure", set(self.measures)),
            "hwpci": ("measure", set(self.measures)),
            "psc": ("measure", set(self.measures)),
            "coreper": ("measure", set(self.measures)),
            "council": ("measure", set(self.measures)),
            "inject": ("inject", self.injects),
            "decision": ("decision point", set(self.decisions)),
        }

    def add(self, path: Path, message: str) -> None:
        self.issues.append((path, message))

    def needs_actor(self, path: Path, what: str) -> None:
        """``what`` is about whoever caused the incident: an error when no one did."""
        if self.s.campaign.threat_actor is None:
            self.add(path, f"{what}, but the campaign has no threat_actor: it is an incident "
                           "no one caused; add one, or remove this")

    def ref(self, path: Path, value: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value not in known:
            hint = did_you_mean(value, known) or (
                f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 12 else ""
            )
            if not known:
                hint = f"; the scenario defines no {what}s"
            self.add(path, f"unknown {what} {value!r}{hint}")

    def participant(self, path: Path, value: str, roles: bool = True) -> None:
        if value in EU_BODIES or value in OTHER_PARTICIPANTS or (roles and value in self.roles):
            return
        head, _, tail = value.partition(".")
        if head == "partner":
            self.ref(path, tail, self.partners, "partner")
            return
        if head in MEMBER_STATES and tail in NATIONAL_BODIES:
            return
        if head in MEMBER_STATES:
            self.add(
                path,
                f"unknown national body {tail!r} in {value!r}"
                f"{did_you_mean(tail, NATIONAL_BODIES)}; one of: "
                f"{', '.join(NATIONAL_BODIES)}",
            )
            return
        choices = [*EU_BODIES, *OTHER_PARTICIPANTS, *(self.roles if roles else ())]
        self.add(
            path,
            f"unknown participant {value!r}{did_you_mean(value, choices)}: use a "
            "body (cyclone, csirts_network, ipcr, ...), a national body such as "
            "'DE.csirt', a partner such as 'partner.US'"
            + (", or a role id from roles" if roles else ""),
        )

    def within_exercise(self, path: Path, minutes: float | None) -> None:
        if minutes is not None and minutes > self.duration:
            self.add(
                path,
                f"{format_duration(minutes)} is after the end of the "
                f"exercise (duration {format_duration(self.duration)})",
            )

    def detection(self, path: Path, inject: Inject, member_state: str) -> None:
        """A ``detect`` effect that can find nothing in any run is a mistake: no wave reaches
        the Member State, or (for a timed inject) none can have reached it by then. One that
        may find nothing in some runs is not: what it finds is the run's business."""
        reaching = [
            (wave, soonest)
            for wave in self.s.campaign.waves
            if (soonest := _soonest(wave, member_state)) is not None
        ]
        if not reaching:
            self.add(
                path,
                f"no wave of the campaign can reach {member_state}, so this detection would "
                f"find nothing: add {member_state} to a wave's targets (or let a wave spread "
                "there), or remove the effect",
            )
            return
        if inject.at is None or any(wave.at is None for wave, _ in reaching):
            return  # a wave on a condition may have started by then
        # a wave that starts in the inject's minute comes after it (injects are scheduled
        # first), so the detection would still find nothing
        earliest, soonest = min(reaching, key=lambda r: (r[0].at or 0.0) + r[1])
        reached = (earliest.at or 0.0) + soonest
        if reached >= inject.at:
            self.add(
                path,
                f"at {format_duration(inject.at)} no wave can have compromised anything in "
                f"{member_state} yet (the first that can, {earliest.id!r}, reaches it at "
                f"{format_duration(reached)} at the earliest), so this detection would find "
                "nothing: deliver the inject later, or start the wave earlier",
            )

    def deliberation(self, path: Path, point: DecisionPoint) -> None:
        """A policy's deliberation that cannot end by the point's deadline is a mistake: the
        engine would cut every draw to the deadline. One that merely may end later is cut
        when it does (``ExerciseControl._deliberate``)."""
        if point.deadline is None:
            return
        own = point.deliberation is not None
        distribution = point.deliberation_for(self.s.timings)
        least = _least(distribution)
        if least <= point.deadline:
            return
        deadline = format_duration(point.deadline)
        if own:
            self.add(
                (*path, "deliberation"),
                f"the policy would deliberate at least {format_duration(least)}, beyond the "
                f"point's deadline ({deadline}): make it shorter, or the deadline later",
            )
        elif self.s.timings.decision_deliberation is not None:
            self.add(
                ("timings", "decision_deliberation"),
                f"the policy would deliberate at least {format_duration(least)}, beyond the "
                f"deadline of decision point {point.id!r} ({deadline}): make it shorter, or "
                "give that point its own 'deliberation'",
            )

    def presidency(self) -> None:
        """One Presidency for each six-month term the exercise runs in, in order: the
        Presidency rotates on 1 January and 1 July (Art 16(9) TEU; European Council Decision
        2009/881/EU Art 1), so a run across either needs its successor named."""
        meta = self.s.metadata
        where: Path = ("metadata", "presidency")
        listed = not isinstance(meta.presidency, str)
        terms = meta.presidency_terms()
        end = meta.start + timedelta(minutes=meta.duration)
        moments = rotations(meta.start, end)
        for i, term in enumerate(terms):
            path: Path = (*where, i) if listed else where
            if i > len(moments):
                after = term_start(next_term(term_of(moments[-1] if moments else meta.start)))
                self.add(
                    path,
                    f"the exercise ends on {day(end)} ({end:%H:%M} UTC), before a Presidency "
                    f"after {terms[i - 1].member_state} would take office (on {day(after)}): "
                    "list one Member State for each six-month term the exercise runs in; "
                    "remove this one",
                )
                break
            due = moments[i - 1] if i else meta.start
            if term.from_ is not None and term.from_ != due:
                self.add((*path, "from"), _misplaced(term.from_, due, i, terms))
            if i and term.member_state == terms[i - 1].member_state:
                self.add(
                    path,
                    f"{term.member_state} held the Presidency in the term before: each Member "
                    "State chairs for six months in turn (Art 16(9) TEU; European Council "
                    "Decision 2009/881/EU Art 1)",
                )
        missing = moments[len(terms) - 1 :]
        if missing:
            self.add(where, _successors_missing(missing, [t.member_state for t in terms]))

    def spill_over(self, path: Path, wave: Wave) -> None:
        """A wave that starts outside the Union reaches it through its first Member States
        or Union entities, or by spreading: one that has none and cannot spread never would."""
        targets = wave.targets
        if targets.member_states or targets.eu_institutions or wave.spread.probability > 0:
            return
        self.add(
            (*path, "spread", "probability"),
            f"wave {wave.id!r} starts outside the Union ({', '.join(targets.third_countries)}) "
            "and cannot spread (probability 0), so it never reaches a Member State: give it "
            "targets.member_states to spill over into at once, or a chance to spread",
        )

    def statements(self) -> None:
        """Partners do not attribute an incident after it is said publicly not to be an
        attack (docs/machinery.md section 6): a scripted attribution timed after a certain,
        timed statement contradicts it. (One on a condition is the scenario's own call: the
        statement may prove wrong.)"""
        said = [
            (event.at, event.id)
            for event in self.s.external_events
            if event.type == "not_an_attack" and event.at is not None and event.probability == 1
        ]
        if not said:
            return
        at, statement = min(said)
        why = (
            f"external event {statement!r} states at {format_duration(at)} that the incident "
            "is not an attack, and partners do not attribute it afterwards: script the "
            "attribution before the statement, or drop one of them"
        )
        for i, event in enumerate(self.s.external_events):
            if event.type == "allied_attribution" and event.at is not None and event.at > at:
                self.add(("external_events", i, "at"), why)
        for i, inject in enumerate(self.s.msel.injects):
            if inject.at is not None and inject.at > at and any(
                isinstance(effect, PartnerAttribution) for effect in inject.effects
            ):
                self.add(("msel", "injects", i, "at"), why)

    def run(self) -> list[Issue]:
        s = self.s
        self.presidency()
        self.statements()
        self.issues += _unique(s.objectives, ("objectives",), "objective", {})
        self.issues += _unique(s.campaign.waves, ("campaign", "waves"), "wave", {})
        self.issues += _unique(s.external_events, ("external_events",), "external event", {})
        self.issues += _unique(s.toolbox.measures, ("toolbox", "measures"), "measure", {})
        self.issues += _unique(s.roles, ("roles",), "role", {})
        self.issues += _unique(s.world.partners, ("world", "partners"), "partner", {})
        self.issues += _unique(s.msel.moves, ("msel", "moves"), "move", {})
        inject_ids: dict[str, Path] = {}
        self.issues += _unique(s.msel.injects, ("msel", "injects"), "inject", inject_ids)
        self.issues += _unique(
            s.msel.contingency_injects, ("msel", "contingency_injects"), "inject", inject_ids
        )
        self.issues += _unique(s.decision_points, ("decision_points",), "decision point", {})
        for i, point in enumerate(s.decision_points):
            self.issues += _unique(point.options, ("decision_points", i, "options"), "option", {})
        if s.campaign.fimi:
            self.issues += _unique(
                s.campaign.fimi.narratives, ("campaign", "fimi", "narratives"), "narrative", {}
            )
        scored: dict[str, int] = {}
        for i, rule in enumerate(s.scoring):
            self.ref(("scoring", i, "objective"), rule.objective, self.objectives, "objective")
            if rule.objective in scored:
                self.add(
                    ("scoring", i, "objective"),
                    f"objective {rule.objective!r} is already scored by scoring"
                    f"[{scored[rule.objective]}]; put all its metrics in one rule",
                )
            scored.setdefault(rule.objective, i)
        for j, role in enumerate(s.roles):
            if role.id in EU_BODIES or role.id in OTHER_PARTICIPANTS:
                self.add(
                    ("roles", j, "id"),
                    f"role id {role.id!r} is the name of a body; give the role its own id",
                )
        for j, move in enumerate(s.msel.moves):
            self.within_exercise(("msel", "moves", j, "start"), move.start)
            if j and move.start < s.msel.moves[j - 1].start:
                self.add(
                    ("msel", "moves", j, "start"), "moves must be listed in the order they start"
                )
        for path, node in walk(s):
            self.node(path, node)
        return self.issues

    def node(self, path: Path, node: BaseModel) -> None:
        if isinstance(node, Inject):
            for k, objective in enumerate(node.objectives):
                self.ref((*path, "objectives", k), objective, self.objectives, "objective")
            if node.move is not None:
                self.ref((*path, "move"), node.move, self.moves, "move")
            self.participant((*path, "from"), node.from_)
            for k, receiver in enumerate(node.to):
                self.participant((*path, "to", k), receiver)
            self.within_exercise((*path, "at"), node.at)
            for k, effect in enumerate(node.effects):
                where = (*path, "effects", k)
                if isinstance(effect, Detect):
                    self.detection((*where, "detect"), node, effect.detect.member_state)
                elif isinstance(effect, DeliverInject) and effect.deliver_inject == node.id:
                    self.add(
                        (*where, "deliver_inject"),
                        f"inject {node.id!r} cannot deliver itself: it is being delivered "
                        "when its effects apply",
                    )
            if path[:2] == ("msel", "contingency_injects") and (node.at or node.when):
                self.add(
                    path,
                    "a contingency inject is played by the facilitator at any "
                    "time: remove 'at' and 'when'",
                )
            elif path[:2] == ("msel", "injects") and (node.at is None) == (node.when is None):
                self.add(
                    path,
                    "an inject needs exactly one of 'at' (a time) or 'when' (a "
                    "condition); for one played at will, use contingency_injects",
                )
        elif isinstance(node, ExpectedAction):
            if node.by is not None:
                self.participant((*path, "by"), node.by)
        elif isinstance(node, DecisionPoint):
            options = self.decisions.get(node.id, set())
            self.ref((*path, "default"), node.default, options, "option")
            for key in node.policy or {}:
                self.ref((*path, "policy", key), key, options, "option")
            if node.policy is not None and not any(node.policy.values()):
                self.add((*path, "policy"), "at least one option needs a weight above 0")
            self.participant((*path, "decided_by"), node.decided_by)
            for k, objective in enumerate(node.objectives):
                self.ref((*path, "objectives", k), objective, self.objectives, "objective")
            self.within_exercise((*path, "at"), node.at)
            self.deliberation(path, node)
        elif isinstance(node, PlayerRole):
            self.participant((*path, "body"), node.body, roles=False)
        elif isinstance(node, Wave | FimiTrack):
            self.within_exercise((*path, "at"), node.at)
            if isinstance(node, Wave) and node.targets.third_countries:
                self.spill_over(path, node)
            if isinstance(node, Wave):
                for ms in node.impact.entities:
                    if _soonest(node, ms) is None:
                        self.add(
                            (*path, "impact", "entities", ms),
                            f"wave {node.id} never reaches {ms}: it is neither among its "
                            "targets nor where it may spread",
                        )
        elif isinstance(node, ExternalEvent):
            if node.type == "allied_attribution":
                self.needs_actor((*path, "type"), "an allied attribution names who did it")
            elif node.type == "partner_sanctions":
                self.needs_actor((*path, "type"), "partner sanctions target who did it")
            elif node.type == "vendor_attribution":
                self.needs_actor((*path, "type"), "a vendor's attribution names who did it")
            if node.partner is not None:
                self.ref((*path, "partner"), node.partner, self.partners, "partner")
            self.within_exercise((*path, "at"), node.at)
        elif isinstance(node, After):
            self.within_exercise((*path, "after"), node.after)
        elif isinstance(node, DecisionTaken):
            ref = node.decision
            self.ref((*path, "decision", "point"), ref.point, self.decisions, "decision point")
            if ref.option is not None and ref.point in self.decisions:
                self.ref(
                    (*path, "decision", "option"), ref.option, self.decisions[ref.point], "option"
                )
        elif isinstance(node, InjectDelivered):
            self.ref((*path, "inject_delivered"), node.inject_delivered, self.injects, "inject")
        elif isinstance(node, DeliverInject):
            self.ref((*path, "deliver_inject"), node.deliver_inject, self.injects, "inject")
        elif isinstance(node, MeasureStatus):
            self.ref((*path, "measure", "id"), node.measure.id, self.measures, "measure")
        elif isinstance(node, Attribute):
            self.needs_actor((*path, "attribute"), "an attribution names who did it")
        elif isinstance(node, PartnerAttribution):
            self.needs_actor((*path, "partner_attribution"), "a partner's attribution names "
                                                             "who did it")
            self.ref(
                (*path, "partner_attribution", "partner"),
                node.partner_attribution.partner,
                self.partners,
                "partner",
            )
        elif isinstance(node, PartnerSanctions):
            self.needs_actor((*path, "partner_sanctions"), "partner sanctions target who did it")
            self.ref(
                (*path, "partner_sanctions", "partner"),
                node.partner_sanctions.partner,
                self.partners,
                "partner",
            )
        elif isinstance(node, ProposeMeasure):
            self.ref((*path, "propose_measure"), node.propose_measure.id, self.measures, "measure")
        elif isinstance(node, ProposeListing):
            self.needs_actor((*path, "propose_listing"), "a listing request names who did it")
            where = (*path, "propose_listing", "measure")
            measure = node.propose_listing.measure
            self.ref(where, measure, self.measures, "measure")
            if measure in self.measures and self.measures[measure].category != "restrictive":
                self.add(
                    where,
                    f"a listing request leads to a restrictive measure; {measure!r} is "
                    f"{self.measures[measure].category}",
                )
        elif isinstance(node, CsirtsNetworkAlert):
            self.ref(
                (*path, "csirts_network_alert"),
                node.csirts_network_alert,
                self.alert_modes,
                "alert mode",
            )
        elif isinstance(node, EventMatch):
            if node.where:
                fields = (*PAYLOAD_FIELDS[node.kind], *OPTIONAL_FIELDS.get(node.kind, ()))
                for name in node.where:
                    if name not in fields:
                        hint = did_you_mean(name, fields) or (
                            f"; its fields: {', '.join(fields)}" if fields
                            else "; it has no payload"
                        )
                        self.add(
                            (*path, "where", name),
                            f"{node.kind} events have no field {name!r}{hint}",
                        )
            if node.subject is not None:
                namespace = node.kind.split(".", 1)[0]
                if namespace not in self.subjects:
                    self.add(
                        (*path, "subject"),
                        f"events of kind {node.kind!r} are not about "
                        "a wave, external event, measure, inject or decision point; "
                        "remove 'subject'",
                    )
                else:
                    what, known = self.subjects[namespace]
                    self.ref((*path, "subject"), node.subject, known, what)
        elif isinstance(node, InjectExpectations):
            for k, inject in enumerate(node.injects):
                self.ref((*path, "injects", k), inject, self.injects, "inject")
        elif isinstance(node, CsirtsNetworkParams):
            if len(set(node.alert_modes)) != len(node.alert_modes):
                self.add((*path, "alert_modes"), "alert modes must be distinct")
            self.ref(
                (*path, "escalate_to_cyclone_at"),
                node.escalate_to_cyclone_at,
                node.alert_modes,
                "alert mode",
            )


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _misplaced(given: datetime, due: datetime, index: int, terms: list[Any]) -> str:
    """Why a schedule entry's 'from' is wrong, and what it should be."""
    if index == 0:
        return (
            f"the first Presidency holds office at the start of the exercise: leave 'from' "
            f"out, or write {_iso(due)}"
        )
    previous = terms[index - 1].member_state
    if not is_rotation(given):
        return (
            f"{_iso(given)} is not when a Presidency takes office: each term begins on "
            f"1 January or 1 July (00:00 UTC); after {previous}, this one takes office on "
            f"{day(due)}: write {_iso(due)}"
        )
    return (
        f"{previous} holds the Presidency until {day(due)}, so this entry takes office then, "
        f"not on {day(given)}: list one Member State for each six-month term, in order "
        f"(the schedule is out of order, or skips a term)"
    )


def _successors_missing(missing: list[datetime], named: list[str]) -> str:
    """The exercise crosses rotations with no one named for them: say which, and who holds
    the Presidency then by the Council's order where it is known (2007-2030)."""
    dates = [day(m) for m in missing]
    if len(dates) <= 3:
        when = dates[0] if len(dates) == 1 else f"{', '.join(dates[:-1])} and {dates[-1]}"
    else:
        when = f"{len(dates)} dates, {dates[0]} to {dates[-1]},"
    text = (
        f"the exercise runs past {when}{'' if when.endswith(',') else ','} when the Council "
        "Presidency passes to the next "
        "Member State (Art 16(9) TEU): name who holds it from then, one Member State for each "
        "six-month term, in order"
    )
    real = [council_holder(m) for m in missing]
    if all(real):
        known = ", ".join(f"{code} from {d}" for code, d in zip(real, dates, strict=True))
        source = " and ".join(dict.fromkeys(order_source(m) for m in missing))
        text += (
            f", e.g. presidency: [{', '.join([*named, *(c or '' for c in real)])}] (by the "
            f"Council's order, {source}: {known})"
        )
    else:
        text += "; the Council has set its order only to the end of 2030"
    return text


# --------------------------------------------------------------------------------------------
# the law in force at the start (docs/machinery.md section 12)

#: the bodies a scenario may address or ask for that the law of its start may not have, by
#: the element of the legal regime that provides them
_BODIES = {"cyclone": "cyclone", "csirts_network": "csirts_network"}

#: event kinds that cannot happen without an element of the law: a condition waiting for one
#: would never fire
_NEEDS: dict[str, str] = {
    "cyclone.": "cyclone",
    "csirts_network.": "csirts_network",
    "reserve.": "cyber_solidarity_act",
    "incident_review.": "cyber_solidarity_act",
}

#: the NIS2 reports with a deadline: none exists under NIS1 or before it
_DEADLINE_KINDS = ("entity.early_warning", "entity.final_report", "entity.deadline_missed")


def _without(law: Law, element: str) -> str:
    """Why a scenario under ``law`` lacks ``element``, and what to do: at its start date,
    or by its own legal_regime."""
    if element in law.what_if:
        return (f"the scenario's machinery.legal_regime.{element} is false; remove this, or "
                "set it true")
    return (f"{ABSENT[element]} and the scenario starts on {law.date()}: remove this, or set "
            f"machinery.legal_regime.{element}: true for a what-if")


def _reporting(law: Law) -> str:
    if law.reporting == "nis1":
        return (f"under NIS1, in force at the scenario's start ({law.date()}), entities notify "
                "'without undue delay' (Directive (EU) 2016/1148 Art 14(3), 16(3)), with no "
                "early warning, final report or deadline")
    return (f"no EU law obliged entities to report incidents at the scenario's start "
            f"({law.date()}: NIS1 applied from 10 May 2018), so none has a deadline")


def legal_regime(scenario: Scenario) -> list[Issue]:
    """What a scenario asks of bodies and obligations the law of its start did not have:
    a decision or inject asking for EU-CyCLONe, the CSIRTs network, the Reserve or an incident
    review, a message to or from a body that did not exist, a condition waiting for an event
    that cannot happen, a NIS2 deadline scored where there was none; and the older name of the
    sanctions framework contradicting the new one."""
    issues: list[Issue] = []
    law = law_of(scenario)
    machinery = scenario.machinery
    alias = machinery.sanctions_framework_in_force
    stated = machinery.legal_regime.sanctions_framework
    if alias is not None and stated is not None and alias != stated:
        issues.append((
            ("machinery", "sanctions_framework_in_force"),
            f"contradicts machinery.legal_regime.sanctions_framework ({str(stated).lower()}): "
            "sanctions_framework_in_force is its older name; keep one of the two",
        ))
    missing = {name for name in ("csirts_network", "cyclone", "cyber_solidarity_act")
               if not getattr(law, name)}
    # the Union entities report to CERT-EU with NIS2's clocks under their own Regulation (EU)
    # 2023/2841, whatever the Member States' law: their deadlines exist
    deadlines = law.reporting == "nis2" or any(
        getattr(wave.targets, "eu_institutions", 0) for wave in scenario.campaign.waves
    )
    if not missing and deadlines:
        return issues

    def body(path: Path, value: str | None) -> None:
        element = _BODIES.get(value or "")
        if element in missing:
            name = "EU-CyCLONe" if element == "cyclone" else "the CSIRTs network"
            issues.append((path, f"{name} is not a body of this exercise: "
                                 + _without(law, element)))

    for path, node in walk(scenario):
        if isinstance(node, Inject):
            body((*path, "from"), node.from_)
            for k, receiver in enumerate(node.to):
                body((*path, "to", k), receiver)
        elif isinstance(node, ExpectedAction):
            body((*path, "by"), node.by)
        elif isinstance(node, DecisionPoint):
            body((*path, "decided_by"), node.decided_by)
        elif isinstance(node, PlayerRole):
            body((*path, "body"), node.body)
        elif isinstance(node, CycloneAction) and "cyclone" in missing:
            issues.append(((*path, "cyclone"), "no EU-CyCLONe to " + (
                "activate" if node.cyclone == "activate" else "stand down") + ": "
                + _without(law, "cyclone")))
        elif isinstance(node, CsirtsNetworkAlert | CsirtsJointStatement) and (
            "csirts_network" in missing
        ):
            key = "csirts_network_alert" if isinstance(node, CsirtsNetworkAlert) else (
                "joint_statement")
            issues.append(((*path, key), "no CSIRTs network to ask: "
                           + _without(law, "csirts_network")))
        elif isinstance(node, RequestReserve) and "cyber_solidarity_act" in missing:
            issues.append(((*path, "request_reserve"), "no EU Cybersecurity Reserve to ask: "
                           + _without(law, "cyber_solidarity_act")))
        elif isinstance(node, RequestIncidentReview):
            needed = [e for e in ("cyber_solidarity_act", "cyclone") if e in missing
                      and (e != "cyclone" or node.request_incident_review == "cyclone")]
            if needed:
                issues.append(((*path, "request_incident_review"),
                               "no incident review can be asked for: "
                               + _without(law, needed[0])))
        elif isinstance(node, EventMatch) and "when" in path:
            element = next((e for prefix, e in _NEEDS.items() if node.kind.startswith(prefix)),
                           None)
            if element in missing:
                issues.append((path, f"{node.kind} cannot happen in this run, so this "
                                     "condition would never hold: " + _without(law, element)))
            elif not deadlines and node.kind in _DEADLINE_KINDS:
                issues.append((path, f"{node.kind} cannot happen in this run, so this "
                                     f"condition would never hold: {_reporting(law)}"))
        elif isinstance(node, DeadlineCompliance) and not deadlines:
            issues.append(((*path, "report"), f"there is no {node.report.replace('_', ' ')} "
                           f"deadline to comply with: {_reporting(law)}; score the "
                           "notifications with time_between from entity.detected to "
                           "entity.notification"))
    return issues


def check(scenario: Scenario) -> list[Issue]:
    """Every cross-reference problem of a structurally valid scenario, and whether a run of
    it stays within bounds."""
    return _Checker(scenario).run() + cost(scenario) + legal_regime(scenario)
