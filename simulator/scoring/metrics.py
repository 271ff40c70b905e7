"""The metrics of a scenario's scoring rules, computed from the event log alone.

Each metric gives a score in [0, 1], or none when the run gave it nothing to judge (its start
event never happened, no measure was adopted ...): such a metric is *not applicable* and
leaves the weighted mean of its objective. Every result carries the events that decided it,
and says it in words (``simulator.labels``), never in event kinds or ids.

Credit (docs/machinery.md section 11): scoring credits the run's decision makers only for what
they did. The scenario's starting state (``machinery.initial_ipcr_mode``) is nobody's act, and
what a decision caused when it fell to its default at the deadline, because nobody decided,
is not credited either (``causes.Causes``). Bad events count against, whoever caused them.

The rules, stated once (README, "For evaluators"):

- ``time_between``: from the ``from`` (its ``at_least``-th occurrence) to the ``to`` (its
  ``at_least``-th credited one): full marks within ``target``, none at ``limit`` (default
  twice the target), linear between. A ``to`` already in place before the ``from`` is full
  marks (the response came first). No ``from``: not applicable. No ``to``: none, unless the
  run stopped before the target (or, stopped early, before the limit) came due: not
  applicable.
- ``deadline_compliance``: reports of that type sent on time, over reports sent or missed;
  full marks at ``target``, proportionally less below it.
- ``occurs``: full marks if it happens (by ``by``), half if it happens late, none if never.
- ``absent``: full marks if it never happens (``at_least`` times) although something could
  have led to it (a veto needs a proposal, an escalation an EU measure, ``OPPORTUNITY``);
  not applicable when nothing could; none if it happens.
- ``count``: full marks within [min, max]; below min, count / min; above max, max / count. A
  count with no minimum is judged like ``absent`` when nothing could have led to the event.
- IPCR: an ``ipcr.mode`` reference without a ``mode`` in ``where`` means IPCR raised (a step
  up, never the starting mode nor a step back); when the highest mode reached stays below
  what the incident's peak tier calls for in the Presidency's own practice (``IPCR_FLOOR``),
  ``occurs`` and ``time_between`` give half of what they would.
- A run that stopped before the scenario's end (``--until``, a failure, a session still going)
  is not held to what it never reached: an event not yet due, a count still short, an
  expected action whose time had not run out, are not applicable rather than failures.
- ``proportionality``: the share of adopted measures that fit the tier and the attribution
  basis at the moment of their adoption (the Toolbox's own rule, ``actors.rules``).
- ``coordination``: for ``partner_alignment``, the share of EU statements (stability measures
  adopted whose language carries an attribution grade) aligned with a partner's attribution
  or within ``within`` of one, and none when partners attributed and the EU said nothing;
  for ``public_communication``, the share of public messages that were coordinated (silence
  is neither).
- ``inject_expectations``: each expected action with ``evidence``, after its inject was
  delivered: met (within ``within``), partly met (later: half marks) or missed. Actions without
  evidence are for evaluators to judge and are listed, not scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..engine.records import Event
from ..engine.state import State
from ..labels import (
    Labels,
    capitalise,
    duration,
    ipcr_mode,
    noun,
    ordinal,
    plain,
    plural,
    report,
    tier,
    tier_phrase,
    words,
)
from ..labels import sector as sector_words
from ..scenario.conditions import EventMatch
from ..scenario.models import (
    Absent,
    Coordination,
    Count,
    DeadlineCompliance,
    InjectExpectations,
    Occurs,
    Proportionality,
    Scenario,
    TimeBetween,
)
from ..scenario.reference import IPCR_MODES, TIERS
from ..scenario.units import format_clock
from .causes import Causes, is_climb


@dataclass(frozen=True)
class Evidence:
    """One fact behind a score: an event (with its time) or its absence."""

    note: str
    t: float | None = None
    kind: str | None = None
    subject: str | None = None
    member_state: str | None = None

    @classmethod
    def of(cls, event: Event, note: str) -> Evidence:
        return cls(note, event.t, event.kind, event.subject, event.member_state)


@dataclass(frozen=True)
class MetricResult:
    id: str
    kind: str
    description: str
    weight: float
    score: float | None  # None: not applicable in this run
    summary: str
    evidence: tuple[Evidence, ...] = ()
    #: whom an area for improvement falls to, and the corrective action it suggests
    owner: str = ""
    action: str = ""
    element: str = ""

    @property
    def applicable(self) -> bool:
        return self.score is not None


@dataclass
class Run:
    """A log read for scoring: its events by kind, its clock, its end, who caused what."""

    events: Sequence[Event]
    scenario: Scenario
    by_kind: dict[str, list[Event]] = field(init=False)
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.by_kind = defaultdict(list)
        for event in self.events:
            self.by_kind[event.kind].append(event)
        ended = (self.by_kind.get("run.ended") or self.by_kind.get("run.failed")
                 or self.by_kind.get("run.interrupted"))
        self.end = ended[-1].t if ended else (self.events[-1].t if self.events else 0.0)
        #: the run stopped before the scenario's end (--until, a failure, a session still
        #: going): what has not happened yet may still have come
        self.cut = self.end < self.scenario.metadata.duration - 1e-6
        self.labels = Labels(self.scenario)
        self.causes = Causes(self.events, self.scenario)

    def pending(self, due: float | None) -> bool:
        """Whether something due at ``due`` (None: by the end of the exercise) could still
        have happened after this run stopped."""
        return self.end < due if due is not None else self.cut

    @property
    def start(self) -> datetime:
        return self.scenario.metadata.start

    def clock(self, t: float) -> str:
        return format_clock(t, self.start)

    def find(self, match: EventMatch) -> list[Event]:
        """Every event that matches, but the scenario's starting state (a trigger, or a bad
        event that counts against whoever caused it)."""
        return [e for e in self.by_kind.get(match.kind, ()) if match.matches(e)
                and not self.causes.starting_state(e)]

    def find_action(self, match: EventMatch) -> list[Event]:
        """The events that match and are to someone's credit: not the starting state, not
        caused by a default nobody chose; for IPCR without a mode, only steps up."""
        found = [e for e in self.find(match) if self.causes.credited(e)]
        if _ipcr_any(match):
            found = [e for e in found if is_climb(e)]
        return found

    def uncredited(self, match: EventMatch) -> list[tuple[Event, str]]:
        """The events that match but earn no credit, each with why, in words."""
        credited = {id(e) for e in self.find_action(match)}
        out = []
        for e in self.by_kind.get(match.kind, ()):
            if not match.matches(e) or id(e) in credited:
                continue
            if self.causes.starting_state(e):
                why = "the scenario's starting state, which no one decided"
            elif self.causes.defaulted(e):
                decision = self.causes.decision_behind(e)
                assert decision is not None
                why = (f"it followed from decision {decision.point}, which nobody took: its "
                       f"default ({decision.label}) fell at the deadline")
            else:
                why = "a step back, not a decision to raise IPCR"
            out.append((e, why))
        return out

    def entity_sector(self, entity: str) -> str | None:
        for e in self.by_kind.get("entity.compromised", ()):
            if e.payload.get("entity") == entity:
                return str(e.payload.get("sector"))
        return None


def span(minutes: float) -> str:
    """A duration as people read it: ``1 day and 47 minutes``."""
    return duration(minutes)


def _ipcr_any(match: EventMatch) -> bool:
    """An IPCR reference that names no mode: it asks for IPCR to be raised."""
    return match.kind == "ipcr.mode" and not (match.where and "mode" in match.where)


def _after(delay: float, what: str) -> str:
    """``2 hours after delivery``, or ``at once on delivery`` within the minute."""
    return f"at once on {what}" if delay < 1 else f"{span(delay)} after {what}"


def _many(n: int, kind: str, match: EventMatch | None = None,
          labels: Labels | None = None) -> str:
    """``3 EU-CyCLONe assessments``, ``1 EU-CyCLONe assessment``; with a qualified
    reference, ``3 × <its description>``."""
    if match is not None and (match.where or match.subject or match.member_state):
        return f"{n} × {_strip_article(describe(match, labels))}"
    return f"{n} {_strip_article(noun(kind)) if n == 1 else plural(kind)}"


def _strip_article(phrase: str) -> str:
    for article in ("a ", "an ", "the "):
        if phrase.startswith(article):
            return phrase[len(article):]
    return phrase


def describe(match: EventMatch, labels: Labels | None = None) -> str:
    """An event reference in words: ``the incident classified as a large-scale incident``,
    ``an EU-CyCLONe assessment``, ``the adoption of <measure> in Germany``."""
    labels = labels or Labels()
    where = dict(match.where or {})
    kind = match.kind
    if kind == "classification.tier" and "tier" in where:
        base = f"the incident's classification as {tier(str(where.pop('tier')))}"
    elif kind == "ipcr.mode" and "mode" in where:
        base = f"IPCR's move to {ipcr_mode(str(where.pop('mode')))}"
    elif kind == "ipcr.mode":
        base = "a decision raising IPCR"
    elif kind == "csirts_network.alert" and "mode" in where:
        base = f"a CSIRTs network alert at {words(where.pop('mode'))}"
    elif kind == "communication.public" and "mode" in where:
        mode = str(where.pop("mode"))
        base = {"coordinated": "a coordinated public message",
                "uncoordinated": "an uncoordinated public message",
                "silent": "a decision to say nothing in public"}.get(mode, f"a {mode} message")
    else:
        base = labels.event_noun(kind, match.subject)
    extra = []
    if match.subject and match.subject not in labels.measures:
        extra.append(f"about {match.subject}")
    if match.member_state:
        extra.append(f"in {labels.value('member_state', match.member_state)}")
    for key, value in where.items():
        extra.append(f"{words(key)}: {labels.value(key, value)}")
    if match.at_least > 1:
        base = f"the {ordinal(match.at_least)} {_strip_article(base)}"
    if not extra:
        return base
    head = [e for e in extra if e.startswith("in ")]
    rest = [e for e in extra if not e.startswith("in ")]
    text = " ".join([base, *head])
    return text + (f" ({', '.join(rest)})" if rest else "")


#: the body an event's namespace belongs to: who owns an area for improvement about it
BODIES = {
    "entity": "essential and important entities, through national competent authorities",
    "csirt": "national CSIRTs",
    "spoc": "national single points of contact",
    "csirts_network": "CSIRTs network",
    "cyclone": "EU-CyCLONe",
    "ipcr": "Council Presidency (IPCR)",
    "presidency": "Council Presidency",
    "intcen": "EU INTCEN, with Member States' intelligence services",
    "member_state": "Member States",
    "hwpci": "Horizontal Working Party on Cyber Issues (HWPCI)",
    "psc": "Political and Security Committee",
    "coreper": "COREPER",
    "council": "Council",
    "measure": "HWPCI and the EEAS (Cyber Diplomacy Toolbox)",
    "reserve": "European Commission and ENISA (EU Cybersecurity Reserve)",
    "incident_review": "ENISA",
    "treaty": "Council and Member States",
    "communication": "Presidency, Commission and EEAS spokespersons",
    "fimi": "EEAS (FIMI response) with Member States' communication teams",
    "partner": "EEAS, with partners",
    "adversary": "national CSIRTs and the CSIRTs network",
    "decision": "the exercise's players",
    "inject": "the exercise's players",
}


def body_of(kind: str) -> str:
    return BODIES.get(kind.split(".", 1)[0], "the exercise's players")


# --------------------------------------------------------------------------------------------
# what could have led to a bad event: without it, its absence is no one's merit

#: a bad event's preconditions: a veto needs a proposal, an escalation an EU measure adopted
OPPORTUNITY: dict[str, tuple[str, ...]] = {
    "member_state.veto": ("measure.proposed",),
    "measure.blocked": ("measure.proposed",),
    "council.vote": ("measure.proposed",),
    "council.held": ("measure.proposed",),
    "adversary.escalated": ("measure.adopted",),
    "adversary.deterred": ("measure.adopted",),
    "reserve.refused": ("reserve.requested",),
    "reserve.queued_at_end": ("reserve.requested",),
    "fimi.amplified": ("fimi.narrative",),
    "incident_review.approval": ("incident_review.requested",),
    "csirt.overloaded": ("entity.early_warning", "entity.notification"),
    "entity.deadline_missed": ("entity.detected",),
}


def opportunities(match: EventMatch) -> list[EventMatch]:
    """What must have happened (to someone's credit) for the absence of ``match`` to mean
    anything; empty when its absence is judged on its own."""
    kinds = OPPORTUNITY.get(match.kind)
    if kinds:
        return [
            EventMatch(
                kind=k,
                subject=match.subject if k.startswith("measure.") else None,
                member_state=match.member_state if k.startswith("entity.") else None,
            )
            for k in kinds
        ]
    if match.where:  # an uncoordinated message needs a message: the same kind, any payload
        return [EventMatch(kind=match.kind, subject=match.subject,
                           member_state=match.member_state)]
    return []


def _nothing_to_judge(match: EventMatch, run: Run) -> str | None:
    """Why the absence of ``match`` says nothing: nothing could have led to it; or None."""
    needed = opportunities(match)
    if not needed or any(run.find_action(o) for o in needed):
        return None
    labels = run.labels
    what = " or ".join(describe(o, labels) for o in needed)
    by_default = any(run.find(o) for o in needed)
    return (f"no {_strip_article(describe(match, labels))}, but nothing could have led to "
            "one: there was no "
            f"{_strip_article(what)}" + (" but by a default nobody chose" if by_default else "")
            + ", so there is nothing to judge")


# --------------------------------------------------------------------------------------------
# IPCR: the mode must fit the incident

#: the mode the Presidency's own practice reaches for each peak tier (docs/machinery.md
#: section 5: monitoring once EU-CyCLONe meets, information sharing once it assesses a
#: large-scale incident); full activation has no cyber precedent, so it is never required
IPCR_FLOOR = {
    "below_threshold": "none",
    "significant": "monitoring",
    "large_scale": "information_sharing",
    "cyber_crisis": "information_sharing",
}


def _peak_tier(run: Run) -> str:
    tiers = [str(e.payload.get("tier")) for e in run.by_kind.get("classification.tier", ())
             if e.payload.get("tier") in TIERS]
    return max(tiers, key=TIERS.index, default="below_threshold")


def _highest_raised(run: Run) -> str:
    raised = [str(e.payload["mode"]) for e in run.find_action(EventMatch(kind="ipcr.mode"))]
    return max(raised, key=IPCR_MODES.index, default="none")


def ipcr_reached(run: Run) -> str | None:
    """The highest mode IPCR was raised to, and that it fits the incident, in words."""
    highest = _highest_raised(run)
    if highest == "none":
        return None
    peak = _peak_tier(run)
    if IPCR_FLOOR[peak] == "none":
        return f"IPCR reached {ipcr_mode(highest)}"
    return (f"IPCR reached {ipcr_mode(highest)}; {tier_phrase(peak)} calls for at least "
            f"{ipcr_mode(IPCR_FLOOR[peak])}")


def ipcr_short(run: Run) -> str | None:
    """Why the IPCR modes raised fall short of the incident's peak tier; None if they do
    not."""
    peak = _peak_tier(run)
    floor = IPCR_FLOOR[peak]
    highest = _highest_raised(run)
    if IPCR_MODES.index(highest) >= IPCR_MODES.index(floor):
        return None
    return (f"IPCR reached only {ipcr_mode(highest)}, while {tier_phrase(peak)} calls for at "
            f"least {ipcr_mode(floor)} (the Presidency's own practice)")


# --------------------------------------------------------------------------------------------
# each kind of metric


def _ramp(delay: float, target: float, limit: float) -> float:
    if delay <= target:
        return 1.0
    if delay >= limit:
        return 0.0
    return round(1.0 - (delay - target) / (limit - target), 4)


def _uncredited_evidence(run: Run, match: EventMatch) -> list[Evidence]:
    return [Evidence.of(e, f"{run.labels.describe(e)}: not credited, {why}")
            for e, why in run.uncredited(match)[:3]]


def _ipcr_fit(run: Run, match: EventMatch, score: float, summary: str,
              evidence: list[Evidence]) -> tuple[float, str, list[Evidence]]:
    """Half of ``score`` when IPCR was raised, but not as far as the incident called for."""
    if not _ipcr_any(match) or score == 0:
        return score, summary, evidence
    short = ipcr_short(run)
    if short is None:
        reached = ipcr_reached(run)
        return score, summary, [*evidence, Evidence(reached)] if reached else evidence
    return round(score / 2, 4), f"{summary}; but {short}", [*evidence, Evidence(short)]


def time_between(m: TimeBetween, run: Run) -> tuple[float | None, str, list[Evidence]]:
    labels = run.labels
    starts = run.find(m.from_)
    origin = describe(m.from_, labels)
    response = describe(m.to, labels)
    if len(starts) < m.from_.at_least:
        return None, f"{origin} never happened: nothing to respond to", []
    start = starts[m.from_.at_least - 1]
    limit = m.limit if m.limit is not None else 2 * m.target
    ends = run.find_action(m.to)
    first = [Evidence.of(start, labels.describe(start))]
    goal = f"target {span(m.target)}, no credit after {span(limit)}"
    if len(ends) >= m.to.at_least:
        # the at_least-th ``to`` of the run: before the start, it was already in place
        end = ends[m.to.at_least - 1]
        if end.t < start.t:
            return _ipcr_fit(
                run, m.to, 1.0,
                f"{capitalise(response)} was already in place, {span(start.t - end.t)} before "
                f"{origin}",
                [*first, Evidence.of(end, labels.describe(end))],
            )
        delay = end.t - start.t
        return _ipcr_fit(
            run, m.to, _ramp(delay, m.target, limit),
            f"{capitalise(response)} came {span(delay)} after {origin} ({goal})",
            [*first, Evidence.of(end, labels.describe(end))],
        )
    left = run.end - start.t
    if left < m.target or (run.cut and left < limit):
        return (
            None,
            f"the run ended {span(left)} after {origin}, before "
            + (f"the target of {span(m.target)} came due" if left < m.target
               else f"the limit of {span(limit)}"),
            first,
        )
    return (
        0.0,
        f"no {_strip_article(response)} in the {span(left)} after {origin} ({goal})",
        [*first, *_uncredited_evidence(run, m.to),
         Evidence(f"no {_strip_article(response)} by the end of the run", run.end)],
    )


def deadline_compliance(
    m: DeadlineCompliance, run: Run
) -> tuple[float | None, str, list[Evidence]]:
    # NIS2 binds Member States' entities: the Union entities report to CERT-EU (Regulation
    # (EU) 2023/2841), and a notification without a deadline (NIS1, voluntary) is neither on
    # time nor late
    sent = [e for e in run.by_kind.get(f"entity.{m.report}", ())
            if e.member_state and e.payload.get("on_time") is not None]
    missed = [e for e in run.by_kind.get("entity.deadline_missed", ())
              if e.payload["report"] == m.report and e.member_state]
    entities = {e.payload["entity"] for e in sent} | {e.payload["entity"] for e in missed}
    name = report(m.report)
    if not entities:
        return None, f"no NIS2 {name} was due in this run", []

    def missing(e: Event) -> str:
        sector = run.entity_sector(str(e.payload["entity"]))
        where = (f"an entity in {run.labels.value('member_state', e.member_state)}"
                 if e.member_state else "a Union institution")
        of = f" ({sector_words(sector)})" if sector else ""
        return f"{where}{of} missed its {name} deadline"

    on_time = sum(1 for e in sent if e.payload["on_time"] is True)
    share = on_time / len(entities)
    evidence = [Evidence.of(e, missing(e)) for e in missed[:5]]
    if len(missed) > 5:
        evidence.append(Evidence(f"... and {len(missed) - 5} more missed"))
    score = 1.0 if share >= m.target else round(share / m.target, 4)
    return (
        score,
        f"{on_time} of {len(entities)} NIS2 {name}s on time ({share:.0%}; target "
        f"{m.target:.0%})",
        evidence,
    )


def occurs(m: Occurs, run: Run) -> tuple[float | None, str, list[Evidence]]:
    found = run.find_action(m.event)
    what = describe(m.event, run.labels)
    if len(found) < m.event.at_least:
        deadline = f" by {run.clock(m.by)}" if m.by is not None else ""
        if run.pending(m.by):
            return None, f"no {_strip_article(what)} yet when the run stopped, " \
                f"{run.clock(run.end)}", []
        uncredited = _uncredited_evidence(run, m.event)
        because = " to anyone's credit" if uncredited else ""  # only the start, a default
        return 0.0, f"{what} never happened{because}{deadline}", [
            *uncredited, Evidence(f"no {_strip_article(what)} by the end of the run", run.end)
        ]
    event = found[m.event.at_least - 1]
    evidence = [Evidence.of(event, run.labels.describe(event))]
    if m.by is not None and event.t > m.by:
        return _ipcr_fit(run, m.event, 0.5,
                         f"{capitalise(what)} at {run.clock(event.t)}, late (due by "
                         f"{run.clock(m.by)})", evidence)
    due = f" (due by {run.clock(m.by)})" if m.by is not None else ""
    return _ipcr_fit(run, m.event, 1.0, f"{capitalise(what)} at {run.clock(event.t)}{due}",
                     evidence)


def absent(m: Absent, run: Run) -> tuple[float | None, str, list[Evidence]]:
    found = run.find(m.event)
    what = describe(m.event, run.labels)
    if len(found) < m.event.at_least:
        if run.cut:
            return None, f"no {_strip_article(what)} before the run stopped, " \
                f"{run.clock(run.end)}", []
        idle = None if found else _nothing_to_judge(m.event, run)
        if idle is not None:
            return None, idle, []
        return 1.0, f"no {_strip_article(what)} in the run" if not found else (
            f"{len(found)} × {_strip_article(what)}, fewer than {m.event.at_least}"), []
    evidence = [Evidence.of(e, run.labels.describe(e)) for e in found[:5]]
    return 0.0, (f"{len(found)} × {_strip_article(what)}, the first at "
                 f"{run.clock(found[0].t)}"), evidence


def count(m: Count, run: Run) -> tuple[float | None, str, list[Evidence]]:
    everything = run.find(m.event)  # what counts against a ceiling, whoever caused it
    credited = run.find_action(m.event)  # what counts towards a minimum
    n, total = len(credited), len(everything)
    bounds = f"at least {m.min}" + (f", at most {m.max}" if m.max is not None else "")
    evidence = [Evidence.of(e, run.labels.describe(e)) for e in everything[:5]]
    if m.min == 0:
        shown = _many(total, m.event.kind, m.event, run.labels)
    else:
        shown = _many(n, m.event.kind, m.event, run.labels) + (
            f" to anyone's credit ({total} in all)" if n != total else "")
    if run.cut and (n < m.min or (m.max is not None and total <= m.max)):
        # still short, or within a ceiling it could yet pass: not final when the run stopped
        return None, f"{shown} when the run stopped ({bounds})", evidence
    if n < m.min:
        score = round(n / m.min, 4)
    elif m.max is not None and total > m.max:
        score = round(m.max / total, 4)
    else:
        if m.min == 0 and not everything:
            idle = _nothing_to_judge(m.event, run)
            if idle is not None:
                return None, idle, evidence
        score = 1.0
    return score, f"{shown} ({bounds})", evidence


def proportionality(m: Proportionality, run: Run) -> tuple[float | None, str, list[Evidence]]:
    from actors.rules import proportionate  # the Toolbox's rule, as the engine applies it

    catalogue = run.scenario.toolbox.catalogue()
    state = State()
    judged: list[tuple[Event, bool, str]] = []
    for event in run.events:
        if event.kind == "measure.adopted" and event.subject in catalogue:
            fits, why = proportionate(catalogue[event.subject], state)
            if fits and run.causes.defaulted(event):
                fits, why = False, "adopted only because a decision fell to its default"
            judged.append((event, fits, plain(why, run.labels)))
        state.apply(event)
    if not judged:
        return None, "no Toolbox measure was adopted", []
    fitting = sum(1 for _, fits, _ in judged if fits)
    evidence = [
        Evidence.of(e, f"{run.labels.measure(e.subject)} adopted: "
                       f"{'fits' if fits else 'does not fit'} ({why})")
        for e, fits, why in judged
    ]
    return (
        round(fitting / len(judged), 4),
        f"{fitting} of {len(judged)} adopted measures proportionate to the tier and the "
        "attribution basis",
        evidence,
    )


def coordination(m: Coordination, run: Run) -> tuple[float | None, str, list[Evidence]]:
    labels = run.labels
    if m.aspect == "public_communication":
        messages = [e for e in run.by_kind.get("communication.public", ())
                    if e.payload["mode"] in ("coordinated", "uncoordinated")]
        if not messages:
            return None, "no public message was issued", []
        together = sum(1 for e in messages if e.payload["mode"] == "coordinated"
                       and run.causes.credited(e))

        def said(e: Event) -> str:
            note = labels.describe(e)
            if e.payload["mode"] == "coordinated" and not run.causes.credited(e):
                note += " (by a default nobody chose: not credited)"
            return note

        evidence = [Evidence.of(e, said(e)) for e in messages]
        return (
            round(together / len(messages), 4),
            f"{together} of {len(messages)} public messages coordinated",
            evidence,
        )
    catalogue = run.scenario.toolbox.catalogue()
    # EU statements on the attack: stability measures whose language has an attribution grade
    statements = [e for e in run.by_kind.get("measure.adopted", ())
                  if e.subject in catalogue and catalogue[e.subject].category == "stability"
                  and catalogue[e.subject].effects.attribution_grade is not None]
    partners = run.by_kind.get("partner.attribution", [])
    if not statements:
        if partners and run.pending(partners[0].t + m.within):
            return None, "partners attributed; the run stopped before the EU's window closed", []
        if partners:
            first = partners[0]
            return 0.0, "partners attributed the attack; the EU made no statement", [
                Evidence.of(first, labels.describe(first)),
            ]
        return None, "neither partners nor the EU made a statement", []
    aligned = 0
    evidence = []
    for statement in statements:
        near = [p for p in partners if abs(p.t - statement.t) <= m.within]
        ok = (bool(statement.payload["aligned_with"]) or bool(near))
        credited = run.causes.credited(statement)
        aligned += ok and credited
        with_whom = statement.payload["aligned_with"] or sorted(
            {p.payload["partner"] for p in near}
        )
        name = labels.measure(statement.subject)
        if ok and not credited:
            note = f"{name}: adopted only by a default nobody chose, not credited"
        elif ok:
            note = f"{name}: aligned with {labels.participants(f'partner.{w}' for w in with_whom)}"
        else:
            note = f"{name}: no partner statement near it"
        evidence.append(Evidence.of(statement, note))
    return (
        round(aligned / len(statements), 4),
        f"{aligned} of {len(statements)} EU statements aligned with partners (within "
        f"{span(m.within)})",
        evidence,
    )


@dataclass(frozen=True)
class Expectation:
    """One expected player action on one inject, and how it went."""

    inject: str
    action: str
    by: str | None
    status: str  # met | partly met | missed | not delivered | for evaluators | pending
    note: str
    t: float | None = None


def expectations(injects: Iterable[str], run: Run) -> list[Expectation]:
    by_id = {i.id: i for i in run.scenario.all_injects()}
    delivered: dict[str, Event] = {}
    for event in run.by_kind.get("inject.delivered", ()):
        if event.subject is not None:
            delivered.setdefault(event.subject, event)
    out = []
    for inject_id in injects:
        inject = by_id[inject_id]
        for action in inject.expected_actions:
            got = delivered.get(inject_id)
            if got is None:
                out.append(Expectation(inject_id, action.text, action.by, "not delivered",
                                       "the inject was not delivered"))
                continue
            if action.evidence is None:
                out.append(Expectation(inject_id, action.text, action.by, "for evaluators",
                                       "no event in the log shows it: evaluators judge it",
                                       got.t))
                continue
            found = run.find_action(action.evidence)
            what = describe(action.evidence, run.labels)
            later = [e for e in found if e.t >= got.t]
            if later:
                e = later[0]
                late = action.within is not None and e.t - got.t > action.within
                status = "partly met" if late else "met"
                note = f"{what} {_after(e.t - got.t, 'delivery')}" + (
                    f" (expected within {span(action.within)})" if late and action.within
                    else ""
                )
                out.append(Expectation(inject_id, action.text, action.by, status, note, e.t))
            elif found:
                out.append(Expectation(inject_id, action.text, action.by, "met",
                                       f"{what} already before delivery", found[0].t))
            elif run.pending(got.t + action.within if action.within is not None else None):
                out.append(Expectation(inject_id, action.text, action.by, "pending",
                                       f"no {_strip_article(what)} yet when the run stopped",
                                       got.t))
            else:
                why = run.uncredited(action.evidence)
                note = f"no {_strip_article(what)} after delivery" + (
                    f" to anyone's credit ({why[0][1]})" if why else "")
                out.append(Expectation(inject_id, action.text, action.by, "missed", note,
                                       got.t))
    return out


def _injects(m: InjectExpectations, run: Run, objective: str) -> list[str]:
    return m.injects or [
        i.id for i in run.scenario.all_injects()
        if objective in i.objectives and i.expected_actions
    ]


def short_of(m: InjectExpectations, run: Run, objective: str) -> str:
    """Who fell short of an objective's expected actions: the roles named on them, or the
    injects' addressees, in words."""
    injects = {i.id: i for i in run.scenario.all_injects()}
    who: set[str] = set()
    for r in expectations(_injects(m, run, objective), run):
        if r.status in ("missed", "partly met"):
            who.update([r.by] if r.by else injects[r.inject].to)
    return ", ".join(sorted(run.labels.participant(w) for w in who))


def inject_expectations(
    m: InjectExpectations, run: Run, objective: str
) -> tuple[float | None, str, list[Evidence]]:
    results = expectations(_injects(m, run, objective), run)
    scored = [r for r in results if r.status in ("met", "partly met", "missed")]
    evidence = [Evidence(f"{r.inject}: {r.action} — {r.status} ({r.note})", r.t)
                for r in results]
    if not scored:
        reason = ("no expected action could be seen in the log"
                  if results else "no inject with expected actions")
        return None, reason, evidence
    met = sum(1 for r in scored if r.status == "met")
    partly = sum(1 for r in scored if r.status == "partly met")
    score = round((met + 0.5 * partly) / len(scored), 4)
    judged = len(results) - len(scored)
    rest = f"; {judged} more for evaluators, not delivered or pending" if judged else ""
    return (
        score,
        f"{met} met, {partly} partly met, {len(scored) - met - partly} missed of "
        f"{len(scored)} expected actions{rest}",
        evidence,
    )


# --------------------------------------------------------------------------------------------
# what an area for improvement suggests (the Improvement Plan is pre-filled from it)

_ELEMENTS = {  # HSEEP capability elements: planning, organisation, equipment, training, exercise
    "time_between": "Planning",
    "deadline_compliance": "Training",
    "occurs": "Planning",
    "absent": "Organization",
    "count": "Planning",
    "proportionality": "Planning",
    "coordination": "Organization",
    "inject_expectations": "Training",
}


def suggestion(metric: Any, labels: Labels | None = None) -> tuple[str, str]:
    """The owner and the corrective action an area for improvement on ``metric`` suggests."""
    labels = labels or Labels()
    kind = metric.kind
    if isinstance(metric, TimeBetween):
        return body_of(metric.to.kind), (
            f"Agree triggers and a standing procedure so that "
            f"{describe(metric.to, labels)} follows "
            f"{describe(metric.from_, labels)} within {span(metric.target)}; rehearse it"
        )
    if isinstance(metric, DeadlineCompliance):
        return body_of("entity."), (
            f"Remind entities of the NIS2 {report(metric.report)} deadline and simplify the "
            f"reporting channel; aim for {metric.target:.0%} on time"
        )
    if isinstance(metric, Occurs):
        by = f" within {span(metric.by)} of the start" if metric.by is not None else ""
        return body_of(metric.event.kind), (
            f"Agree a procedure that delivers {describe(metric.event, labels)}{by}, and "
            "rehearse it"
        )
    if isinstance(metric, Absent):
        return body_of(metric.event.kind), (
            f"Identify what led to {describe(metric.event, labels)} and add the safeguard that "
            "prevents it"
        )
    if isinstance(metric, Count):
        wanted = f"at least {metric.min}" + (
            f" and at most {metric.max}" if metric.max is not None else "")
        return body_of(metric.event.kind), (
            f"Plan and resource {plural(metric.event.kind)} ({wanted} in an incident like "
            "this) and rehearse them"
        )
    if isinstance(metric, Proportionality):
        return BODIES["measure"], (
            "Check each proposed Toolbox measure against the tier and the attribution basis "
            "before it goes to the HWPCI"
        )
    if isinstance(metric, Coordination):
        if metric.aspect == "partner_alignment":
            return "EEAS and the High Representative", (
                "Set up a channel with partners to time EU statements with their attributions"
            )
        return BODIES["communication"], (
            "Agree lines to take across Member States and EU bodies before speaking publicly"
        )
    if kind == "inject_expectations":
        return "the exercise's players", (
            "Review the expected actions missed with the teams concerned and train them"
        )
    return "the exercise's players", "Review and agree a corrective action"


def element(metric: Any) -> str:
    return _ELEMENTS.get(metric.kind, "Planning")


Evaluator = Callable[..., tuple[float | None, str, list[Evidence]]]

EVALUATORS: dict[str, Evaluator] = {
    "time_between": time_between,
    "deadline_compliance": deadline_compliance,
    "occurs": occurs,
    "absent": absent,
    "count": count,
    "proportionality": proportionality,
    "coordination": coordination,
}


def auto_description(metric: Any, labels: Labels | None = None) -> str:
    """What a metric measures, in words, when the scenario gives no description."""
    labels = labels or Labels()
    if isinstance(metric, TimeBetween):
        return (f"{capitalise(describe(metric.to, labels))} within {span(metric.target)} of "
                f"{describe(metric.from_, labels)}")
    if isinstance(metric, DeadlineCompliance):
        return f"NIS2 {report(metric.report)}s on time (target {metric.target:.0%})"
    if isinstance(metric, Occurs):
        by = f" within {span(metric.by)} of the start" if metric.by is not None else ""
        return f"{capitalise(describe(metric.event, labels))}{by}"
    if isinstance(metric, Absent):
        return f"No {_strip_article(describe(metric.event, labels))}"
    if isinstance(metric, Count):
        qualified = bool(metric.event.where or metric.event.subject or metric.event.member_state)
        what = describe(metric.event, labels) if qualified else plural(metric.event.kind)
        if metric.min == 0 and metric.max is not None:
            return f"No {_strip_article(what)}" if metric.max == 0 else (
                f"At most {metric.max}: {what}")
        top = f" (at most {metric.max})" if metric.max is not None else ""
        return f"At least {metric.min}: {what}{top}"
    if isinstance(metric, Proportionality):
        return "Adopted Toolbox measures proportionate"
    if isinstance(metric, Coordination):
        return ("EU statements aligned with partners" if metric.aspect == "partner_alignment"
                else "Public communication coordinated")
    return "Expected actions on the injects"


def evaluate(metric: Any, run: Run, objective: str, index: int) -> MetricResult:
    if isinstance(metric, InjectExpectations):
        score, summary, evidence = inject_expectations(metric, run, objective)
    else:
        score, summary, evidence = EVALUATORS[metric.kind](metric, run)
    owner, action = suggestion(metric, run.labels)
    if isinstance(metric, InjectExpectations):
        owner = short_of(metric, run, objective) or owner
    return MetricResult(
        id=metric.id or f"{objective}.{index + 1}",
        kind=metric.kind,
        description=metric.description or auto_description(metric, run.labels),
        weight=metric.weight,
        score=score,
        summary=capitalise(summary),
        evidence=tuple(evidence),
        owner=owner,
        action=action,
        element=element(metric),
    )

