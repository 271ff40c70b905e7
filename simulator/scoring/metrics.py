"""The metrics of a scenario's scoring rules, computed from the event log alone.

Each metric gives a score in [0, 1], or none when the run gave it nothing to judge (its start
event never happened, no measure was adopted ...): such a metric is *not applicable* and
leaves the weighted mean of its objective. Every result carries the events that decided it.

The rules, stated once (README, "Scoring"):

- ``time_between``: from the ``from`` (its ``at_least``-th occurrence) to the ``to`` (its
  ``at_least``-th): full marks within ``target``, none at ``limit`` (default twice the
  target), linear between. A ``to`` already in place before the ``from`` is full marks (the
  response came first, as a joint statement before the vendor's disclosure, or an assessment
  already at hand). No ``from``: not applicable. No ``to``: none, unless the run stopped
  before the target (or, stopped early, before the limit) came due: not applicable.
- ``deadline_compliance``: reports of that type sent on time, over reports sent or missed;
  full marks at ``target``, proportionally less below it.
- ``occurs``: full marks if it happens (by ``by``), half if it happens late, none if never.
- ``absent``: full marks if it never happens (``at_least`` times), none otherwise.
- ``count``: full marks within [min, max]; below min, count / min; above max, max / count.
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
from ..scenario.units import format_clock, format_duration


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
    """A log read for scoring: its events by kind, its clock and its end."""

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
        return [e for e in self.by_kind.get(match.kind, ()) if match.matches(e)]


def span(minutes: float) -> str:
    """A duration as people read it, to the minute: ``1d2h5m``."""
    return format_duration(round(minutes))


def describe(match: EventMatch) -> str:
    """An event reference in words: ``classification.tier (tier large_scale)``."""
    extra = []
    if match.subject:
        extra.append(match.subject)
    if match.member_state:
        extra.append(f"in {match.member_state}")
    for key, value in (match.where or {}).items():
        extra.append(f"{key} {value}")
    if match.at_least > 1:
        extra.append(f"#{match.at_least}")
    return match.kind + (f" ({', '.join(extra)})" if extra else "")


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
# each kind of metric


def _ramp(delay: float, target: float, limit: float) -> float:
    if delay <= target:
        return 1.0
    if delay >= limit:
        return 0.0
    return round(1.0 - (delay - target) / (limit - target), 4)


def time_between(m: TimeBetween, run: Run) -> tuple[float | None, str, list[Evidence]]:
    starts = run.find(m.from_)
    if len(starts) < m.from_.at_least:
        return None, f"{describe(m.from_)} never happened: nothing to respond to", []
    start = starts[m.from_.at_least - 1]
    limit = m.limit if m.limit is not None else 2 * m.target
    ends = run.find(m.to)
    first = [Evidence.of(start, describe(m.from_))]
    goal = f"target {span(m.target)}, none at {span(limit)}"
    if len(ends) >= m.to.at_least:
        # the at_least-th ``to`` of the run: before the start, it was already in place
        end = ends[m.to.at_least - 1]
        if end.t < start.t:
            return (
                1.0,
                f"{describe(m.to)} was already in place, {span(start.t - end.t)} before "
                f"{describe(m.from_)}",
                [*first, Evidence.of(end, describe(m.to))],
            )
        delay = end.t - start.t
        return (
            _ramp(delay, m.target, limit),
            f"{describe(m.to)} {span(delay)} after {describe(m.from_)} ({goal})",
            [*first, Evidence.of(end, describe(m.to))],
        )
    left = run.end - start.t
    if left < m.target or (run.cut and left < limit):
        return (
            None,
            f"the run ended {span(left)} after {describe(m.from_)}, before "
            + (f"the target of {span(m.target)} came due" if left < m.target
               else f"the limit of {span(limit)}"),
            first,
        )
    return (
        0.0,
        f"no {describe(m.to)} in the {span(left)} after {describe(m.from_)} ({goal})",
        [*first, Evidence(f"no {describe(m.to)} by the end of the run", run.end)],
    )


def deadline_compliance(
    m: DeadlineCompliance, run: Run
) -> tuple[float | None, str, list[Evidence]]:
    sent = run.by_kind.get(f"entity.{m.report}", [])
    missed = [e for e in run.by_kind.get("entity.deadline_missed", ())
              if e.payload["report"] == m.report]
    entities = {e.payload["entity"] for e in sent} | {e.payload["entity"] for e in missed}
    report = m.report.replace("_", " ")
    if not entities:
        return None, f"no {report} was due in this run", []
    on_time = sum(1 for e in sent if e.payload["on_time"])
    share = on_time / len(entities)
    evidence = [
        Evidence.of(e, f"{e.payload['entity']} ({e.member_state}): {report} missed")
        for e in missed[:5]
    ]
    if len(missed) > 5:
        evidence.append(Evidence(f"... and {len(missed) - 5} more missed"))
    score = 1.0 if share >= m.target else round(share / m.target, 4)
    return (
        score,
        f"{on_time} of {len(entities)} {report}s on time ({share:.0%}; target {m.target:.0%})",
        evidence,
    )


def occurs(m: Occurs, run: Run) -> tuple[float | None, str, list[Evidence]]:
    found = run.find(m.event)
    what = describe(m.event)
    if len(found) < m.event.at_least:
        deadline = f" by {run.clock(m.by)}" if m.by is not None else ""
        if run.pending(m.by):
            return None, f"no {what} yet when the run stopped, {run.clock(run.end)}", []
        return 0.0, f"{what} never happened{deadline}", [
            Evidence(f"no {what} by the end of the run", run.end)
        ]
    event = found[m.event.at_least - 1]
    evidence = [Evidence.of(event, what)]
    if m.by is not None and event.t > m.by:
        return 0.5, f"{what} at {run.clock(event.t)}, late (due by {run.clock(m.by)})", evidence
    due = f" (due by {run.clock(m.by)})" if m.by is not None else ""
    return 1.0, f"{what} at {run.clock(event.t)}{due}", evidence


def absent(m: Absent, run: Run) -> tuple[float | None, str, list[Evidence]]:
    found = run.find(m.event)
    what = describe(m.event)
    if len(found) < m.event.at_least:
        if run.cut:
            return None, f"no {what} before the run stopped, {run.clock(run.end)}", []
        return 1.0, f"no {what} in the run" if not found else (
            f"{len(found)} × {what}, fewer than {m.event.at_least}"), []
    evidence = [Evidence.of(e, what) for e in found[:5]]
    return 0.0, f"{len(found)} × {what}, the first at {run.clock(found[0].t)}", evidence


def count(m: Count, run: Run) -> tuple[float | None, str, list[Evidence]]:
    found = run.find(m.event)
    n = len(found)
    bounds = f"at least {m.min}" + (f", at most {m.max}" if m.max is not None else "")
    evidence = [Evidence.of(e, describe(m.event)) for e in found[:5]]
    if run.cut and (n < m.min or (m.max is not None and n <= m.max)):
        # still short, or within a ceiling it could yet pass: not final when the run stopped
        return None, f"{n} × {describe(m.event)} when the run stopped ({bounds})", evidence
    if n < m.min:
        score = round(n / m.min, 4)
    elif m.max is not None and n > m.max:
        score = round(m.max / n, 4)
    else:
        score = 1.0
    return score, f"{n} × {describe(m.event)} ({bounds})", evidence


def proportionality(m: Proportionality, run: Run) -> tuple[float | None, str, list[Evidence]]:
    from actors.rules import proportionate  # the Toolbox's rule, as the engine applies it

    catalogue = run.scenario.toolbox.catalogue()
    state = State()
    judged: list[tuple[Event, bool, str]] = []
    for event in run.events:
        if event.kind == "measure.adopted" and event.subject in catalogue:
            fits, why = proportionate(catalogue[event.subject], state)
            judged.append((event, fits, why))
        state.apply(event)
    if not judged:
        return None, "no Toolbox measure was adopted", []
    fitting = sum(1 for _, fits, _ in judged if fits)
    evidence = [
        Evidence.of(e, f"{e.subject} adopted: {'fits' if fits else 'does not fit'} ({why})")
        for e, fits, why in judged
    ]
    return (
        round(fitting / len(judged), 4),
        f"{fitting} of {len(judged)} adopted measures proportionate to the tier and the "
        "attribution basis",
        evidence,
    )


def coordination(m: Coordination, run: Run) -> tuple[float | None, str, list[Evidence]]:
    if m.aspect == "public_communication":
        messages = [e for e in run.by_kind.get("communication.public", ())
                    if e.payload["mode"] in ("coordinated", "uncoordinated")]
        if not messages:
            return None, "no public message was issued", []
        together = sum(1 for e in messages if e.payload["mode"] == "coordinated")
        evidence = [Evidence.of(e, f"{e.payload['mode']} message by {e.actor}")
                    for e in messages]
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
                Evidence.of(first, f"{first.payload['partner']} attributed the attack"),
            ]
        return None, "neither partners nor the EU made a statement", []
    aligned = 0
    evidence = []
    for statement in statements:
        near = [p for p in partners if abs(p.t - statement.t) <= m.within]
        ok = bool(statement.payload["aligned_with"]) or bool(near)
        aligned += ok
        with_whom = statement.payload["aligned_with"] or sorted(
            {p.payload["partner"] for p in near}
        )
        evidence.append(Evidence.of(
            statement,
            f"{statement.subject}: "
            + (f"aligned with {', '.join(with_whom)}" if ok else "no partner statement near it"),
        ))
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
    status: str  # met | partly met | missed | not delivered | for evaluators
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
            found = run.find(action.evidence)
            what = describe(action.evidence)
            later = [e for e in found if e.t >= got.t]
            if later:
                e = later[0]
                late = action.within is not None and e.t - got.t > action.within
                status = "partly met" if late else "met"
                note = f"{what} {span(e.t - got.t)} after delivery" + (
                    f" (expected within {span(action.within)})" if late and action.within
                    else ""
                )
                out.append(Expectation(inject_id, action.text, action.by, status, note, e.t))
            elif found:
                out.append(Expectation(inject_id, action.text, action.by, "met",
                                       f"{what} already before delivery", found[0].t))
            elif run.pending(got.t + action.within if action.within is not None else None):
                out.append(Expectation(inject_id, action.text, action.by, "pending",
                                       f"no {what} yet when the run stopped", got.t))
            else:
                out.append(Expectation(inject_id, action.text, action.by, "missed",
                                       f"no {what} after delivery", got.t))
    return out


def _injects(m: InjectExpectations, run: Run, objective: str) -> list[str]:
    return m.injects or [
        i.id for i in run.scenario.all_injects()
        if objective in i.objectives and i.expected_actions
    ]


def short_of(m: InjectExpectations, run: Run, objective: str) -> str:
    """Who fell short of an objective's expected actions: the roles named on them, or the
    injects' addressees, in words."""
    roles = {r.id: r.name for r in run.scenario.roles}
    injects = {i.id: i for i in run.scenario.all_injects()}
    who: set[str] = set()
    for r in expectations(_injects(m, run, objective), run):
        if r.status in ("missed", "partly met"):
            who.update([r.by] if r.by else injects[r.inject].to)
    return ", ".join(sorted(roles.get(w, w) for w in who))


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


