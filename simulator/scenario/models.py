"""The scenario format: pydantic v2 models of a whole exercise (issue 1; docs/design.md,
"Scenarios").

A scenario is a description, never runtime state. It covers docs/machinery.md end to end so the
engine can be built on it without reshaping it: the world (27 Member States, NIS2 sectors,
partners), the adversary campaign with its FIMI track, external events, the machinery's timings
and its non-public parameters, the Cyber Diplomacy Toolbox, the MSEL, player roles, decision
points and scoring rules. Defaults come from docs/machinery.md so a scenario states only what
differs.

Checks that need the whole scenario (cross-references, unique ids) live in ``checks.py`` so
that each error can point at its own place in the file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    WithJsonSchema,
    model_validator,
)

from .base import MAX_EVENTS, MAX_WEIGHT, Id, Probability, Strict, Text
from .conditions import Condition, EventRef
from .countries import ThirdCountryCode
from .distributions import Distribution, Fixed, Lognormal, Triangular, Uniform
from .effects import Effect, InjectEffect
from .members import MemberStateCode
from .presidencies import day, rotations
from .reference import MEMBER_STATES, Criticality, Level, Sector, Tier, Tlp, ToolboxCategory
from .regime import LegalRegime
from .units import Duration

SCHEMA_VERSION = 1

#: the largest loss per entity, and the largest significance threshold: EUR 1 trillion, above
#: any organisation's worth (NotPetya cost its victims about USD 10 billion in all), so that the
#: losses a run adds up (times at most ``checks.MAX_ENTITIES`` entities) stay finite numbers
#: that the JSON log can hold
MAX_LOSS_EUR = 1e12


#: the years a scenario may start in. The report dates its Improvement Plan 90 days after the
#: end, and the end is at most ``MAX_DURATION`` (5 years) after the start, so the latest start
#: must leave those 5 years and 90 days before Python's last date (9999-12-31): 2999 leaves
#: millennia to spare. 1970, the Unix epoch, is the earliest: tools that read the log's times
#: as POSIX timestamps (Windows' among them) refuse earlier ones, and no cyber crisis is older.
FIRST_YEAR, LAST_YEAR = 1970, 2999


def _utc(value: Any) -> datetime:
    """A timestamp with an explicit UTC offset; a naive time would mean different things to
    facilitators in different Member States."""
    return _timestamp(value, LAST_YEAR, "a scenario starts")


def _timestamp(value: Any, last_year: int, what: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{value[:40]!r} is not a timestamp; write e.g. 2026-03-02T07:00:00Z"
            ) from None
    if not isinstance(value, datetime):
        raise ValueError("expected a UTC timestamp such as 2026-03-02T07:00:00Z")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the timestamp needs a time zone: end it with Z for UTC")
    if not FIRST_YEAR <= value.year <= last_year:
        raise ValueError(
            f"the year {value.year} is out of range: {what} between {FIRST_YEAR} "
            f"and {last_year}"
        )
    return value.astimezone(UTC)


UtcTimestamp = Annotated[
    datetime,
    BeforeValidator(_utc),
    PlainSerializer(lambda d: d.isoformat().replace("+00:00", "Z"), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2026-03-02T07:00:00Z"]}),
]


def _handover_moment(value: Any) -> datetime:
    # a run that starts in the latest year lasts up to 5 years more
    return _timestamp(value, LAST_YEAR + 6, "a Presidency of a scenario takes office")


#: when a Presidency takes office: a UTC timestamp, within the years a run can reach
HandoverMoment = Annotated[
    datetime,
    BeforeValidator(_handover_moment),
    PlainSerializer(lambda d: d.isoformat().replace("+00:00", "Z"), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2027-01-01T00:00:00Z"]}),
]

AttackTechnique = Annotated[
    str,
    Field(pattern=r"^T\d{4}(\.\d{3})?$", examples=["T1486", "T1195.002"]),
]

Participant = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$",
        description=(
            "a body (cyclone, csirts_network, ipcr, ...), a national body ('DE.csirt', "
            "'FR.spoc'), a partner ('partner.US'), a role id, or exercise_control / all_players"
        ),
    ),
]


def _exactly_one_trigger(model: Any, what: str) -> None:
    if (model.at is None) == (model.when is None):
        raise ValueError(f"{what} needs exactly one of 'at' (a time) or 'when' (a condition)")


def _fixed(value: str) -> Any:
    return lambda: Fixed.model_validate({"kind": "fixed", "value": value})


def _tri(low: str, mode: str, high: str) -> Any:
    return lambda: Triangular.model_validate(
        {"kind": "triangular", "low": low, "mode": mode, "high": high}
    )


# --------------------------------------------------------------------------------------------
# metadata and objectives


class PresidencyTerm(Strict):
    """One Presidency of ``metadata.presidency`` given as a schedule."""

    member_state: MemberStateCode
    from_: HandoverMoment | None = Field(
        None,
        alias="from",
        description="when it takes office: the next 1 January or 1 July (00:00 UTC) after the "
        "previous one took office, which is also the default; the first holds the Presidency "
        "at the start (leave its 'from' out, or write the start)",
    )


def _schedule_or_code(value: Any) -> str:
    return "schedule" if isinstance(value, list) else "code"


def _term_or_code(value: Any) -> str:
    return "code" if isinstance(value, str) else "term"  # a mapping, or a term to serialise


#: ``IE``, or a schedule: ``[IE, LT]`` or ``[{member_state: IE}, {member_state: LT, from:
#: 2027-01-01T00:00:00Z}]``, one Member State for each six-month term the exercise runs in
Presidency = Annotated[
    Annotated[MemberStateCode, Tag("code")]
    | Annotated[
        list[
            Annotated[
                Annotated[MemberStateCode, Tag("code")] | Annotated[PresidencyTerm, Tag("term")],
                Discriminator(_term_or_code),
            ]
        ],
        Field(min_length=1),
        Tag("schedule"),
    ],
    Discriminator(_schedule_or_code),
]


@lru_cache(maxsize=64)
def _held(
    start: datetime, duration: float, codes: tuple[str, ...]
) -> tuple[tuple[float, str], ...]:
    """``Metadata.presidencies``, computed once per schedule: EU-CyCLONe asks at every
    assessment."""
    held = [(0.0, codes[0])]
    end = start + timedelta(minutes=duration)
    for code, moment in zip(codes[1:], rotations(start, end), strict=False):
        held.append(((moment - start).total_seconds() / 60, code))
    return tuple(held)


class Metadata(Strict):
    """Who the exercise is for and when it happens."""

    id: Id
    title: Text
    description: Text
    start: UtcTimestamp
    duration: Duration = Field(gt=0)
    profile: Literal[
        "cyber_europe", "blue_olex", "cysopex", "eu_cycles", "eu_integrated_resolve", "custom"
    ] = "custom"
    presidency: Presidency = Field(
        description="the Member State holding the Council Presidency (it chairs EU-CyCLONe, "
        "IPCR's roundtables and the HWPCI); for an exercise that runs across 1 January or "
        "1 July, when the Presidency rotates (Art 16(9) TEU), a list: one Member State for "
        "each six-month term, in order, each taking office at the next rotation"
    )
    tlp: Tlp = "amber"
    authors: list[Text] = Field(default_factory=list)
    references: list[Text] = Field(
        default_factory=list, description="the public sources the scenario is grounded in"
    )

    def presidency_terms(self) -> list[PresidencyTerm]:
        """``presidency`` as written, each entry as a term (a bare code has no 'from')."""
        entries = [self.presidency] if isinstance(self.presidency, str) else self.presidency
        return [
            PresidencyTerm(member_state=e) if isinstance(e, str) else e for e in entries
        ]

    def _presidency_codes(self) -> tuple[str, ...]:
        entries = (self.presidency,) if isinstance(self.presidency, str) else self.presidency
        return tuple(e if isinstance(e, str) else e.member_state for e in entries)

    def presidencies(self) -> list[tuple[float, str]]:
        """Each Presidency in office during the exercise, in order, with the minute (from the
        start) it takes office: the first at 0, the n-th after it at the n-th rotation
        (1 January or 1 July, 00:00 UTC) within the run. The validator holds every 'from' to
        this and asks for a Presidency for every rotation the run crosses."""
        return list(_held(self.start, self.duration, self._presidency_codes()))

    def presidency_at(self, t: float) -> str:
        """The Member State holding the Presidency ``t`` minutes after the start."""
        holder = ""
        for since, member_state in _held(self.start, self.duration, self._presidency_codes()):
            if since > t:
                break
            holder = member_state
        return holder

    def presidency_text(self) -> str:
        """The Presidency in words: ``Ireland (IE); Lithuania (LT) from 1 January 2027``."""
        parts = []
        for since, code in self.presidencies():
            when = self.start + timedelta(minutes=since)
            since_when = f" from {day(when)}" if since else ""
            parts.append(f"{MEMBER_STATES[code]} ({code}){since_when}")
        return "; ".join(parts)


class Objective(Strict):
    """An exercise objective; injects and scoring rules refer to it by id (HSEEP)."""

    id: Id
    text: Text
    capability: Text = Field(description="the capability it tests, as in the evaluation guide")
    level: Level


# --------------------------------------------------------------------------------------------
# the world


class MemberStateProfile(Strict):
    """What the scenario assumes about one Member State. None of this is public: [param]."""

    csirt_capacity: int = Field(
        3, ge=1, le=1000, description="incidents the national CSIRT handles at once"
    )
    intel_sharing: Probability = Field(
        0.5, description="propensity to share intelligence with EU INTCEN (it collects none)"
    )
    veto_propensity: Probability = Field(
        0.01,
        description="chance that this Member State blocks one Council vote (consensus or "
        "unanimity), before the incident's severity, the evidence and partners' positions "
        "adjust it; 27 holders compound: 0.01 each is a one-in-four chance that somebody blocks "
        "a first vote at a large-scale incident, and one measure in some 170 to 500 blocked for "
        "good after the renegotiations (none of the Council's cyber declarations and listings "
        "since 2017 is on record as blocked: docs/machinery.md section 6). A Member State never "
        "blocks a measure it asked for",
    )
    sectors: dict[Sector, Criticality] = Field(
        default_factory=dict, description="criticality of sectors present, over the default"
    )


class Partner(Strict):
    """A partner outside the EU machinery (US, UK, NATO ...) with its own attribution."""

    id: Id
    name: Text
    attribution_propensity: Probability = 0.5
    sanctions_propensity: Probability = 0.3


def _default_partners() -> list[Partner]:
    return [
        Partner(
            id="US", name="United States", attribution_propensity=0.6, sanctions_propensity=0.5
        ),
        Partner(
            id="UK", name="United Kingdom", attribution_propensity=0.6, sanctions_propensity=0.4
        ),
        Partner(id="NATO", name="NATO", attribution_propensity=0.2, sanctions_propensity=0.0),
    ]


class World(Strict):
    """The 27 Member States are built in; a scenario overrides only what differs."""

    default_profile: MemberStateProfile = Field(default_factory=MemberStateProfile)
    member_states: dict[MemberStateCode, MemberStateProfile] = Field(default_factory=dict)
    participants: list[MemberStateCode] | None = Field(
        None, description="Member States with players in the exercise (default: all 27)"
    )
    sector_criticality: dict[Sector, Criticality] = Field(
        default_factory=dict, description="EU-wide default criticality per sector"
    )
    partners: list[Partner] = Field(default_factory=_default_partners)


# --------------------------------------------------------------------------------------------
# the adversary


class ThreatActor(Strict):
    """Who is behind the campaign; drives attribution and the sanctions test."""

    name: Text
    aliases: list[Text] = Field(default_factory=list)
    state_link: Literal["none", "suspected", "state_sponsored", "state_directed"] = "suspected"
    external_threat: bool = Field(
        True,
        description="from outside the Union or directed from there: the test of Decision "
        "(CFSP) 2019/797 Art 1 for restrictive measures",
    )
    attribution_difficulty: Probability = Field(
        0.6, description="0 trivially attributable ... 1 practically impossible"
    )


class Targets(Strict):
    member_states: list[MemberStateCode] = Field(default_factory=list)
    sectors: list[Sector] = Field(min_length=1)
    eu_institutions: int = Field(
        0, ge=0, le=1000,
        description="Union entities (institutions, bodies, agencies: CERT-EU's constituency, "
        "Regulation (EU) 2023/2841) compromised when the wave starts; they report to CERT-EU, "
        "not to a national CSIRT",
    )
    third_countries: list[ThirdCountryCode] = Field(
        default_factory=list,
        description="countries outside the Union where the wave starts (ISO 3166 codes: UA, "
        "RU, US ...), before it spills over into the Member States: into its member_states at "
        "once, and by its spread rules from there (with no member_states, by them alone). "
        "Nothing of the EU machinery runs there: no entities, no NIS2 reports; the wave's "
        "start says where it came from",
    )

    @model_validator(mode="after")
    def _somewhere(self) -> Targets:
        if not (self.member_states or self.eu_institutions or self.third_countries):
            raise ValueError(
                "a wave needs targets: member_states, eu_institutions or third_countries"
            )
        return self


class Spread(Strict):
    """How a wave reaches further Member States after its first targets."""

    interval: Distribution = Field(
        default_factory=_fixed("12h"), description="time between spread attempts"
    )
    probability: Probability = Field(0.5, description="chance that an attempt succeeds")
    max_member_states: int = Field(
        27, ge=1, le=27, description="Member States the wave reaches in all, its first targets "
        "included"
    )
    candidates: list[MemberStateCode] = Field(
        default_factory=list, description="where it may spread (default: any Member State)"
    )
    sectors: list[Sector] = Field(
        default_factory=list,
        description="sectors it may move into beyond its targets' (through suppliers, shared "
        "software or managed services); none by default",
    )
    sector_probability: Probability = Field(
        0.25,
        description="chance that a spread attempt also reaches one more of those sectors: one "
        "entity of it in each Member State reached, and its share of the entities wherever "
        "the wave goes next",
    )


class Impact(Strict):
    """What the wave does to each compromised entity and Member State."""

    entities_per_member_state: int = Field(3, ge=1, le=10_000)
    entities: dict[MemberStateCode, Annotated[int, Field(ge=1, le=10_000)]] = Field(
        default_factory=dict,
        description="entities compromised in these Member States when the wave reaches them, "
        "instead of entities_per_member_state (a replay's per-country counts)",
    )
    peak: Probability = Field(0.5, description="share of the services disrupted at the peak")
    time_to_peak: Distribution = Field(
        default_factory=_tri("6h", "1d", "2d"),
        description="from compromise to the peak, drawn for each entity",
    )
    recovery: Distribution = Field(
        default_factory=_tri("2d", "5d", "10d"),
        description="from the peak to recovery, drawn for each entity",
    )
    loss_eur_per_entity: float = Field(
        500_000.0,
        ge=0,
        le=MAX_LOSS_EUR,
        description="direct loss; 2024/2690 Art 3 uses EUR 500,000",
    )
    data_exfiltration: bool = False
    risk_to_life: bool = False


class Detection(Strict):
    """When entities notice: the NIS2 reporting clocks start at awareness (Art 23(4))."""

    time_to_detect: Distribution = Field(
        default_factory=lambda: Triangular.model_validate(
            {"kind": "triangular", "low": "1h", "mode": "8h", "high": "2d"}
        )
    )
    probability: Probability = 0.9


#: what happens when no one attacks: a faulty update, an outage (CrowdStrike, July 2024)
ACCIDENTAL_VECTORS = ("faulty_update", "outage")

Vector = Literal[
    "phishing",
    "supply_chain",
    "vulnerability_exploitation",
    "ransomware",
    "wiper",
    "ddos",
    "credential_abuse",
    "insider",
    "defacement",
    "data_theft",
    "faulty_update",
    "outage",
]


class Wave(Strict):
    """One wave of the campaign: a vector, targets, spread, impact and detection."""

    id: Id
    name: Text | None = None
    at: Duration | None = None
    when: Condition | None = None
    vector: Vector
    techniques: list[AttackTechnique] = Field(
        default_factory=list, description="MITRE ATT&CK technique ids"
    )
    targets: Targets
    spread: Spread = Field(default_factory=Spread)
    impact: Impact = Field(default_factory=Impact)
    detection: Detection = Field(default_factory=Detection)
    threat_actor: ThreatActor | Literal["none"] | None = Field(
        None,
        description="who is behind this wave when it is not the campaign's threat_actor (two "
        "groups in one case), or none for a wave no one caused (a faulty update beside an "
        "attack); default: the campaign's",
    )

    @model_validator(mode="after")
    def _trigger(self) -> Wave:
        _exactly_one_trigger(self, "a wave")
        return self


class Narrative(Strict):
    id: Id
    text: Text
    targets: list[MemberStateCode] = Field(default_factory=list)
    channels: list[Literal["social_media", "news_media", "messaging", "forums", "video"]] = Field(
        default_factory=lambda: ["social_media"]
    )


class FimiTrack(Strict):
    """Foreign information manipulation and interference beside the incident (FAC 18 July
    2022, paras 3 and 21)."""

    at: Duration | None = None
    when: Condition | None = None
    narratives: list[Narrative] = Field(min_length=1)
    amplification: Probability = 0.5
    counter_effect_of_coordination: Probability = Field(
        0.5, description="how much coordinated public communication blunts a narrative"
    )
    saturation: int = Field(
        12, ge=1, le=1000,
        description="the reach at which a narrative has found its whole audience: each gain "
                    "is less likely as it nears it (not public: a parameter)",
    )

    @model_validator(mode="after")
    def _trigger(self) -> FimiTrack:
        _exactly_one_trigger(self, "a FIMI track")
        return self


class AdversaryReaction(Strict):
    """How the adversary answers EU responses (deterred, or escalates)."""

    deterrence: Probability = 0.2
    escalation: Probability = 0.1


class Campaign(Strict):
    threat_actor: ThreatActor | None = Field(
        None,
        description="who is behind the campaign; leave it out for an incident no one caused "
        "(a faulty update, an outage): then EU INTCEN makes no threat assessment, no one "
        "attributes it, no restrictive measure can answer it, and no adversary reacts to the "
        "EU's responses",
    )
    waves: list[Wave] = Field(min_length=1)
    fimi: FimiTrack | None = None
    reaction: AdversaryReaction = Field(default_factory=AdversaryReaction)

    def actor_of(self, wave: Wave) -> ThreatActor | None:
        """Who is behind ``wave``: its own threat actor, none, or the campaign's."""
        if wave.threat_actor == "none":
            return None
        if isinstance(wave.threat_actor, ThreatActor):
            return wave.threat_actor
        return self.threat_actor

    @property
    def primary_actor(self) -> ThreatActor | None:
        """The threat actor EU INTCEN assesses, partners and Member States attribute and the
        sanctions test weighs: the campaign's, else that of its first malicious wave; None
        when no one caused any of it."""
        if self.threat_actor is not None:
            return self.threat_actor
        return next((a for w in self.waves if (a := self.actor_of(w)) is not None), None)

    @property
    def malicious(self) -> bool:
        return self.primary_actor is not None

    @model_validator(mode="after")
    def _someone_behind_attacks(self) -> Campaign:
        for wave in self.waves:
            if self.actor_of(wave) is None and wave.vector not in ACCIDENTAL_VECTORS:
                raise ValueError(
                    f"wave {wave.id} is a {wave.vector} attack: someone is behind it, so it "
                    "needs a threat_actor, the campaign's or its own (a wave without one is "
                    f"an incident no one caused: vector {' or '.join(ACCIDENTAL_VECTORS)})"
                )
        return self


