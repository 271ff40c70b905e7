"""The stepping API of ``Simulation``, as the facilitator console drives it.

The console advances the clock, stops where a person must act, enters decisions and plays
contingency injects; these tests state the rules it relies on, each in its docstring.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.engine.records import Event, read_log
from simulator.engine.simulation import STOP_KINDS
from simulator.errors import TtxError
from simulator.kinds import EVENT_KINDS
from simulator.scenario.loader import LoadedScenario, load_scenario

from .conftest import ROOT

SEED = 3
HOUR, DAY = 60.0, 1440.0


@pytest.fixture(scope="module")
def loaded() -> LoadedScenario:
    return load_scenario(ROOT / "scenarios" / "ransomware-hospitals.yaml")


def lines(events: list[Event]) -> list[str]:
    return [e.to_json() for e in events]


def of(events: list[Event], kind: str, subject: str | None = None) -> list[Event]:
    return [e for e in events if e.kind == kind and (subject is None or e.subject == subject)]


def step_to(sim: Simulation, kind: str, subject: str) -> Event:
    """Step from stop to stop until an event of ``kind`` about ``subject`` has happened."""
    while not sim.finished and sim.now < sim.end:
        found = of(sim.run_until_stop(), kind, subject)
        if found:
            return found[0]
    raise AssertionError(f"no {kind} {subject} before the end")


def interactive(loaded: LoadedScenario, **kwargs: object) -> Simulation:
    return Simulation(loaded, SEED, interactive=True, **kwargs)  # type: ignore[arg-type]


# -- advance --------------------------------------------------------------------------------


def test_advance_returns_exactly_the_new_events_all_before_to(loaded):
    """advance(to) returns the events it caused, in order, all with t < to, and the clock
    stands at ``to``."""
    sim = interactive(loaded)
    # built, a run has stated its start and the law it plays under (docs/machinery.md
    # section 12), nothing more
    assert [e.kind for e in sim.events] == ["run.started", "law.in_force"]
    for to in (30.0, 60.0, 61.0, 172.5, 600.0, 600.0, 1439.25, DAY, 2 * DAY + 0.5):
        before, was = len(sim.events), sim.now
        new = sim.advance(to)
        assert new == sim.events[before:]
        assert all(was <= e.t < to for e in new), to
        assert [e.t for e in new] == sorted(e.t for e in new)
        assert sim.now == to


def test_nothing_scheduled_at_to_has_happened(loaded):
    """An event due exactly at ``to`` happens in the next advance, not in this one."""
    sim = interactive(loaded)
    assert not of(sim.advance(HOUR), "inject.delivered", "INJ-01")  # INJ-01 is due at 1h
    assert not of(sim.advance(HOUR), "inject.delivered"), "advancing to now does nothing"
    delivered = of(sim.advance(HOUR + 1), "inject.delivered", "INJ-01")
    assert [e.t for e in delivered] == [HOUR]
    assert not of(sim.advance(DAY), "move.started", "M2")  # the move M2 starts at 1d
    started = [e for e in sim.advance(DAY + 1) if e.kind == "move.started"]
    assert [(e.t, e.payload["move"]) for e in started] == [(DAY, "M2")]


def test_advance_into_the_past_does_nothing(loaded):
    """advance(to) with ``to`` at or before now returns no events and leaves the clock."""
    sim = interactive(loaded)
    sim.advance(5 * HOUR)
    count = len(sim.events)
    assert sim.advance(5 * HOUR) == []
    assert sim.advance(HOUR) == []
    assert sim.now == 5 * HOUR and len(sim.events) == count


def test_advance_never_goes_beyond_the_end(loaded):
    """advance(to) past the end stops at the end; the run then ends there."""
    sim = interactive(loaded)
    end = loaded.scenario.metadata.duration
    assert sim.end == end
    new = sim.advance(end + 10 * DAY)
    assert sim.now == end and all(e.t < end for e in new)
    assert sim.advance(end + 20 * DAY) == [] and sim.now == end
    result = sim.finish()
    assert result.status == "completed" and result.end == end
    assert result.events[-1].kind == "run.ended" and result.events[-1].t == end
    assert result.events[-1].payload["reached_end"] is True


def test_until_is_an_earlier_end(loaded):
    """``until`` ends the run there: nothing happens after it, the run ends at it."""
    sim = Simulation(loaded, SEED, until=DAY)
    assert sim.end == DAY
    result = sim.run()
    assert result.end == DAY and result.events[-1].kind == "run.ended"
    assert max(e.t for e in result.events) == DAY
    assert all(e.t < DAY for e in result.events if not e.kind.startswith(("run.", "inject.sk")))
    assert Simulation(loaded, SEED, until=100 * DAY).end == loaded.scenario.metadata.duration


# -- run_until_stop -------------------------------------------------------------------------


def test_run_until_stop_hands_back_after_each_inject_or_decision(loaded):
    """run_until_stop returns at the instant of an inject.delivered or decision.pending, after
    every event of that instant; no stop is passed over; the last call ends at the end."""
    sim = interactive(loaded)
    stops: list[float] = []
    while sim.now < sim.end:
        batch = sim.run_until_stop()
        assert batch == sim.events[len(sim.events) - len(batch) :]
        assert all(e.t <= sim.now for e in batch)
        found = [e for e in batch if e.kind in STOP_KINDS]
        if sim.now < sim.end:
            assert found, f"returned at {sim.now} without a stop"
        assert {e.t for e in found} <= {sim.now}, "two stops in one call"
        if found:
            assert all(e.t == sim.now for e in batch[batch.index(found[0]) :])
            assert sim.kernel.env.peek() > sim.now, "the instant of the stop is not finished"
            stops.append(sim.now)
    assert stops[0] == HOUR, "INJ-01, at 1h, is the first stop"
    every = sorted({e.t for e in sim.events if e.kind in STOP_KINDS})
    assert stops == every


def test_run_until_stop_returns_at_the_limit(loaded):
    """With nothing to stop for before ``limit``, run_until_stop returns at the limit, and
    never beyond the end."""
    sim = interactive(loaded)
    batch = sim.run_until_stop(limit=30.0)
    assert sim.now == 30.0
    assert batch and not [e for e in batch if e.kind in STOP_KINDS]
    assert all(e.t < 30.0 for e in batch)
    sim.advance(sim.end - 1)
    sim.run_until_stop(limit=sim.end + DAY)
    assert sim.now == sim.end
    assert sim.run_until_stop() == []


# -- decisions ------------------------------------------------------------------------------


def test_a_players_decision_waits_for_them(loaded):
    """In interactive mode a decision point of a role played by players stays pending until
    decide(); the decision.made record carries option, by and rationale, at the current time."""
    sim = interactive(loaded)
    opened = step_to(sim, "decision.pending", "DP-IPCR")
    [pending] = [p for p in sim.pending_decisions() if p.point.id == "DP-IPCR"]
    assert pending.opened == opened.t and pending.deadline == opened.t + 6 * HOUR
    assert list(opened.payload["options"]) == ["monitoring", "information_sharing"]
    sim.advance(opened.t + 2 * HOUR)
    assert "DP-IPCR" in [p.point.id for p in sim.pending_decisions()]
    assert not of(sim.events, "decision.made", "DP-IPCR")

    new = sim.decide(
        "DP-IPCR",
        "monitoring",
        by="presidency_crisis_cell",
        rationale="wait for EU-CyCLONe's assessment",
    )
    made = new[0]
    assert made.kind == "decision.made" and made.subject == "DP-IPCR"
    assert made.t == opened.t + 2 * HOUR
    assert made.payload["option"] == "monitoring"
    assert made.payload["by"] == "presidency_crisis_cell"
    assert made.payload["rationale"] == "wait for EU-CyCLONe's assessment"
    assert made.payload["label"] == "Monitoring only"
    assert "DP-IPCR" not in [p.point.id for p in sim.pending_decisions()]
    sim.advance(sim.end)
    assert len(of(sim.events, "decision.made", "DP-IPCR")) == 1, "the deadline does not decide"


def test_a_decision_point_with_no_deadline_waits_to_the_end(loaded):
    """Without a deadline, an undecided point stays pending however long the players take."""
    sim = interactive(loaded)
    sim.advance(sim.end)
    assert "DP-RESERVE" in [p.point.id for p in sim.pending_decisions()]
    assert not of(sim.events, "decision.made", "DP-RESERVE")


def test_a_decision_still_open_at_the_end_is_recorded_as_unresolved(loaded):
    """Evaluators see that players never decided: finish() logs decision.unresolved."""
    sim = interactive(loaded)
    sim.advance(sim.end)
    events = sim.finish().events
    (unresolved,) = of(events, "decision.unresolved", "DP-RESERVE")
    (opened,) = of(events, "decision.pending", "DP-RESERVE")
    assert unresolved.payload["opened"] == opened.t
    assert unresolved.payload["default"] == "request"


def test_a_move_taken_at_a_stop_replays_through_its_instant(loaded):
    """A move entered when run_until_stop handed back at t replays after advance(t,
    through=True): the whole instant t happened before it, as in the session."""
    live = interactive(loaded)
    stop = step_to(live, "inject.delivered", "INJ-11")
    live.deliver("CON-01")
    live.advance(live.end)
    replay = interactive(loaded)
    replay.advance(stop.t, through=True)
    assert [e.to_json() for e in replay.events] == [
        e.to_json() for e in live.events[: len(replay.events)]
    ]
    replay.deliver("CON-01")
    replay.advance(replay.end)
    assert lines(replay.finish().events) == lines(live.finish().events)


def test_a_decision_point_opens_when_its_time_comes(loaded):
    """A point whose trigger is ``all: [tier_at_least: significant, after: 1d12h]`` opens as
    soon as both hold, at 1d12h if the tier was reached before, not at some later event."""
    sim = interactive(loaded)
    sim.advance(sim.end)
    significant = min(e.t for e in of(sim.events, "classification.tier"))
    [opened] = of(sim.events, "decision.pending", "DP-RESERVE")
    assert opened.t == max(significant, DAY + 12 * HOUR)


def test_wrong_decisions_raise_a_clear_ttx_error(loaded):
    """Deciding an unknown point or option, a point not open yet, or a point twice raises
    TtxError saying what is wrong, and changes nothing."""
    sim = interactive(loaded)
    step_to(sim, "decision.pending", "DP-IPCR")
    count = len(sim.events)
    with pytest.raises(TtxError, match="no decision point 'DP-NOPE'"):
        sim.decide("DP-NOPE", "monitoring")
    with pytest.raises(TtxError, match="DP-COMMS is not open yet"):
        sim.decide("DP-COMMS", "coordinated")
    with pytest.raises(TtxError, match="no option 'maybe'; one of: monitoring, information_"):
        sim.decide("DP-IPCR", "maybe")
    assert len(sim.events) == count and not sim.finished
    assert "DP-IPCR" in [p.point.id for p in sim.pending_decisions()]
    sim.decide("DP-IPCR", "information_sharing")
    with pytest.raises(TtxError, match="DP-IPCR was already decided"):
        sim.decide("DP-IPCR", "monitoring")
    assert len(of(sim.events, "decision.made", "DP-IPCR")) == 1


def test_an_unanswered_decision_falls_to_its_default_at_the_deadline(loaded):
    """A pending point with a deadline is decided for its default, by "deadline", exactly
    when the deadline passes."""
    sim = interactive(loaded)
    opened = step_to(sim, "decision.pending", "DP-IPCR")
    deadline = opened.t + 6 * HOUR
    assert opened.payload["deadline"] == deadline
    sim.advance(deadline)
    assert "DP-IPCR" in [p.point.id for p in sim.pending_decisions()]
    [made] = of(sim.advance(deadline + 1), "decision.made", "DP-IPCR")
    assert made.t == deadline
    assert made.payload["option"] == "information_sharing"
    assert made.payload["by"] == "deadline"
    assert "DP-IPCR" not in [p.point.id for p in sim.pending_decisions()]
    with pytest.raises(TtxError, match="already decided"):
        sim.decide("DP-IPCR", "monitoring")


def test_roles_played_by_policy_decide_by_policy_even_in_interactive_mode(loaded):
    """A point of a role with ``played_by: policy`` never waits for players: the policy
    decides it after its deliberation, by the deadline (tests/test_deliberation.py)."""
    scenario = loaded.scenario
    roles = [
        r.model_copy(update={"played_by": "policy"}) if r.id == "presidency_crisis_cell" else r
        for r in scenario.roles
    ]
    sim = Simulation(scenario.model_copy(update={"roles": roles}), SEED, interactive=True)
    opened = step_to(sim, "decision.pending", "DP-IPCR")
    assert "DP-IPCR" not in [p.point.id for p in sim.pending_decisions()]
    [made] = of(sim.advance(opened.t + 6 * HOUR, through=True), "decision.made", "DP-IPCR")
    assert opened.t < made.t <= opened.t + 6 * HOUR and made.payload["by"] == "policy"


def test_headless_runs_never_wait(loaded):
    """Headless, every point is decided by the policy, after its deliberation and by its
    deadline (tests/test_deliberation.py), and none waits for players."""
    sim = Simulation(loaded, SEED)
    while sim.now < sim.end:
        sim.run_until_stop()
        assert sim.pending_decisions() == []
    opened = {e.subject: e for e in of(sim.events, "decision.pending")}
    made = {e.subject: e for e in of(sim.events, "decision.made")}
    assert set(opened) == set(made) == {"DP-IPCR", "DP-COMMS", "DP-RESERVE"}
    for point, decision in made.items():
        assert decision.payload["by"] == "policy"
        assert opened[point].t < decision.t <= (opened[point].payload["deadline"] or sim.end)


# -- injects --------------------------------------------------------------------------------


def test_a_contingency_inject_is_delivered_once(loaded):
    """deliver() plays a contingency inject now; a second delivery raises TtxError."""
    sim = interactive(loaded)
    sim.advance(10 * HOUR)
    [delivered] = sim.deliver("CON-01")[:1]
    assert delivered.kind == "inject.delivered" and delivered.subject == "CON-01"
    assert delivered.t == 10 * HOUR
    assert delivered.payload["contingency"] is True and delivered.payload["by"] == "facilitator"
    count = len(sim.events)
    with pytest.raises(TtxError, match="CON-01 was already delivered"):
        sim.deliver("CON-01")
    with pytest.raises(TtxError, match="no inject 'CON-99'"):
        sim.deliver("CON-99")
    assert len(sim.events) == count
    sim.advance(sim.end)
    assert len(of(sim.events, "inject.delivered", "CON-01")) == 1


def test_undelivered_injects_are_skipped_with_a_reason_at_the_end(loaded):
    """finish() records every inject never delivered as inject.skipped, with its reason;
    every inject is delivered or skipped exactly once."""
    sim = interactive(loaded, until=2 * DAY)
    sim.advance(HOUR)
    sim.deliver("CON-01")
    sim.advance(sim.end)
    result = sim.finish()
    skipped = {e.subject: e.payload["reason"] for e in of(result.events, "inject.skipped")}
    assert skipped["CON-02"] == "contingency inject not played"
    assert "CON-01" not in skipped
    for late in ("INJ-10", "INJ-11", "INJ-12"):  # due after 2d
        assert skipped[late] == "after the end of the run"
    assert all(skipped.values())
    delivered = [e.subject for e in of(result.events, "inject.delivered")]
    injects = sorted(i.id for i in loaded.scenario.all_injects())
    assert sorted([*delivered, *skipped]) == injects
    assert result.events[-1].kind == "run.ended"
    assert {e.t for e in of(result.events, "inject.skipped")} == {2 * DAY}


def test_the_run_refuses_moves_once_it_has_ended(loaded):
    """After finish(), decide() and deliver() raise TtxError; finish() again changes nothing."""
    sim = interactive(loaded)
    step_to(sim, "decision.pending", "DP-IPCR")
    result = sim.finish()
    assert result.status == "completed" and result.end == sim.now < sim.end
    assert result.events[-1].payload["reached_end"] is False
    with pytest.raises(TtxError, match="the run has ended"):
        sim.decide("DP-IPCR", "monitoring")
    with pytest.raises(TtxError, match="the run has ended"):
        sim.deliver("CON-01")
    assert sim.advance(sim.end) == [] and sim.run_until_stop() == []
    assert lines(sim.finish().events) == lines(result.events)


# -- determinism ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(loaded) -> dict[int, list[str]]:
    return {seed: lines(Simulation(loaded, seed).run().events) for seed in (1, SEED)}


@pytest.mark.parametrize("step", [1.0, 7.5, 60.0, 1439.0, 2000.0])
def test_headless_stepped_by_advance_equals_the_run(loaded, reference, step):
    """Advancing a headless run in steps gives the log of run(), byte for byte."""
    sim = Simulation(loaded, SEED)
    while sim.now < sim.end:
        sim.advance(sim.now + step)
    assert lines(sim.finish().events) == reference[SEED]


def test_headless_stepped_from_stop_to_stop_equals_the_run(loaded, reference):
    """Running a headless run from stop to stop gives the log of run(), byte for byte."""
    sim = Simulation(loaded, SEED)
    calls = 0
    while sim.now < sim.end:
        sim.run_until_stop()
        calls += 1
    assert calls > 5
    assert lines(sim.finish().events) == reference[SEED]


@given(
    seed=st.sampled_from([1, SEED]),
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("advance"), st.floats(0.0, 900.0)),
            st.tuples(st.just("stop"), st.none() | st.floats(0.0, 900.0)),
        ),
        max_size=40,
    ),
)
def test_any_mix_of_steps_gives_the_same_log(loaded, reference, seed, steps):
    """However advance and run_until_stop are mixed, a headless run's log is that of run()."""
    sim = Simulation(loaded, seed)
    for how, delta in steps:
        if how == "advance":
            sim.advance(sim.now + delta)
        else:
            sim.run_until_stop(None if delta is None else sim.now + delta)
    assert lines(sim.run().events) == reference[seed]


