"""Structured conditions for ``when:`` (docs/design.md, "Scenarios").

A condition is YAML data, never a string run as code: ``all`` / ``any`` / ``not`` over typed
predicates on events and state. Every name a predicate uses (an event kind, a decision point,
an inject, a measure) is checked when the scenario loads, so a trigger that could never fire
is an error at its place rather than a silent dud in the middle of an exercise.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from ..kinds import EVENT_KINDS
from ..text import check_text
from .base import MAX_EVENTS, Id, Strict
from .members import MemberStateCode
from .reference import IpcrMode, Tier
from .tagged import tagged_union
from .units import Duration


def _known_kind(kind: str) -> str:
    if kind not in EVENT_KINDS:
        from .suggest import did_you_mean

        raise ValueError(f"unknown event kind {kind!r}{did_you_mean(kind, EVENT_KINDS)}")
    return kind


EventKind = Annotated[
    str,
    AfterValidator(_known_kind),
    WithJsonSchema({"type": "string", "enum": sorted(EVENT_KINDS)}),
]


def _kind_shorthand(value: Any) -> Any:
    return {"kind": value} if isinstance(value, str) else value


#: a payload's value or field name as a condition spells it: free text as far as the format
#: knows, so it refuses control and invisible characters as ``Text`` does (no payload holds any)
Word = Annotated[str, AfterValidator(check_text)]
PayloadValue = Word | int | float | bool


class EventMatch(Strict):
    """Events of one kind, optionally about one thing (``subject``: the id of a wave, external
    event, inject, decision point or measure), in one Member State, or with given payload
    values (``where``), counted."""

    kind: EventKind
    subject: Id | None = None
    member_state: MemberStateCode | None = None
    where: dict[Word, PayloadValue] | None = Field(
        None,
        description="payload fields and the values they must have (a list field must contain "
        "the value), e.g. {tier: large_scale} for classification.tier or {mode: coordinated} "
        "for communication.public",
    )
    at_least: int = Field(1, ge=1, le=MAX_EVENTS)

    def key(self) -> tuple[Any, ...]:
        """A hashable identity of what it matches (not how many)."""
        items = tuple(sorted((self.where or {}).items()))
        return (self.kind, self.subject, self.member_state, items)

    def matches(self, event: Any) -> bool:
        """Whether one event is of this kind, subject, Member State and payload."""
        if event.kind != self.kind:
            return False
        if self.subject is not None and event.subject != self.subject:
            return False
        if self.member_state is not None and event.member_state != self.member_state:
            return False
        return payload_matches(event.payload, self.where)


def payload_matches(payload: Any, where: dict[str, Any] | None) -> bool:
    if not where:
        return True
    for field, wanted in where.items():
        value = payload.get(field)
        if isinstance(value, list | tuple):
            if wanted not in value:
                return False
        elif value != wanted or isinstance(value, bool) != isinstance(wanted, bool):
            return False  # and true is not 1
    return True


#: ``event: cyclone.activated`` is shorthand for ``event: {kind: cyclone.activated}``
EventRef = Annotated[
    EventMatch,
    BeforeValidator(_kind_shorthand, json_schema_input_type=EventKind | EventMatch),
]


class OnEvent(Strict):
    """True once the log holds the event (``at_least`` times)."""

    event: EventRef


class After(Strict):
    """True once this much simulated time has passed since the start."""

    after: Duration


class TierAtLeast(Strict):
    """True once the classification tier (docs/machinery.md section 4) reached this tier."""

    tier_at_least: Tier


class IpcrModeAtLeast(Strict):
    """True once IPCR is at this mode or above (docs/machinery.md section 5)."""

    ipcr_mode_at_least: IpcrMode


#: what a count of Member States counts: what the EU level *knows* (their national CSIRTs have
#: passed the incident on to the CSIRTs network: what players can know, so the default for
#: injects), or what is *actual* (an entity compromised, seen or not: for the adversary's side)
Basis = Literal["known", "actual"]


class AffectedCount(Strict):
    count: int = Field(ge=1, le=27)
    basis: Basis = "known"


def _affected_count(value: Any) -> Any:
    """A bare number is a count of what the EU level knows."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"count": value}
    return value