# --------------------------------------------------------------------------------------------
# the outside world


_PARTNER_EVENTS = ("allied_attribution", "partner_sanctions")
#: events whose grade of attribution a scenario may give (docs/machinery.md section 6)
_GRADED_EVENTS = ("allied_attribution", "vendor_attribution")


class ExternalEvent(Strict):
    """Something outside the EU machinery: an allied attribution, a vendor disclosure ..."""

    id: Id
    type: Literal[
        "allied_attribution",
        "partner_sanctions",
        "vendor_disclosure",
        "vendor_attribution",
        "patch_release",
        "media_leak",
        "not_an_attack",
        "other",
    ] = Field(
        description="vendor_attribution: a security vendor names who did it (it informs EU "
        "INTCEN, never the basis of EU language); not_an_attack: a partner or a vendor states "
        "that the incident is not an attack (a faulty update, a technical outage): from then "
        "on EU INTCEN makes no threat assessment, partners make no attribution of their own, "
        "and EU language that attributes is disproportionate"
    )
    at: Duration | None = None
    when: Condition | None = None
    partner: Id | None = Field(
        None, description="the partner, for attributions, sanctions and not_an_attack"
    )
    vendor: Text | None = Field(
        None,
        description="the security vendor, by name (Microsoft, Mandiant ...), for "
        "vendor_attribution and not_an_attack",
    )
    attribution_grade: int | None = Field(
        None,
        ge=0,
        le=4,
        description="what the partner's or the vendor's statement amounts to (section 6; "
        "default 3: it names a state)",
    )
    probability: Probability = Field(1.0, description="chance that it happens at all")
    description: Text

    @model_validator(mode="after")
    def _check(self) -> ExternalEvent:
        _exactly_one_trigger(self, "an external event")
        by_partner = self.type in _PARTNER_EVENTS
        if by_partner and self.partner is None:
            raise ValueError(f"an event of type {self.type} needs 'partner' (who makes it)")
        if self.partner is not None and self.type not in (
            *_PARTNER_EVENTS, "not_an_attack", "other"
        ):
            raise ValueError(
                f"'partner' is only for allied_attribution, partner_sanctions, not_an_attack "
                f"and other, not {self.type}"
            )
        if self.type == "vendor_attribution" and self.vendor is None:
            raise ValueError("a vendor_attribution needs 'vendor' (its name: who attributes)")
        if self.vendor is not None and self.type not in ("vendor_attribution", "not_an_attack"):
            raise ValueError(
                f"'vendor' is only for vendor_attribution and not_an_attack, not {self.type}"
            )
        if self.type == "not_an_attack" and (self.partner is None) == (self.vendor is None):
            raise ValueError(
                "a not_an_attack statement needs exactly one of 'partner' (a partner's id) or "
                "'vendor' (a vendor's name): who says so"
            )
        if self.type not in _GRADED_EVENTS and self.attribution_grade is not None:
            raise ValueError(
                f"'attribution_grade' is only for allied_attribution and vendor_attribution, "
                f"not {self.type}"
            )
        return self


