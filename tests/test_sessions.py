"""Sessions: the journal is the truth. Whatever people do, opening the session again replays the
journal into the very same event log; with no live roles a session is ``ttx run``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.errors import TtxError
from simulator.scenario import load_scenario
from simulator.sessions.session import Session, start_session
from simulator.sessions.store import SessionStore

from .conftest import ROOT

HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"
LIVE = ("cyclone_officers", "presidency_crisis_cell", "be_authority")


def new(store: SessionStore, seed: int = 3, live: tuple[str, ...] = (),
        path: Path = HOSPITALS) -> Session:
    return start_session(store, load_scenario(path), path.read_bytes(), seed=seed,
                         live_roles=live, name=None)


def log_of(events) -> str:
    return "".join(e.to_json() + "\n" for e in events)


def until_pending(session: Session) -> None:
    """Run from stop to stop until a decision waits for people (never past the end)."""
    while not session.pending_decisions():
        assert session.now < session.simulation.end, "no decision opened before the end"
        session.next_stop()


def reopened(store_path: Path, session: Session) -> Session:
    """The session as another process would open it: a new store object, the journal
    replayed."""
    with SessionStore(store_path) as store:
        return Session(store, store.find(session.record.id))


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stops=st.lists(st.floats(0, 7200), max_size=6), seed=st.integers(0, 50))
def test_without_live_roles_a_session_is_the_headless_run(tmp_path, stops, seed):
    """Advanced in any pieces and ended, a session with no live roles writes exactly the log
    of ``ttx run`` with the same seed."""
    with SessionStore(tmp_path / f"s{seed}-{len(stops)}.sqlite3") as store:
        session = new(store, seed)
        for stop in sorted(stops):
            if stop >= session.now:
                session.advance(stop)
        session.advance(7200)
        session.end()
        expected = Simulation(load_scenario(HOSPITALS), seed).run().events
        assert log_of(session.events) == log_of(expected)
        store.delete(session.record.id)


ACTION = st.sampled_from(["advance", "next", "decide", "deliver", "note", "pause"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(ACTION, st.integers(0, 10_000), st.text(max_size=30)),
                     min_size=1, max_size=14))
def test_a_journal_replayed_gives_the_log_taken_live(tmp_path, plan):
    """Any sequence of actions people take (advances, stops, decisions of live roles,
    contingency injects, notes with any text) is rebuilt byte for byte from the journal."""
    path = tmp_path / "store.sqlite3"
    with SessionStore(path) as store:
        session = new(store, live=LIVE)
        for action, number, text in plan:
            if action == "advance":
                stop = (None, "live", "decision", "inject")[number % 4]
                session.advance(min(session.now + number, 7200.0), stop=stop)
            elif action == "next":
                session.next_stop()
            elif action == "decide" and session.pending_decisions():
                pending = session.pending_decisions()[number % len(session.pending_decisions())]
                options = pending.point.options
                session.decide(pending.point.id, options[number % len(options)].id,
                               by="Lead player", rationale=text or None)
            elif action == "deliver":
                inject = ("CON-01", "CON-02")[number % 2]
                if inject not in {e.subject for e in session.events
                                  if e.kind == "inject.delivered"}:
                    session.deliver(inject)
            elif action == "note" and text.strip():
                session.note(text, by="Evaluator 1")
            elif action == "pause":
                session.clock("pause")
        live = log_of(session.events)
        again = reopened(path, session)
        assert log_of(again.events) == live
        assert again.now == session.now


def test_a_refused_action_leaves_no_trace_in_the_journal(tmp_path):
    """An option the decision point does not have, an inject that is not a contingency
    inject, a time in the past: bad input (exit 2 at the command line), and the journal is as
    it was."""
    with SessionStore(tmp_path / "store.sqlite3") as store:
        session = new(store, live=LIVE)
        until_pending(session)
        point = session.pending_decisions()[0].point
        before = len(store.journal(session.record.id))
        with pytest.raises(TtxError, match="has no option 'nope'; one of"):
            session.decide(point.id, "nope")
        with pytest.raises(TtxError, match="is not a contingency inject"):
            session.deliver("INJ-01")
        with pytest.raises(TtxError, match="advance to a later time"):
            session.advance(0)
        with pytest.raises(TtxError, match=r"no objective 'OBJ-404' in this scenario; its "
                                           r"objectives: OBJ-1"):
            session.note("x", objectives=["OBJ-1", "OBJ-404"])
        assert len(store.journal(session.record.id)) == before


def test_a_session_keeps_its_own_copy_of_the_scenario(tmp_path):
    """Changing or deleting the scenario file after the session began changes nothing."""
    scenario = tmp_path / "copy.yaml"
    scenario.write_bytes(HOSPITALS.read_bytes())
    path = tmp_path / "store.sqlite3"
    with SessionStore(path) as store:
        session = new(store, path=scenario)
        session.advance(2000)
        before = log_of(session.events)
    scenario.write_text("not a scenario any more", encoding="utf-8")
    assert log_of(reopened(path, session).events) == before


def test_live_roles_must_be_the_scenario_s_roles(tmp_path):
    with SessionStore(tmp_path / "store.sqlite3") as store, pytest.raises(
        TtxError, match=r"no role 'nobody'.*its roles: be_authority, cyclone_officers"
    ):
        new(store, live=("nobody",))


def test_a_decision_of_a_live_role_waits_for_people(tmp_path):
    """A live role's decision point stays open for people instead of following the policy;
    the roles that are not live keep following theirs; the people's choice, who took it and
    why, are in the log."""
    with SessionStore(tmp_path / "store.sqlite3") as store:
        session = new(store, live=("presidency_crisis_cell",))
        until_pending(session)
        assert [p.point.id for p in session.pending_decisions()] == ["DP-IPCR"]
        made = {e.subject: (e.payload["by"], e.payload["taken"])
                for e in session.events if e.kind == "decision.made"}
        assert made == {"DP-RESERVE": ("policy", "policy")}
        events = session.decide("DP-IPCR", "monitoring", by="Presidency cell",
                                rationale="a roundtable first")
        assert events[0].kind == "decision.made"
        assert dict(events[0].payload) | {"effects": None} == {
            "option": "monitoring", "label": "Monitoring only", "by": "Presidency cell",
            "taken": "players", "rationale": "a roundtable first", "effects": None,
        }
        last = store.journal(session.record.id)[-1]
        assert (last.action, last.data["option"], last.data["by"]) == (
            "decide", "monitoring", "Presidency cell")


def test_a_session_survives_its_process(tmp_path):
    """Actions taken in one process are all there, in the same log, in the next one."""
    path = tmp_path / "store.sqlite3"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from simulator.scenario import load_scenario\n"
        "from simulator.sessions.session import start_session\n"
        "from simulator.sessions.store import SessionStore\n"
        f"path = Path({str(HOSPITALS)!r})\n"
        f"with SessionStore({str(path)!r}) as store:\n"
        "    s = start_session(store, load_scenario(path), path.read_bytes(), seed=5,\n"
        "                      live_roles=('cyclone_officers',))\n"
        "    s.advance(3000)\n"
        "    s.note('seen from the child', by='evaluator')\n"
        "    sys.stdout.write(s.record.id + '\\n' + str(len(s.events)))\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
    assert child.returncode == 0, child.stderr
    session_id, count = child.stdout.split("\n")
    with SessionStore(path) as store:
        session = Session(store, store.find(session_id))
        assert len(session.events) == int(count)
        assert session.events[-1].kind == "observation.noted"
        assert session.events[-1].payload["text"] == "seen from the child"


def test_after_a_machinery_failure_only_end_is_left(tmp_path, monkeypatch):
    """A failure of the engine is exit 1 and journaled (it happened); after it no action is
    journaled but `end`, which closes the session; show tells the failure."""
    from simulator.engine.control import ExerciseControl
    from simulator.sessions.session import MachineryFailed

    real = ExerciseControl.deliver

    def deliver(self, inject_id, by):
        if inject_id == "CON-01":
            raise RuntimeError("a bug in the machinery")
        return real(self, inject_id, by)

    monkeypatch.setattr(ExerciseControl, "deliver", deliver)
    path = tmp_path / "store.sqlite3"
    with SessionStore(path) as store:
        session = new(store)
        session.advance(600)
        with pytest.raises(MachineryFailed, match="a bug in the machinery"):
            session.deliver("CON-01")
        entries = len(store.journal(session.record.id))
        with pytest.raises(TtxError, match="only `end` is left"):
            session.advance(700)
        assert len(store.journal(session.record.id)) == entries
        session.end()
        assert store.find(session.record.id).status == "ended"
        assert session.events[-1].kind == "run.failed"
        again = reopened(path, session)
        assert again.ended and again.failed and log_of(again.events) == log_of(session.events)


def test_a_note_about_several_objectives_and_an_earlier_journal_note_about_one(tmp_path):
    """A note names any number of objectives; a journal entry written when a note named one
    (``objective``) replays as a note about that one."""
    path = tmp_path / "store.sqlite3"
    with SessionStore(path) as store:
        session = new(store)
        events = session.note("Shared the IoCs early", objectives=["OBJ-1", "OBJ-3", "OBJ-1"])
        assert events[-1].payload["objectives"] == ["OBJ-1", "OBJ-3"]
        store.append(session.record.id, "note", session.now,
                     {"text": "old form", "by": "E2", "kind": None, "objective": "OBJ-2"})
    again = reopened(path, session)
    noted = [e.payload for e in again.events if e.kind == "observation.noted"]
    assert noted[-1] == {"text": "old form", "by": "E2", "objectives": ["OBJ-2"]}
