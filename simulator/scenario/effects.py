"""What choosing a decision option does to the run: typed, single-key effects.

Each effect is a request to the machinery, not a state override: ``propose_measure`` starts the
measure down HWPCI -> PSC -> COREPER -> Council, where prerequisites and unanimity still apply;
``ipcr_mode`` is the Presidency's request, which the engine honours only along the legal ladder.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from .base import Id, Probability, Strict
from .members import MemberStateCode
from .reference import IpcrMode, Sector
from .tagged import tagged_union


class SetIpcrMode(Strict):
    """The Presidency moves IPCR to this mode (docs/machinery.md section 5)."""

    ipcr_mode: IpcrMode


class CycloneAction(Strict):
    """Activate EU-CyCLONe on request, or stand it down."""

    cyclone: Literal["activate", "deactivate"]


class CsirtsNetworkAlert(Strict):
    """Set the CSIRTs network's alert mode (one of ``machinery.csirts_network.alert_modes``)."""

    csirts_network_alert: Id


class CsirtsJointStatement(Strict):
    """The CSIRTs network issues (or withholds) a joint public statement."""

    joint_statement: bool


class MeasureProposal(Strict):
    id: Id
    align_with_partners: bool = Field(
        False,
        description="prepare the measure, then hold the final decision until a partner "
        "attributes the attack, so both come the same day (SolarWinds, 15 April 2021)",
    )


def _proposal_shorthand(value: object) -> object:
    return {"id": value} if isinstance(value, str) else value


class ProposeMeasure(Strict):
    """Put a Toolbox measure on the HWPCI's table: ``propose_measure: hr_declaration``, or
    ``propose_measure: {id: hr_declaration, align_with_partners: true}``."""

    propose_measure: Annotated[
        MeasureProposal,
        BeforeValidator(_proposal_shorthand, json_schema_input_type=Id | MeasureProposal),
    ]


class ListingRequest(Strict):
    member_state: MemberStateCode
    measure: Id = Field(
        "restrictive_listing", description="the restrictive measure the request leads to"
    )


class ProposeListing(Strict):
    """A Member State asks for restrictive measures against those behind the attack (Decision
    (CFSP) 2019/797): its evidence package takes ``timings.national_attribution_to_listing`` to
    assemble, then the listing goes to the HWPCI (Bundestag: about five months)."""

    propose_listing: ListingRequest


class TreatyInvocation(Strict):
    clause: Literal["art_222", "art_42_7"]
    member_state: MemberStateCode


class Invoke(Strict):
    """A Member State invokes the solidarity clause or mutual assistance (section 8)."""

    invoke: TreatyInvocation


class ReserveRequestSpec(Strict):
    member_state: MemberStateCode
    sector: Sector | None = None


class RequestReserve(Strict):
    """A Member State asks for the EU Cybersecurity Reserve through its SPoC (CSA Art 14)."""

    request_reserve: ReserveRequestSpec


class RequestIncidentReview(Strict):
    """Ask ENISA for an incident review (Cyber Solidarity Act Art 21)."""

    request_incident_review: Literal["commission", "cyclone"]


class IntelligenceSharing(Strict):
    member_states: list[MemberStateCode] = Field(default_factory=list)
    share: Probability = 1.0


class ShareIntelligence(Strict):
    """Member States share intelligence with EU INTCEN (empty list: every Member State)."""

    share_intelligence: IntelligenceSharing


class AttributionSpec(Strict):
    member_states: list[MemberStateCode] = Field(min_length=1)
    grade: int = Field(ge=0, le=4)


class Attribute(Strict):
    """Member States attribute the attack nationally (a sovereign decision)."""

    attribute: AttributionSpec


class PublicCommunication(Strict):
    """Public messaging: coordinated across the EU and partners, or each on its own."""

    public_communication: Literal["coordinated", "uncoordinated", "silent"]


class DeliverInject(Strict):
    """Deliver an inject now (typically a contingency inject)."""

    deliver_inject: Id


#: every kind of effect, in the order the schema lists them
EFFECTS = (
    SetIpcrMode,
    CycloneAction,
    CsirtsNetworkAlert,
    CsirtsJointStatement,
    ProposeMeasure,
    ProposeListing,
    Invoke,
    RequestReserve,
    RequestIncidentReview,
    ShareIntelligence,
    Attribute,
    PublicCommunication,
    DeliverInject,
)

Effect = tagged_union("an effect", *EFFECTS)
