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

from .conftest import ROOT, SCENARIOS

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


def proposed(t: float, measure: str, by: str = "HU.government") -> Event:
    """A Toolbox measure put to the Council (by a Member State's government, by default)."""
    return ev(t, "measure.proposed", measure, name=measure, category="stability",
              decision_body="council", voting="consensus", by=by, proportionate=True,
              proportionality="fits", missing=[], align_with_partners=False)


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
    assert "No EU-CyCLONe assessment" in metric(card).summary


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
    assert m.summary.startswith("2 of 4 NIS2 early warnings on time")
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
        proposed(30.0, "hr_declaration"),  # something a veto could have fallen on
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
    card = score_run(log(ev(H, "cyclone.assessment"), proposed(2 * H, "hr_declaration"),
                         end=10 * H), scenario(rules))
    occurs, count, absent, late = card.objectives[0].metrics
    assert (occurs.score, count.score, absent.score) == (None, None, None)
    assert late.score == 0.0, "what was due before the stop still counts"
    assert any("before the scenario's end" in w for w in card.warnings)
    full = score_run(log(ev(H, "cyclone.assessment"), proposed(2 * H, "hr_declaration"),
                         end=2 * D), scenario(rules))
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
    assert "4 hours after" in metric(card).summary


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


# -- credit: only for what was done ------------------------------------------------------------

INITIAL_MONITORING = "machinery:\n  initial_ipcr_mode: monitoring\n"


def mode(t: float, to: str, previous: str, reason: str = "decision D1") -> Event:
    return ev(t, "ipcr.mode", mode=to, previous=previous, reason=reason, via="presidency")


def tier_event(t: float, tier: str, previous: str = "below_threshold") -> Event:
    return ev(t, "classification.tier", tier=tier, previous=previous, reason="",
              member_states=["CY"])


#: other things that may happen in a run, none of which raises IPCR
others = st.lists(st.tuples(
    st.floats(1, 2 * D - 1),
    st.sampled_from(["cyclone.activated", "cyclone.assessment", "significant", "large_scale",
                     "communication.public"]),
), max_size=6)


def other(t: float, what: str) -> Event:
    if what in ("significant", "large_scale"):
        return tier_event(t, what)
    if what == "communication.public":
        return ev(t, "communication.public", mode="coordinated", decision=None, by="policy",
                  partners_aligned=False)
    return ev(t, what)


IPCR_RULES = [
    {"kind": "occurs", "event": "ipcr.mode", "by": "1d"},
    {"kind": "occurs", "event": {"kind": "ipcr.mode", "where": {"mode": "monitoring"}}},
    {"kind": "time_between", "from": "cyclone.activated", "to": "ipcr.mode", "target": "12h"},
    {"kind": "count", "event": "ipcr.mode", "min": 1},
]


@given(others)
def test_a_starting_ipcr_mode_earns_no_credit(extra):
    """IPCR in monitoring from the scenario's start (machinery.initial_ipcr_mode) is nobody's
    decision: whatever else happens, the log with it scores exactly as the log without it,
    and no metric asking for an IPCR mode is met by it."""
    sc = scenario(IPCR_RULES, extra=INITIAL_MONITORING)
    rest = [other(t, what) for t, what in extra]
    started = score_run(log(mode(0.0, "monitoring", "none", "initial mode of the scenario"),
                            *rest), sc)
    bare = score_run(log(*rest), sc)
    assert [m.score for m in started.objectives[0].metrics] == \
        [m.score for m in bare.objectives[0].metrics]
    occurs, monitoring, _, counted = started.objectives[0].metrics
    assert occurs.score == 0.0 and monitoring.score == 0.0 and counted.score == 0.0
    assert "starting state" in " ".join(e.note for e in occurs.evidence)
    assert not any(m.id == occurs.id for _, m in started.strengths())


def test_a_raise_from_the_starting_mode_is_credited():
    sc = scenario(IPCR_RULES[:1], extra=INITIAL_MONITORING)
    card = score_run(log(mode(0.0, "monitoring", "none", "initial mode of the scenario"),
                         mode(5 * H, "information_sharing", "monitoring")), sc)
    assert metric(card).score == 1.0
    assert "IPCR moved to information sharing" in metric(card).evidence[0].note


