"""Scoring of hand-built event logs with known answers, and the properties of ratings."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine.records import Event
from simulator.errors import TtxError
from simulator.scenario.loader import parse_scenario
from simulator.scenario.models import Scenario, Thresholds
from simulator.scoring import rate, score_run
from simulator.scoring.annotations import load_annotations

from .conftest import ROOT

H = 60.0
D = 1440.0
BASE = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")


def scenario(metrics: list[dict[str, Any]], thresholds: dict[str, float] | None = None,
             extra: str = "") -> Scenario:
    """The minimal scenario with one scoring rule for O1 (and ``extra`` YAML appended)."""
    rule: dict[str, Any] = {"objective": "O1", "metrics": metrics}
    if thresholds:
        rule["thresholds"] = thresholds
    text = BASE + extra + "scoring:\n  - " + json.dumps(rule) + "\n"
    return parse_scenario(text.encode(), "test.yaml")


def ev(t: float, kind: str, subject: str | None = None, ms: str | None = None,
       actor: str = "test", **payload: Any) -> Event:
    return Event(t, kind, actor, subject, ms, MappingProxyType(payload))


def log(*events: Event, end: float = 2 * D) -> list[Event]:
    start = ev(0.0, "run.started", actor="exercise_control", scenario="minimal", sha256="",
               seed=1, version="test")
    done = ev(end, "run.ended", actor="exercise_control", status="completed", events=0,
              reached_end=True)
    return [start, *sorted(events, key=lambda e: e.t), done]


def metric(card: Any) -> Any:
    return card.objectives[0].metrics[0]


# -- time_between -------------------------------------------------------------------------

TB = {"kind": "time_between", "from": {"kind": "classification.tier",
                                       "where": {"tier": "large_scale"}},
      "to": "cyclone.assessment", "target": "1d", "limit": "2d"}


@pytest.mark.parametrize(("delay", "expected"), [
    (0.0, 1.0), (12 * H, 1.0), (D, 1.0), (1.5 * D, 0.5), (2 * D, 0.0), (3 * D, 0.0),
])
def test_time_between_is_full_within_target_and_linear_to_the_limit(delay, expected):
    card = score_run(log(
        ev(1 * H, "classification.tier", tier="significant"),
        ev(2 * H, "classification.tier", tier="large_scale"),
        ev(2 * H + delay, "cyclone.assessment"),
        end=2 * H + delay + D,
    ), scenario([TB]))
    m = metric(card)
    assert m.score == pytest.approx(expected)
    assert [e.t for e in m.evidence] == [2 * H, 2 * H + delay], "from the large-scale tier"


def test_time_between_counts_from_the_payload_match_not_the_first_event():
    """The clock starts at the large-scale tier, not at the first tier change; an assessment
    already at hand when the tier is reached is full marks (the response came first)."""
    card = score_run(log(
        ev(0.0, "classification.tier", tier="significant"),
        ev(1 * H, "cyclone.assessment"),
        ev(2 * H, "classification.tier", tier="large_scale"),
        ev(2 * H + 1.5 * D, "cyclone.assessment"),
        end=4 * D,
    ), scenario([TB]))
    assert metric(card).score == pytest.approx(1.0), "an assessment was already in place"
    card = score_run(log(
        ev(2 * H, "classification.tier", tier="large_scale"),
        ev(2 * H + 1.5 * D, "cyclone.assessment"),
        end=4 * D,
    ), scenario([TB]))
    assert metric(card).score == pytest.approx(0.5)


def test_time_between_without_its_start_is_not_applicable():
    card = score_run(log(ev(1 * H, "cyclone.assessment")), scenario([TB]))
    m = metric(card)
    assert m.score is None and "never happened" in m.summary
    assert card.objectives[0].score is None and card.objectives[0].rating is None


def test_time_between_without_its_end_scores_nothing_once_due():
    card = score_run(log(ev(2 * H, "classification.tier", tier="large_scale"), end=3 * D),
                     scenario([TB]))
    assert metric(card).score == 0.0
    assert "no cyclone.assessment" in metric(card).summary


def test_time_between_cut_short_before_the_target_is_not_applicable():
    card = score_run(log(ev(2 * H, "classification.tier", tier="large_scale"), end=10 * H),
                     scenario([TB]))
    assert metric(card).score is None
    assert "before the target" in metric(card).summary


def test_limit_defaults_to_twice_the_target():
    tb = {**TB, "limit": None}
    del tb["limit"]
    card = score_run(log(
        ev(0.0, "classification.tier", tier="large_scale"),
        ev(1.5 * D, "cyclone.assessment"),
        end=3 * D,
    ), scenario([tb]))
    assert metric(card).score == pytest.approx(0.5)


# -- deadline compliance --------------------------------------------------------------------


def test_deadline_compliance_counts_reports_sent_or_missed():
    """Three early warnings due: two on time, one late (missed, then sent) and one never sent
    makes 2 of 4; against a 0.8 target that is 0.5 / 0.8."""
    def warning(t: float, entity: str, on_time: bool) -> Event:
        return ev(t, "entity.early_warning", "W1", "CY", entity=entity, sector="energy",
                  due=t, on_time=on_time)

    card = score_run(log(
        warning(1 * H, "e1", True),
        warning(2 * H, "e2", True),
        ev(24 * H, "entity.deadline_missed", "W1", "CY", entity="e3", report="early_warning",
           due=24 * H),
        warning(30 * H, "e3", False),
        ev(25 * H, "entity.deadline_missed", "W1", "CY", entity="e4", report="early_warning",
           due=25 * H),
        ev(26 * H, "entity.deadline_missed", "W1", "CY", entity="e4", report="notification",
           due=26 * H),
    ), scenario([{"kind": "deadline_compliance", "report": "early_warning", "target": 0.8}]))
    m = metric(card)
    assert m.score == pytest.approx(0.5 / 0.8, abs=1e-4)
    assert m.summary.startswith("2 of 4 early warnings on time")
    assert len(m.evidence) == 2


def test_deadline_compliance_at_target_is_full_marks_and_without_reports_not_applicable():
    ok = ev(1 * H, "entity.notification", "W1", "CY", entity="e1", sector="energy", due=H,
            on_time=True)
    rule = [{"kind": "deadline_compliance", "report": "notification", "target": 0.9}]
    assert metric(score_run(log(ok), scenario(rule))).score == 1.0
    assert metric(score_run(log(), scenario(rule))).score is None


# -- occurs, absent, count ------------------------------------------------------------------


@pytest.mark.parametrize(("when", "expected"), [(2 * H, 1.0), (8 * H, 0.5), (None, 0.0)])
def test_occurs_on_time_late_or_never(when, expected):
    events = [] if when is None else [ev(when, "cyclone.activated")]
    card = score_run(log(*events), scenario([{"kind": "occurs", "event": "cyclone.activated",
                                              "by": "6h"}]))
    assert metric(card).score == expected


def test_absent_and_count():
    uncoordinated = {"kind": "communication.public", "where": {"mode": "uncoordinated"}}
    events = [ev(H, "communication.public", mode="coordinated", decision=None, by="policy",
                 partners_aligned=False)]
    rules = [{"kind": "absent", "event": uncoordinated},
             {"kind": "count", "event": "communication.public", "min": 2, "max": 3}]
    card = score_run(log(*events), scenario(rules))
    absent, count = card.objectives[0].metrics
    assert absent.score == 1.0, "a coordinated message is not an uncoordinated one"
    assert count.score == 0.5
    events.append(ev(2 * H, "communication.public", mode="uncoordinated", decision=None,
                     by="policy", partners_aligned=False))
    events += [ev(3 * H + i, "communication.public", mode="coordinated", decision=None,
                  by="policy", partners_aligned=False) for i in range(4)]
    absent, count = score_run(log(*events), scenario(rules)).objectives[0].metrics
    assert absent.score == 0.0 and absent.evidence[0].t == 2 * H
    assert count.score == pytest.approx(3 / 6)


# -- proportionality and coordination --------------------------------------------------------


def adopted(t: float, measure: str, aligned: list[str] | None = None) -> Event:
    return ev(t, "measure.adopted", measure, category="stability", attribution_grade=None,
              deterrence=0.1, escalation_risk=0.0, proportionate=True,
              aligned_with=aligned or [])


def test_proportionality_judges_each_adoption_on_the_state_at_that_moment():
    """A declaration (stability) fits a significant incident; adopted below threshold it
    does not: 1 of 2 fits."""
    card = score_run(log(
        adopted(1 * H, "hr_declaration"),
        ev(2 * H, "classification.tier", tier="significant", previous="below_threshold",
           reason="", member_states=["CY"]),
        adopted(3 * H, "council_conclusions"),
    ), scenario([{"kind": "proportionality"}]))
    m = metric(card)
    assert m.score == 0.5
    assert "does not fit" in m.evidence[0].note and "fits" in m.evidence[1].note
    assert metric(score_run(log(), scenario([{"kind": "proportionality"}]))).score is None


def test_partner_alignment():
    rule = [{"kind": "coordination", "aspect": "partner_alignment", "within": "1d"}]
    partner = ev(10 * H, "partner.attribution", partner="US", attribution_grade=3,
                 description="", scripted=True)
    assert metric(score_run(log(), scenario(rule))).score is None
    assert metric(score_run(log(partner), scenario(rule))).score == 0.0, "EU silent"
    card = score_run(log(partner, adopted(20 * H, "hr_declaration"),
                         adopted(3 * D, "council_conclusions")), scenario(rule))
    assert metric(card).score == 0.5, "one within a day of the partner, one days later"
    card = score_run(log(partner, adopted(4 * D, "hr_declaration", aligned=["UK"])),
                     scenario(rule))
    assert metric(card).score == 1.0, "held to align with a partner"


def test_public_communication_share_coordinated_and_silence_is_neither():
    rule = [{"kind": "coordination", "aspect": "public_communication"}]

    def say(t: float, mode: str) -> Event:
        return ev(t, "communication.public", mode=mode, decision=None, by="policy",
                  partners_aligned=False)

    card = score_run(log(say(H, "coordinated"), say(2 * H, "uncoordinated"),
                         say(3 * H, "silent")), scenario(rule))
    assert metric(card).score == 0.5
    assert metric(score_run(log(say(H, "silent")), scenario(rule))).score is None


# -- inject expectations ---------------------------------------------------------------------

EXPECTING = """
roles: []
"""


def expecting_scenario() -> Scenario:
    text = BASE.replace(
        "objectives: [O1]}",
        "objectives: [O1], expected_actions: ["
        "{text: Raise the alert, within: 2h, evidence: csirts_network.alert}, "
        "{text: Call the minister}]}",
    )
    text += "scoring:\n  - {objective: O1, metrics: [{kind: inject_expectations}]}\n"
    return parse_scenario(text.encode(), "test.yaml")


@pytest.mark.parametrize(("alert_at", "expected", "status"), [
    (2 * H, 1.0, "met"), (5 * H, 0.5, "partly met"), (None, 0.0, "missed"),
    (0.5 * H, 1.0, "already before"),
])
def test_inject_expectations(alert_at, expected, status):
    events = [ev(H, "inject.delivered", "I1", to=["CY.csirt"], mode="email", synopsis="First",
                 move=None, tlp="amber", objectives=["O1"], contingency=False, by="schedule")]
    if alert_at is not None:
        events.append(ev(alert_at, "csirts_network.alert", mode="elevated", reporting=1,
                         decision=None))
    m = metric(score_run(log(*events), expecting_scenario()))
    assert m.score == expected
    assert status in m.evidence[0].note
    assert "for evaluators" in m.evidence[1].note, "no evidence: listed, not scored"


def test_expectations_of_an_undelivered_inject_are_not_applicable():
    m = metric(score_run(log(), expecting_scenario()))
    assert m.score is None and all("not delivered" in e.note for e in m.evidence)


# -- objectives, weights and ratings ---------------------------------------------------------


def test_objective_score_is_the_weighted_mean_of_applicable_metrics():
    rules = [
        {"kind": "occurs", "event": "cyclone.activated", "weight": 3},
        {"kind": "absent", "event": "cyclone.activated", "weight": 1},
        {"kind": "proportionality", "weight": 5},  # nothing adopted: not applicable
    ]
    card = score_run(log(ev(H, "cyclone.activated")), scenario(rules, {"P": 0.8, "S": 0.7,
                                                                      "M": 0.5}))
    objective = card.objectives[0]
    assert objective.score == 0.75 and objective.rating == "S"


def test_an_objective_without_a_rule_is_not_rated():
    text = BASE.replace(
        "objectives:\n",
        "objectives:\n  - {id: O2, text: Other, capability: Other, level: technical}\n",
    )
    card = score_run(log(), parse_scenario(text.encode(), "t.yaml"))
    assert [(o.objective.id, o.rating) for o in card.objectives] == [("O2", None), ("O1", None)]


thresholds = st.tuples(st.floats(0.02, 1), st.floats(0.01, 0.99), st.floats(0, 0.98)).filter(
    lambda t: t[0] > t[1] > t[2]
).map(lambda t: Thresholds(P=t[0], S=t[1], M=t[2]))


@given(thresholds, st.floats(0, 1), st.floats(0, 1))
def test_ratings_are_monotone_in_the_score(limits, a, b):
    order = "UMSP"
    low, high = sorted((a, b))
    assert order.index(rate(low, limits)) <= order.index(rate(high, limits))
    assert rate(limits.P, limits) == "P" and rate(1.0, limits) == "P"
    if limits.M > 0:
        assert rate(limits.M - 1e-9, limits) == "U"


@given(st.lists(st.sampled_from(["tb", "occurs", "absent", "deadline", "count", "comms"]),
                min_size=1, max_size=6),
       st.lists(st.floats(0.1, 10), min_size=6, max_size=6), thresholds)
def test_a_run_that_meets_every_target_rates_p(kinds, weights, limits):
    """Whatever the metrics, weights and thresholds, a log meeting every target rates P."""
    rules = []
    for kind, weight in zip(kinds, weights, strict=False):
        if kind == "tb":
            rules.append({**TB, "weight": weight})
        elif kind == "occurs":
            rules.append({"kind": "occurs", "event": "cyclone.activated", "by": "12h",
                          "weight": weight})
        elif kind == "absent":
            rules.append({"kind": "absent", "event": "member_state.veto", "weight": weight})
        elif kind == "deadline":
            rules.append({"kind": "deadline_compliance", "report": "early_warning",
                          "target": 0.9, "weight": weight})
        elif kind == "count":
            rules.append({"kind": "count", "event": "cyclone.assessment", "min": 1, "max": 2,
                          "weight": weight})
        else:
            rules.append({"kind": "coordination", "aspect": "public_communication",
                          "weight": weight})
    good = log(
        ev(H, "cyclone.activated"),
        ev(2 * H, "classification.tier", tier="large_scale"),
        ev(3 * H, "cyclone.assessment"),
        ev(4 * H, "entity.early_warning", "W1", "CY", entity="e1", sector="energy", due=5 * H,
           on_time=True),
        ev(5 * H, "communication.public", mode="coordinated", decision=None, by="policy",
           partners_aligned=False),
    )
    limits_dict = {"P": limits.P, "S": limits.S, "M": limits.M}
    card = score_run(good, scenario(rules, limits_dict))
    assert card.objectives[0].score == 1.0
    assert card.objectives[0].rating == "P"


# -- overrides and observations --------------------------------------------------------------


def test_an_override_is_kept_beside_the_computed_rating(tmp_path):
    sc = scenario([{"kind": "occurs", "event": "cyclone.activated"}])
    path = tmp_path / "eval.yaml"
    path.write_text(
        "overrides:\n  - {objective: O1, rating: S, rationale: Activated late, by: Lead}\n"
        "observations:\n  - {objective: O1, kind: strength, text: Calm chairing, by: Ev2}\n",
        encoding="utf-8",
    )
    card = score_run(log(ev(H, "cyclone.activated")), sc, load_annotations(path, sc))
    objective = card.objectives[0]
    assert objective.rating == "P" and objective.final_rating == "S"
    assert objective.override is not None and objective.override.source == f"{path}:2:5"
    assert [(b.kind, b.text) for b in card.observations] == [("strength", "Calm chairing")]
    data = card.to_json()["objectives"][0]
    assert data["rating"] == "P" and data["final_rating"] == "S"
    assert data["override"]["rationale"] == "Activated late"


def test_overrides_from_csv(tmp_path):
    sc = scenario([{"kind": "occurs", "event": "cyclone.activated"}])
    path = tmp_path / "eval.csv"
    path.write_text("objective,rating,text,by,kind\nO1,M,\"Slow, unclear\",Lead,\n"
                    ",,Good room,Ev2,strength\n", encoding="utf-8")
    notes = load_annotations(path, sc)
    assert [(o.objective, o.rating, o.rationale) for o in notes.overrides] == [
        ("O1", "M", "Slow, unclear")]
    assert [(b.objectives, b.kind) for b in notes.observations] == [((), "strength")]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.yaml", "overrides:\n  - {objective: O9, rating: S, rationale: x}\n",
     "bad.yaml:2:5: unknown objective 'O9'"),
    ("bad.yaml", "overrides:\n  - {objective: O1, rating: Q, rationale: x}\n",
     "bad.yaml:2:29: overrides[0].rating: 'Q' is not one of 'P'"),
    ("bad.yaml", "overrides:\n  - {objective: O1, rating: S}\n", "rationale"),
    ("bad.csv", "objective,rating,text\nO1,X,why\n", "bad.csv:2:1: rating: 'X' is not one of"),
    ("bad.csv", "objective,grade\n", "bad.csv:1:1: unknown column(s) 'grade'"),
    ("bad.csv", "objective,rating,text\nO1,S,\n", "bad.csv:2:1: text: must not be empty"),
])
def test_bad_overrides_say_where(tmp_path, name, text, message):
    sc = scenario([{"kind": "occurs", "event": "cyclone.activated"}])
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TtxError) as caught:
        load_annotations(path, sc)
    shown = "\n".join(str(d) for d in caught.value.diagnostics)
    assert message.replace("bad.", f"{tmp_path}/bad.") in shown, shown


# -- runs that stopped early, and at_least ----------------------------------------------------


def test_a_run_stopped_early_is_not_held_to_what_had_not_come_due():
    """Stopped at 10h of a 2-day scenario: an event due by 1d, a count still short, an absence
    and an expected action with time left are not applicable, and a warning says so."""
    rules = [
        {"kind": "occurs", "event": "cyclone.activated", "by": "1d"},
        {"kind": "count", "event": "cyclone.assessment", "min": 2},
        {"kind": "absent", "event": "member_state.veto"},
        {"kind": "occurs", "event": "cyclone.deactivated", "by": "5h"},
    ]
    card = score_run(log(ev(H, "cyclone.assessment"), end=10 * H), scenario(rules))
    occurs, count, absent, late = card.objectives[0].metrics
    assert (occurs.score, count.score, absent.score) == (None, None, None)
    assert late.score == 0.0, "what was due before the stop still counts"
    assert any("before the scenario's end" in w for w in card.warnings)
    full = score_run(log(ev(H, "cyclone.assessment"), end=2 * D), scenario(rules))
    assert [m.score for m in full.objectives[0].metrics] == [0.0, 0.5, 1.0, 0.0]


def test_time_between_takes_the_at_least_th_end_of_the_run():
    tb = {**TB, "to": {"kind": "cyclone.assessment", "at_least": 2}}
    card = score_run(log(
        ev(1 * H, "cyclone.assessment"),
        ev(2 * H, "classification.tier", tier="large_scale"),
        ev(6 * H, "cyclone.assessment"),
        end=3 * D,
    ), scenario([tb]))
    assert metric(card).score == 1.0, "the second assessment, 4h after the tier"
    assert "4h after" in metric(card).summary


def test_absent_counts_at_least():
    rule = [{"kind": "absent", "event": {"kind": "member_state.veto", "at_least": 2}}]
    veto = ev(H, "member_state.veto", "hr_declaration", "HU", round=1)
    assert metric(score_run(log(veto), scenario(rule))).score == 1.0, "one veto is not two"
    twice = ev(2 * H, "member_state.veto", "hr_declaration", "SK", round=1)
    assert metric(score_run(log(veto, twice), scenario(rule))).score == 0.0


def test_strengths_are_targets_met_in_full():
    """19 of 20 early warnings on time against a 99 % target rates P, yet missed its target:
    it is not listed among the strengths."""
    rules = [{"kind": "deadline_compliance", "report": "early_warning", "target": 0.99}]
    warnings = [ev(H * i, "entity.early_warning", "W1", "CY", entity=f"e{i}", sector="energy",
                   due=H * i, on_time=i != 1) for i in range(1, 21)]
    card = score_run(log(*warnings), scenario(rules))
    assert metric(card).score == pytest.approx(0.95 / 0.99, abs=1e-4)
    assert card.objectives[0].rating == "P" and card.strengths() == []