# --------------------------------------------------------------------------------------------
# timings of the machinery (docs/machinery.md section 9)


class Timings(Strict):
    """Delays of the machinery. Defaults are docs/machinery.md section 9; legal deadlines bound
    them."""

    early_warning: Distribution = Field(
        default_factory=_tri("2h", "12h", "24h"), description="awareness -> early warning"
    )
    early_warning_compliance: Probability = 0.9
    notification: Distribution = Field(
        default_factory=_tri("24h", "60h", "72h"), description="awareness -> notification"
    )
    notification_compliance: Probability = 0.9
    final_report: Distribution = Field(
        default_factory=_tri("14d", "25d", "30d"), description="notification -> final report"
    )
    final_report_compliance: Probability = 0.85
    nis1_notification: Distribution = Field(
        default_factory=_tri("4h", "1d", "3d"),
        description="awareness -> a notification the law sets no deadline for: NIS1's "
        "'without undue delay' (Directive (EU) 2016/1148 Art 14(3), 16(3)), or a voluntary one "
        "(not public: a parameter)",
    )
    voluntary_notification: Probability = Field(
        0.5,
        description="where no EU law obliges an entity to report a significant incident "
        "(legal_regime.reporting none, or a sector NIS1 did not cover), the chance that it "
        "tells its CSIRT all the same, of its own accord or under national law (not public: "
        "a parameter)",
    )
    csirt_feedback: Distribution = Field(default_factory=_tri("4h", "12h", "36h"))
    spoc_cross_border: Distribution = Field(default_factory=_tri("1h", "4h", "12h"))
    csirts_network_alert: Distribution = Field(default_factory=_tri("1h", "4h", "12h"))
    joint_statement: Distribution = Field(
        default_factory=lambda: Lognormal.model_validate(
            {"kind": "lognormal", "median": "5d", "sigma": 0.35, "cap": "21d"}
        ),
        description="technical exchange -> CSIRTs network joint statement (Log4Shell: 6 days)",
    )
    cyclone_activation: Distribution = Field(default_factory=_tri("2h", "8h", "24h"))
    cyclone_first_assessment: Distribution = Field(
        default_factory=_tri("2h", "6h", "12h"),
        description="activation -> the first impact and severity assessment",
    )
    cyclone_assessment_interval: Distribution = Field(default_factory=_fixed("1d"))
    isaa_first_report: Distribution = Field(
        default_factory=_tri("6h", "12h", "1d"),
        description="IPCR information sharing -> the first ISAA report (its preparation by "
                    "the Commission and the EEAS; not public: a parameter)",
    )
    isaa_report_interval: Distribution = Field(default_factory=_fixed("1d"))
    ipcr_step_back: Distribution = Field(
        default_factory=_tri("1d", "3d", "7d"),
        description="the tier fallen back (every known entity recovered) -> the Presidency "
                    "steps IPCR back to monitoring (not public: a parameter)",
    )
    ipcr_full_activation: Distribution = Field(
        default_factory=lambda: Uniform.model_validate(
            {"kind": "uniform", "low": "10d", "high": "35d"}
        ),
        description="information sharing -> full activation (10 d in 2015, 34 d in 2020)",
    )
    intcen_assessment: Distribution = Field(default_factory=_tri("1d", "4d", "14d"))
    hwpci: Distribution = Field(default_factory=_tri("1d", "3d", "10d"))
    psc: Distribution = Field(default_factory=_tri("1d", "2d", "7d"))
    coreper: Distribution = Field(default_factory=_tri("1d", "2d", "7d"))
    council: Distribution = Field(default_factory=_tri("1d", "5d", "14d"))
    council_renegotiation: Distribution = Field(
        default_factory=_tri("3d", "7d", "21d"),
        description="a vetoed draft goes back to COREPER (to the HWPCI for a measure the PSC "
        "decides) before the next vote",
    )
    institution_clearance: Distribution = Field(
        default_factory=_tri("2h", "6h", "1d"),
        description="a measure the Commission, the EEAS or the High Representative takes alone "
        "(voting: none): proposed -> prepared and adopted, the drafting and clearance inside "
        "the institution (not public: a parameter)",
    )
    national_attribution_to_listing: Distribution = Field(
        default_factory=_tri("75d", "135d", "225d"),
        description="a Member State's listing request -> its evidence package ready; the "
        "Council's chain adds some weeks, for about 3-8 months in all (Bundestag: about 5)",
    )
    art42_7_support: Distribution = Field(
        default_factory=lambda: Uniform.model_validate(
            {"kind": "uniform", "low": "0d", "high": "4d"}
        )
    )
    reserve_deployment: Distribution = Field(default_factory=_tri("12h", "1d", "3d"))
    incident_review_approval: Distribution = Field(
        default_factory=_tri("6h", "1d", "3d"),
        description="an incident review's request -> the answers of the Member States concerned",
    )
    incident_review: Distribution = Field(
        default_factory=_tri("14d", "30d", "60d"),
        description="approval -> ENISA's incident review report (the Act sets no deadline)",
    )
    intel_sharing: Distribution = Field(
        default_factory=_tri("6h", "1d", "3d"),
        description="a Member State's incident -> its intelligence reaching EU INTCEN",
    )
    partner_attribution: Distribution = Field(
        default_factory=_tri("1mo", "4mo", "8mo"),
        description="large-scale tier -> a partner's own attribution, when not scripted "
        "(SolarWinds 4 months, WannaCry 7, NotPetya 8)",
    )
    partner_sanctions: Distribution = Field(
        default_factory=_tri("1mo", "3mo", "12mo"),
        description="a partner's attribution -> its sanctions, when not scripted",
    )
    decision_deliberation: Distribution | None = Field(
        None,
        description="a decision point's opening -> the decision, when the policy takes it "
        "(headless runs, roles played_by: policy); a point's own 'deliberation' overrides it. "
        "Unset: triangular over the point's window, from a twelfth of its deadline, most "
        "likely a quarter of it, at the latest the deadline; triangular(1h, 2h, 6h) for a "
        "point without a deadline [param]. Never later than the point's deadline",
    )