def play(loaded: LoadedScenario) -> tuple[list[str], list[tuple[float, str, str]]]:
    """A facilitator's session: stop to stop, players decide some points late, one point
    falls to its deadline, a contingency inject is played. Returns the log and the moves,
    each taken a while after a stop (a move taken at a stop's instant comes after that
    instant's events, which advance(t) cannot reproduce)."""
    sim = interactive(loaded)
    moves: list[tuple[float, str, str]] = []
    while sim.now < sim.end:
        sim.run_until_stop()
        if sim.now >= 3 * DAY and not of(sim.events, "inject.delivered", "CON-01"):
            sim.advance(sim.now + 30)
            sim.deliver("CON-01")
            moves.append((sim.now, "CON-01", ""))
        for pending in sim.pending_decisions():
            point = pending.point.id
            if point == "DP-COMMS":
                continue  # left to its deadline
            sim.advance(pending.opened + 90)
            option = "monitoring" if point == "DP-IPCR" else "wait"
            sim.decide(point, option, by="players", rationale=f"session choice on {point}")
            moves.append((sim.now, point, option))
    return lines(sim.finish().events), moves


def test_an_interactive_session_is_reproducible(loaded):
    """The same decisions at the same times with the same options give the same log."""
    log, moves = play(loaded)
    assert sorted(m[1] for m in moves) == ["CON-01", "DP-IPCR", "DP-RESERVE"]
    assert play(loaded) == (log, moves)


