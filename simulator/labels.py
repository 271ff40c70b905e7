"""Plain words for everything the log and the scenario name by an id: event kinds, bodies and
participants, Member States, Toolbox measures, tiers, IPCR modes, NIS2 reports, sectors.

One table, so that the After-Action Report, the scorecard, the console and ``ttx kinds`` say
the same thing the same way: a minister's adviser reads "EU-CyCLONe was activated", never
``cyclone.activated``, and "Lithuania's cyber crisis authority", never ``LT.authority``.

Each event kind has three forms (``EventLabel``): a sentence (what happened, in the past
tense), a noun phrase (what a metric looks for: "an EU-CyCLONe assessment") and its plural
("EU-CyCLONe assessments"). Kinds added to ``simulator.kinds`` later fall back to their
meaning there until they get a label here; a test fails while one has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .kinds import EVENT_KINDS
from .scenario.reference import EU_BODIES, MEMBER_STATES, NATIONAL_BODIES

if TYPE_CHECKING:
    from .scenario.models import Scenario


@dataclass(frozen=True)
class EventLabel:
    sentence: str  # what happened: "EU-CyCLONe was activated"
    noun: str  # one such event: "EU-CyCLONe's activation"
    plural: str  # several: "activations of EU-CyCLONe"
    #: for kinds about one Toolbox measure: the sentence and the noun with ``{measure}``
    named: tuple[str, str] | None = None


def _label(sentence: str, noun: str, plural: str,
           named: tuple[str, str] | None = None) -> EventLabel:
    return EventLabel(sentence, noun, plural, named)


#: every event kind in words (simulator.kinds.EVENT_KINDS)
EVENT_LABELS: dict[str, EventLabel] = {
    # the run itself
    "run.started": _label("the exercise began", "the start of the exercise",
                          "starts of the exercise"),
    "run.ended": _label("the exercise ended", "the end of the exercise", "ends of the exercise"),
    "run.failed": _label("the run stopped on an error", "a failure of the run",
                         "failures of the run"),
    "run.interrupted": _label("the run was interrupted", "an interruption of the run",
                              "interruptions of the run"),
    # the law in force
    "law.in_force": _label("the law in force for the run was stated", "the law in force",
                           "statements of the law in force"),
    "law.not_in_force": _label("a step the law in force did not provide for was not taken",
                               "a step the law in force did not provide for",
                               "steps the law in force did not provide for"),
    # adversary and incident
    "adversary.wave_started": _label("a new wave of the attack began", "a new wave of the attack",
                                     "new waves of the attack"),
    "adversary.spread": _label("the attack spread further", "a spread of the attack",
                               "spreads of the attack"),
    "adversary.impact": _label("the impact on a Member State changed", "a change of impact",
                               "changes of impact"),
    "adversary.deterred": _label("the attacker scaled down after an EU response",
                                 "a de-escalation by the attacker",
                                 "de-escalations by the attacker"),
    "adversary.escalated": _label("the attacker escalated after an EU response",
                                  "an escalation by the attacker",
                                  "escalations by the attacker"),
    "fimi.narrative": _label("a disinformation narrative was pushed",
                             "a disinformation narrative", "disinformation narratives"),
    "fimi.amplified": _label("a disinformation narrative gained reach",
                             "an amplification of a disinformation narrative",
                             "amplifications of disinformation narratives"),
    "fimi.countered": _label("a disinformation narrative was countered",
                             "a rebuttal of a disinformation narrative",
                             "rebuttals of disinformation narratives"),
    # affected entities (NIS2 Art 23)
    "entity.compromised": _label("an essential or important entity was compromised",
                                 "a compromised entity", "compromised entities"),
    "entity.detected": _label("an entity detected the incident", "a detection by an entity",
                              "detections by entities"),
    "entity.early_warning": _label("an entity sent its NIS2 early warning",
                                   "a NIS2 early warning", "NIS2 early warnings"),
    "entity.notification": _label("an entity sent its NIS2 incident notification",
                                  "a NIS2 incident notification", "NIS2 incident notifications"),
    "entity.final_report": _label("an entity sent its NIS2 final report", "a NIS2 final report",
                                  "NIS2 final reports"),
    "entity.deadline_missed": _label("an entity missed a NIS2 reporting deadline",
                                     "a missed NIS2 reporting deadline",
                                     "missed NIS2 reporting deadlines"),
    "entity.recovered": _label("an entity restored its services", "an entity's recovery",
                               "recoveries of entities"),
    # national level
    "csirt.feedback": _label("a national CSIRT answered an entity",
                             "an answer from a national CSIRT", "answers from national CSIRTs"),
    "cert_eu.feedback": _label("CERT-EU answered a Union entity", "an answer from CERT-EU",
                               "answers from CERT-EU"),
    "cert_eu.informed": _label(
        "CERT-EU passed an incident in the Union entities on to the CSIRTs network",
        "a report from CERT-EU to the CSIRTs network",
        "reports from CERT-EU to the CSIRTs network"),
    "csirt.overloaded": _label("a national CSIRT ran out of capacity",
                               "a national CSIRT running out of capacity",
                               "national CSIRTs running out of capacity"),
    "spoc.cross_border": _label(
        "a single point of contact informed the other affected Member States and ENISA",
        "cross-border information from a single point of contact",
        "cross-border messages from single points of contact"),
    "member_state.attribution": _label("a Member State attributed the attack",
                                       "a national attribution", "national attributions"),
    "member_state.intel_shared": _label("a Member State shared intelligence with EU INTCEN",
                                        "a Member State's intelligence shared with EU INTCEN",
                                        "contributions of intelligence to EU INTCEN"),
    "member_state.veto": _label("a Member State vetoed a Council decision",
                                "a veto by a Member State", "vetoes by Member States"),
    "member_state.listing_proposed": _label(
        "a Member State asked for sanctions listings",
        "a Member State's request for sanctions listings", "requests for sanctions listings"),
    "member_state.evidence_ready": _label(
        "the evidence package for a sanctions listing was ready",
        "a completed evidence package for a listing", "completed evidence packages"),
    # classification
    "classification.tier": _label("the incident's classification changed",
                                  "a change of the incident's classification",
                                  "changes of the incident's classification"),
    # CSIRTs network
    "csirts_network.informed": _label(
        "a national CSIRT passed the incident on to the CSIRTs network",
        "a report to the CSIRTs network", "reports to the CSIRTs network"),
    "csirts_network.alert": _label("the CSIRTs network changed its alert level",
                                   "a CSIRTs network alert", "CSIRTs network alerts"),
    "csirts_network.indicators_shared": _label(
        "the CSIRTs network shared indicators of compromise",
        "a round of indicator sharing in the CSIRTs network",
        "rounds of indicator sharing in the CSIRTs network"),
    "csirts_network.joint_statement": _label(
        "the CSIRTs network issued a joint public statement",
        "a joint statement of the CSIRTs network", "joint statements of the CSIRTs network"),
    # EU-CyCLONe
    "cyclone.activated": _label("EU-CyCLONe was activated", "EU-CyCLONe's activation",
                                "activations of EU-CyCLONe"),
    "cyclone.assessment": _label("EU-CyCLONe issued an impact and severity assessment",
                                 "an EU-CyCLONe assessment", "EU-CyCLONe assessments"),
    "cyclone.deactivated": _label("EU-CyCLONe stood down", "EU-CyCLONe standing down",
                                  "stand-downs of EU-CyCLONe"),
    # political crisis track
    "ipcr.mode": _label("the Presidency changed the IPCR mode", "a change of the IPCR mode",
                        "changes of the IPCR mode"),
    "ipcr.isaa_report": _label("an ISAA situation report was issued",
                               "an ISAA situation report", "ISAA situation reports"),
    "ipcr.roundtable": _label("an IPCR roundtable met", "an IPCR roundtable",
                              "IPCR roundtables"),
    "presidency.handover": _label("the Council Presidency passed to the next Member State",
                                  "a handover of the Council Presidency",
                                  "handovers of the Council Presidency"),
    # foreign-policy track
    "intcen.assessment": _label("EU INTCEN issued a threat assessment",
                                "an EU INTCEN threat assessment",
                                "EU INTCEN threat assessments"),
    "hwpci.agreed": _label("the Horizontal Working Party on Cyber Issues agreed a draft",
                           "an agreement in the Horizontal Working Party on Cyber Issues",
                           "agreements in the Horizontal Working Party on Cyber Issues",
                           ("the Horizontal Working Party on Cyber Issues agreed {measure}",
                            "the working party's agreement on {measure}")),
    "psc.agreed": _label("the Political and Security Committee agreed a draft",
                         "the Political and Security Committee's agreement",
                         "the Political and Security Committee's agreements",
                         ("the Political and Security Committee agreed {measure}",
                          "the Political and Security Committee's agreement on {measure}")),
    "coreper.agreed": _label("COREPER agreed a draft", "COREPER's agreement",
                             "COREPER's agreements",
                             ("COREPER agreed {measure}", "COREPER's agreement on {measure}")),
    "council.held": _label("the Council held a prepared measure until an attribution",
                           "a measure held for an attribution", "measures held for attribution",
                           ("the Council held {measure} until an attribution",
                            "{measure} held for an attribution")),
    "council.vote": _label("the Council decided on a measure", "a Council decision",
                           "Council decisions",
                           ("the Council decided on {measure}", "the Council's decision on "
                            "{measure}")),
    # Cyber Diplomacy Toolbox
    "measure.proposed": _label("a Toolbox measure was proposed", "a proposal of a Toolbox measure",
                               "proposals of Toolbox measures",
                               ("{measure} was proposed", "the proposal of {measure}")),
    "measure.prepared": _label("a Toolbox measure was prepared",
                               "a preparation of a Toolbox measure",
                               "preparations of Toolbox measures",
                               ("{measure} was prepared", "the preparation of {measure}")),
    "measure.adopted": _label("a Toolbox measure was adopted", "an adoption of a Toolbox measure",
                              "adoptions of Toolbox measures",
                              ("{measure} was adopted", "the adoption of {measure}")),
    "measure.blocked": _label("a Toolbox measure was blocked", "a blocked Toolbox measure",
                              "blocked Toolbox measures",
                              ("{measure} was blocked", "the blocking of {measure}")),
    "measure.in_effect": _label("a Toolbox measure took effect", "a Toolbox measure in effect",
                                "Toolbox measures in effect",
                                ("{measure} took effect", "{measure} taking effect")),
    # Cyber Solidarity Act and treaty clauses
    "reserve.requested": _label("a Member State requested the EU Cybersecurity Reserve",
                                "a request for the EU Cybersecurity Reserve",
                                "requests for the EU Cybersecurity Reserve"),
    "reserve.deployed": _label("EU Cybersecurity Reserve providers were deployed",
                               "a deployment of the EU Cybersecurity Reserve",
                               "deployments of the EU Cybersecurity Reserve"),
    "reserve.refused": _label("a request for the EU Cybersecurity Reserve was refused",
                              "a refused Reserve request", "refused Reserve requests"),
    "reserve.released": _label("EU Cybersecurity Reserve providers finished a deployment",
                               "the end of a Reserve deployment", "ends of Reserve deployments"),
    "reserve.queued_at_end": _label("a Reserve request was still queued at the end",
                                    "a Reserve request still queued at the end",
                                    "Reserve requests still queued at the end"),
    "incident_review.requested": _label("an ENISA incident review was requested",
                                        "a request for an ENISA incident review",
                                        "requests for an ENISA incident review"),
    "incident_review.joined": _label("a further request joined the ENISA incident review",
                                     "a further request for the incident review",
                                     "further requests for the incident review"),
    "incident_review.approval": _label(
        "the Member States concerned answered the incident review request",
        "the Member States' answer on the incident review",
        "answers on the incident review"),
    "incident_review.completed": _label("ENISA delivered its incident review report",
                                        "ENISA's incident review report",
                                        "ENISA incident review reports"),
    "treaty.art222_invoked": _label(
        "a Member State invoked the solidarity clause (Art 222 TFEU)",
        "an invocation of the solidarity clause (Art 222 TFEU)",
        "invocations of the solidarity clause (Art 222 TFEU)"),
    "treaty.art42_7_invoked": _label(
        "a Member State invoked mutual assistance (Art 42(7) TEU)",
        "an invocation of mutual assistance (Art 42(7) TEU)",
        "invocations of mutual assistance (Art 42(7) TEU)"),
    "treaty.art42_7_support": _label("Member States pledged support under Art 42(7) TEU",
                                     "pledges of support under Art 42(7) TEU",
                                     "pledges of support under Art 42(7) TEU"),
    # partners and the outside world
    "partner.attribution": _label("a partner attributed the attack publicly",
                                  "a partner's public attribution", "partners' attributions"),
    "partner.sanctions": _label("a partner adopted sanctions", "a partner's sanctions",
                                "partners' sanctions"),
    "external.vendor_disclosure": _label("a vendor disclosed the vulnerability or compromise",
                                         "a vendor's public disclosure",
                                         "vendors' public disclosures"),
    "external.vendor_attribution": _label("a security vendor attributed the attack publicly",
                                          "a security vendor's public attribution",
                                          "security vendors' public attributions"),
    "external.not_an_attack": _label(
        "a partner or a vendor stated publicly that the incident is not an attack",
        "a public statement that the incident is not an attack",
        "public statements that the incident is not an attack"),
    "external.patch_release": _label("a vendor released a patch", "a vendor's patch",
                                     "vendors' patches"),
    "external.media_leak": _label("the media reported the incident", "a media report",
                                  "media reports"),
    "external.event": _label("an external event occurred", "an external event",
                             "external events"),
    # public communication
    "communication.public": _label("a public message was issued", "a public message",
                                   "public messages"),
    # the exercise
    "inject.delivered": _label("an inject was delivered", "an inject's delivery",
                               "injects delivered"),
    "inject.skipped": _label("an inject was not delivered", "an inject not delivered",
                             "injects not delivered"),
    "move.started": _label("a move of the exercise began", "the start of a move",
                           "starts of moves"),
    "decision.pending": _label("a decision point opened", "a decision point's opening",
                               "decision points opened"),
    "decision.made": _label("a decision was taken", "a decision", "decisions"),
    "decision.unresolved": _label("a decision was still open at the end",
                                  "a decision still open at the end",
                                  "decisions still open at the end"),
    "observation.noted": _label("an evaluator noted an observation", "an evaluator's observation",
                                "evaluators' observations"),
}


def event_label(kind: str) -> EventLabel:
    """The words for ``kind``; a kind without a label yet falls back to its meaning in
    ``simulator.kinds`` (which tests/test_labels.py does not let last)."""
    found = EVENT_LABELS.get(kind)
    if found is not None:
        return found
    meaning = EVENT_KINDS.get(kind, "an event of the run")
    return EventLabel(meaning, meaning, meaning)


def sentence(kind: str) -> str:
    return event_label(kind).sentence


def noun(kind: str) -> str:
    return event_label(kind).noun


def plural(kind: str) -> str:
    return event_label(kind).plural


# --------------------------------------------------------------------------------------------
# the values a payload or a scenario names


TIER_LABELS: dict[str, str] = {
    "below_threshold": "below the threshold",
    "significant": "significant",
    "large_scale": "large-scale",
    "cyber_crisis": "cyber crisis",
}

#: the tier as a phrase: "a large-scale incident"
TIER_PHRASES: dict[str, str] = {
    "below_threshold": "an incident below the threshold",
    "significant": "a significant incident",
    "large_scale": "a large-scale incident",
    "cyber_crisis": "a cyber crisis",
}

IPCR_LABELS: dict[str, str] = {
    "none": "not activated",
    "monitoring": "monitoring",
    "information_sharing": "information sharing",
    "full_activation": "full activation",
}

REPORT_LABELS: dict[str, str] = {
    "early_warning": "early warning",
    "notification": "incident notification",
    "final_report": "final report",
}

#: the bodies of the machinery as a sentence names them (reference.EU_BODIES gives the titles)
BODY_LABELS: dict[str, str] = {
    "csirts_network": "the CSIRTs network",
    "cyclone": "EU-CyCLONe",
    "enisa": "ENISA",
    "cert_eu": "CERT-EU",
    "commission": "the European Commission",
    "presidency": "the Council Presidency",
    "gsc": "the General Secretariat of the Council",
    "ipcr": "IPCR",
    "intcen": "EU INTCEN",
    "eeas": "the European External Action Service",
    "hwpci": "the Horizontal Working Party on Cyber Issues",
    "psc": "the Political and Security Committee",
    "coreper": "COREPER",
    "council": "the Council of the EU",
    "high_representative": "the High Representative",
    "europol_ec3": "Europol's European Cybercrime Centre",
    # senders and receivers that are not bodies of the machinery
    "exercise_control": "exercise control",
    "all_players": "all players",
    "media": "the news media",
    "social_media": "social media",
    "adversary": "the threat actor",
    "vendor": "a technology vendor",
    # the engine's own actors, as the log names them
    "classification": "the incident's classification",
    "toolbox": "the Cyber Diplomacy Toolbox",
    "reserve": "the EU Cybersecurity Reserve",
    "fimi": "the disinformation campaign",
    "outside": "the outside world",
    "incident_review": "ENISA's incident review",
    "treaty": "the treaty clauses",
}

#: a Member State's own bodies (``DE.csirt``), ``{ms}`` standing for its name
NATIONAL_LABELS: dict[str, str] = {
    "csirt": "{ms}'s national CSIRT",
    "spoc": "{ms}'s single point of contact",
    "authority": "{ms}'s cyber crisis authority",
    "government": "{ms}'s government",
    "intelligence": "{ms}'s intelligence services",
    "permrep": "{ms}'s permanent representation in Brussels",
    "entities": "the affected entities in {ms}",
}

#: the names every scenario knows its default partners by
DEFAULT_PARTNERS: dict[str, str] = {"US": "the United States", "UK": "the United Kingdom",
                                    "NATO": "NATO"}

#: how a decision was taken, from ``decision.made``'s ``by``
POLICY, DEADLINE, PLAYERS = "policy", "deadline", "players"


def member_state(code: str | None) -> str:
    """``DE`` -> ``Germany``; anything else as it is."""
    if code is None:
        return "the Union"
    return MEMBER_STATES.get(code, code)


def member_states(codes: Iterable[str]) -> str:
    """``[DE, FR, NL]`` -> ``Germany, France and the Netherlands``."""
    return join([_with_article(member_state(c)) for c in codes])


def _with_article(name: str) -> str:
    """A country's name as a sentence has it: "the Netherlands", "the United States"."""
    if name == "Netherlands" or name.startswith("United "):
        return f"the {name}"
    return name


