"""``ttx sessions ...`` end to end, through the real command: what a facilitator scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, run_ttx

HOSPITALS = "scenarios/ransomware-hospitals.yaml"


def ttx(store: Path, *args: str):
    return run_ttx("sessions", *args, "--store", str(store))


def new(store: Path, *args: str) -> str:
    result = ttx(store, "new", HOSPITALS, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_a_session_without_live_roles_exports_the_log_of_ttx_run(tmp_path):
    """new, advance to the end, end, export: the same bytes as ``ttx run --log``."""
    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", "7")
    assert len(session) == 12
    assert ttx(store, "advance", session, "--to", "1d").returncode == 0
    assert ttx(store, "advance", session, "--to", "end").returncode == 0
    assert ttx(store, "end", session).returncode == 0
    exported = tmp_path / "session.jsonl"
    assert ttx(store, "export", session, "--out", str(exported)).returncode == 0
    ran = tmp_path / "run.jsonl"
    assert run_ttx("run", HOSPITALS, "--seed", "7", "--log", str(ran)).returncode == 0
    assert exported.read_bytes() == ran.read_bytes()


def test_a_facilitator_drives_a_live_session_and_scores_it(tmp_path):
    """A live role's decision stops the clock; the decision, a note and the end are in the
    journal and the exported log, which ttx score reads with the note as an observation."""
    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", "3", "--live-roles", "presidency_crisis_cell",
                  "--name", "Blue team")
    advanced = ttx(store, "advance", "Blue team", "--to", "end")
    assert advanced.returncode == 0, advanced.stderr
    assert "decision DP-IPCR waits for presidency_crisis_cell" in advanced.stdout
    shown = ttx(store, "show", session[:6])
    assert "decision DP-IPCR waits" in shown.stdout
    bad = ttx(store, "decide", session, "DP-IPCR", "nope")
    assert bad.returncode == 2 and "has no option 'nope'; one of" in bad.stderr
    decided = ttx(store, "decide", session, "DP-IPCR", "monitoring", "--by", "Presidency cell",
                  "--rationale", "Roundtable first; 'quotes' and ; DROP TABLE are text")
    assert decided.returncode == 0, decided.stderr
    noted = ttx(store, "note", session, "Good use of the CSIRTs network", "--author", "E1",
                "--kind", "strength", "--objective", "OBJ-1")
    assert noted.returncode == 0, noted.stderr
    assert ttx(store, "advance", session, "--to", "end").returncode == 0
    assert ttx(store, "end", session).returncode == 0
    journal = tmp_path / "journal.jsonl"
    assert ttx(store, "export", session, "--journal", str(journal)).returncode == 0
    actions = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    decide = next(a for a in actions if a["action"] == "decide")
    assert decide["data"]["rationale"] == "Roundtable first; 'quotes' and ; DROP TABLE are text"
    assert actions[-1]["action"] == "end"
    log = tmp_path / "session.jsonl"
    assert ttx(store, "export", session, "--out", str(log)).returncode == 0
    scored = run_ttx("score", str(log), "--json")
    assert scored.returncode == 0, scored.stderr
    observations = json.loads(scored.stdout)["observations"]
    assert observations[0]["text"] == "Good use of the CSIRTs network"
    listed = ttx(store, "list")
    assert session in listed.stdout and "Blue team" in listed.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["show", "nope"], "no session 'nope'"),
    (["advance", "{id}"], "give one of --to"),
    (["advance", "{id}", "--to", "soon"], "--to: "),
    (["deliver", "{id}", "INJ-01"], "is not a contingency inject"),
    (["note", "{id}", "x", "--objective", "OBJ-9"], "no objective 'OBJ-9'"),
    (["note", "{id}", "x", "--kind", "praise"], "--kind praise"),
])
def test_bad_input_is_exit_2_with_what_is_valid(tmp_path, args, message):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    result = ttx(store, *[a.format(id=session) for a in args])
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_delete_removes_the_session(tmp_path):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    assert ttx(store, "delete", session, "--yes").returncode == 0
    assert ttx(store, "show", session).returncode == 2


def test_the_store_is_never_an_export(tmp_path):
    """``export --out`` onto the store itself is refused; the store stays sound."""
    store = tmp_path / "store.sqlite3"
    session = new(store)
    result = ttx(store, "export", session, "--out", str(store))
    assert result.returncode == 2 and "that is the session store" in result.stderr
    assert ttx(store, "show", session).returncode == 0


def test_the_library_scenario_path_is_not_needed_later(tmp_path):
    """A session made from a copy keeps working when the copy is gone."""
    copy = tmp_path / "copy.yaml"
    copy.write_bytes((ROOT / HOSPITALS).read_bytes())
    store = tmp_path / "store.sqlite3"
    result = ttx(store, "new", str(copy))
    session = result.stdout.splitlines()[-1]
    copy.unlink()
    assert ttx(store, "advance", session, "--to", "12h").returncode == 0


def test_advance_to_the_next_inject_or_decision(tmp_path):
    """--next inject stops at the next inject delivered; --next decision at the next decision
    point that opens, even one its policy decides at once."""
    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", "3")
    first = ttx(store, "advance", session, "--next", "inject")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("delivered:") == 1 and "inject INJ-01 delivered" in first.stdout
    decision = ttx(store, "advance", session, "--next", "decision")
    assert decision.returncode == 0, decision.stderr
    exported = tmp_path / "log.jsonl"
    assert ttx(store, "export", session, "--out", str(exported)).returncode == 0
    kinds = [json.loads(line)["kind"] for line in exported.read_text().splitlines()]
    assert "decision.pending" in kinds and kinds[-1] != "run.ended"
