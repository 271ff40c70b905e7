"""The facilitator's clock and the console's worker, without a screen (``tui.driver``,
``tui.frames``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from simulator.errors import TtxError
from simulator.sessions.session import Session, read_scenario, start_session
from simulator.sessions.store import SessionStore
from tui.driver import DEFAULT_SPEED, SPEEDS, Driver, check_speed
from tui.frames import Frame, Runner

from .conftest import ROOT

HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with SessionStore(tmp_path / "s.sqlite3") as opened:
        yield opened


def session_of(store: SessionStore, live: tuple[str, ...] = ("presidency_crisis_cell",)
               ) -> Session:
    loaded, raw = read_scenario(HOSPITALS)
    return start_session(store, loaded, raw, seed=3, live_roles=live)


def test_the_clock_opens_paused_and_a_running_one_found_in_the_journal_is_paused(store):
    session = session_of(store)
    driver = Driver(session)
    assert not driver.running and driver.speed == DEFAULT_SPEED
    driver.start()
    assert driver.running
    again = Driver(Session(store, store.find(session.record.id)), speed=60)
    assert not again.running, "a console reopens with the clock stopped"
    actions = [e.action for e in store.journal(session.record.id)]
    assert actions == ["resume", "pause", "speed"]


@pytest.mark.parametrize("speed", [0, -1, float("nan"), float("inf"), 1e9])
def test_a_speed_out_of_range_is_refused(speed):
    with pytest.raises(TtxError, match="simulated minutes per second"):
        check_speed(speed)


def test_faster_and_slower_step_through_the_speeds(store):
    driver = Driver(session_of(store))
    for _ in range(len(SPEEDS) + 2):
        driver.faster(1)
    assert driver.speed == SPEEDS[-1]
    for _ in range(len(SPEEDS) + 2):
        driver.faster(-1)
    assert driver.speed == SPEEDS[0]


def test_a_tick_moves_the_clock_by_its_speed_and_stops_at_a_live_decision(store):
    session = session_of(store)
    driver = Driver(session, speed=60)
    driver.start()
    driver.tick(2.0)
    assert session.now == 120.0
    while driver.running:
        driver.tick(10.0)
    assert session.pending_decisions(), "the clock paused for the Presidency's decision"
    point = session.pending_decisions()[0]
    assert session.now == point.opened
    driver.start()
    while driver.running:
        driver.tick(10.0)
    assert session.now == point.deadline and driver.at_deadline() == point.point.id
    driver.start()
    driver.tick(0.1)
    assert not session.pending_decisions(), "started again at the deadline: the default fell"


def test_jumps_and_run_to(store):
    session = session_of(store, live=())
    driver = Driver(session)
    driver.jump("inject")
    delivered = [e for e in session.events if e.kind == "inject.delivered"]
    assert delivered and session.now == delivered[0].t
    move = next(m for m in session.simulation.scenario.msel.moves if m.start > session.now)
    driver.jump("move")
    assert session.now == move.start
    assert any(e.kind == "move.started" and e.payload["move"] == move.id
               for e in session.events)
    with pytest.raises(TtxError, match="not after now"):
        driver.run_to(session.now)
    with pytest.raises(TtxError, match="one of inject, decision, move"):
        driver.jump("lunch")


def test_the_worker_carries_out_every_queued_command_before_it_ends(store):
    """Cancelled (the console closing) with commands still queued, the worker carries them
    all out first: nothing a facilitator entered is dropped."""
    session = session_of(store, live=())
    frames: list[Frame] = []
    runner = Runner(Driver(session), frames.append)
    gate = threading.Event()
    runner.submit(lambda d: gate.wait(10))  # holds the worker while more is queued
    for n in range(5):
        runner.submit(lambda d, n=n: d.session.note(f"note {n}", "E1"))
    cancel = threading.Event()
    thread = threading.Thread(target=runner.run, args=(cancel.is_set,))
    thread.start()
    cancel.set()
    gate.set()
    thread.join(30)
    assert runner.finished.is_set() and runner.wait(0)
    notes = [e.data["text"] for e in store.journal(session.record.id) if e.action == "note"]
    assert notes == [f"note {n}" for n in range(5)]
    assert frames and frames[0].state == "paused"