def possessive(name: str) -> str:
    """``Germany's``, ``the Netherlands'``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def times(n: int) -> str:
    """``once``, ``twice``, ``3 times``."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def third_country(code: str) -> str:
    """A country outside the Union by its name (``UA`` -> ``Ukraine``)."""
    try:
        from .scenario.countries import THIRD_COUNTRIES
    except ImportError:  # pragma: no cover - the table is the scenario format's
        return code
    return _with_article(THIRD_COUNTRIES.get(code, code))


def tier(value: str) -> str:
    return TIER_LABELS.get(value, words(value))


def tier_phrase(value: str) -> str:
    return TIER_PHRASES.get(value, words(value))


def ipcr_mode(value: str) -> str:
    return IPCR_LABELS.get(value, words(value))


def report(value: str) -> str:
    return REPORT_LABELS.get(value, words(value))


#: sectors whose id does not read as words on its own
SECTOR_LABELS: dict[str, str] = {
    "ict_service_management": "ICT service management",
    "postal_courier": "postal and courier services",
    "digital_providers": "digital services",
    "financial_market_infrastructure": "financial market infrastructure",
}


def sector(value: str | None) -> str:
    """A NIS2 sector as a sentence names it: ``ict_service_management`` -> ``ICT service
    management``."""
    if not value:
        return "an unnamed sector"
    return SECTOR_LABELS.get(value, words(value))