class MemberStatesAffected(Strict):
    """True once this many Member States are affected: known to the EU level (the default:
    their CSIRTs passed it on to the CSIRTs network) or actually (``basis: actual``: an entity
    compromised there, whether anyone has seen it or not). A bare number is ``basis: known``."""

    member_states_affected_at_least: Annotated[
        AffectedCount,
        BeforeValidator(_affected_count),
        WithJsonSchema({
            "description": "a number of Member States (known to the EU level), or "
                           "{count: N, basis: known | actual}",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 27},
                {"type": "object", "additionalProperties": False, "required": ["count"],
                 "properties": {
                     "count": {"type": "integer", "minimum": 1, "maximum": 27},
                     "basis": {"enum": ["known", "actual"], "default": "known"},
                 }},
            ],
        }),
    ]

    @property
    def count(self) -> int:
        return self.member_states_affected_at_least.count

    @property
    def basis(self) -> str:
        return self.member_states_affected_at_least.basis


class AttributionGradeAtLeast(Strict):
    """True once EU language reached this grade (0 condemnation ... 4 sanctions; section 6)."""

    attribution_grade_at_least: int = Field(ge=0, le=4)


class DecisionRef(Strict):
    point: Id
    option: Id | None = None


class DecisionTaken(Strict):
    """True once a decision point was decided (with the given option, if named)."""

    decision: DecisionRef


class InjectDelivered(Strict):
    """True once the inject was delivered."""

    inject_delivered: Id


#: the life of a Toolbox measure (issue 2): proposed -> prepared -> adopted | blocked -> in_effect
MeasureStage = Literal["proposed", "prepared", "adopted", "blocked", "in_effect"]


class MeasureRef(Strict):
    id: Id
    status: MeasureStage = "adopted"


class MeasureStatus(Strict):
    """True once the Toolbox measure reached the status."""

    measure: MeasureRef


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)


class Not(Strict):
    not_: Condition = Field(alias="not")


#: the predicates a condition is made of (``all``, ``any`` and ``not`` only combine them)
PREDICATES = (
    OnEvent,
    After,
    TierAtLeast,
    IpcrModeAtLeast,
    MemberStatesAffected,
    AttributionGradeAtLeast,
    DecisionTaken,
    InjectDelivered,
    MeasureStatus,
)

Condition = tagged_union("a condition", *PREDICATES, AllOf, AnyOf, Not)

for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()


def describe(condition: object) -> str:
    """A condition in plain words, for the MSEL handout: ``tier >= large_scale and 12h``."""
    match condition:
        case OnEvent(event=e):
            where = f" in {e.member_state}" if e.member_state else ""
            where += f" of {e.subject}" if e.subject else ""
            times = f" x{e.at_least}" if e.at_least > 1 else ""
            return f"{e.kind}{where}{times}"
        case After(after=minutes):
            from .units import format_duration

            return f"after {format_duration(minutes)}"
        case TierAtLeast(tier_at_least=tier):
            return f"tier >= {tier}"
        case IpcrModeAtLeast(ipcr_mode_at_least=mode):
            return f"IPCR >= {mode}"
        case MemberStatesAffected() as affected:
            return f"{affected.count}+ Member States affected ({affected.basis})"
        case AttributionGradeAtLeast(attribution_grade_at_least=grade):
            return f"attribution grade >= {grade}"
        case DecisionTaken(decision=ref):
            return f"decision {ref.point}" + (f" = {ref.option}" if ref.option else "")
        case InjectDelivered(inject_delivered=inject):
            return f"after inject {inject}"
        case MeasureStatus(measure=ref):
            return f"measure {ref.id} {ref.status}"
        case AllOf(all=items):
            return "(" + " and ".join(describe(c) for c in items) + ")"
        case AnyOf(any=items):
            return "(" + " or ".join(describe(c) for c in items) + ")"
        case Not(not_=inner):
            return f"not {describe(inner)}"
    return str(condition)