@pytest.mark.parametrize(("modes", "expected"), [
    (["monitoring"], 0.5),
    (["monitoring", "information_sharing"], 1.0),
])
def test_an_ipcr_mode_below_what_the_incident_calls_for_earns_half(modes, expected):
    """A large-scale incident calls for at least information sharing (the Presidency's own
    practice): IPCR raised to monitoring only is not the right mode, and earns half."""
    previous = ["none", *modes]
    events = [tier_event(H, "large_scale", "significant")]
    events += [mode(2 * H + i, m, previous[i]) for i, m in enumerate(modes)]
    card = score_run(log(*events), scenario(IPCR_RULES[:1]))
    assert metric(card).score == expected
    if expected < 1:
        assert "calls for at least information sharing" in metric(card).summary


def test_a_step_back_is_not_a_decision_to_raise_ipcr():
    card = score_run(log(mode(0.0, "monitoring", "none", "initial mode of the scenario"),
                         mode(5 * H, "none", "monitoring", "the incident is over")),
                     scenario(IPCR_RULES[:1], extra=INITIAL_MONITORING))
    assert metric(card).score == 0.0


#: what may happen in a run where nothing could be vetoed or escalated against
unrelated = st.lists(st.tuples(
    st.floats(1, 2 * D - 1),
    st.sampled_from(["cyclone.activated", "cyclone.assessment", "significant",
                     "communication.public"]),
), max_size=6)


@given(unrelated)
def test_an_absence_with_nothing_to_lead_to_it_is_not_a_strength(extra):
    """No veto when nothing was ever proposed, no escalation when no measure was adopted:
    nothing to judge (not applicable), never a strength; once a measure was proposed and no
    one vetoed it, it is one."""
    rules = [{"kind": "absent", "event": "member_state.veto"},
             {"kind": "count", "event": "adversary.escalated", "max": 0},
             {"kind": "absent", "event": {"kind": "communication.public",
                                          "where": {"mode": "uncoordinated"}}}]
    rest = [other(t, what) for t, what in extra]
    card = score_run(log(*rest), scenario(rules))
    veto, escalation, uncoordinated = card.objectives[0].metrics
    assert veto.score is None and escalation.score is None
    assert "nothing to judge" in veto.summary
    spoke = any(what == "communication.public" for _, what in extra)
    assert uncoordinated.score == (1.0 if spoke else None), "silence is not coordination"
    assert {m.id for _, m in card.strengths()} <= {uncoordinated.id}
    card = score_run(log(*rest, proposed(H, "hr_declaration")), scenario(rules))
    assert card.objectives[0].metrics[0].score == 1.0
    assert card.objectives[0].metrics[0].id in {m.id for _, m in card.strengths()}


def test_an_absence_the_run_saw_only_through_a_default_is_not_credited():
    """The only proposal came from a decision nobody took: the absence of a veto is still
    nothing to judge."""
    card = score_run(session_log(
        decided(5 * H, "deadline"),
        proposed(5 * H, "hr_declaration", by="decision D1"),
    ), scenario([{"kind": "absent", "event": "member_state.veto"}]))
    assert metric(card).score is None
    assert "but by a default nobody chose" in metric(card).summary


def session_log(*events: Event, end: float = 2 * D) -> list[Event]:
    """A log of a session where people played a role live."""
    start = ev(0.0, "run.started", actor="exercise_control", scenario="minimal", sha256="",
               seed=1, version="test", interactive=True)
    done = ev(end, "run.ended", actor="exercise_control", status="completed", events=0,
              reached_end=True)
    return [start, *sorted(events, key=lambda e: e.t), done]


def decided(t: float, by: str, option: str = "yes_alert") -> Event:
    return ev(t, "decision.made", "D1", actor="exercise_control", option=option,
              label="Raise the alert", by=by, rationale=None, effects=["csirts_network_alert"])


#: what a decision on D1 may cause, each at its delay after the decision
CONSEQUENCES = {
    "ipcr": lambda t: [mode(t, "monitoring", "none"),
                       mode(t, "information_sharing", "monitoring")],
    "message": lambda t: [ev(t, "communication.public", mode="coordinated", decision="D1",
                             by="players", partners_aligned=False)],
    "measure": lambda t: [proposed(t, "hr_declaration", by="decision D1"),
                          adopted(t + 3 * H, "hr_declaration")],
    "alert": lambda t: [ev(t, "csirts_network.alert", mode="elevated", previous="normal",
                           reason="decision D1", member_states=["CY"])],
}
DECISION_RULES = [
    {"kind": "occurs", "event": "ipcr.mode", "by": "1d"},
    {"kind": "coordination", "aspect": "public_communication"},
    {"kind": "occurs", "event": "measure.adopted"},
    {"kind": "proportionality"},
    {"kind": "time_between", "from": {"kind": "classification.tier",
                                      "where": {"tier": "large_scale"}},
     "to": "csirts_network.alert", "target": "6h"},
    {"kind": "count", "event": "ipcr.isaa_report", "min": 1},
]