# --------------------------------------------------------------------------------------------
# parameters of the machinery that are not public (docs/machinery.md: [param])


class CsirtsNetworkParams(Strict):
    alert_modes: list[Id] = Field(
        default_factory=lambda: ["normal", "elevated", "high"],
        min_length=2,
        # each mode above the lowest is raised by more Member States reporting than the one
        # below it (1 to 27), so no more than 27 modes can stand above the lowest
        max_length=28,
        description="no public alert scale exists: the scenario names its own, lowest first",
    )
    escalate_to_cyclone_at: Id = Field(
        "high",
        description="the alert mode from which (this mode or any above it) the network "
        "escalates to EU-CyCLONe",
    )
    alert_thresholds: list[Annotated[int, Field(ge=1, le=27)]] | None = Field(
        None,
        description="Member States reporting to the network that raise it to each mode above "
        "the lowest (default: 1, 2, 3 ...)",
    )
    detection_speedup: Probability = Field(
        0.3, description="how much shared indicators shorten detection elsewhere"
    )
    decline_to_share: Probability = Field(
        0.1, description="chance that a member withholds indicators (e.g. for an investigation)"
    )

    @model_validator(mode="after")
    def _thresholds(self) -> CsirtsNetworkParams:
        if self.alert_thresholds is not None:
            if len(self.alert_thresholds) != len(self.alert_modes) - 1:
                raise ValueError(
                    "alert_thresholds needs one number per alert mode above the lowest "
                    f"({len(self.alert_modes) - 1})"
                )
            steps = self.alert_thresholds
            if any(a >= b for a, b in pairwise(steps)):
                raise ValueError("alert_thresholds must rise from one mode to the next")
        return self

    def threshold(self, index: int) -> int:
        """Member States reporting needed for the mode at ``index`` (0 is the lowest)."""
        if index == 0:
            return 0
        return self.alert_thresholds[index - 1] if self.alert_thresholds else index


