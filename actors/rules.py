"""The Cyber Diplomacy Toolbox's rules as pure functions of the state and the scenario: who must
agree to a measure and through which bodies, its prerequisites, the attribution basis its
language rests on, its proportionality, and which Member States asked for it (Council
conclusions 10474/17 and their implementing guidelines; docs/machinery.md sections 3 and 6).

Not an actor: the Toolbox checks a proposal with them, the Council checks again at its vote,
and scoring judges adopted measures by the same rules, from the log alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.engine.state import TIER_RANK, State
from simulator.scenario.models import Scenario, ToolboxMeasure
from simulator.scenario.reference import MEMBER_STATES
from simulator.scenario.regime import law_of

#: the Council's own bodies: a measure they decide always goes through the preparatory chain
#: and a vote (the High Representative is not among them: a declaration *on behalf of the EU*
#: is agreed by consensus and says so with ``voting``, a statement in the HR's own name or by
#: the spokesperson needs nobody's agreement)
COUNCIL_BODIES = {"hwpci", "psc", "council"}
#: the institutions that decide a measure alone when it needs no vote, after their own
#: drafting and clearance (``timings.institution_clearance``)
INSTITUTIONS = {"commission", "eeas", "high_representative"}
#: the Council's preparatory chain, in order
FULL_CHAIN = ("hwpci", "psc", "coreper", "council")
#: how strong an answer each category is, against the tier (0 below threshold ... 3 crisis)
_INTENSITY = {"preventive": 0, "cooperative": 0, "stability": 1, "support": 1, "restrictive": 1}


def needs_consensus(measure: ToolboxMeasure) -> bool:
    """Whether the Member States must agree in the Council: a measure one of its bodies decides,
    or one whose ``voting`` is consensus or unanimity, whatever its decision body."""
    return measure.decision_body in COUNCIL_BODIES or measure.voting != "none"


def council_stages(measure: ToolboxMeasure) -> tuple[str, ...]:
    """The bodies a measure passes, in order, the last one voting; empty when it needs no
    agreement of the Member States. The HWPCI and the PSC stop the chain where they decide
    (cooperative measures: political agreement there); everything else the 27 must agree,
    a declaration on behalf of the EU or a measure the EEAS or the Commission will carry out,
    goes up to the Council (Art 24(1) and 31(1) TEU)."""
    if not needs_consensus(measure):
        return ()
    if measure.decision_body == "hwpci":
        return ("hwpci",)
    if measure.decision_body == "psc":
        return ("hwpci", "psc")
    if measure.decision_body in ("council", "high_representative"):
        return FULL_CHAIN
    # another body's measure that the Member States must agree first
    return ("hwpci", "psc") if measure.category in ("preventive", "cooperative") else FULL_CHAIN


def aligned(measure: ToolboxMeasure, state: State) -> bool:
    """Whether the measure's language joins partners' public attributions: a declaration
    (stability measure) judged once a partner has attributed, whether it was held for them
    (``align_with_partners``) or comes after them (docs/machinery.md section 6)."""
    return measure.category == "stability" and bool(state.partners_attributed)


def attribution_basis(measure: ToolboxMeasure, state: State) -> int:
    """How far this measure's language may go: for a declaration aligned with partners, their
    grade (the EU has joined allied attributions at grades 2 and 3 since 2021); for any other
    measure the state's basis, where a partner's attribution counts only as grade 1 (citing
    it: a listing rests on the EU's own evidence and a Member State's proposal)."""
    if aligned(measure, state):
        return state.aligned_attribution_basis
    return state.attribution_basis


def language_basis(measure: ToolboxMeasure, state: State) -> int:
    """What the measure's language is judged against (proportionality, and the Council's
    reluctance to name beyond the evidence): its attribution basis, and for a restrictive
    measure whose evidence package is ready, the package itself, which names those it lists
    (grade 4): a listing rests on the evidence the proposer puts to the Council, not on the
    grade of a state attribution (the June 2024 listings named ransomware operators no state
    was blamed for)."""
    basis = attribution_basis(measure, state)
    if measure.category == "restrictive" and state.evidence_ready:
        return max(basis, 4)
    return basis


def missing_prerequisites(
    measure: ToolboxMeasure, state: State, scenario: Scenario, awaiting_attribution: bool = False
) -> list[str]:
    """The prerequisites of ``measure`` that do not hold now, in words; empty when it may go.

    ``awaiting_attribution``: a declaration proposed to be held for a public attribution
    (``align_with_partners``, not yet released): the attribution it needs is the one it waits
    for, so it is not missing at the proposal; it is checked at adoption like the rest."""
    need = measure.prerequisites
    missing = []
    if need.min_tier is not None and state.max_tier_rank < TIER_RANK[need.min_tier]:
        missing.append(f"tier {need.min_tier} (now {state.max_tier})")
    basis = attribution_basis(measure, state)
    awaited = awaiting_attribution and measure.category == "stability" and not (
        state.partners_attributed or state.national_grades
    )
    if (need.min_attribution_grade is not None and basis < need.min_attribution_grade
            and not awaited):
        missing.append(
            f"attribution grade {need.min_attribution_grade} (basis {basis})"
            if basis >= 0
            else f"attribution grade {need.min_attribution_grade} (no attribution yet)"
        )
    if need.shared_situational_awareness and not state.shared_awareness:
        missing.append("shared situational awareness (no EU-CyCLONe or EU INTCEN assessment)")
    # the framework in force on the day of the proposal or adoption (docs/machinery.md
    # section 12): a run that crosses 18 May 2019 gains it that day
    if need.sanctions_framework and not law_of(scenario).sanctions_framework_at(state.t):
        missing.append("a sanctions framework in force (Decision (CFSP) 2019/797)")
    if need.listing_proposal and not state.listing_proposals:
        missing.append("a listing proposal by a Member State or the High Representative")
    if need.evidence_package and not state.evidence_ready:
        missing.append("an evidence package that can stand in court")
    actor = scenario.campaign.primary_actor
    if need.external_threat and actor is None:
        missing.append("an external threat (Decision (CFSP) 2019/797 Art 1): no one caused "
                       "this incident")
    elif need.external_threat and actor is not None and not actor.external_threat:
        missing.append("an external threat (Decision (CFSP) 2019/797 Art 1)")
    return missing


def proportionate(
    measure: ToolboxMeasure, state: State, align_with_partners: bool = False
) -> tuple[bool, str]:
    """Whether the measure fits the incident's tier and the evidence behind its language;
    language that attributes (grade 1 or more) never fits an incident a partner or a vendor
    has said publicly is not an attack.

    ``align_with_partners``: the measure is proposed to be held until a partner or a Member
    State attributes publicly (a proposal only; the Council holds it): until one does, its
    language is judged on that attribution when it comes, at the vote, not against a basis it
    does not rest on."""
    if _INTENSITY[measure.category] > state.max_tier_rank:
        return False, f"{measure.category} measure for an incident of tier {state.max_tier}"
    grade = measure.effects.attribution_grade
    if state.not_an_attack and grade is not None and grade >= 1:
        # a partner or a vendor said publicly it was no attack (docs/machinery.md section 6)
        return False, f"language of grade {grade} attributes an incident said not to be an attack"
    basis = language_basis(measure, state)
    if grade is not None and grade > basis + 1:
        if align_with_partners and measure.category == "stability" and not (
            state.partners_attributed or state.national_grades
        ):
            return True, "held for a public attribution: its language is judged on it"
        return False, f"language of grade {grade} on an attribution basis of " + str(
            max(basis, 0)
        )
    if grade is not None and grade > state.attribution_basis + 1:
        if measure.category == "restrictive":
            return True, f"listing of grade {grade} on its evidence package"
        return True, f"language of grade {grade} joins partners' attribution (grade {basis})"
    return True, "fits the tier and the attribution basis"


def member_state_of(participant: str | None, scenario: Scenario) -> str | None:
    """The Member State a participant speaks for when it is one of its own bodies (a role of a
    national body, or ``DE.government``); None for EU bodies, partners and chairs, who act
    for the Union."""
    if not participant:
        return None
    body = next((r.body for r in scenario.roles if r.id == participant), participant)
    code = body.split(".", 1)[0]
    return code if "." in body and code in MEMBER_STATES else None


def requesters(
    measure: ToolboxMeasure, state: State, proposers: Iterable[str] = ()
) -> set[str]:
    """The Member States that asked for the measure, who never block it: those whose own body
    proposed it, those that proposed it as a listing, and, for a measure whose language rests
    on an attribution, those that made theirs nationally."""
    asked = set(proposers) | state.listing_requests.get(measure.id, set())
    rests_on_attribution = (
        measure.effects.attribution_grade is not None and measure.effects.attribution_grade >= 1
    ) or measure.prerequisites.min_attribution_grade is not None
    if rests_on_attribution:
        asked |= set(state.national_grades)
    return asked
