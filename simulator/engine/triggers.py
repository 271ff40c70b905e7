"""Scenario conditions compiled into predicates over the state, with what they depend on.

A compiled condition knows which event kinds can change its value and the times at which it
can change by the clock alone, so the engine re-tests a trigger only when one of those happens
(never by polling) and the cost of a run stays close to the cost of its events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..scenario.conditions import (
    After,
    AllOf,
    AnyOf,
    AttributionGradeAtLeast,
    DecisionTaken,
    EventMatch,
    InjectDelivered,
    IpcrModeAtLeast,
    MeasureStatus,
    MemberStatesAffected,
    Not,
    OnEvent,
    TierAtLeast,
)
from .state import IPCR_RANK, TIER_RANK, State

Predicate = Callable[[State], bool]


@dataclass(frozen=True)
class Compiled:
    test: Predicate
    kinds: frozenset[str]
    times: frozenset[float]
    by_subject: frozenset[str] = frozenset()  # kinds the test counts by subject
    filters: tuple[EventMatch, ...] = ()  # payload filters the state must count for it


def matches(match: EventMatch) -> Predicate:
    key = (match.kind, match.subject, match.member_state)
    need = match.at_least
    return lambda s: s.counts[key] >= need


def compile_condition(condition: object) -> Compiled:
    match condition:
        case OnEvent(event=e) if e.where:
            key, need = e.key(), e.at_least
            return Compiled(
                lambda s: s.filtered[key] >= need, frozenset({e.kind}), frozenset(), frozenset(),
                (e,),
            )
        case OnEvent(event=e):
            subjects = frozenset({e.kind}) if e.subject is not None else frozenset()
            return Compiled(matches(e), frozenset({e.kind}), frozenset(), subjects)
        case After(after=minutes):
            return Compiled(lambda s: s.t >= minutes, frozenset(), frozenset({minutes}))
        case TierAtLeast(tier_at_least=tier):
            rank = TIER_RANK[tier]
            return Compiled(
                lambda s: s.max_tier_rank >= rank, frozenset({"classification.tier"}), frozenset()
            )
        case IpcrModeAtLeast(ipcr_mode_at_least=mode):
            rank = IPCR_RANK[mode]
            return Compiled(
                lambda s: IPCR_RANK[s.ipcr_mode] >= rank, frozenset({"ipcr.mode"}), frozenset()
            )
        case MemberStatesAffected() as affected:
            n = affected.count
            if affected.basis == "actual":
                return Compiled(
                    lambda s: len(s.affected) >= n, frozenset({"entity.compromised"}),
                    frozenset(),
                )
            return Compiled(
                lambda s: len(s.eu_known) >= n, frozenset({"csirts_network.informed"}),
                frozenset(),
            )
        case AttributionGradeAtLeast(attribution_grade_at_least=grade):
            return Compiled(
                lambda s: s.eu_grade >= grade, frozenset({"measure.adopted"}), frozenset()
            )
        case DecisionTaken(decision=ref):
            point, option = ref.point, ref.option
            if option is None:
                return Compiled(
                    lambda s: point in s.decisions, frozenset({"decision.made"}), frozenset()
                )
            return Compiled(
                lambda s: s.decisions.get(point) == option,
                frozenset({"decision.made"}),
                frozenset(),
            )
        case InjectDelivered(inject_delivered=inject):
            return Compiled(
                lambda s: inject in s.delivered, frozenset({"inject.delivered"}), frozenset()
            )
        case MeasureStatus(measure=ref):
            mid, stage = ref.id, ref.status
            return Compiled(
                lambda s: s.measure_reached(mid, stage),
                frozenset({f"measure.{stage}"}),
                frozenset(),
            )
        case AllOf(all=items):
            parts = [compile_condition(c) for c in items]
            tests = [p.test for p in parts]
            return Compiled(lambda s: all(t(s) for t in tests), *_union(parts))
        case AnyOf(any=items):
            parts = [compile_condition(c) for c in items]
            tests = [p.test for p in parts]
            return Compiled(lambda s: any(t(s) for t in tests), *_union(parts))
        case Not(not_=inner):
            part = compile_condition(inner)
            test = part.test
            return Compiled(
                lambda s: not test(s), part.kinds, part.times, part.by_subject, part.filters
            )
    raise TypeError(f"not a condition: {condition!r}")


def _union(
    parts: list[Compiled],
) -> tuple[frozenset[str], frozenset[float], frozenset[str], tuple[EventMatch, ...]]:
    kinds: frozenset[str] = frozenset().union(*(p.kinds for p in parts))
    times: frozenset[float] = frozenset().union(*(p.times for p in parts))
    by_subject: frozenset[str] = frozenset().union(*(p.by_subject for p in parts))
    filters = tuple(f for p in parts for f in p.filters)
    return kinds, times, by_subject, filters
