"""The state the machinery acts on: what is known, not what the adversary has really done, and
attribution as a decision of Member States (docs/machinery.md sections 4 and 6)."""

from __future__ import annotations

from types import MappingProxyType

from actors.rules import missing_prerequisites
from simulator.engine.records import Event
from simulator.engine.state import State
from simulator.scenario.loader import load_scenario

from .conftest import ROOT


def event(t: float, kind: str, ms: str | None = None, **payload: object) -> Event:
    return Event(t, kind, "test", None, ms, MappingProxyType(payload))


def test_a_significant_impact_counts_once_it_is_reported():
    state = State()
    state.apply(event(1, "entity.compromised", "DE", entity="e", sector="energy",
                      criticality="high"))
    state.apply(event(2, "adversary.impact", "DE", level=0.8, significant=True))
    assert state.affected == {"DE": 1} and state.significant == {"DE"}
    assert state.reported == {} and state.known_significant == set(), (
        "nobody has reported yet: the EU bodies cannot know"
    )
    state.apply(event(5, "entity.early_warning", "DE", entity="e", sector="energy", due=1440,
                      on_time=True))
    assert state.reported == {"DE": 5} and state.known_significant == {"DE"}


def test_a_report_before_the_impact_turns_significant_counts_when_it_does():
    state = State()
    state.apply(event(1, "entity.notification", "FR", entity="e", sector="health", due=4320,
                      on_time=True))
    assert state.known_significant == set()
    state.apply(event(3, "adversary.impact", "FR", level=0.9, significant=True))
    assert state.known_significant == {"FR"}


def test_intcen_grade_is_evidence_not_an_attribution_basis():
    state = State()
    state.apply(event(1, "intcen.assessment", attribution_grade=3, confidence=0.9))
    assert state.attribution_basis == -1, "attribution stays a decision of Member States"
    state.apply(event(2, "partner.attribution", partner="US", attribution_grade=3))
    assert state.attribution_basis == 1, "a partner's attribution can only be cited (grade 1)"
    state.apply(event(3, "member_state.attribution", "DE", grade=3))
    assert state.attribution_basis == 3


def test_shared_situational_awareness_comes_from_cyclone_or_intcen_not_isaa():
    isaa = State()
    isaa.apply(event(1, "ipcr.isaa_report", tier="large_scale"))
    assert not isaa.shared_awareness
    for kind, payload in (
        ("cyclone.assessment", {}),
        ("intcen.assessment", {"attribution_grade": 0, "confidence": 0.2}),
    ):
        state = State()
        state.apply(event(1, kind, **payload))
        assert state.shared_awareness, kind


def test_an_eu_attribution_statement_rests_on_a_public_attribution_not_on_intcen():
    """EU INTCEN's grade is evidence for the Member States, not a basis of its own; a Member
    State's attribution is one, and so is a partner's, for a statement that aligns with it
    (the EU has joined allied attributions at their grade since 2021)."""
    scenario = load_scenario(ROOT / "scenarios" / "supply-chain-state-actor.yaml").scenario
    measure = scenario.toolbox.catalogue()["attribution_statement"]

    def assessed() -> State:
        state = State()
        state.max_tier_rank = 2
        state.apply(event(1, "cyclone.assessment"))
        state.apply(event(2, "intcen.assessment", attribution_grade=4, confidence=0.95))
        return state

    state = assessed()
    assert missing_prerequisites(measure, state, scenario) == [
        "attribution grade 2 (no attribution yet)"
    ]
    state.apply(event(3, "partner.attribution", partner="US", attribution_grade=3))
    assert missing_prerequisites(measure, state, scenario) == []
    state = assessed()
    state.apply(event(4, "member_state.attribution", "NL", grade=2))
    assert missing_prerequisites(measure, state, scenario) == []
