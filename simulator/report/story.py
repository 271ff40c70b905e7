"""What the report tells, in words: what happened, how each decision was taken and what it
led to, the escalation timeline, and which improvements matter most.

Read from the log and the scorecard alone, and said in the words of ``simulator.labels``:
no event kind and no participant id reaches a sentence. A decision is never credited to
players in a run nobody played (``scoring.causes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..engine.records import Event
from ..labels import (
    DEADLINE,
    PLAYERS,
    Labels,
    capitalise,
    ipcr_mode,
    join,
    member_state,
    member_states,
    plural,
    possessive,
    sector,
    tier_phrase,
    times,
)
from ..scenario.reference import IPCR_MODES, TIERS
from ..scenario.units import format_clock
from ..scoring.card import RATING_NAMES, ObjectiveResult, Scorecard
from ..scoring.causes import Decision, is_climb
from ..scoring.metrics import MetricResult

#: the tracks of the timeline (docs/machinery.md section 2), and where each kind goes on it
TRACK_OF: dict[str, str] = {
    "adversary.wave_started": "incident",
    "entity.compromised": "incident",
    "entity.detected": "incident",
    "fimi.narrative": "incident",
    "entity.early_warning": "technical",
    "csirts_network.informed": "technical",
    "csirts_network.alert": "technical",
    "csirts_network.indicators_shared": "technical",
    "csirts_network.joint_statement": "technical",
    "spoc.cross_border": "technical",
    "external.vendor_disclosure": "technical",
    "external.patch_release": "technical",
    "reserve.requested": "operational",
    "reserve.deployed": "operational",
    "reserve.refused": "operational",
    "classification.tier": "operational",
    "cyclone.activated": "operational",
    "cyclone.assessment": "operational",
    "cyclone.deactivated": "operational",
    "incident_review.requested": "operational",
    "incident_review.completed": "operational",
    "ipcr.mode": "political crisis",
    "ipcr.isaa_report": "political crisis",
    "treaty.art222_invoked": "political crisis",
    "treaty.art42_7_invoked": "political crisis",
    "treaty.art42_7_support": "political crisis",
    "communication.public": "political crisis",
    "external.media_leak": "political crisis",
    "presidency.handover": "political crisis",
    "intcen.assessment": "foreign policy",
    "member_state.attribution": "foreign policy",
    "partner.attribution": "foreign policy",
    "partner.sanctions": "foreign policy",
    "external.vendor_attribution": "foreign policy",
    "external.not_an_attack": "foreign policy",
    "member_state.listing_proposed": "foreign policy",
    "measure.proposed": "foreign policy",
    "measure.adopted": "foreign policy",
    "measure.blocked": "foreign policy",
    "member_state.veto": "foreign policy",
    "decision.made": "decision",
    "run.failed": "exercise",
    "run.interrupted": "exercise",
}
#: kinds shown only the first time on the timeline (the rest are counted in the summary)
FIRST_ONLY = frozenset({
    "entity.compromised", "entity.detected", "entity.early_warning", "csirts_network.informed",
    "csirts_network.indicators_shared", "spoc.cross_border", "cyclone.assessment",
    "ipcr.isaa_report",
})
#: at most this many of one kind on the timeline; the rest are counted
MOST = 6

#: how the report says who took a decision
TAKEN_BY = {
    "policy": "the scenario's policy",
    "deadline": "nobody: the default fell at the deadline",
}

#: the Improvement Plan's priorities: which come first, and the dates proposed for each
#: (days from the end of the exercise to the start and to the completion of the action)
PRIORITIES: dict[str, tuple[int, int, int]] = {  # name -> (rank, start, completion)
    "high": (0, 0, 30),
    "medium": (1, 14, 90),
    "low": (2, 30, 180),
}


def clock_of(card: Scorecard) -> Any:
    start = card.scenario.metadata.start

    def clock(t: float | None) -> str:
        return "—" if t is None else format_clock(t, start)

    return clock


# --------------------------------------------------------------------------------------------
# decisions


def taken_by(decision: Decision, labels: Labels) -> str:
    """Who took a decision, as the report says it: never players in a run nobody played."""
    if decision.source == PLAYERS:
        named = decision.by if decision.by not in ("players", "") else ""
        return "the players" + (f" ({labels.participant(named)})" if named else "")
    return TAKEN_BY[decision.source]


def consequences(card: Scorecard, events: Sequence[Event], point: str,
                 limit: int = 4, more: bool = True) -> list[str]:
    """What a decision led to, in words, the most telling first: one line per kind of event
    it caused."""
    run = card.scored
    if run is None:
        return []
    clock = clock_of(card)
    caused = run.causes.consequences(point, events)
    groups: dict[str, list[Event]] = {}
    for event in caused:
        if event.kind == "council.vote" and event.payload.get("outcome") == "adopted":
            continue  # said by the measure's adoption
        groups.setdefault(event.kind, []).append(event)
    if set(groups) - MINOR:  # the Council's intermediate steps only when nothing else
        groups = {k: v for k, v in groups.items() if k not in MINOR}
    # the most telling kinds, said in the order they happened
    order = sorted(groups, key=lambda k: (TELLING.index(k) if k in TELLING
                                          else len(TELLING), caused.index(groups[k][0])))
    left = max(0, len(order) - limit)
    order = sorted(order[:limit], key=lambda k: caused.index(groups[k][0]))
    lines = []
    for kind in order:
        found = groups[kind]
        if kind == "ipcr.mode":
            last = found[-1]
            lines.append(f"{run.labels.describe(last)} ({clock(last.t)})")
        elif len(found) == 1:
            lines.append(f"{run.labels.describe(found[0])} ({clock(found[0].t)})")
        else:
            lines.append(f"{len(found)} {plural(kind)}, the first at {clock(found[0].t)}")
    if left and more:
        lines.append(f"{left} more kind{'s' if left != 1 else ''} of event")
    return lines


#: the consequences of a decision that tell most, first
TELLING = (
    "measure.adopted", "measure.blocked", "member_state.veto", "council.vote",
    "member_state.attribution", "treaty.art222_invoked", "treaty.art42_7_invoked",
    "ipcr.mode", "cyclone.activated", "reserve.deployed", "reserve.refused",
    "communication.public", "fimi.countered", "measure.proposed",
    "member_state.listing_proposed",
)
#: steps on the way that a decision's summary leaves out when it has more to say
MINOR = frozenset({"hwpci.agreed", "psc.agreed", "coreper.agreed", "measure.prepared",
                   "measure.in_effect", "council.held", "decision.pending"})


def decision_rows(card: Scorecard, events: Sequence[Event]) -> list[dict[str, Any]]:
    """Every decision point reached: its prompt, the options, the choice, who took it (the
    scenario's policy, the players, or nobody), why, and what it led to."""
    scenario = card.scenario
    run = card.scored
    labels = run.labels if run else Labels(scenario)
    clock = clock_of(card)
    roles = {r.id: r.name for r in scenario.roles}
    points = {p.id: p for p in scenario.decision_points}
    made = {d.point: d for d in card.decisions}
    rows = []
    for e in events:
        if e.kind not in ("decision.made", "decision.unresolved") or e.subject not in points:
            continue
        point = points[e.subject]
        options = {o.id: o.label for o in point.options}
        role = roles.get(point.decided_by) or labels.participant(point.decided_by)
        decision = made.get(point.id) if e.kind == "decision.made" else None
        if decision is not None:
            choice = options.get(decision.option, decision.label)
            by = taken_by(decision, labels)
            rationale = decision.rationale if decision.source == PLAYERS else None
            led_to = consequences(card, events, point.id)
            source = decision.source
            caused = run.causes.consequences(point.id, events) if run else []
            telling = sum(1 for c in caused if c.kind in TELLING)
        else:
            choice = (f"still open at the end (default: "
                      f"{options.get(point.default, point.default)})")
            by, rationale, led_to, source = "nobody yet", None, [], "open"
            telling = 0
        rows.append({
            "time": clock(e.t), "point": point.id, "prompt": point.prompt, "role": role,
            "options": list(options.values()), "choice": choice, "by": by,
            "source": source, "rationale": rationale or "—",
            "consequences": led_to or (["no recorded effect"] if decision else []),
            "brief": (consequences(card, events, point.id, limit=2, more=False)
                      if decision else []),
            "telling": telling,
        })
    return rows


def open_points(card: Scorecard) -> list[str]:
    """The decision points still open when the run ended: in a session, waiting for people
    (a policy's point still deliberating is open too, but decides by its deadline)."""
    run = card.scored
    if run is None:
        return []
    return [str(e.subject) for e in run.by_kind.get("decision.unresolved", ())
            if e.subject is not None]


def key_decisions(rows: list[dict[str, Any]], most: int = 4) -> list[dict[str, Any]]:
    """The decisions the executive summary names: those nobody took or still open first,
    then those whose consequences tell most; said in the order they came."""
    def weight(row: dict[str, Any]) -> tuple[int, int]:
        urgent = row["source"] in ("deadline", "open")
        return (0 if urgent else 1, -row["telling"])

    chosen = sorted(range(len(rows)), key=lambda i: weight(rows[i]))[:most]
    return [rows[i] for i in sorted(chosen)]


def how_decided(card: Scorecard) -> str:
    """One paragraph: who took this run's decisions."""
    labels = card.scored.labels if card.scored else Labels(card.scenario)
    if not card.interactive:
        return ("Nobody played a role in this run: it was played headless, and every decision "
                "was drawn from the scenario's policy. The ratings describe how the simulated "
                "machinery and that policy performed, not a team.")
    roles = {r.id: r.name for r in card.scenario.roles}
    points = {p.id: p.decided_by for p in card.scenario.decision_points}
    live: Counter[str] = Counter()
    defaulted: Counter[str] = Counter()
    still: Counter[str] = Counter()

    def who(point: str) -> str:
        return roles.get(points.get(point, ""), labels.participant(points.get(point)))

    for d in card.decisions:
        if d.source == PLAYERS:
            live[who(d.point)] += 1
        elif d.source == DEADLINE:
            defaulted[who(d.point)] += 1
    for point in open_points(card):
        still[who(point)] += 1
    if not live and not defaulted and not still:
        return ("Some roles were to be played live, but every decision that came up was "
                "drawn from the scenario's policy.")
    parts = []
    for name in sorted(set(live) | set(defaulted) | set(still)):
        bits = []
        if live[name]:
            bits.append(f"{live[name]} decision{'s' if live[name] != 1 else ''} taken")
        if defaulted[name]:
            bits.append(f"{defaulted[name]} left to the default at the deadline")
        if still[name]:
            bits.append(f"{still[name]} still open at the end")
        parts.append(f"{name} ({join(bits)})")
    return (f"Played live: {join(parts)}. Every other decision was drawn from the scenario's "
            "policy.")


# --------------------------------------------------------------------------------------------
# what happened


def _first(events: Sequence[Event], kind: str) -> Event | None:
    return next((e for e in events if e.kind == kind), None)


def what_happened(card: Scorecard, events: Sequence[Event]) -> list[str]:
    """The run in three short paragraphs: the attack, the EU's technical and operational
    answer, its political and diplomatic answer."""
    run = card.scored
    labels = run.labels if run else Labels(card.scenario)
    clock = clock_of(card)
    by_kind: dict[str, list[Event]] = {}
    for e in events:
        by_kind.setdefault(e.kind, []).append(e)

    def kind(name: str) -> list[Event]:
        return by_kind.get(name, [])

    paragraphs = []
    # -- the attack
    actor = next((str(e.payload["threat_actor"]) for e in kind("adversary.wave_started")
                  if e.payload.get("threat_actor")), None)
    primary = getattr(card.scenario.campaign, "primary_actor", None) \
        or card.scenario.campaign.threat_actor
    if actor is None and primary is not None:
        actor = primary.name
    compromised = kind("entity.compromised")
    first = compromised[0] if compromised else None
    countries = sorted({e.member_state for e in compromised if e.member_state})
    sectors = Counter(str(e.payload.get("sector")) for e in compromised)
    peaks: dict[str, float] = {}
    for e in kind("adversary.impact"):
        if e.member_state:
            peaks[e.member_state] = max(peaks.get(e.member_state, 0.0),
                                        float(e.payload.get("level", 0.0)))
    who = (f"The threat actor, {actor}," if actor
           else "In an incident no one caused, a fault")
    if first is None:
        attack = f"{who} compromised no entity in the Union in this run."
    else:
        where = (f"in {_article(member_state(first.member_state))}" if first.member_state
                 else "among the Union institutions")
        by_then = "By the time the run stopped" if run is not None and run.cut else "By the end"
        attack = (f"{who} compromised its first entity at {clock(first.t)}, "
                  f"{where}. {by_then}, {len(compromised)} "
                  f"entit{'y' if len(compromised) == 1 else 'ies'} had been compromised in "
                  f"{len(countries)} Member State{'s' if len(countries) != 1 else ''}")
        if countries:
            hardest = sorted(countries, key=lambda c: -peaks.get(c, 0.0))
            if len(hardest) <= 8:
                attack += f" ({member_states(hardest)})"
            else:
                named = [_article(member_state(c)) for c in hardest[:6]]
                attack += f" ({', '.join(named)} and {len(hardest) - 6} others)"
        top = [sector(s) for s, _ in sectors.most_common(3)]
        attack += f", mostly in {join(top)}." if top else "."
        if peaks:
            worst = max(peaks, key=lambda c: peaks[c])
            attack += (f" At worst, {peaks[worst]:.0%} of "
                       f"{possessive(_article(member_state(worst)))} affected services were "
                       "disrupted.")
    paragraphs.append(attack)
    # -- the technical and operational answer
    sentences = []
    reports = [e for k in ("entity.early_warning", "entity.notification", "entity.final_report")
               for e in kind(k) if e.member_state and e.payload.get("on_time") is not None]
    missed = [e for e in kind("entity.deadline_missed") if e.member_state]
    if reports or missed:
        on_time = sum(1 for e in reports if e.payload.get("on_time") is True)
        were = "deadlines were" if len(missed) != 1 else "deadline was"
        sentences.append(f"{on_time} of {len(reports)} NIS2 reports sent arrived on time, and "
                         f"{len(missed)} reporting {were} missed.")
    tiers = [e for e in kind("classification.tier") if e.payload.get("tier") in TIERS]
    if tiers:
        peak = max(tiers, key=lambda e: TIERS.index(e.payload["tier"]))
        sentence = (f"The incident was classified as {tier_phrase(peak.payload['tier'])} at "
                    f"{clock(peak.t)}")
        fell = [e for e in tiers if e.payload["tier"] == "below_threshold" and e.t > peak.t]
        if fell:
            sentence += f", and fell back below the threshold at {clock(fell[0].t)}"
        sentences.append(sentence + ".")
    alerts = kind("csirts_network.alert")
    shared = kind("csirts_network.indicators_shared")
    statement = _first(events, "csirts_network.joint_statement")
    network = []
    if shared:
        network.append(f"shared indicators first at {clock(shared[0].t)}")
    if alerts:
        network.append(f"raised its alert {times(len(alerts))}")
    if statement:
        network.append(f"issued a joint public statement at {clock(statement.t)}")
    if network:
        sentences.append(f"The CSIRTs network {join(network)}.")
    activated = _first(events, "cyclone.activated")
    assessments = kind("cyclone.assessment")
    if activated:
        cyclone = f"EU-CyCLONe was activated at {clock(activated.t)}"
        if assessments:
            cyclone += (f" and issued {len(assessments)} assessment"
                        f"{'s' if len(assessments) != 1 else ''}, the first at "
                        f"{clock(assessments[0].t)}")
        sentences.append(cyclone + ".")
    else:
        sentences.append("EU-CyCLONe was not activated.")
    reserve = kind("reserve.requested")
    if reserve:
        deployed = {e.member_state for e in kind("reserve.deployed") if e.member_state}
        refused = len(kind("reserve.refused"))
        part = (f"there {'was' if len(reserve) == 1 else 'were'} {len(reserve)} "
                f"request{'s' if len(reserve) != 1 else ''} for the EU Cybersecurity Reserve")
        answers = []
        if deployed:
            answers.append(f"providers were deployed in {member_states(sorted(deployed))}")
        if refused:
            answers.append(f"{refused} {'was' if refused == 1 else 'were'} refused")
        sentences.append(capitalise(part) + (f": {join(answers)}." if answers else "."))
    paragraphs.append(" ".join(sentences))
    # -- the political and diplomatic answer
    sentences = []
    modes = kind("ipcr.mode")
    start_mode = next((e for e in modes if run and run.causes.starting_state(e)), None)
    climbs = [e for e in modes if is_climb(e) and not (run and run.causes.starting_state(e))]
    if climbs:
        top = max(climbs, key=lambda e: IPCR_MODES.index(e.payload["mode"]))
        sentence = (f"The Presidency raised IPCR to {ipcr_mode(top.payload['mode'])} at "
                    f"{clock(top.t)}")
        if start_mode is not None:
            sentence += (f" (it was in {ipcr_mode(start_mode.payload['mode'])} from the start, "
                         "as the scenario set it)")
        sentences.append(sentence + ".")
    elif start_mode is not None:
        sentences.append(f"IPCR stayed in {ipcr_mode(start_mode.payload['mode'])}, where the "
                         "scenario started it; no one raised it.")
    else:
        sentences.append("IPCR was not activated.")
    intcen = kind("intcen.assessment")
    if intcen:
        best = max(intcen, key=lambda e: (e.payload.get("attribution_grade", 0),
                                          e.payload.get("confidence", 0)))
        sentences.append(
            f"EU INTCEN issued {len(intcen)} threat assessment{'s' if len(intcen) != 1 else ''}"
            f" (at best attribution grade {best.payload.get('attribution_grade')}, confidence "
            f"{float(best.payload.get('confidence', 0)):.0%}).")
    attributions = [f"{labels.describe(e)} at {clock(e.t)}"
                    for e in [*kind("member_state.attribution"), *kind("partner.attribution")]]
    if attributions:
        sentences.append(capitalise(join(attributions[:4])) + (
            f", and {len(attributions) - 4} more attributions" if len(attributions) > 4
            else "") + ".")
    adopted = [labels.measure(e.subject) for e in kind("measure.adopted")]
    blocked = [labels.measure(e.subject) for e in kind("measure.blocked")]
    vetoes = sorted({e.member_state for e in kind("member_state.veto") if e.member_state})
    if adopted or blocked:
        toolbox = []
        # the measures by name, quoted: a name is a title ("EU statement attributing ..."),
        # and not every measure is the Council's (an institution's own is adopted by it)
        if adopted:
            toolbox.append(f"{join([f'“{m}”' for m in adopted])} "
                           f"{'was' if len(adopted) == 1 else 'were'} adopted")
        if blocked:
            toolbox.append(f"{join([f'“{m}”' for m in blocked])} "
                           f"{'was' if len(blocked) == 1 else 'were'} blocked")
        if vetoes:
            toolbox.append(f"with vetoes by {member_states(vetoes)}")
        sentences.append(f"In the Cyber Diplomacy Toolbox, {join(toolbox, last='; ')}.")
    elif kind("measure.proposed"):
        sentences.append("A Toolbox measure was proposed, but none was adopted by the end.")
    else:
        sentences.append("No Toolbox measure was proposed.")
    messages = Counter(str(e.payload.get("mode")) for e in kind("communication.public"))
    if messages["coordinated"] or messages["uncoordinated"]:
        sentences.append(
            f"Public communication: {messages['coordinated']} coordinated message"
            f"{'s' if messages['coordinated'] != 1 else ''} and {messages['uncoordinated']} "
            "uncoordinated.")
    for clause, what in (("treaty.art222_invoked", "the solidarity clause (Art 222 TFEU)"),
                         ("treaty.art42_7_invoked", "mutual assistance (Art 42(7) TEU)")):
        for e in kind(clause):
            sentences.append(f"{member_state(e.member_state)} invoked {what} at "
                             f"{clock(e.t)}.")
    paragraphs.append(" ".join(sentences))
    return paragraphs


def _article(name: str) -> str:
    return f"the {name}" if name == "Netherlands" or name.startswith("United ") else name


# --------------------------------------------------------------------------------------------
# the timeline


def timeline(card: Scorecard, events: Sequence[Event]) -> list[dict[str, str]]:
    """The escalation across the tracks, in order: what happened and when, in words."""
    run = card.scored
    labels = run.labels if run else Labels(card.scenario)
    clock = clock_of(card)
    rows: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for e in events:
        track = TRACK_OF.get(e.kind)
        if track is None:
            continue
        seen[e.kind] += 1
        if (e.kind in FIRST_ONLY and seen[e.kind] > 1) or seen[e.kind] > MOST:
            continue
        if e.kind == "communication.public" and e.payload.get("mode") == "silent":
            continue
        what = labels.describe(e)
        if e.kind == "ipcr.mode" and run and run.causes.starting_state(e):
            what = (f"IPCR in {ipcr_mode(str(e.payload.get('mode')))} from the start (the "
                    "scenario's starting state)")
        elif e.kind in FIRST_ONLY:
            what = f"first: {what}"
        elif e.kind == "decision.made" and run:
            decision = run.causes.decisions.get(str(e.subject))
            if decision is not None:
                what = (f"decision {e.subject}: {decision.label} (taken by "
                        f"{taken_by(decision, labels)})")
        rows.append({"t": e.t, "time": clock(e.t), "track": track, "what": capitalise(what)})
    peak = max((e for e in events if e.kind == "adversary.impact" and e.member_state),
               key=lambda e: float(e.payload.get("level", 0.0)), default=None)
    if peak is not None:
        rows.append({"t": peak.t, "time": clock(peak.t), "track": "incident",
                     "what": f"Peak impact: {float(peak.payload['level']):.0%} of "
                             f"{possessive(_article(member_state(peak.member_state)))} affected "
                             "services disrupted"})
    more = {k: n - (1 if k in FIRST_ONLY else MOST) for k, n in seen.items()
            if n > (1 if k in FIRST_ONLY else MOST)}
    rows.sort(key=lambda r: r["t"])
    for k, n in sorted(more.items()):
        rows.append({"t": None, "time": "", "track": TRACK_OF[k],
                     "what": f"… and {n} more {plural(k)}"})
    return [{key: r[key] for key in ("time", "track", "what")} for r in rows]


# --------------------------------------------------------------------------------------------
# improvements, by priority


@dataclass(frozen=True)
class Improvement:
    priority: str  # high | medium | low
    capability: str
    objective: str
    issue: str  # what fell short, and how it went
    finding: str  # how it went, in one sentence
    action: str
    element: str
    owner: str
    weight: float = 0.0  # how much it costs its objective's score


def _priority(o: ObjectiveResult, m: MetricResult) -> str:
    score = m.score or 0.0
    if score < o.thresholds.M:
        return "high"
    return "low" if m.weight < 1 else "medium"


def improvements(card: Scorecard) -> list[Improvement]:
    """Every area for improvement, the most important first: a target missed badly (below
    the objective's M threshold) or a decision nobody took is high; below S, medium (low
    when the metric weighs less than one); an evaluator's observed improvement, medium."""
    labels = card.scored.labels if card.scored else Labels(card.scenario)
    out = []
    for o, m in card.improvements():
        total = sum(x.weight for x in o.metrics if x.applicable) or 1.0
        out.append(Improvement(
            _priority(o, m), o.objective.capability, o.objective.id,
            f"{m.description.rstrip('.')}: {m.summary}", m.summary, m.action, m.element,
            m.owner,
            m.weight * (1 - (m.score or 0.0)) / total,
        ))
    roles = {r.id: r.name for r in card.scenario.roles}
    points = {p.id: p for p in card.scenario.decision_points}
    objective_of = {o.objective.id: o.objective for o in card.objectives}
    for d in card.defaulted():
        point = points.get(d.point)
        owner = roles.get(point.decided_by, labels.participant(point.decided_by)) if point \
            else "the exercise's players"
        about = [objective_of[i] for i in (point.objectives if point else ())
                 if i in objective_of]
        missed = (f"Decision {d.point} was not taken before its deadline: its default "
                  f"({d.label}) fell")
        out.append(Improvement(
            "high", join([a.capability for a in about]) or "Decision making",
            ", ".join(a.id for a in about) or "—", missed, missed,
            "Agree beforehand who decides, on what information and by when, and rehearse the "
            "decision against its deadline",
            "Planning", owner, 1.0,
        ))
    for point_id in open_points(card) if card.interactive else ():
        point = points.get(point_id)
        if point is None:
            continue
        about = [objective_of[i] for i in point.objectives if i in objective_of]
        still = f"Decision {point_id} was still open when the exercise ended"
        out.append(Improvement(
            "medium", join([a.capability for a in about]) or "Decision making",
            ", ".join(a.id for a in about) or "—", still, still,
            "Agree who takes this decision and when, and put it on the crisis cell's agenda",
            "Planning", roles.get(point.decided_by, labels.participant(point.decided_by)),
            0.5,
        ))
    capability_of = {o.objective.id: o.objective.capability for o in card.objectives}
    for b in card.observations:
        if b.kind != "improvement":
            continue
        for objective in b.objectives or (None,):
            out.append(Improvement(
                "medium", capability_of.get(objective or "", "the exercise as a whole"),
                objective or "—", f"{b.text} (observed by {b.by})",
                f"{b.text} (observed by {b.by})",
                "for the After-Action Meeting to agree", "—", "—", 0.5,
            ))
    return sorted(out, key=lambda i: (PRIORITIES[i.priority][0], -i.weight))


def top_heading(n: int) -> str:
    """The executive summary's heading for its improvements: three, two, one or none."""
    if n >= 3:
        return "The three most important improvements"
    if n == 2:
        return "The two most important improvements"
    return "The most important improvement" if n == 1 else "Improvements"


def priorities_sentence() -> str:
    """How the Improvement Plan's dates follow from the priorities."""
    return "; ".join(
        f"{name}, started {'at once' if not begin else f'within {begin} days'} and completed "
        f"within {complete} days" for name, (_, begin, complete) in PRIORITIES.items()) + "."


def at_a_glance(card: Scorecard) -> list[dict[str, str]]:
    """Each capability's rating, in words, with the evaluators' where they overrode it."""
    rows = []
    for o in card.objectives:
        final = o.final_rating
        rows.append({
            "capability": o.objective.capability, "objective": o.objective.id,
            "rating": final or "not rated",
            "words": RATING_NAMES.get(final or "", "nothing in the run allowed a rating"),
            "note": (f"evaluators' rating (computed: {o.rating or 'not rated'})"
                     if o.override else ""),
        })
    return rows