def test_replaying_the_recorded_decisions_rebuilds_the_session(loaded):
    """Replaying a session's decisions at their recorded times, stepping only by advance,
    gives its log byte for byte: the log depends on the decisions, not on the stepping."""
    log, moves = play(loaded)
    sim = interactive(loaded)
    for t, what, option in moves:
        sim.advance(t)
        if what.startswith("CON-"):
            sim.deliver(what)
        else:
            sim.decide(what, option, by="players", rationale=f"session choice on {what}")
    sim.advance(sim.end)
    replayed = lines(sim.finish().events)
    assert replayed == log
    made = [json.loads(line) for line in log if '"decision.made"' in line]
    assert {m["payload"]["by"] for m in made} == {"players", "deadline"}


# -- failures -------------------------------------------------------------------------------


def boom(*_: object, **__: object) -> None:
    raise RuntimeError("boom in the machinery")


FAILURES = [
    ("actors.adversary", "Adversary", "start"),  # while the world starts
    ("actors.adversary", "Adversary", "_compromise"),  # in a handler, mid-dispatch
    ("actors.cyclone", "Cyclone", "_activated"),  # in a timer
    ("actors.entities", "Entities", "_schedule_detection"),  # with events left in the queue
    ("actors.presidency", "Presidency", "_isaa"),  # with events left in the queue
    ("actors.outside", "Outside", "_happen"),  # with events left in the queue
    ("actors.entities", "Entities", "_reserve"),  # inside a SimPy process
]
FAILURE_IDS = [f"{c}.{m}" for _, c, m in FAILURES]


