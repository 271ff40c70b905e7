"""Every kind of event record, documented in one place (docs/design.md, "The spine").

Kinds are namespaced by the body that emits them. Scenario conditions (``when: {event: ...}``)
and scoring metrics name these kinds, and the loader refuses a kind that is not listed here,
so a typo in a trigger cannot silently never fire. The engine emits nothing that is not here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

EVENT_KINDS: dict[str, str] = {
    # the run itself
    "run.started": "the run began (scenario hash, seed, version in the payload)",
    "run.ended": "the run reached its end or its --until time",
    "run.failed": "the run stopped on an error, recorded in the payload",
    "run.interrupted": "a signal (Ctrl-C, SIGTERM, SIGHUP) stopped the run; the log so far is kept",
    # the law in force (docs/machinery.md section 12)
    "law.in_force": "the law the run plays under, stated at its start: the reporting regime and "
                    "which bodies and instruments exist (each from the scenario's start date, "
                    "or as its legal_regime sets it)",
    "law.not_in_force": "the machinery would take a step the law in force did not provide for "
                        "(EU-CyCLONe before September 2020, the CSIRTs network before 2017, an "
                        "incident review before the Cyber Solidarity Act): nothing happens; what "
                        "and why in the payload",
    # adversary and incident
    "adversary.wave_started": "a campaign wave began",
    "adversary.spread": "the campaign reached another Member State or sector",
    "adversary.impact": "the impact in a Member State changed",
    "adversary.deterred": "the adversary scaled down after an EU response",
    "adversary.escalated": "the adversary escalated after an EU response",
    "fimi.narrative": "a FIMI narrative was pushed",
    "fimi.amplified": "a FIMI narrative gained reach",
    "fimi.countered": "a FIMI narrative was countered by public communication",
    # affected entities (NIS2 Art 23)
    "entity.compromised": "an essential or important entity was compromised",
    "entity.detected": "an entity became aware of the incident (the NIS2 clocks start)",
    "entity.early_warning": "early warning sent to the CSIRT (due within 24 h)",
    "entity.notification": "incident notification sent (NIS2: due within 72 h; NIS1: 'without "
                           "undue delay', no deadline; or voluntary, where no EU law obliged it)",
    "entity.final_report": "final report sent (due within one month of the notification)",
    "entity.deadline_missed": "a NIS2 reporting deadline passed without the report",
    "entity.recovered": "the entity restored its services",
    # national level
    "csirt.feedback": "the national CSIRT answered an entity",
    # CERT-EU and the Union entities (Regulation (EU) 2023/2841)
    "cert_eu.feedback": "CERT-EU answered a Union entity's report",
    "cert_eu.informed": "CERT-EU passed an incident in the Union entities on to the CSIRTs "
                        "network",
    "csirt.overloaded": "the national CSIRT's handling capacity is exhausted",
    "spoc.cross_border": "a SPoC informed the other affected Member States and ENISA",
    "member_state.attribution": "a Member State attributed the attack (a sovereign decision)",
    "member_state.intel_shared": "a Member State shared intelligence with EU INTCEN",
    "member_state.veto": "a Member State blocked a Council decision",
    "member_state.listing_proposed": "a Member State asked for restrictive measures (listing)",
    "member_state.evidence_ready": "the evidence package for a listing is ready",
    # classification (docs/machinery.md section 4)
    "classification.tier": "the incident's tier changed (below_threshold ... cyber_crisis)",
    # CSIRTs network (NIS2 Art 15)
    "csirts_network.informed": "a national CSIRT passed an incident on to the CSIRTs network; "
                               "from here the EU level knows of it",
    "csirts_network.alert": "the CSIRTs network raised or changed its alert mode",
    "csirts_network.indicators_shared": "indicators shared; detection speeds up elsewhere",
    "csirts_network.joint_statement": "the CSIRTs network issued a joint public statement",
    # EU-CyCLONe (NIS2 Art 16)
    "cyclone.activated": "EU-CyCLONe was activated",
    "cyclone.assessment": "EU-CyCLONe impact and severity assessment with proposed mitigations",
    "cyclone.deactivated": "EU-CyCLONe stood down",
    # political crisis track (IPCR, Council Implementing Decision 2018/1993)
    "ipcr.mode": "the IPCR mode changed",
    "ipcr.isaa_report": "an Integrated Situational Awareness and Analysis report",
    "ipcr.roundtable": "an IPCR roundtable met",
    # the Council Presidency (Art 16(9) TEU)
    "presidency.handover": "the Council Presidency passed to the next Member State (1 January "
                           "or 1 July): it chairs EU-CyCLONe, IPCR's roundtables and the "
                           "HWPCI from now on",
    # foreign-policy track
    "intcen.assessment": "EU INTCEN threat assessment (confidence, attribution grade)",
    "hwpci.agreed": "the HWPCI agreed a draft",
    "psc.agreed": "the PSC agreed a draft",
    "coreper.agreed": "COREPER agreed a draft",
    "council.held": "a prepared measure's final decision waits for a partner's attribution",
    "council.vote": "the Council decided by consensus or unanimity (or failed to)",
    # Cyber Diplomacy Toolbox
    "measure.proposed": "a Toolbox measure was proposed",
    "measure.prepared": "a Toolbox measure was prepared by the working party",
    "measure.adopted": "a Toolbox measure was adopted",
    "measure.blocked": "a Toolbox measure was blocked (veto or missing prerequisite)",
    "measure.in_effect": "a Toolbox measure took effect",
    # Cyber Solidarity Act and treaty clauses
    "reserve.requested": "an EU Cybersecurity Reserve request via the SPoC",
    "reserve.deployed": "Reserve providers were deployed",
    "reserve.refused": "a Reserve request was refused (the reason in the payload)",
    "reserve.released": "Reserve providers finished a deployment",
    "reserve.queued_at_end": "a Reserve request was still queued when the run ended",
    "incident_review.requested": "an ENISA incident review was requested",
    "incident_review.joined": "a further request joined the incident review already asked for",
    "incident_review.approval": "the Member States concerned answered: approved or declined",
    "incident_review.completed": "ENISA delivered its incident review report",
    "treaty.art222_invoked": "the solidarity clause (Art 222 TFEU) was invoked",
    "treaty.art42_7_invoked": "mutual assistance (Art 42(7) TEU) was invoked",
    "treaty.art42_7_support": "Member States pledged support under Art 42(7) TEU",
    # partners and the outside world
    "partner.attribution": "a partner (US, UK, NATO ...) attributed the attack",
    "partner.sanctions": "a partner adopted sanctions",
    "external.vendor_disclosure": "a vendor disclosed a vulnerability or compromise",
    "external.vendor_attribution": "a security vendor publicly attributed the attack: it "
                                   "informs EU INTCEN, never the basis of EU language",
    "external.not_an_attack": "a partner or a vendor stated publicly that the incident is not "
                              "an attack (a faulty update, a technical outage)",
    "external.patch_release": "a vendor released a patch or mitigation",
    "external.media_leak": "the media reported the incident",
    "external.event": "another scripted external event",
    # public communication
    "communication.public": "a public message (coordinated or not)",
    # the exercise
    "inject.delivered": "an MSEL inject was delivered to its receivers",
    "inject.skipped": "an MSEL inject was not delivered by the end (the reason in the payload)",
    "move.started": "a move (phase) of the exercise began",
    "decision.pending": "a decision point opened",
    "decision.made": "a decision was taken (by a player or a policy)",
    "decision.unresolved": "a decision point was still open when the run ended",
    "observation.noted": "an evaluator noted an observation",
}


#: the kind each type of scenario ``external_events`` entry is logged as
EXTERNAL_EVENT_KINDS: dict[str, str] = {
    "allied_attribution": "partner.attribution",
    "partner_sanctions": "partner.sanctions",
    "vendor_disclosure": "external.vendor_disclosure",
    "vendor_attribution": "external.vendor_attribution",
    "not_an_attack": "external.not_an_attack",
    "patch_release": "external.patch_release",
    "media_leak": "external.media_leak",
    "other": "external.event",
}


#: the NIS2 Art 23(4) reports, each with its deadline (``entity.<report>`` events)
NIS2_REPORTS = ("early_warning", "notification", "final_report")


@dataclass(frozen=True)
class FieldType:
    """The type of one payload field: what the engine emits there, so that a log reader can
    refuse anything else at its line instead of failing deep inside a chart.

    Only names and bounds live here, no validator: this module is imported by the scenario
    loader, which the reference data and the duration bound depend on, so ``records.py`` turns
    each ``base`` into a strict check (and the words an error message uses).
    """

    #: text, id, scope, member_state, country (outside the Union), sector, tier, ipcr_mode,
    #: tlp, criticality, technique,
    #: sha256, timestamp, time (minutes in a run), due (minutes, may lie past the run's end),
    #: number, integer, boolean, one_of, list
    base: str
    low: float | None = None  # number and integer: the bounds, both included
    high: float | None = None
    values: tuple[str, ...] = ()  # one_of: the only values
    item: FieldType | None = None  # list: each item's type
    nullable: bool = False  # the engine may write null here
    optional: bool = False  # only some records of the kind carry the field


def number(low: float, high: float) -> FieldType:
    return FieldType("number", low=low, high=high)


def integer(low: int, high: int) -> FieldType:
    return FieldType("integer", low=low, high=high)


def one_of(*values: str) -> FieldType:
    return FieldType("one_of", values=values)


def list_of(item: FieldType) -> FieldType:
    return FieldType("list", item=item)


def nullable(of: FieldType) -> FieldType:
    return replace(of, nullable=True)


def optional(of: FieldType) -> FieldType:
    return replace(of, optional=True)


TEXT = FieldType("text")  # any text: names, descriptions, reasons, free prose
ID = FieldType("id")  # an id from the scenario (ID_PATTERN): wave, measure, inject, entity ...
SCOPE = FieldType("scope")  # who acts or receives: ``DE.csirt``, ``partner.US``, a role id
MEMBER_STATE = FieldType("member_state")  # ISO code of one of the 27
COUNTRY = FieldType("country")  # ISO code of a country outside the Union
SECTOR = FieldType("sector")  # a NIS2 sector
TIME = FieldType("time")  # simulated minutes since the start, within the longest run
DUE = FieldType("due")  # a deadline in simulated minutes: may lie past the run's end
BOOL = FieldType("boolean")
LEVEL = number(0, 1)  # impact levels, confidences, shares
GRADE = integer(0, 4)  # attribution grades, docs/machinery.md section 6
#: counts: events, entities, rounds, assessments; a log holds at most a million records, and
#: no count the engine keeps comes near a thousand million
COUNT = integer(0, 1_000_000_000)
IDS = list_of(ID)
TEXTS = list_of(TEXT)
MEMBER_STATES = list_of(MEMBER_STATE)

#: the seeds a run takes (``ttx run --seed``) and its log records: 64 bits, signed or not
SEEDS = (-(2**63), 2**64 - 1)

#: the pattern of every id in a log, as ``simulator.scenario.base.Id``: a log's ids come from
#: its scenario, and the scenario named in ``run.started`` is looked up as a file by its id
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"

#: the payload of each kind, field by field with its type (docs/design.md, "The spine": typed
#: records). Times in payloads are simulated minutes since the start, like ``t``; levels and
#: confidences are in [0, 1]; attribution grades are docs/machinery.md section 6's 0-4. The engine
#: emits exactly these (tests/test_kinds.py holds every record of the library's runs to them)
#: and a log is read against them (``simulator.engine.records``).
PAYLOADS: dict[str, dict[str, FieldType]] = {
    "run.started": {
        "scenario": ID, "title": TEXT, "sha256": FieldType("sha256"),
        "seed": integer(*SEEDS), "version": TEXT,
        "start": FieldType("timestamp"), "duration": TIME, "end": TIME,
        "presidency": MEMBER_STATE, "interactive": BOOL,
        # absent from logs written before it existed
        "live_roles": optional(list_of(SCOPE)),
    },
    "run.ended": {"status": one_of("completed"), "events": COUNT, "reached_end": BOOL},
    "run.failed": {"error": TEXT, "t": TIME, "events": COUNT},
    "run.interrupted": {"signal": ID, "events": COUNT},
    "law.in_force": {
        "reporting": one_of("nis2", "nis1", "none"), "csirts_network": BOOL, "cyclone": BOOL,
        "cyber_solidarity_act": BOOL,
        # in force at the start, and from when in the run (null: not within the run)
        "sanctions_framework": BOOL, "sanctions_framework_from": nullable(TIME),
        # the elements the scenario set against what its start date says: what-ifs
        "what_if": IDS,
    },
    "law.not_in_force": {
        "body": one_of("csirts_network", "cyclone", "reserve", "incident_review"),
        "step": TEXT, "reason": TEXT, "requested_by": nullable(TEXT),
    },
    "adversary.wave_started": {
        "vector": ID, "techniques": list_of(FieldType("technique")), "targets": MEMBER_STATES,
        "sectors": list_of(SECTOR),
        # who is behind the wave (null: no one caused it); absent from earlier logs
        "threat_actor": optional(nullable(TEXT)),
        # where it came from, for a wave that starts outside the Union and spills over
        "third_countries": optional(list_of(COUNTRY)),
    },
    "adversary.spread": {
        "reached": COUNT, "sector": nullable(SECTOR), "sectors": list_of(SECTOR),
        "escalation": COUNT,
    },
    "adversary.impact": {
        "level": LEVEL, "entities_disrupted": COUNT, "entities_compromised": COUNT,
        "loss_eur": number(0, 1e15), "significant": BOOL, "risk_to_life": BOOL,
        # a significant impact on the Member State (NIS2 Art 6(7)): an entity disrupted at or
        # above the threshold, or a risk to life; absent from logs written before it existed
        "significant_impact": optional(BOOL),
    },
    "adversary.deterred": {"measure": ID},
    "adversary.escalated": {"measure": ID, "level": COUNT},
    "fimi.narrative": {"narrative": ID, "text": TEXT, "targets": MEMBER_STATES, "channels": IDS},
    "fimi.amplified": {"narrative": ID, "reach": COUNT},
    "fimi.countered": {"narrative": ID, "by": SCOPE},
    "entity.compromised": {
        "entity": ID, "sector": SECTOR, "criticality": FieldType("criticality"),
    },
    "entity.detected": {"entity": ID, "sector": SECTOR},
    **{
        f"entity.{report}": {"entity": ID, "sector": SECTOR, "due": DUE, "on_time": BOOL}
        for report in NIS2_REPORTS
    },
    # without a deadline (NIS1's "without undue delay", or voluntary: ``basis``), a notification
    # has no due time and is neither on time nor late
    "entity.notification": {
        "entity": ID, "sector": SECTOR, "due": nullable(DUE), "on_time": nullable(BOOL),
        "basis": optional(one_of("nis1", "voluntary")),
    },
    "entity.deadline_missed": {"entity": ID, "report": one_of(*NIS2_REPORTS), "due": DUE},
    "entity.recovered": {"entity": ID},
    "csirt.feedback": {"entity": ID, "report": one_of(*NIS2_REPORTS)},
    "cert_eu.feedback": {"entity": ID, "report": one_of(*NIS2_REPORTS)},
    "cert_eu.informed": {"wave": ID},
    "csirt.overloaded": {"waiting": COUNT, "capacity": COUNT},
    "spoc.cross_border": {"informed": IDS},  # the other Member States and ENISA
    "member_state.attribution": {"grade": GRADE, "threat_actor": TEXT, "decision": nullable(ID)},
    "member_state.intel_shared": {"basis": TEXT},
    "member_state.veto": {"round": COUNT},
    "member_state.listing_proposed": {"measure": ID, "decision": nullable(ID)},
    "member_state.evidence_ready": {"measure": ID},
    "classification.tier": {
        "tier": FieldType("tier"), "previous": FieldType("tier"), "reason": TEXT,
        "member_states": MEMBER_STATES,
        # only under machinery.classification.scale: blueprint_0_4, labelled as unconfirmed
        "severity_0_4": optional(GRADE), "severity_note": optional(TEXT),
    },
    "csirts_network.informed": {"wave": ID, "reporting": COUNT},
    "csirts_network.alert": {
        "mode": ID, "previous": ID, "reason": TEXT, "member_states": MEMBER_STATES,
    },
    "csirts_network.indicators_shared": {"member_states": MEMBER_STATES,
                                         "declined": MEMBER_STATES,
                                         # what the exchange is about beyond members' reports
                                         # (a vendor's disclosure), when it is
                                         "on": optional(TEXT)},
    "csirts_network.joint_statement": {
        "with_bodies": TEXTS, "member_states": MEMBER_STATES, "trigger": ID,
    },
    "cyclone.activated": {
        "trigger": TEXT, "chair": MEMBER_STATE, "commission": one_of("full_member", "observer"),
        "level": one_of("officers", "executives"),
    },
    "cyclone.assessment": {
        "number": COUNT, "tier": FieldType("tier"), "member_states_affected": MEMBER_STATES,
        "significant": MEMBER_STATES, "impact": LEVEL, "level": one_of("officers", "executives"),
        "commission": one_of("full_member", "observer"), "mitigations": TEXTS, "to": TEXTS,
        # the Presidency in office that chairs it; absent from logs written before it existed
        "chair": optional(MEMBER_STATE),
    },
    "cyclone.deactivated": {"reason": TEXT, "assessments": COUNT},
    "ipcr.mode": {
        "mode": FieldType("ipcr_mode"), "previous": FieldType("ipcr_mode"), "reason": TEXT,
        "via": ID,
    },
    "ipcr.isaa_report": {
        "authors": TEXTS, "input": TEXTS, "tier": FieldType("tier"),
        "member_states_affected": MEMBER_STATES, "mode": FieldType("ipcr_mode"),
    },
    "ipcr.roundtable": {"mode": FieldType("ipcr_mode"), "chair": MEMBER_STATE},
    "presidency.handover": {"outgoing": MEMBER_STATE, "incoming": MEMBER_STATE},
    "intcen.assessment": {
        "number": COUNT, "confidence": LEVEL, "attribution_grade": GRADE,
        "shared_by": MEMBER_STATES, "partners": IDS, "threat_actor": TEXT, "to": TEXTS,
        # the vendors whose public attributions it weighed, when some have attributed
        "vendors": optional(TEXTS),
    },
    "hwpci.agreed": {"renegotiated": BOOL},
    "psc.agreed": {"renegotiated": BOOL},
    "coreper.agreed": {"renegotiated": BOOL},
    "council.held": {"body": ID, "until": TEXT},
    "council.vote": {
        "body": ID, "voting": one_of("unanimity", "consensus", "none"),
        "outcome": one_of("adopted", "failed"), "vetoes": MEMBER_STATES, "round": COUNT,
        "aligned_with": IDS, "proportionate": BOOL,
    },
    "measure.proposed": {
        "name": TEXT, "category": ID, "decision_body": ID,
        "voting": one_of("unanimity", "consensus", "none"), "by": TEXT, "proportionate": BOOL,
        "proportionality": TEXT, "missing": TEXTS, "align_with_partners": BOOL,
    },
    "measure.prepared": {"by": ID},
    "measure.adopted": {
        # null: the measure's language attributes nothing
        "category": ID, "attribution_grade": nullable(GRADE), "deterrence": LEVEL,
        "escalation_risk": LEVEL, "proportionate": BOOL, "aligned_with": IDS,
    },
    "measure.blocked": {"reason": TEXT},
    "measure.in_effect": {},
    "reserve.requested": {
        "request": ID, "sector": nullable(SECTOR), "reason": TEXT, "own_mitigation": BOOL,
    },
    "reserve.deployed": {"request": ID, "rank_score": number(0, 5), "queued_behind": COUNT},
    "reserve.refused": {"request": ID, "reason": TEXT},
    "reserve.released": {"request": ID},
    "reserve.queued_at_end": {"request": ID, "requested": TIME},
    "incident_review.requested": {
        "requested_by": one_of("commission", "cyclone"), "member_states": MEMBER_STATES,
        "approval": TEXT,
    },
    "incident_review.joined": {
        "requested_by": one_of("commission", "cyclone"), "decision": nullable(ID),
    },
    "incident_review.approval": {"approved": MEMBER_STATES, "declined": MEMBER_STATES},
    "incident_review.completed": {"member_states": MEMBER_STATES, "to": TEXTS},
    "treaty.art222_invoked": {"decision": nullable(ID)},
    "treaty.art42_7_invoked": {"decision": nullable(ID)},
    "treaty.art42_7_support": {"pledged_by": MEMBER_STATES, "unanimous": BOOL},
    "partner.attribution": {
        "partner": ID, "attribution_grade": GRADE, "description": TEXT, "scripted": BOOL,
    },
    "partner.sanctions": {"partner": ID, "description": TEXT, "scripted": BOOL},
    **{
        kind: {"type": one_of(scripted), "description": TEXT}
        for scripted, kind in EXTERNAL_EVENT_KINDS.items() if kind.startswith("external.")
    },
    "external.vendor_attribution": {
        "type": one_of("vendor_attribution"), "vendor": TEXT, "attribution_grade": GRADE,
        "description": TEXT,
    },
    "external.not_an_attack": {
        # by: the partner's or the vendor's name; partner: its id, null for a vendor
        "type": one_of("not_an_attack"), "by": TEXT, "partner": nullable(ID), "description": TEXT,
    },
    "communication.public": {
        "mode": one_of("coordinated", "uncoordinated", "silent"), "decision": nullable(ID),
        "by": nullable(TEXT), "partners_aligned": BOOL,
    },
    "inject.delivered": {
        "to": list_of(SCOPE), "mode": ID, "synopsis": TEXT, "move": nullable(ID),
        "tlp": FieldType("tlp"), "objectives": IDS, "contingency": BOOL, "by": TEXT,
        # the inject's effects, applied as it is delivered (only an inject that has some)
        "effects": optional(IDS),
    },
    "inject.skipped": {"reason": TEXT},
    "move.started": {"move": ID, "name": TEXT},
    "decision.pending": {
        "prompt": TEXT, "decided_by": ID, "options": IDS, "default": ID,
        "deadline": nullable(DUE),
    },
    "decision.made": {
        # by: the policy, the deadline's default, or the players (a name they give); taken: how,
        # whatever the name (absent from logs written before it existed)
        "option": ID, "label": TEXT, "by": TEXT, "rationale": nullable(TEXT), "effects": IDS,
        "taken": optional(one_of("policy", "players", "deadline")),
    },
    "decision.unresolved": {"opened": TIME, "default": ID},
    "observation.noted": {
        "text": TEXT, "by": TEXT,
        # an evaluator's observation may say what kind it is and which objective it is about
        "kind": optional(one_of("strength", "improvement", "note")),
        # the objectives it is about (``objective``: one, as earlier logs wrote it)
        "objectives": optional(IDS),
        "objective": optional(nullable(ID)),
    },
}

assert set(PAYLOADS) == set(EVENT_KINDS), "PAYLOADS out of step with EVENT_KINDS"

#: the payload fields of each kind that every record carries (derived from ``PAYLOADS``)
PAYLOAD_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name, type_ in fields.items() if not type_.optional)
    for kind, fields in PAYLOADS.items()
}

#: fields only some records of a kind carry (derived from ``PAYLOADS``)
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    kind: optional_fields
    for kind, fields in PAYLOADS.items()
    if (optional_fields := tuple(name for name, t in fields.items() if t.optional))
}


def namespace(kind: str) -> str:
    """The emitting body of a kind: ``cyclone.assessment`` -> ``cyclone``."""
    return kind.split(".", 1)[0]