@given(st.sets(st.sampled_from(sorted(CONSEQUENCES)), min_size=1),
       st.floats(0, 12 * H), st.floats(0, 12 * H), st.floats(1, 6 * H))
def test_players_who_did_nothing_score_no_better_than_players_who_acted(which, acted, late,
                                                                        delay):
    """The same decision, with the same consequences: taken by the players on time, or left
    to fall to its default at the deadline (later, and nobody's act). No objective scores
    better for the players having done nothing."""
    sc = scenario(DECISION_RULES, {"P": 0.9, "S": 0.7, "M": 0.4})
    deadline = acted + late

    def played(t: float, by: str) -> list[Event]:
        events = [tier_event(30.0, "large_scale", "significant"), decided(t, by)]
        for name in sorted(which):
            events += CONSEQUENCES[name](t + delay)
        if "ipcr" in which:
            events.append(ev(t + delay + H, "ipcr.isaa_report", authors=[], input=[],
                             tier="large_scale", member_states_affected=["CY"],
                             mode="information_sharing"))
        return events

    on_time = score_run(session_log(*played(acted, "Blue team")), sc)
    nothing = score_run(session_log(*played(deadline, "deadline")), sc)
    assert [d.source for d in nothing.decisions] == ["deadline"]
    assert [d.source for d in on_time.decisions] == ["players"]
    for idle, active in zip(nothing.objectives, on_time.objectives, strict=True):
        assert (idle.score or 0.0) <= (active.score or 0.0) + 1e-9
        for m_idle, m_active in zip(idle.metrics, active.metrics, strict=True):
            assert (m_idle.score or 0.0) <= (m_active.score or 0.0) + 1e-9, m_idle.summary
    # and what only the default brought about earns nothing at all
    scores = [m.score for m in nothing.objectives[0].metrics]
    earned_by = {"ipcr": (0, 5), "message": (1,), "measure": (2, 3), "alert": (4,)}
    for name in which:
        for index in earned_by[name]:
            assert scores[index] == 0.0, (name, nothing.objectives[0].metrics[index].summary)


def test_a_headless_runs_decisions_are_the_policys_whatever_a_record_says():
    """A run that was not interactive had no players: a decision.made naming someone is
    still the scenario's policy's (a forged or mislabelled log cannot credit players)."""
    for by in ("Blue team", "players", "deadline"):
        card = score_run(log(decided(H, by)),
                         scenario([{"kind": "occurs", "event": "cyclone.activated"}]))
        assert [d.source for d in card.decisions] == ["policy"]
        assert card.to_json()["decisions"][0]["source"] == "policy"
    card = score_run(session_log(decided(H, "Blue team")),
                     scenario([{"kind": "occurs", "event": "cyclone.activated"}]))
    assert [d.source for d in card.decisions] == ["players"]


def live_run(loaded: Any, seed: int, act: bool) -> list[Event]:
    """A session with every decision point's role live: each decision taken at once with
    its default option by the players (``act``), or left to fall at its deadline."""
    from simulator.engine import Simulation

    live = sorted({p.decided_by for p in loaded.scenario.decision_points})
    simulation = Simulation(loaded, seed, live_roles=live)
    while act and simulation.now < simulation.end:
        for pending in simulation.pending_decisions():
            simulation.decide(pending.point.id, pending.point.default, by="Blue team")
        simulation.run_until_stop()
    simulation.advance(simulation.end)
    return simulation.finish().events


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_in_the_library_doing_nothing_never_scores_better(path, seed):
    """Every library scenario, every role live: the run where nobody decided (every
    decision falls to its default at its deadline, nothing noted) rates no objective better
    than the run where the players took the same options at once."""
    from simulator.scenario.loader import load_scenario

    loaded = load_scenario(path)
    nothing = score_run(live_run(loaded, seed, act=False), loaded.scenario)
    acted = score_run(live_run(loaded, seed, act=True), loaded.scenario)
    assert nothing.decisions and all(d.source == "deadline" for d in nothing.decisions)
    assert not nothing.observations
    for idle, active in zip(nothing.objectives, acted.objectives, strict=True):
        assert (idle.score or 0.0) <= (active.score or 0.0) + 1e-9, idle.objective.id
