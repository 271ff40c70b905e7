"""Scoring an exercise against its objectives: each objective gets a score in [0, 1] and an
HSEEP rating (P performed without challenges, S with some challenges, M with major challenges,
U unable to be performed; docs/machinery.md section 11) by the scenario's thresholds, with the
evidence behind it.

Scoring reads only the event log and the scenario, so a headless run, a batch sample and a
live session's journal are scored the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.records import Event
from ..scenario.models import Objective, Scenario, Thresholds
from .annotations import Annotations, Observation, Override
from .causes import Decision
from .metrics import MetricResult, Run, evaluate

RATINGS = ("P", "S", "M", "U")
RATING_NAMES = {
    "P": "performed without challenges",
    "S": "performed with some challenges",
    "M": "performed with major challenges",
    "U": "unable to be performed",
}


def rate(score: float, thresholds: Thresholds) -> str:
    """The HSEEP rating of a score: monotone, P at or above ``thresholds.P`` and so on."""
    if score >= thresholds.P:
        return "P"
    if score >= thresholds.S:
        return "S"
    if score >= thresholds.M:
        return "M"
    return "U"


def combine(metrics: Sequence[MetricResult]) -> float | None:
    """The weighted mean of the applicable metrics; None when none applies."""
    applicable = [m for m in metrics if m.score is not None]
    total = sum(m.weight for m in applicable)
    if not applicable or total <= 0:
        return None
    return round(sum(m.weight * m.score for m in applicable) / total, 4)  # type: ignore[operator]


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    thresholds: Thresholds
    metrics: tuple[MetricResult, ...]
    score: float | None
    rating: str | None  # None: nothing in the run allowed a rating
    override: Override | None = None

    @property
    def final_rating(self) -> str | None:
        """The evaluators' rating where they overrode it, the computed one otherwise."""
        return self.override.rating if self.override else self.rating