class CycloneParams(Strict):
    executives_at: Tier = Field(
        "cyber_crisis", description="tier at which the Executives tier meets, not only Officers"
    )


class ReserveParams(Strict):
    """The EU Cybersecurity Reserve (Regulation (EU) 2025/38 Art 14)."""

    capacity: int = Field(3, ge=0, le=100, description="deployments the Reserve can run at once")
    auto_request: bool = Field(
        True,
        description="a Member State whose CSIRT is overloaded by a significant incident asks "
        "for the Reserve on its own (set false to leave every request to players)",
    )
    deployment: Distribution = Field(
        default_factory=_tri("3d", "7d", "14d"), description="how long providers stay deployed"
    )
    recovery_speedup: Probability = Field(
        0.4, description="how much deployed providers shorten recovery in the Member State"
    )
    review_approval: Probability = Field(
        0.8,
        description="chance that a Member State concerned approves ENISA's incident review "
        "(Art 21: it needs their approval)",
    )


class CouncilParams(Strict):
    """Consensus and unanimity in the Council (docs/machinery.md sections 3 and 6)."""

    renegotiation_rounds: int = Field(
        2,
        ge=0,
        le=10,
        description="votes after a veto before the measure is blocked for good; before each, "
        "the draft is renegotiated (timings.council_renegotiation) and each round halves every "
        "Member State's propensity to block, as a compromise text is found",
    )