def words(identifier: Any) -> str:
    """An identifier read as words: ``information_sharing`` -> ``information sharing``."""
    return str(identifier).replace("_", " ")


def join(items: Iterable[str], last: str = "and") -> str:
    """``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def capitalise(text: str) -> str:
    """The first letter up, the rest as it is (``the CSIRTs network`` -> ``The CSIRTs
    network``, ``EU-CyCLONe`` stays)."""
    return text[:1].upper() + text[1:]


def duration(minutes: float) -> str:
    """A duration as a reader says it: ``2 days, 10 hours and 22 minutes``, ``12 hours``,
    ``3 months`` (30-day months, as scenarios count them)."""
    rest = round(minutes)
    if rest <= 0:
        return "no time"
    month = 30 * 1440
    if rest >= month and rest % month == 0:
        n = rest // month
        return f"{n} month{'s' if n != 1 else ''}"
    parts = []
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if rest >= size:
            n, rest = divmod(rest, size)
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return join(parts)


def ordinal(n: int) -> str:
    """``1`` -> ``1st``, ``12`` -> ``12th``, ``22`` -> ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Labels:
    """The words for what one scenario names: its roles, partners, measures, decision points
    and injects, on top of the tables above."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.scenario = scenario
        self.roles: dict[str, str] = {}
        self.partners: dict[str, str] = dict(DEFAULT_PARTNERS)
        self.measures: dict[str, str] = {}
        if scenario is not None:
            self.roles = {r.id: r.name for r in scenario.roles}
            self.partners.update({p.id: _with_article(p.name)
                                  for p in scenario.world.partners})
            self.measures = {m.id: m.name for m in scenario.toolbox.catalogue().values()}

    def participant(self, pid: str | None) -> str:
        """``LT.authority`` -> ``Lithuania's cyber crisis authority``; ``partner.US`` -> ``the
        United States``; a role id -> its name; a body -> its name in a sentence."""
        if pid is None:
            return "no one"
        if pid in self.roles:
            return self.roles[pid]
        if pid in BODY_LABELS:
            return BODY_LABELS[pid]
        if pid in EU_BODIES:  # a body added to the reference data since this table
            return EU_BODIES[pid]
        head, _, tail = pid.partition(".")
        if head == "partner" and tail:
            return self.partner(tail)
        if head in MEMBER_STATES and tail in NATIONAL_BODIES:
            country = _with_article(member_state(head))
            template = NATIONAL_LABELS.get(tail)
            if template is None:
                return f"{possessive(country)} {NATIONAL_BODIES[tail]}"
            return template.format(ms=country).replace(f"{country}'s", possessive(country))
        return words(pid)

    def participants(self, pids: Iterable[str]) -> str:
        return join([self.participant(p) for p in pids])

    def partner(self, pid: str) -> str:
        return self.partners.get(pid, pid)

    def measure(self, mid: str | None) -> str:
        """A Toolbox measure by its catalogue name."""
        if mid is None:
            return "a Toolbox measure"
        name = self.measures.get(mid)
        return name if name else words(mid)

    def event(self, kind: str, subject: str | None = None) -> str:
        """What happened, as a sentence (without the full stop), naming the measure when the
        kind is about one."""
        label = event_label(kind)
        if label.named and subject and subject in self.measures:
            return label.named[0].format(measure=self.measure(subject))
        return label.sentence

    def event_noun(self, kind: str, subject: str | None = None) -> str:
        label = event_label(kind)
        if label.named and subject and subject in self.measures:
            return label.named[1].format(measure=self.measure(subject))
        return label.noun

    def value(self, field: str, value: Any) -> str:
        """A payload value in words, by the field it is in."""
        if field in ("tier", "previous") and value in TIER_LABELS:
            return tier(value)
        if field == "mode" and value in IPCR_LABELS:
            return ipcr_mode(value)
        if field == "report":
            return report(str(value))
        if field in ("member_state", "chair") and isinstance(value, str):
            return _with_article(member_state(value))
        if field in ("measure",) and isinstance(value, str):
            return self.measure(value)
        if field == "partner" and isinstance(value, str):
            return self.partner(value)
        if field in ("by", "to", "from") and isinstance(value, str):
            return self.participant(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return words(value)

    def describe(self, event: Any) -> str:
        """One record of the log as a sentence, without its full stop: what happened, with
        its particulars in words (who, where, which measure, which mode)."""
        kind, p = event.kind, event.payload
        ms = event.member_state
        country = _with_article(member_state(ms)) if ms else None
        measure = self.measure(event.subject) if event.subject in self.measures else None
        if kind == "classification.tier":
            if p.get("tier") == "below_threshold":
                return "the incident fell back below the threshold"
            return f"the incident was classified as {tier_phrase(str(p.get('tier')))}"
        if kind == "ipcr.mode":
            mode = ipcr_mode(str(p.get("mode")))
            art222 = " on the solidarity clause" if p.get("via") == "art_222" else ""
            order = list(IPCR_LABELS)
            if (p.get("mode") in order and p.get("previous") in order
                    and order.index(p["mode"]) < order.index(p["previous"])):
                return f"IPCR stepped back to {mode}"
            return f"IPCR moved to {mode}{art222}"
        if kind == "csirts_network.alert":
            return f"the CSIRTs network set its alert to {words(p.get('mode'))}"
        if kind == "cyclone.assessment" and isinstance(p.get("number"), int):
            return (f"EU-CyCLONe issued its {ordinal(p['number'])} assessment "
                    f"({tier_phrase(str(p.get('tier')))})")
        if kind == "intcen.assessment":
            return (f"EU INTCEN issued a threat assessment (confidence "
                    f"{float(p.get('confidence', 0)):.0%}, attribution grade "
                    f"{p.get('attribution_grade')})")
        if kind == "member_state.attribution":
            return (f"{country or 'a Member State'} attributed the attack to "
                    f"{p.get('threat_actor')} (grade {p.get('grade')})")
        if kind == "partner.attribution":
            return (f"{self.partner(str(p.get('partner')))} attributed the attack publicly "
                    f"(grade {p.get('attribution_grade')})")
        if kind == "partner.sanctions":
            return f"{self.partner(str(p.get('partner')))} adopted sanctions"
        if kind == "member_state.veto":
            return f"{country or 'a Member State'} vetoed {measure or 'a Council decision'}"
        if kind == "council.vote":
            outcome = "adopted" if p.get("outcome") == "adopted" else "failed to adopt"
            return f"the Council {outcome} {measure or 'a measure'}"
        if kind == "measure.blocked":
            reason = f": {plain(str(p.get('reason')), self)}" if p.get("reason") else ""
            return f"{measure or 'a Toolbox measure'} was blocked{reason}"
        if kind == "member_state.listing_proposed":
            return (f"{country or 'a Member State'} asked for sanctions listings "
                    f"({self.measure(str(p.get('measure')))})")
        if kind == "reserve.requested":
            return f"{country or 'a Member State'} requested the EU Cybersecurity Reserve"
        if kind == "reserve.deployed":
            return "EU Cybersecurity Reserve providers were deployed" + (
                f" in {country}" if country else "")
        if kind == "reserve.refused":
            reason = f": {plain(str(p.get('reason')), self)}" if p.get("reason") else ""
            return (f"{possessive(country) if country else 'a'} request for the EU "
                    f"Cybersecurity Reserve was refused{reason}")
        if kind == "communication.public":
            return {
                "coordinated": "a coordinated public message was issued",
                "uncoordinated": "Member States and EU bodies spoke publicly without "
                                 "coordinating",
                "silent": "the authorities chose to say nothing in public",
            }.get(str(p.get("mode")), "a public message was issued")
        entity = f"an entity in {country}" if country else "a Union institution"
        if kind in ("entity.early_warning", "entity.notification", "entity.final_report"):
            late = "" if p.get("on_time", True) else ", late"
            return f"{entity} sent its NIS2 {report(kind.split('.')[1])}{late}"
        if kind == "entity.deadline_missed":
            return f"{entity} missed its NIS2 {report(str(p.get('report')))} deadline"
        if kind == "entity.compromised":
            return f"{entity} ({sector(p.get('sector'))}) was compromised"
        if kind == "spoc.cross_border" and country:
            return (f"{possessive(country)} single point of contact informed the other "
                    "affected Member States and ENISA")
        if kind == "csirt.overloaded" and country:
            return f"{possessive(country)} national CSIRT ran out of capacity"
        if kind == "adversary.wave_started":
            targets = member_states(str(c) for c in p.get("targets") or ())
            sectors = join([sector(x) for x in p.get("sectors") or ()])
            vector = f" ({words(p.get('vector'))})" if p.get("vector") else ""
            outside = join([third_country(str(c)) for c in p.get("third_countries") or ()])
            if outside:
                said = f"a new wave of the attack{vector} began in {outside}" + (
                    f" and spilled over into {targets}" if targets else "")
            else:
                said = f"a new wave of the attack{vector} began" + (
                    f", aimed at {targets}" if targets else "")
            return said + (f" (sectors: {sectors})" if sectors else "")
        if kind == "presidency.handover":
            return (f"the Council Presidency passed from {member_state(p.get('outgoing'))} to "
                    f"{member_state(p.get('incoming'))}")
        if kind == "treaty.art222_invoked":
            return f"{country or 'a Member State'} invoked the solidarity clause (Art 222 TFEU)"
        if kind == "treaty.art42_7_invoked":
            return f"{country or 'a Member State'} invoked mutual assistance (Art 42(7) TEU)"
        if kind == "decision.made":
            return f"decision taken: {p.get('label')}"
        if kind == "inject.delivered":
            return f"inject {event.subject} delivered: {p.get('synopsis')}"
        if kind.startswith("external.") and p.get("description"):
            return f"{self.event(kind)}: {p.get('description')}"
        if kind == "fimi.narrative" and p.get("text"):
            return f"a disinformation narrative was pushed: {p.get('text')}"
        said = self.event(kind, event.subject)
        if country and kind.split(".", 1)[0] in ("entity", "csirt", "spoc", "member_state",
                                                  "adversary", "reserve", "treaty"):
            return f"{said} (in {country})"
        return said


#: what a sentence of a report may never show: a national body's id (``DE.csirt``) or a
#: partner's (``partner.US``)
RAW_ID = re.compile(
    r"\b(?:" + "|".join(sorted(MEMBER_STATES)) + r")\.(?:" + "|".join(NATIONAL_BODIES)
    + r")\b|\bpartner\.[A-Za-z][A-Za-z0-9_-]*"
)


_TIER_IDS = "|".join(TIER_LABELS)
_OF_TIER = re.compile(rf"\ban incident of tier ({_TIER_IDS})\b")
_TIER = re.compile(rf"\btier ({_TIER_IDS})\b")
_BARE = re.compile(r"\b(" + "|".join([*TIER_LABELS, "information_sharing", "full_activation"])
                   + r")\b")
_KIND = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(EVENT_KINDS, key=len,
                                                                   reverse=True)) + r")\b")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def plain(text: str, labels: Labels | None = None) -> str:
    """Text the engine wrote (a reason, a proportionality note) with its ids put in words:
    tiers, IPCR modes, event kinds, participants, and any other ``snake_case`` id."""
    labels = labels or Labels()
    text = _OF_TIER.sub(lambda m: tier_phrase(m.group(1)), text)
    text = _TIER.sub(lambda m: tier_phrase(m.group(1)), text)
    text = _BARE.sub(lambda m: TIER_LABELS.get(m.group(1)) or ipcr_mode(m.group(1)), text)
    text = _KIND.sub(lambda m: noun(m.group(1)), text)
    text = RAW_ID.sub(lambda m: labels.participant(m.group(0)), text)
    for rid, name in labels.roles.items():
        text = re.sub(rf"\b{re.escape(rid)}\b", name, text)
    return _SNAKE.sub(lambda m: labels.participant(m.group(0)) if m.group(0) in BODY_LABELS
                      else words(m.group(0)), text)

