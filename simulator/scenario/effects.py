"""What choosing a decision option, or delivering an inject, does to the run: typed, single-key
effects.

Each effect is a request to the machinery, not a state override: ``propose_measure`` starts the
measure down HWPCI -> PSC -> COREPER -> Council, where prerequisites and unanimity still apply;
``ipcr_mode`` is the Presidency's request, which the engine honours only along the legal ladder.

An MSEL inject takes the same effects, and also states facts of the world outside the players'
hands (``FACTS``): a detection in a Member State, a public disclosure, a partner's attribution
or sanctions. Each is logged as the engine logs the same fact from any other source
(``entity.detected``, ``external.vendor_disclosure``, ``partner.attribution`` ...), so an inject
that says "a Dutch provider finds the intruder" makes the run agree with it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from .base import Id, Probability, Strict, Text
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
        description="prepare the measure, then hold the final decision until a partner or a "
        "Member State attributes the attack publicly, so both come the same day (SolarWinds, "
        "15 April 2021; APT28, 3 May 2024)",
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


# --------------------------------------------------------------------------------------------
# facts an inject states (MSEL injects only: a decision of the players cannot make them true)


class DetectionSpec(Strict):
    member_state: MemberStateCode
    entities: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="at most this many of them, those compromised first (default: every "
        "compromised entity there that is not yet aware)",
    )


def _detection_shorthand(value: object) -> object:
    return {"member_state": value} if isinstance(value, str) else value


class Detect(Strict):
    """Compromised entities of a Member State become aware of the incident now (``detect: NL``,
    or ``detect: {member_state: NL, entities: 1}``): ``entity.detected`` at the inject's time,
    and the NIS2 Art 23(4) clocks of the significant ones start then. Entities already aware
    keep their own time; where nothing is compromised yet, nothing happens (the validator
    refuses a detection that no wave of the campaign could ever give anything to find)."""

    detect: Annotated[
        DetectionSpec,
        BeforeValidator(
            _detection_shorthand, json_schema_input_type=MemberStateCode | DetectionSpec
        ),
    ]


class Disclosure(Strict):
    by: Literal["vendor", "media"] = Field(
        "vendor",
        description="a vendor's advisory (logged as external.vendor_disclosure) or a media "
        "report (external.media_leak)",
    )
    description: Text | None = Field(
        None, description="what is made public (default: the inject's synopsis)"
    )


def _disclosure_shorthand(value: object) -> object:
    return {"by": value} if isinstance(value, str) else value


class PublicDisclosure(Strict):
    """The incident becomes public (``public_disclosure: vendor`` or ``media``): the same event
    as a scripted external event of that type, with the same consequences. A vendor's
    disclosure gives every entity indicators (detection speeds up) and starts the CSIRTs
    network's technical exchange; a media report helps FIMI narratives travel."""

    public_disclosure: Annotated[
        Disclosure,
        BeforeValidator(
            _disclosure_shorthand, json_schema_input_type=Literal["vendor", "media"] | Disclosure
        ),
    ]


class PartnerStatement(Strict):
    partner: Id = Field(description="one of world.partners")
    grade: int = Field(
        3, ge=0, le=4,
        description="what the statement amounts to (docs/machinery.md section 6; 3: an explicit "
        "state attribution, as a scripted allied_attribution by default)",
    )
    description: Text | None = Field(
        None, description="what the partner says (default: the inject's synopsis)"
    )


def _partner_shorthand(value: object) -> object:
    return {"partner": value} if isinstance(value, str) else value


class PartnerAttribution(Strict):
    """A partner attributes the attack (``partner_attribution: US``, or ``{partner: US,
    grade: 2}``): ``partner.attribution``, as a scripted ``allied_attribution`` external
    event; EU statements may then align with it and cite it (grade 1)."""

    partner_attribution: Annotated[
        PartnerStatement,
        BeforeValidator(_partner_shorthand, json_schema_input_type=Id | PartnerStatement),
    ]


class PartnerSanctionsSpec(Strict):
    partner: Id = Field(description="one of world.partners")
    description: Text | None = Field(
        None, description="what the partner adopts (default: the inject's synopsis)"
    )


class PartnerSanctions(Strict):
    """A partner adopts sanctions (``partner_sanctions: US``): ``partner.sanctions``, as a
    scripted ``partner_sanctions`` external event."""

    partner_sanctions: Annotated[
        PartnerSanctionsSpec,
        BeforeValidator(_partner_shorthand, json_schema_input_type=Id | PartnerSanctionsSpec),
    ]


#: every kind of effect a decision option can have, in the order the schema lists them
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

Effect = tagged_union("a decision option's effect", *EFFECTS)

#: the facts only an inject states
FACTS = (Detect, PublicDisclosure, PartnerAttribution, PartnerSanctions)

#: what an inject can do when it is delivered: any decision's effect, or a fact
INJECT_EFFECTS = (*EFFECTS, *FACTS)

InjectEffect = tagged_union("an inject's effect", *INJECT_EFFECTS)


def effect_name(effect: object) -> str:
    """``{ipcr_mode: ...}`` -> ``ipcr_mode``: effects are single-key models."""
    return next(iter(type(effect).model_fields))  # type: ignore[arg-type]


def describe_effect(effect: object) -> str:
    """One effect as a facilitator reads it in the MSEL handout: ``detect NL (1 entity)``,
    ``csirts_network_alert: high``."""
    match effect:
        case Detect(detect=spec):
            n = spec.entities
            return f"detect {spec.member_state}" + (
                "" if n is None else f" ({n} entit{'y' if n == 1 else 'ies'})"
            )
        case PublicDisclosure(public_disclosure=spec):
            return f"public disclosure by the {spec.by}"
        case PartnerAttribution(partner_attribution=spec):
            return f"{spec.partner} attributes (grade {spec.grade})"
        case PartnerSanctions(partner_sanctions=spec):
            return f"{spec.partner} sanctions"
    name = effect_name(effect)
    value = getattr(effect, name)
    if isinstance(value, Strict):
        fields = {
            key: ", ".join(map(str, v)) if isinstance(v, list)
            else str(v).lower() if isinstance(v, bool) else v
            for key, v in value.model_dump(exclude_defaults=True).items()
        }
        if not fields:
            return name
        if len(fields) == 1 and "id" in fields:
            return f"{name}: {fields['id']}"
        value = ", ".join(f"{key} {v}" for key, v in fields.items())
    elif isinstance(value, bool):
        value = str(value).lower()
    return f"{name}: {value}"
