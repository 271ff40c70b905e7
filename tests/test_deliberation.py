"""A decision the policy takes (headless, or for a role played by policy) comes after a
deliberation drawn for its point, not in the instant the point opens (docs/machinery.md
section 11): the scenario's ``timings.decision_deliberation`` or the point's own
``deliberation``, by default a draw within the window from its opening to its deadline.

The run-based tests draw seeds from the whole 32-bit range over every library scenario, in the
style of tests/test_engine_properties.py; the others build small variants of a library
scenario from its YAML, so that every error still points at a line and a column.
"""

from __future__ import annotations

import random
from functools import cache, lru_cache
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.engine.simulation import RunResult
from simulator.engine.streams import derive_seed
from simulator.errors import TtxError
from simulator.scenario.checks import _least
from simulator.scenario.distributions import Triangular
from simulator.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from simulator.scenario.models import (
    DELIBERATION_OPEN_ENDED,
    DELIBERATION_WINDOW,
    DecisionPoint,
    Scenario,
    Timings,
)
from simulator.scenario.units import parse_duration

from .conftest import ROOT, SCENARIOS

seeds = st.integers(0, 2**32 - 1)
by_scenario = pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"


def per_scenario(examples: int) -> settings:
    """A few whole runs per scenario; no shrinking (a smaller seed is not a simpler case)."""
    return settings(max_examples=examples, phases=(Phase.explicit, Phase.reuse, Phase.generate))


@cache
def loaded(path: Path) -> LoadedScenario:
    return load_scenario(path)


@lru_cache(maxsize=64)
def run(path: Path, seed: int) -> RunResult:
    return Simulation(loaded(path), seed).run()


def variant(*edits: tuple[str, str], path: Path = HOSPITALS) -> Scenario:
    """A library scenario with text replaced (each once), validated as a file would be."""
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_scenario(text.encode(), "variant.yaml")


def decisions(events: list[Event]) -> list[tuple[str, float, float | None, Event]]:
    """Each decision made: its point, when it opened, its deadline, and the decision."""
    opened: dict[str, tuple[float, float | None]] = {}
    made = []
    for e in events:
        if e.kind == "decision.pending":
            opened[e.subject] = (e.t, e.payload["deadline"])
        elif e.kind == "decision.made":
            t, deadline = opened[e.subject]
            made.append((e.subject, t, deadline, e))
    return made


# --------------------------------------------------------------------------------------------
# headless runs of the library


@by_scenario
@per_scenario(6)
@given(seed=seeds)
def test_policy_decisions_deliberate_within_their_window(path, seed):
    """Every decision of a headless run is the policy's, none in the minute its point opens
    (the library sets no deliberation, so each point's default applies: at least a twelfth of
    its window, or an hour without a deadline), none after its deadline, and each within the
    bounds of its distribution."""
    scenario = loaded(path).scenario
    points = {p.id: p for p in scenario.decision_points}
    made = decisions(run(path, seed).events)
    assert made, "every library scenario decides something in a headless run"
    for point_id, opened, deadline, event in made:
        point = points[point_id]
        delay = event.t - opened
        assert event.payload["by"] == "policy"
        distribution = point.deliberation_for(scenario.timings)
        assert point.deliberation is None and scenario.timings.decision_deliberation is None
        assert _least(distribution) >= 1
        assert delay >= _least(distribution) - 1e-9 >= 1 - 1e-9, (point_id, delay)
        if deadline is not None:
            assert event.t <= deadline
            assert delay <= point.deadline


@by_scenario
@per_scenario(4)
@given(seed=seeds)
def test_every_point_opened_is_decided_or_unresolved_once(path, seed):
    """A deliberation in progress when the run ends is logged as unresolved, like a point
    waiting for players; no point is both, nor twice either."""
    events = run(path, seed).events
    opened = [e.subject for e in events if e.kind == "decision.pending"]
    made = [e.subject for e in events if e.kind == "decision.made"]
    unresolved = [e.subject for e in events if e.kind == "decision.unresolved"]
    assert sorted(opened) == sorted(made + unresolved)
    assert len(set(opened)) == len(opened)