@pytest.mark.parametrize(("module", "cls", "method"), FAILURES, ids=FAILURE_IDS)
def test_a_failure_in_the_machinery_keeps_the_result(
    loaded, reference, monkeypatch, tmp_path, module, cls, method
):
    """An exception in an actor ends the run as failed, with the error named in the result
    and in a last run.failed record; the log before it is kept and can be written."""
    monkeypatch.setattr(getattr(importlib.import_module(module), cls), method, boom)
    result = Simulation(loaded, SEED).run()
    assert result.status == "failed"
    assert result.error is not None
    assert "RuntimeError: boom in the machinery" in result.error
    last = result.events[-1]
    assert last.kind == "run.failed", [e.kind for e in result.events[-3:]]
    assert last.payload["error"] == result.error
    assert last.payload["events"] == len(result.events), "counts itself, as run.ended does"
    assert last.t == result.end
    before = lines(result.events[:-1])
    assert before and before == reference[SEED][: len(before)], "the log up to the failure"
    assert not of(result.events, "run.ended")
    out = tmp_path / "failed.jsonl"
    result.write(out)
    assert out.read_text(encoding="utf-8").splitlines() == lines(result.events)
    assert read_log(out)[-1].kind == "run.failed"


@pytest.mark.parametrize(
    ("module", "cls", "method"),
    [("actors.council", "Council", "wire"), ("simulator.engine.simulation", "Simulation",
                                              "check_wiring")],
    ids=["wire", "check_wiring"],
)
def test_a_world_that_cannot_be_built_still_leaves_its_result(
    loaded, monkeypatch, tmp_path, module, cls, method
):
    """A failure while the world is built (an actor's wiring, the wiring check) is a failed
    run with its two records, never an exception out of the constructor or an empty log."""
    monkeypatch.setattr(getattr(importlib.import_module(module), cls), method, boom)
    sim = Simulation(loaded, SEED)
    assert sim.finished
    result = sim.run()
    assert result.status == "failed" and "boom in the machinery" in (result.error or "")
    assert [e.kind for e in result.events] == ["run.started", "run.failed"]
    assert result.events[-1].payload["events"] == 2
    out = tmp_path / "failed.jsonl"
    result.write(out)
    assert [e.kind for e in read_log(out)] == ["run.started", "run.failed"]


