"""The Cyber Diplomacy Toolbox's rules as pure functions of the state and the scenario: a
measure's prerequisites and its proportionality (Council conclusions 10474/17 and their
implementing guidelines; docs/machinery.md section 6).

Not an actor: the Toolbox checks a proposal with them, the Council checks again at its vote,
and scoring judges adopted measures by the same rules, from the log alone.
"""

from __future__ import annotations

from simulator.engine.state import TIER_RANK, State
from simulator.scenario.models import Scenario, ToolboxMeasure

#: bodies whose agreement goes through the Council's preparatory chain
COUNCIL_BODIES = {"hwpci", "psc", "council", "high_representative"}
#: how strong an answer each category is, against the tier (0 below threshold ... 3 crisis)
_INTENSITY = {"preventive": 0, "cooperative": 0, "stability": 1, "support": 1, "restrictive": 1}


def missing_prerequisites(measure: ToolboxMeasure, state: State, scenario: Scenario) -> list[str]:
    """The prerequisites of ``measure`` that do not hold now, in words; empty when it may go."""
    need = measure.prerequisites
    missing = []
    if need.min_tier is not None and state.max_tier_rank < TIER_RANK[need.min_tier]:
        missing.append(f"tier {need.min_tier} (now {state.max_tier})")
    if need.min_attribution_grade is not None and (
        state.attribution_basis < need.min_attribution_grade
    ):
        basis = state.attribution_basis
        missing.append(
            f"attribution grade {need.min_attribution_grade} (basis {basis})"
            if basis >= 0
            else f"attribution grade {need.min_attribution_grade} (no attribution yet)"
        )
    if need.shared_situational_awareness and not state.shared_awareness:
        missing.append("shared situational awareness (no EU-CyCLONe or EU INTCEN assessment)")
    if need.sanctions_framework and not scenario.machinery.sanctions_framework_in_force:
        missing.append("a sanctions framework in force (Decision (CFSP) 2019/797)")
    if need.listing_proposal and not state.listing_proposals:
        missing.append("a listing proposal by a Member State or the High Representative")
    if need.evidence_package and not state.evidence_ready:
        missing.append("an evidence package that can stand in court")
    if need.external_threat and not scenario.campaign.threat_actor.external_threat:
        missing.append("an external threat (Decision (CFSP) 2019/797 Art 1)")
    return missing


def proportionate(measure: ToolboxMeasure, state: State) -> tuple[bool, str]:
    """Whether the measure fits the incident's tier and the evidence behind its language."""
    if _INTENSITY[measure.category] > state.max_tier_rank:
        return False, f"{measure.category} measure for an incident of tier {state.max_tier}"
    grade = measure.effects.attribution_grade
    if grade is not None and grade > state.attribution_basis + 1:
        return False, f"language of grade {grade} on an attribution basis of " + str(
            max(state.attribution_basis, 0)
        )
    return True, "fits the tier and the attribution basis"