@given(seed=seeds)
@settings(max_examples=10)
def test_the_draw_comes_from_the_decision_takers_own_stream(seed):
    """The first deliberation of a decision taker is the first draw of the stream named after
    it, so adding the draw shifts no other body's numbers nor the policy's choices."""
    scenario = loaded(HOSPITALS).scenario
    point = next(p for p in scenario.decision_points if p.id == "DP-IPCR")
    stream = random.Random(derive_seed(seed, f"deliberation:{point.decided_by}"))
    expected = min(point.deliberation_for(scenario.timings).sample(stream), point.deadline)
    made = {p: (opened, e) for p, opened, _, e in decisions(run(HOSPITALS, seed).events)}
    if "DP-IPCR" in made:
        opened, event = made["DP-IPCR"]
        assert event.t - opened == pytest.approx(expected, abs=1e-6)


def test_same_seed_same_deliberations():
    """Reproducible: two runs with one seed decide at the same times, other seeds differ."""
    times = [
        [(p, e.t) for p, _, _, e in decisions(Simulation(loaded(HOSPITALS), seed).run().events)]
        for seed in (5, 5, 6)
    ]
    assert times[0] == times[1]
    assert times[0] != times[2]


# --------------------------------------------------------------------------------------------
# the defaults and the overrides


def test_the_default_follows_the_window_or_the_open_ended_default():
    timings = Timings()
    with_deadline = DecisionPoint.model_validate(
        {"id": "P", "prompt": "?", "decided_by": "ipcr", "at": "1h", "deadline": "6h",
         "default": "a", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}
    )
    window = with_deadline.deliberation_for(timings)
    assert isinstance(window, Triangular)
    assert (window.low, window.mode, window.high) == tuple(s * 360 for s in DELIBERATION_WINDOW)
    assert (window.low, window.mode, window.high) == (30, 90, 360)
    open_ended = with_deadline.model_copy(update={"deadline": None}).deliberation_for(timings)
    assert (open_ended.low, open_ended.mode, open_ended.high) == tuple(
        parse_duration(d) for d in DELIBERATION_OPEN_ENDED
    )


@given(seed=seeds)
@settings(max_examples=8)
def test_a_points_own_deliberation_is_honoured(seed):
    """``deliberation: 90m`` on DP-IPCR: decided 90 minutes after it opens, whatever the seed;
    the scenario's default applies to the other points."""
    scenario = variant(
        ("    deadline: 6h\n", "    deadline: 6h\n    deliberation: 90m\n"),
        ("\ntimings:\n", "\ntimings:\n  decision_deliberation: 3h\n"),
    )
    for point, opened, _, event in decisions(Simulation(scenario, seed).run().events):
        assert event.t - opened == (90 if point == "DP-IPCR" else 180)
        assert event.payload["by"] == "policy"


@given(seed=seeds)
@settings(max_examples=5)
def test_a_deliberation_past_the_deadline_is_cut_to_it(seed):
    """The policy decides by the deadline at the latest: never the deadline's default."""
    scenario = variant(
        ("    deadline: 6h\n",
         "    deadline: 6h\n    deliberation: {kind: uniform, low: 5h, high: 12h}\n"),
    )
    for point, opened, _, event in decisions(Simulation(scenario, seed).run().events):
        if point == "DP-IPCR":
            assert 300 <= event.t - opened <= 360
            assert event.payload["by"] == "policy"


def test_no_deliberation_decides_in_the_instant_the_point_opens():
    """``0m`` everywhere is the old behaviour: each decision in the instant its point opens,
    right after its decision.pending record."""
    scenario = variant(("\ntimings:\n", "\ntimings:\n  decision_deliberation: 0m\n"))
    events = Simulation(scenario, 3).run().events
    made = decisions(events)
    assert made
    for point, opened, _, event in made:
        assert event.t == opened
        index = events.index(event)
        assert events[index - 1].kind == "decision.pending" and events[index - 1].subject == point


def test_a_deliberation_in_progress_at_the_end_is_unresolved():
    scenario = variant(("    deadline: 6h\n", "    deadline: 6h\n    deliberation: 5h\n"))
    opened = next(e.t for e in Simulation(scenario, 3).run().events
                  if e.kind == "decision.pending" and e.subject == "DP-IPCR")
    sim = Simulation(scenario, 3, until=opened + 60)
    sim.advance(sim.end)
    deliberating = sim.control.open_decisions()
    assert [p.point.id for p in deliberating] == ["DP-IPCR"]
    assert deliberating[0].due == opened + 300
    assert sim.pending_decisions() == []  # nobody is waiting for players
    events = sim.finish().events
    unresolved = [e for e in events if e.kind == "decision.unresolved"]
    assert [(e.subject, e.payload["opened"]) for e in unresolved] == [("DP-IPCR", opened)]
    assert not [e for e in events if e.kind == "decision.made" and e.subject == "DP-IPCR"]