def suggestion(metric: Any) -> tuple[str, str]:
    """The owner and the corrective action an area for improvement on ``metric`` suggests."""
    kind = metric.kind
    if isinstance(metric, TimeBetween):
        return body_of(metric.to.kind), (
            f"Agree triggers and a standing procedure so that {describe(metric.to)} follows "
            f"{describe(metric.from_)} within {span(metric.target)}; rehearse it"
        )
    if isinstance(metric, DeadlineCompliance):
        report = metric.report.replace("_", " ")
        return body_of("entity."), (
            f"Remind entities of the NIS2 {report} deadline and simplify the reporting "
            f"channel; aim for {metric.target:.0%} on time"
        )
    if isinstance(metric, Occurs):
        by = f" by {span(metric.by)}" if metric.by is not None else ""
        return body_of(metric.event.kind), (
            f"Make {describe(metric.event)}{by} part of the standard operating procedure"
        )
    if isinstance(metric, Absent):
        return body_of(metric.event.kind), (
            f"Identify what led to {describe(metric.event)} and add the safeguard that "
            "prevents it"
        )
    if isinstance(metric, Count):
        wanted = f"at least {metric.min}" + (
            f" and at most {metric.max}" if metric.max is not None else "")
        return body_of(metric.event.kind), (
            f"Plan and resource {describe(metric.event)} ({wanted} in an incident like this) "
            "and rehearse it"
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


def auto_description(metric: Any) -> str:
    """What a metric measures, in words, when the scenario gives no description."""
    if isinstance(metric, TimeBetween):
        return f"{describe(metric.to)} within {span(metric.target)} of {describe(metric.from_)}"
    if isinstance(metric, DeadlineCompliance):
        return f"NIS2 {metric.report.replace('_', ' ')}s on time (target {metric.target:.0%})"
    if isinstance(metric, Occurs):
        by = f" by {span(metric.by)}" if metric.by is not None else ""
        return f"{describe(metric.event)} happens{by}"
    if isinstance(metric, Absent):
        return f"no {describe(metric.event)}"
    if isinstance(metric, Count):
        top = f"..{metric.max}" if metric.max is not None else "+"
        return f"{describe(metric.event)} {metric.min}{top} times"
    if isinstance(metric, Proportionality):
        return "adopted Toolbox measures proportionate"
    if isinstance(metric, Coordination):
        return ("EU statements aligned with partners" if metric.aspect == "partner_alignment"
                else "public communication coordinated")
    return "expected player actions on the injects"


def evaluate(metric: Any, run: Run, objective: str, index: int) -> MetricResult:
    if isinstance(metric, InjectExpectations):
        score, summary, evidence = inject_expectations(metric, run, objective)
    else:
        score, summary, evidence = EVALUATORS[metric.kind](metric, run)
    owner, action = suggestion(metric)
    if isinstance(metric, InjectExpectations):
        owner = short_of(metric, run, objective) or owner
    return MetricResult(
        id=metric.id or f"{objective}.{index + 1}",
        kind=metric.kind,
        description=metric.description or auto_description(metric),
        weight=metric.weight,
        score=score,
        summary=summary,
        evidence=tuple(evidence),
        owner=owner,
        action=action,
        element=element(metric),
    )