class ClassificationParams(Strict):
    """docs/machinery.md section 4. The tiers follow the law; what 'several Member States' means
    for a cyber crisis is the scenario's choice."""

    scale: Literal["four_tier", "blueprint_0_4"] = Field(
        "four_tier",
        description="blueprint_0_4 is an optional, labelled profile: the 0-4 scale is claimed "
        "by secondary sources, not confirmed in the 2025 Blueprint's text",
    )
    significant_loss_eur: float = Field(500_000.0, ge=0, le=MAX_LOSS_EUR)
    significant_disruption: Probability = Field(
        0.2,
        description="share of an entity's services disrupted that makes its incident "
        "significant, and its Member State significantly impacted (NIS2 Art 6(7)): data theft "
        "or a loss alone make an incident significant, not a disruption of the Member State",
    )
    cyber_crisis_member_states: int = Field(
        4, ge=2, le=27,
        description="in how many Member States a large-scale incident must pose serious risks "
        "at once to be a cyber crisis (the Blueprint says 'several': a parameter)",
    )
    cyber_crisis_disruption: Probability = Field(
        0.75,
        description="a Member State's level of disruption (weighted by criticality) that poses "
        "a serious risk there; a disruption beyond its CSIRT's capacity does too (a parameter)",
    )


class Machinery(Strict):
    csirts_network: CsirtsNetworkParams = Field(default_factory=CsirtsNetworkParams)
    cyclone: CycloneParams = Field(default_factory=CycloneParams)
    reserve: ReserveParams = Field(default_factory=ReserveParams)
    classification: ClassificationParams = Field(default_factory=ClassificationParams)
    council: CouncilParams = Field(default_factory=CouncilParams)
    legal_regime: LegalRegime = Field(
        default_factory=LegalRegime,
        description="the law in force: which reporting obligations, bodies and instruments "
        "existed (docs/machinery.md section 12); each element left out follows metadata.start",
    )
    sanctions_framework_in_force: bool | None = Field(
        None,
        description="the older name of legal_regime.sanctions_framework, still read (the two "
        "may not disagree); left out, Decision (CFSP) 2019/797 is in force from 18 May 2019",
    )
    initial_ipcr_mode: Literal["none", "monitoring"] = "none"
    ipcr_automatic_full_activation: bool = Field(
        False,
        description="the Presidency fully activates IPCR by itself during a cyber crisis, "
        "timings.ipcr_full_activation after information sharing began; off by default: no "
        "cyber incident has led to a full activation yet, so it is left to decision points and "
        "to Art 222",
    )


# --------------------------------------------------------------------------------------------
# the Cyber Diplomacy Toolbox (docs/machinery.md section 6)


class Prerequisites(Strict):
    """What must hold before a measure can be adopted; the engine refuses it otherwise."""

    min_tier: Tier | None = None
    min_attribution_grade: int | None = Field(
        None,
        ge=0,
        le=4,
        description="the grade Member States' own attributions (or EU language already "
        "adopted) must reach; a partner's attribution counts at its own grade for a stability "
        "measure (a declaration aligned with partners) and as grade 1 (citing it) for any "
        "other, and EU INTCEN's assessment informs Member States but is no basis by itself",
    )
    shared_situational_awareness: bool = Field(
        False, description="an EU-CyCLONe impact assessment or an EU INTCEN threat assessment"
    )
    sanctions_framework: bool = False
    listing_proposal: bool = Field(
        False, description="a Member State's listing proposal (the propose_listing effect)"
    )
    evidence_package: bool = Field(
        False, description="the proposer's evidence package is ready (propose_listing starts it)"
    )
    external_threat: bool = False


class MeasureEffects(Strict):
    attribution_grade: int | None = Field(
        None, ge=0, le=4, description="the grade of EU language the measure expresses"
    )
    deterrence: Probability = 0.0
    escalation_risk: Probability = 0.0


DecisionBody = Literal[
    "council", "high_representative", "hwpci", "psc", "commission", "eeas", "member_state"
]


class ToolboxMeasure(Strict):
    id: Id
    name: Text
    category: ToolboxCategory
    decision_body: DecisionBody = Field(
        description="who takes the measure or carries it out; a measure of the hwpci, the psc "
        "or the council always goes through the Council's chain and a vote"
    )
    voting: Literal["unanimity", "consensus", "none"] = Field(
        description="consensus or unanimity: the 27 must agree, so the measure goes HWPCI -> "
        "PSC (-> COREPER -> Council) and a vote, whatever its decision_body; none: its body "
        "decides alone, the Commission, the EEAS or the High Representative after "
        "timings.institution_clearance, a Member State at once (docs/machinery.md section 6)"
    )
    prerequisites: Prerequisites = Field(default_factory=Prerequisites)
    lead_time: Distribution = Field(default_factory=_fixed("0m"))
    effects: MeasureEffects = Field(default_factory=MeasureEffects)
    description: Text | None = None

    @model_validator(mode="after")
    def _legal_basis(self) -> ToolboxMeasure:
        if self.category == "restrictive":
            # Decision (CFSP) 2019/797 and Regulation 2019/796: the Council, unanimously, on a
            # listing proposal, under the framework.
            if self.decision_body != "council" or self.voting != "unanimity":
                raise ValueError(
                    "restrictive measures are adopted by the Council by unanimity: set "
                    "decision_body: council and voting: unanimity"
                )
            if not (self.prerequisites.sanctions_framework and self.prerequisites.listing_proposal):
                raise ValueError(
                    "restrictive measures need prerequisites sanctions_framework: true and "
                    "listing_proposal: true (Decision (CFSP) 2019/797)"
                )
        if self.decision_body == "council" and self.voting == "none":
            raise ValueError("the Council decides CFSP matters by consensus or unanimity")
        return self


def _measure(data: dict[str, Any]) -> ToolboxMeasure:
    return ToolboxMeasure.model_validate(data)