@pytest.mark.parametrize(("module", "cls", "method"), FAILURES, ids=FAILURE_IDS)
def test_the_error_says_where_the_machinery_failed(loaded, monkeypatch, module, cls, method):
    """The error's location is the code that raised (here, this file), even when it raised
    inside a SimPy process, not a line of SimPy."""
    monkeypatch.setattr(getattr(importlib.import_module(module), cls), method, boom)
    result = Simulation(loaded, SEED).run()
    assert result.error is not None and f"(at {Path(__file__).name}:" in result.error


@pytest.mark.parametrize(("module", "cls", "method"), FAILURES, ids=FAILURE_IDS)
def test_nothing_moves_after_a_failure(loaded, monkeypatch, module, cls, method):
    """Once the machinery has failed, no actor receives anything more: events and messages
    queued at the moment of the failure are dropped, not handled after run.failed."""
    monkeypatch.setattr(getattr(importlib.import_module(module), cls), method, boom)
    sim = Simulation(loaded, SEED)
    late: list[str] = []

    def probe(item: object) -> None:
        if sim.status != "running":
            late.append(getattr(item, "kind", None) or getattr(item, "topic", "?"))

    for kind in EVENT_KINDS:
        if kind != "run.failed":
            sim.kernel.subscribe(kind, probe)
    result = sim.run()
    assert result.status == "failed" and result.events[-1].kind == "run.failed"
    assert late == []


def test_a_failure_during_a_decision_keeps_the_result(loaded, monkeypatch):
    """A decision whose effect breaks the machinery ends the run as failed, not the console;
    the decision itself stays in the log."""
    import actors.presidency

    monkeypatch.setattr(actors.presidency.Presidency, "_request", boom)
    sim = interactive(loaded)
    step_to(sim, "decision.pending", "DP-IPCR")
    new = sim.decide("DP-IPCR", "monitoring", rationale="test")
    assert [e.kind for e in new] == ["decision.made", "run.failed"]
    assert sim.finished
    result = sim.finish()
    assert result.status == "failed" and "RuntimeError" in (result.error or "")
    assert result.events[-1].kind == "run.failed"
    with pytest.raises(TtxError, match="the run has ended"):
        sim.deliver("CON-01")