@dataclass
class Scorecard:
    scenario: Scenario
    run: dict[str, Any]  # the run.started payload, with status and end
    objectives: list[ObjectiveResult]
    observations: list[Observation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # log, scenario, overrides files
    #: every decision taken, with how (the scenario's policy, players, a default at the
    #: deadline), in the order taken; and who caused what (``causes.Causes``)
    decisions: list[Decision] = field(default_factory=list)
    scored: Run | None = None

    @property
    def interactive(self) -> bool:
        """People played some role live (a session); otherwise every decision was drawn from
        the scenario's policy."""
        return bool(self.run.get("interactive"))

    def strengths(self) -> list[tuple[ObjectiveResult, MetricResult]]:
        """Metrics whose target was met in full (a metric with nothing to judge, such as the
        absence of a veto when nothing was proposed, is not applicable, never a strength)."""
        return [(o, m) for o in self.objectives for m in o.metrics if m.score == 1.0]

    def defaulted(self) -> list[Decision]:
        """Decisions nobody took: their default fell at the deadline."""
        return [d for d in self.decisions if d.defaulted]

    def improvements(self) -> list[tuple[ObjectiveResult, MetricResult]]:
        return [(o, m) for o in self.objectives for m in o.metrics
                if m.score is not None and m.score < o.thresholds.S]

    def to_json(self) -> dict[str, Any]:
        meta = self.scenario.metadata
        return {
            "scenario": {"id": meta.id, "title": meta.title, "sha256": self.run.get("sha256"),
                         "presidency": meta.presidency_at(0),
                         "start": meta.start.isoformat().replace("+00:00", "Z")},
            "run": self.run,
            "sources": self.sources,
            "warnings": self.warnings,
            "objectives": [
                {
                    "id": o.objective.id,
                    "text": o.objective.text,
                    "capability": o.objective.capability,
                    "level": o.objective.level,
                    "score": o.score,
                    "rating": o.rating,
                    "final_rating": o.final_rating,
                    "thresholds": {"P": o.thresholds.P, "S": o.thresholds.S,
                                   "M": o.thresholds.M},
                    "override": None if o.override is None else {
                        "rating": o.override.rating, "rationale": o.override.rationale,
                        "by": o.override.by, "source": o.override.source,
                    },
                    "metrics": [
                        {
                            "id": m.id, "kind": m.kind, "description": m.description,
                            "weight": m.weight, "score": m.score, "summary": m.summary,
                            "evidence": [
                                {"t": e.t, "kind": e.kind, "subject": e.subject,
                                 "member_state": e.member_state, "note": e.note}
                                for e in m.evidence
                            ],
                        }
                        for m in o.metrics
                    ],
                }
                for o in self.objectives
            ],
            "observations": [
                {"objectives": list(b.objectives), "kind": b.kind, "text": b.text, "by": b.by,
                 "t": b.t, "source": b.source}
                for b in self.observations
            ],
            # how each decision was taken: policy, players or deadline (its default fell)
            "decisions": [
                {"point": d.point, "t": d.t, "option": d.option, "by": d.by,
                 "source": d.source}
                for d in self.decisions
            ],
        }


def score_run(
    events: Sequence[Event],
    scenario: Scenario,
    annotations: Annotations | None = None,
) -> Scorecard:
    """Score a run's log against the scenario's objectives."""
    run = Run(events, scenario)
    started = run.by_kind.get("run.started")
    info: dict[str, Any] = dict(started[0].payload) if started else {}
    warnings: list[str] = []
    # a log read from a file holds the fields its kinds declare (simulator.kinds.PAYLOADS)
    ended = run.by_kind.get("run.ended")
    failed = run.by_kind.get("run.failed")
    interrupted = run.by_kind.get("run.interrupted")
    if failed:
        info["status"] = "failed"
        warnings.append(f"the run failed at {run.clock(failed[-1].t)} "
                        f"({failed[-1].payload['error']}): scored up to the failure")
    elif interrupted:
        info["status"] = "interrupted"
        warnings.append(f"the run was interrupted ({interrupted[-1].payload['signal']}) at "
                        f"{run.clock(interrupted[-1].t)}: scored up to then")
    elif ended:
        info["status"] = ended[-1].payload["status"]
    else:
        info["status"] = "unfinished"
        warnings.append(f"the log has no end record (a session in progress?); scored up to "
                        f"{run.clock(run.end)}")
    if run.cut and (ended or failed or interrupted):
        warnings.append(
            f"the run stopped at {run.clock(run.end)}, before the scenario's end "
            f"({run.clock(scenario.metadata.duration)}): what had not come due is not scored"
        )
    info["end"] = run.end
    info["events"] = len(events)
    info["interactive"] = run.causes.interactive
    overrides = {o.objective: o for o in (annotations.overrides if annotations else ())}
    rules = {rule.objective: rule for rule in scenario.scoring}
    results = []
    for objective in scenario.objectives:
        rule = rules.get(objective.id)
        metrics = tuple(
            evaluate(metric, run, objective.id, i)
            for i, metric in enumerate(rule.metrics if rule else ())
        )
        thresholds = rule.thresholds if rule else Thresholds()
        score = combine(metrics)
        results.append(ObjectiveResult(
            objective, thresholds, metrics, score,
            None if score is None else rate(score, thresholds),
            overrides.get(objective.id),
        ))
    observations = [
        Observation(e.payload["text"], e.payload["by"], e.payload.get("kind", "note"),
                    _noted_objectives(e.payload), e.t, "the session log")
        for e in run.by_kind.get("observation.noted", ())
    ]
    if annotations:
        observations += annotations.observations
    return Scorecard(scenario, info, results, observations, warnings,
                     decisions=list(run.causes.decisions.values()), scored=run)


def _noted_objectives(payload: dict[str, Any]) -> tuple[str, ...]:
    """What an ``observation.noted`` is about (earlier logs name one ``objective``)."""
    if "objectives" in payload:
        return tuple(payload["objectives"])
    return () if payload.get("objective") is None else (payload["objective"],)


def unrated_reason(result: ObjectiveResult) -> str:
    if not result.metrics:
        return "the scenario has no scoring rule for this objective"
    return "; ".join(m.summary for m in result.metrics)
