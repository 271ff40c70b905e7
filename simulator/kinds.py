"""Every kind of event record, documented in one place (DESIGN.md, "The spine").

Kinds are namespaced by the body that emits them. Scenario conditions (``when: {event: ...}``)
and scoring metrics name these kinds, and the loader refuses a kind that is not listed here,
so a typo in a trigger cannot silently never fire. The engine emits nothing that is not here.
"""

from __future__ import annotations

EVENT_KINDS: dict[str, str] = {
    # the run itself
    "run.started": "the run began (scenario hash, seed, version in the payload)",
    "run.ended": "the run reached its end or its --until time",
    "run.failed": "the run stopped on an error, recorded in the payload",
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
    "entity.notification": "incident notification sent (due within 72 h)",
    "entity.final_report": "final report sent (due within one month of the notification)",
    "entity.deadline_missed": "a NIS2 reporting deadline passed without the report",
    "entity.recovered": "the entity restored its services",
    # national level
    "csirt.feedback": "the national CSIRT answered an entity",
    "csirt.overloaded": "the national CSIRT's handling capacity is exhausted",
    "spoc.cross_border": "a SPoC informed the other affected Member States and ENISA",
    "member_state.attribution": "a Member State attributed the attack (a sovereign decision)",
    "member_state.intel_shared": "a Member State shared intelligence with EU INTCEN",
    "member_state.veto": "a Member State blocked a Council decision",
    "member_state.listing_proposed": "a Member State asked for restrictive measures (listing)",
    "member_state.evidence_ready": "the evidence package for a listing is ready",
    # classification (DOMAIN.md section 4)
    "classification.tier": "the incident's tier changed (below_threshold ... cyber_crisis)",
    # CSIRTs network (NIS2 Art 15)
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


#: the payload fields of each kind (DESIGN.md, "The spine": typed records). Times in payloads
#: are simulated minutes since the start, like ``t``; levels and confidences are in [0, 1];
#: attribution grades are DOMAIN.md section 6's 0-4. A test holds every emitted record to this.
PAYLOAD_FIELDS: dict[str, tuple[str, ...]] = {
    "run.started": (
        "scenario", "title", "sha256", "seed", "version", "start", "duration", "end",
        "presidency", "interactive",
    ),
    "run.ended": ("status", "events", "reached_end"),
    "run.failed": ("error", "t", "events"),
    "adversary.wave_started": ("vector", "techniques", "targets", "sectors"),
    "adversary.spread": ("reached", "sector", "sectors", "escalation"),
    "adversary.impact": (
        "level", "entities_disrupted", "entities_compromised", "loss_eur", "significant",
        "risk_to_life",
    ),
    "adversary.deterred": ("measure",),
    "adversary.escalated": ("measure", "level"),
    "fimi.narrative": ("narrative", "text", "targets", "channels"),
    "fimi.amplified": ("narrative", "reach"),
    "fimi.countered": ("narrative", "by"),
    "entity.compromised": ("entity", "sector", "criticality"),
    "entity.detected": ("entity", "sector"),
    "entity.early_warning": ("entity", "sector", "due", "on_time"),
    "entity.notification": ("entity", "sector", "due", "on_time"),
    "entity.final_report": ("entity", "sector", "due", "on_time"),
    "entity.deadline_missed": ("entity", "report", "due"),
    "entity.recovered": ("entity",),
    "csirt.feedback": ("entity", "report"),
    "csirt.overloaded": ("waiting", "capacity"),
    "spoc.cross_border": ("informed",),
    "member_state.attribution": ("grade", "threat_actor", "decision"),
    "member_state.intel_shared": ("basis",),
    "member_state.veto": ("round",),
    "member_state.listing_proposed": ("measure", "decision"),
    "member_state.evidence_ready": ("measure",),
    "classification.tier": ("tier", "previous", "reason", "member_states"),
    "csirts_network.alert": ("mode", "previous", "reason", "member_states"),
    "csirts_network.indicators_shared": ("member_states", "declined"),
    "csirts_network.joint_statement": ("with_bodies", "member_states", "trigger"),
    "cyclone.activated": ("trigger", "chair", "commission", "level"),
    "cyclone.assessment": (
        "number", "tier", "member_states_affected", "significant", "impact", "level",
        "commission", "mitigations", "to",
    ),
    "cyclone.deactivated": ("reason", "assessments"),
    "ipcr.mode": ("mode", "previous", "reason", "via"),
    "ipcr.isaa_report": ("authors", "input", "tier", "member_states_affected", "mode"),
    "ipcr.roundtable": ("mode", "chair"),
    "intcen.assessment": (
        "number", "confidence", "attribution_grade", "shared_by", "partners", "threat_actor",
        "to",
    ),
    "hwpci.agreed": ("renegotiated",),
    "psc.agreed": ("renegotiated",),
    "coreper.agreed": ("renegotiated",),
    "council.held": ("body", "until"),
    "council.vote": (
        "body", "voting", "outcome", "vetoes", "round", "aligned_with", "proportionate",
    ),
    "measure.proposed": (
        "name", "category", "decision_body", "voting", "by", "proportionate", "proportionality",
        "missing", "align_with_partners",
    ),
    "measure.prepared": ("by",),
    "measure.adopted": (
        "category", "attribution_grade", "deterrence", "escalation_risk", "proportionate",
        "aligned_with",
    ),
    "measure.blocked": ("reason",),
    "measure.in_effect": (),
    "reserve.requested": ("request", "sector", "reason", "own_mitigation"),
    "reserve.deployed": ("request", "rank_score", "queued_behind"),
    "reserve.refused": ("request", "reason"),
    "reserve.released": ("request",),
    "incident_review.requested": ("requested_by", "member_states", "approval"),
    "incident_review.joined": ("requested_by", "decision"),
    "incident_review.approval": ("approved", "declined"),
    "incident_review.completed": ("member_states", "to"),
    "treaty.art222_invoked": ("decision",),
    "treaty.art42_7_invoked": ("decision",),
    "treaty.art42_7_support": ("pledged_by", "unanimous"),
    "partner.attribution": ("partner", "attribution_grade", "description", "scripted"),
    "partner.sanctions": ("partner", "description", "scripted"),
    "external.vendor_disclosure": ("type", "description"),
    "external.patch_release": ("type", "description"),
    "external.media_leak": ("type", "description"),
    "external.event": ("type", "description"),
    "communication.public": ("mode", "decision", "by", "partners_aligned"),
    "inject.delivered": (
        "to", "mode", "synopsis", "move", "tlp", "objectives", "contingency", "by",
    ),
    "inject.skipped": ("reason",),
    "move.started": ("move", "name"),
    "decision.pending": ("prompt", "decided_by", "options", "default", "deadline"),
    "decision.made": ("option", "label", "by", "rationale", "effects"),
    "decision.unresolved": ("opened", "default"),
    "observation.noted": ("text", "by"),
}

#: the NIS2 Art 23(4) reports, each with its deadline (``entity.<report>`` events)
NIS2_REPORTS = ("early_warning", "notification", "final_report")

#: fields only some records of a kind carry
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    # only under machinery.classification.scale: blueprint_0_4, labelled as unconfirmed
    "classification.tier": ("severity_0_4", "severity_note"),
    # an evaluator's observation may say what kind it is and which objective it is about
    "observation.noted": ("kind", "objective"),
}

assert set(PAYLOAD_FIELDS) == set(EVENT_KINDS), "PAYLOAD_FIELDS out of step with EVENT_KINDS"


#: the kind each type of scenario ``external_events`` entry is logged as
EXTERNAL_EVENT_KINDS: dict[str, str] = {
    "allied_attribution": "partner.attribution",
    "partner_sanctions": "partner.sanctions",
    "vendor_disclosure": "external.vendor_disclosure",
    "patch_release": "external.patch_release",
    "media_leak": "external.media_leak",
    "other": "external.event",
}


def namespace(kind: str) -> str:
    """The emitting body of a kind: ``cyclone.assessment`` -> ``cyclone``."""
    return kind.split(".", 1)[0]