# --------------------------------------------------------------------------------------------
# live roles


def test_live_roles_wait_for_people_and_policy_roles_deliberate():
    """In a session where people play the Presidency's cell, DP-IPCR waits for them (and falls
    to its default at the deadline if they do not decide); the other points deliberate, are
    not listed as waiting for players, and people cannot decide them."""
    sim = Simulation(loaded(HOSPITALS), 3, live_roles=["presidency_crisis_cell"])
    seen_deliberating = False
    while not sim.finished and sim.now < sim.end:
        sim.run_until_stop()
        waiting = {p.point.id for p in sim.pending_decisions()}
        assert waiting <= {"DP-IPCR"}
        for other in sim.control.deliberating:
            seen_deliberating = True
            with pytest.raises(TtxError, match="decided by the scenario's policy"):
                sim.decide(other, sim.control.points[other].default)
        if sim.now >= sim.end:
            break
    events = sim.finish().events
    made = {p: (opened, e) for p, opened, _, e in decisions(events)}
    opened, event = made["DP-IPCR"]
    assert event.payload["by"] == "deadline"
    assert event.t == opened + 360
    assert all(e.payload["by"] == "policy" for p, (_, e) in made.items() if p != "DP-IPCR")
    assert seen_deliberating


def test_a_live_decision_is_taken_when_people_take_it():
    sim = Simulation(loaded(HOSPITALS), 3, live_roles=["presidency_crisis_cell"])
    while not sim.pending_decisions() and sim.now < sim.end:
        sim.run_until_stop()
    [pending] = sim.pending_decisions()
    assert pending.point.id == "DP-IPCR" and pending.due is None
    events = sim.decide("DP-IPCR", "monitoring", by="players")
    assert events[0].kind == "decision.made" and events[0].t == pending.opened


# --------------------------------------------------------------------------------------------
# validation


def _errors(*edits: tuple[str, str]) -> list[str]:
    with pytest.raises(TtxError) as caught:
        variant(*edits)
    return [str(d) for d in caught.value.diagnostics]


def _line_after(marker: str) -> int:
    """The line of the scenario text a variant inserts after ``marker`` (1-based), so the
    expected place follows the library file as it changes."""
    text = HOSPITALS.read_text(encoding="utf-8")
    return text[: text.index(marker) + len(marker)].count("\n") + 1


DEADLINE_LINE = _line_after("    deadline: 6h\n")
TIMINGS_LINE = _line_after("\ntimings:\n")


def test_a_deliberation_that_cannot_end_by_the_deadline_is_refused():
    [error] = _errors(("    deadline: 6h\n", "    deadline: 6h\n    deliberation: 7h\n"))
    assert error.startswith(
        f"variant.yaml:{DEADLINE_LINE}:19: decision_points[0].deliberation: ")
    assert "at least 7h, beyond the point's deadline (6h)" in error
    [error] = _errors(
        ("\ntimings:\n",
         "\ntimings:\n  decision_deliberation: {kind: uniform, low: 7h, high: 9h}\n")
    )
    assert error.startswith(f"variant.yaml:{TIMINGS_LINE}:26: timings.decision_deliberation: ")
    assert "decision point 'DP-IPCR' (6h)" in error


def test_a_deliberation_past_the_deadline_only_at_times_is_accepted():
    variant(("    deadline: 6h\n", "    deadline: 6h\n    deliberation: {kind: lognormal, "
             "median: 2h, sigma: 1}\n"))
    variant(("    deadline: 6h\n", "    deadline: 6h\n    deliberation: {kind: triangular, "
             "low: 1h, mode: 2h, high: 9h}\n"))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("-1h", "'-1h' is negative"),
        ("{kind: uniform, low: 3h, high: 1h}", "low must not be greater than high"),
        ("{kind: triangular, low: 1h, mode: 2h}", "high"),
        ("2", "has no unit"),
    ],
)
def test_a_malformed_deliberation_is_refused_at_its_place(written, message):
    [error] = _errors(("    deadline: 6h\n", f"    deadline: 6h\n    deliberation: {written}\n"))
    assert error.startswith(f"variant.yaml:{DEADLINE_LINE}:")
    assert "decision_points[0].deliberation" in error
    assert message in error