#: the standard catalogue (conclusions 10474/17 and the 2023 guidelines), merged with a
#: scenario's own measures unless it sets ``toolbox.standard: false``
STANDARD_TOOLBOX: tuple[ToolboxMeasure, ...] = (
    _measure(
        {
            "id": "awareness_raising",
            "name": "Awareness raising on threats",
            "category": "preventive",
            "decision_body": "eeas",
            "voting": "none",
            "lead_time": "2d",
        }
    ),
    _measure(
        {
            "id": "capacity_building",
            "name": "Cyber capacity building with partners",
            "category": "preventive",
            "decision_body": "commission",
            "voting": "none",
            "lead_time": "30d",
        }
    ),
    _measure(
        {
            "id": "cyber_dialogue",
            "name": "EU-led political and thematic dialogue",
            "category": "cooperative",
            "decision_body": "psc",
            "voting": "consensus",
            "lead_time": "7d",
        }
    ),
    _measure(
        {
            "id": "eu_demarche",
            "name": "Demarche by EU delegations",
            "category": "cooperative",
            "decision_body": "hwpci",
            "voting": "consensus",
            "lead_time": "2d",
            "prerequisites": {"min_tier": "significant"},
        }
    ),
    _measure(
        {
            "id": "hr_declaration",
            "name": "Declaration by the High Representative on behalf of the EU",
            "category": "stability",
            "decision_body": "council",
            "voting": "consensus",
            "lead_time": "1d",
            # declarations have answered espionage that disrupted nothing (SolarWinds 2021,
            # APT28 2024): a significant incident, not a large-scale one
            "prerequisites": {"min_tier": "significant", "shared_situational_awareness": True},
            "effects": {"attribution_grade": 0, "deterrence": 0.1},
        }
    ),
    _measure(
        {
            "id": "council_conclusions",
            "name": "Council conclusions",
            "category": "stability",
            "decision_body": "council",
            "voting": "consensus",
            "lead_time": "3d",
            "prerequisites": {"min_tier": "large_scale", "shared_situational_awareness": True},
            "effects": {"attribution_grade": 0, "deterrence": 0.1},
        }
    ),
    _measure(
        {
            "id": "attribution_statement",
            "name": "EU statement attributing the attack to a state",
            "category": "stability",
            "decision_body": "council",
            "voting": "consensus",
            "lead_time": "2d",
            "prerequisites": {
                "min_tier": "significant",
                "min_attribution_grade": 2,
                "shared_situational_awareness": True,
            },
            "effects": {"attribution_grade": 3, "deterrence": 0.2, "escalation_risk": 0.1},
        }
    ),
    _measure(
        {
            "id": "restrictive_listing",
            "name": "Asset freeze and travel ban on named persons and entities",
            "category": "restrictive",
            "decision_body": "council",
            "voting": "unanimity",
            "lead_time": "5d",
            "prerequisites": {
                "min_tier": "significant",
                "min_attribution_grade": 2,
                "shared_situational_awareness": True,
                "sanctions_framework": True,
                "listing_proposal": True,
                "evidence_package": True,
                "external_threat": True,
            },
            "effects": {"attribution_grade": 4, "deterrence": 0.35, "escalation_risk": 0.15},
        }
    ),
    _measure(
        {
            "id": "support_lawful_response",
            "name": "Support to a Member State's lawful response",
            "category": "support",
            "decision_body": "member_state",
            "voting": "none",
            "lead_time": "1d",
            "prerequisites": {"min_tier": "significant"},
            "effects": {"deterrence": 0.1, "escalation_risk": 0.1},
        }
    ),
)


class Toolbox(Strict):
    standard: bool = Field(True, description="include the standard catalogue")
    measures: list[ToolboxMeasure] = Field(
        default_factory=list,
        description="measures of the scenario; an id from the standard "
        "catalogue replaces that measure whole (unstated fields take the format's defaults, "
        "not the standard measure's)",
    )

    def catalogue(self) -> dict[str, ToolboxMeasure]:
        """Every measure the scenario can use, by id."""
        merged = {m.id: m for m in STANDARD_TOOLBOX} if self.standard else {}
        merged.update((m.id, m) for m in self.measures)
        return merged


# --------------------------------------------------------------------------------------------
# players and decisions


class PlayerRole(Strict):
    """A decision maker that people play live; roles with ``played_by: policy`` follow the
    decision points' policies, as every role does in headless runs."""

    id: Id
    name: Text
    body: Participant
    member_state: MemberStateCode | None = None
    played_by: Literal["players", "policy"] = "players"
    description: Text | None = None


class DecisionOption(Strict):
    id: Id
    label: Text
    effects: list[Effect] = Field(default_factory=list)
    description: Text | None = None


class DecisionPoint(Strict):
    """A choice put to players; headless runs take ``default`` or draw from ``policy``, after a
    deliberation drawn from ``deliberation``."""

    id: Id
    prompt: Text
    decided_by: Participant
    at: Duration | None = None
    when: Condition | None = None
    options: list[DecisionOption] = Field(min_length=2)
    default: Id = Field(description="the option taken when nobody decides in time")
    policy: dict[Id, Annotated[float, Field(ge=0, le=MAX_WEIGHT)]] | None = Field(
        None, description="weights for a stochastic headless policy (default: always 'default')"
    )
    deadline: Duration | None = Field(None, description="time to decide before the default")
    deliberation: Distribution | None = Field(
        None,
        description="how long the policy takes to decide this point, from its opening, when no "
        "player does (default: timings.decision_deliberation); a draw beyond the deadline is "
        "cut to the deadline",
    )
    objectives: list[Id] = Field(default_factory=list)

    @model_validator(mode="after")
    def _trigger(self) -> DecisionPoint:
        _exactly_one_trigger(self, "a decision point")
        return self

    def deliberation_for(self, timings: Timings) -> Distribution:
        """How long the policy deliberates on this point: its own ``deliberation``, else the
        scenario's ``timings.decision_deliberation``, else the default of its window
        (``DELIBERATION_WINDOW`` of its deadline, or ``DELIBERATION_OPEN_ENDED``)."""
        if self.deliberation is not None:
            return self.deliberation
        if timings.decision_deliberation is not None:
            return timings.decision_deliberation
        if self.deadline is None:
            return _OPEN_ENDED
        low, mode, high = (share * self.deadline for share in DELIBERATION_WINDOW)
        # built from minutes, which a scenario's durations never are: no validation to run
        return Triangular.model_construct(kind="triangular", low=low, mode=mode, high=high)


#: when neither the scenario nor the point sets a policy's deliberation: the shares of the
#: point's window (opening to deadline) at which the policy decides at the earliest, most
#: likely and at the latest (docs/machinery.md section 11). No public text fixes how long a
#: crisis cell takes over a decision [param]: early in the window, seldom at its very end.
DELIBERATION_WINDOW = (1 / 12, 1 / 4, 1.0)
#: the same for a point without a deadline: 1 to 6 hours, most likely 2 [param]
DELIBERATION_OPEN_ENDED = ("1h", "2h", "6h")
_OPEN_ENDED = _tri(*DELIBERATION_OPEN_ENDED)()


# --------------------------------------------------------------------------------------------
# the MSEL


InjectMode = Literal[
    "email",
    "phone",
    "chat",
    "briefing",
    "document",
    "news_report",
    "social_media",
    "video",
    "portal",
    "in_person",
]


class ExpectedAction(Strict):
    """What players should do on an inject; ``evidence`` lets scoring see it in the log."""

    text: Text
    by: Participant | None = None
    within: Duration | None = Field(None, description="expiry, counted from delivery")
    evidence: EventRef | None = None


class Inject(Strict):
    """One line of the Master Scenario Events List."""

    id: Id
    at: Duration | None = None
    when: Condition | None = None
    move: Id | None = None
    from_: Participant = Field(alias="from")
    to: list[Participant] = Field(min_length=1)
    mode: InjectMode
    synopsis: Text
    content: Text | None = None
    expected_actions: list[ExpectedAction] = Field(default_factory=list)
    objectives: list[Id] = Field(default_factory=list)
    tlp: Tlp = "amber"
    effects: list[InjectEffect] = Field(
        default_factory=list,
        description="what the inject makes true in the run when it is delivered (at its time, "
        "on its condition, or when a facilitator or a decision plays it), applied as a "
        "decision option's effects are: any decision effect, or a fact the inject states "
        "(detect, public_disclosure, partner_attribution, partner_sanctions)",
    )


class Move(Strict):
    """A named phase of the exercise, as facilitators divide it."""

    id: Id
    name: Text
    start: Duration
    description: Text | None = None


class Msel(Strict):
    moves: list[Move] = Field(default_factory=list)
    injects: list[Inject] = Field(min_length=1)
    contingency_injects: list[Inject] = Field(
        default_factory=list, description="played by the facilitator at any time; no trigger"
    )


# --------------------------------------------------------------------------------------------
# scoring


class MetricBase(Strict):
    id: Id | None = None
    weight: float = Field(1.0, gt=0, le=MAX_WEIGHT)
    description: Text | None = None


class TimeBetween(MetricBase):
    """Time from one event to another against a target; full marks within ``target``,
    none at or beyond ``limit`` (default twice the target), linear between."""

    kind: Literal["time_between"]
    from_: EventRef = Field(alias="from")
    to: EventRef
    target: Duration
    limit: Duration | None = None

    @model_validator(mode="after")
    def _limit(self) -> TimeBetween:
        if self.limit is not None and self.limit <= self.target:
            raise ValueError("limit must be later than target")
        return self


class DeadlineCompliance(MetricBase):
    """Share of NIS2 reports on time (Art 23(4))."""

    kind: Literal["deadline_compliance"]
    report: Literal["early_warning", "notification", "final_report"]
    target: Probability = 0.9


class Occurs(MetricBase):
    """The event happens (before ``by``, if given)."""

    kind: Literal["occurs"]
    event: EventRef
    by: Duration | None = None


class Absent(MetricBase):
    """The event never happens (e.g. no uncoordinated public communication)."""

    kind: Literal["absent"]
    event: EventRef


class Count(MetricBase):
    kind: Literal["count"]
    event: EventRef
    min: int = Field(0, ge=0, le=MAX_EVENTS)
    max: int | None = Field(None, ge=0, le=MAX_EVENTS)

    @model_validator(mode="after")
    def _range(self) -> Count:
        if self.max is not None and self.max < self.min:
            raise ValueError("max must not be below min")
        return self


class Proportionality(MetricBase):
    """Adopted measures fit the tier and the attribution grade (docs/machinery.md section 6)."""

    kind: Literal["proportionality"]


class Coordination(MetricBase):
    """EU statements aligned with partners' (``within`` of theirs), or public messaging
    coordinated."""

    kind: Literal["coordination"]
    aspect: Literal["partner_alignment", "public_communication"]
    within: Duration = 1440.0


class InjectExpectations(MetricBase):
    """Expected player actions met, partly met or missed (default: the objective's injects)."""

    kind: Literal["inject_expectations"]
    injects: list[Id] = Field(default_factory=list)


Metric = Annotated[
    TimeBetween
    | DeadlineCompliance
    | Occurs
    | Absent
    | Count
    | Proportionality
    | Coordination
    | InjectExpectations,
    Field(discriminator="kind"),
]


class Thresholds(Strict):
    """Lowest score for each HSEEP rating; below ``M`` is ``U``."""

    P: Probability = 0.9
    S: Probability = 0.7
    M: Probability = 0.4

    @model_validator(mode="after")
    def _descending(self) -> Thresholds:
        if not self.P > self.S > self.M:
            raise ValueError("thresholds must descend: P > S > M")
        return self


class ScoringRule(Strict):
    objective: Id
    metrics: list[Metric] = Field(min_length=1)
    thresholds: Thresholds = Field(default_factory=Thresholds)


# --------------------------------------------------------------------------------------------
# the scenario


class Scenario(Strict):
    """A whole exercise."""

    schema_version: Literal[1] = Field(description="the version of this format")
    metadata: Metadata
    objectives: list[Objective] = Field(min_length=1)
    world: World = Field(default_factory=World)
    campaign: Campaign
    external_events: list[ExternalEvent] = Field(default_factory=list)
    timings: Timings = Field(default_factory=Timings)
    machinery: Machinery = Field(default_factory=Machinery)
    toolbox: Toolbox = Field(default_factory=Toolbox)
    roles: list[PlayerRole] = Field(default_factory=list)
    msel: Msel
    decision_points: list[DecisionPoint] = Field(default_factory=list)
    scoring: list[ScoringRule] = Field(default_factory=list)

    def all_injects(self) -> list[Inject]:
        return [*self.msel.injects, *self.msel.contingency_injects]
