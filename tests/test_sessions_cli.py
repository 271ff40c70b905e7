"""``ttx sessions ...`` end to end, through the real command: what a facilitator scripts."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, TTX, run_ttx

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
    piped = subprocess.run([str(TTX), "sessions", "export", session, "--out", "-",
                            "--store", str(store)], capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout == ran.read_bytes()
    assert b"wrote " in piped.stderr and not (ROOT / "-").exists()


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
                "--kind", "strength", "--objective", "OBJ-1", "--objective", "OBJ-3")
    assert noted.returncode == 0, noted.stderr
    delivered = ttx(store, "deliver", session, "CON-01")
    assert delivered.returncode == 0 and "delivered CON-01 at D+" in delivered.stdout
    again = ttx(store, "deliver", session, "CON-01")
    assert again.returncode == 2 and "already delivered" in again.stderr
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
    assert observations[0]["objectives"] == ["OBJ-1", "OBJ-3"]
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


# -- what a review found ------------------------------------------------------------------


def test_text_that_is_not_utf8_is_refused_before_it_is_journaled(tmp_path):
    """A note of undecodable bytes was journaled, then no export could ever be written."""
    store = tmp_path / "store.sqlite3"
    session = new(store)
    result = subprocess.run([str(TTX), "sessions", "note", session, b"bad\xff\xfebytes",
                             "--store", str(store)], capture_output=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert b"is not text" in result.stderr
    journal = tmp_path / "journal.jsonl"
    assert ttx(store, "export", session, "--journal", str(journal)).returncode == 0
    assert journal.read_text(encoding="utf-8") == ""


def test_a_lock_that_cannot_be_checked_can_be_cleared(tmp_path):
    """A lock left under another host name (a laptop renamed by its network after a power
    cut) is refused, names the way out, and `unlock` clears it."""
    store = tmp_path / "store.sqlite3"
    session = new(store)
    with sqlite3.connect(store) as db:
        db.execute("INSERT INTO drivers (session_id, pid, host, since, started) "
                   "VALUES (?, 999999, 'Johns-Air.home', '2026-01-01T00:00:00Z', '')",
                   (session,))
    refused = ttx(store, "note", session, "x")
    assert refused.returncode == 2
    assert "Johns-Air.home" in refused.stderr and "ttx sessions unlock" in refused.stderr
    asked = subprocess.run([str(TTX), "sessions", "unlock", session, "--store", str(store)],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert asked.returncode == 2 and "not unlocked (give --yes)" in asked.stderr
    cleared = ttx(store, "unlock", session, "--yes")
    assert cleared.returncode == 0 and "process 999999 on Johns-Air.home" in cleared.stdout
    assert ttx(store, "note", session, "x").returncode == 0


def test_a_session_takes_the_seeds_ttx_run_takes(tmp_path):
    """A seed above SQLite's integers is kept exactly; one beyond 64 bits is bad input."""
    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", str(2**64 - 1))
    assert f"seed {2**64 - 1}" in ttx(store, "show", session).stdout
    result = ttx(store, "new", HOSPITALS, "--seed", str(2**64))
    assert result.returncode == 2 and "--seed" in result.stderr


@pytest.mark.parametrize(("column", "value", "command"), [
    ("live_roles", "nope", "list"),
    ("seed", "abc", "show"),
])
def test_a_damaged_row_is_bad_input_not_a_crash(tmp_path, column, value, command):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    with sqlite3.connect(store) as db:
        db.execute(f"UPDATE sessions SET {column} = ?", (value,))
    result = ttx(store, command, *([session] if command == "show" else []))
    assert result.returncode == 2, result.stderr
    assert "is damaged in the store" in result.stderr


def test_a_damaged_journal_entry_is_bad_input_not_a_crash(tmp_path):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    assert ttx(store, "advance", session, "--next", "inject").returncode == 0
    with sqlite3.connect(store) as db:
        db.execute("""UPDATE journal SET data = '{"limit": "x"}'""")
    result = ttx(store, "show", session)
    assert result.returncode == 2
    assert "journal entry 1 (advance) cannot be replayed, the store is damaged" in result.stderr


def test_delete_without_a_terminal_to_ask_on_is_refused(tmp_path):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    result = subprocess.run([str(TTX), "sessions", "delete", session, "--store", str(store)],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2 and "not deleted (give --yes" in result.stderr
    assert ttx(store, "show", session).returncode == 0


def test_a_body_that_decides_without_a_role_can_be_played_live(tmp_path):
    """presidency-ddos has Ireland's government decide DP-INTEL, a body, not a role."""
    store = tmp_path / "store.sqlite3"
    result = ttx(store, "new", "scenarios/presidency-ddos.yaml", "--live-roles", "IE.government")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["list"], ["show", "abcd"],
                                     ["export", "abcd", "--out", "x.jsonl"]])
def test_reading_a_store_that_is_not_there_creates_nothing(tmp_path, command):
    typo = tmp_path / "typo" / "store.sqlite3"
    result = ttx(typo, *command)
    assert result.returncode == 2 and "no session store there" in result.stderr
    assert not typo.parent.exists()


def test_advancing_past_the_end_says_how_to_close_the_session(tmp_path):
    store = tmp_path / "store.sqlite3"
    session = new(store)
    reached = ttx(store, "advance", session, "--to", "end")
    assert "the scenario's end is reached" in reached.stdout
    again = ttx(store, "advance", session, "--to", "end")
    assert again.returncode == 2 and "close it with `ttx sessions end`" in again.stderr


def test_score_and_report_take_a_session_as_they_take_its_log(tmp_path):
    """``ttx score SESSION --store S`` rates exactly what the exported log would, and the
    report can be written from the session, even while it is being played."""
    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", "4")
    assert ttx(store, "advance", session, "--to", "2d").returncode == 0
    log = tmp_path / "session.jsonl"
    assert ttx(store, "export", session, "--out", str(log)).returncode == 0
    from_session = run_ttx("score", session, "--store", str(store), "--json")
    from_log = run_ttx("score", str(log), "--json")
    assert from_session.returncode == 0, from_session.stderr
    scored, expected = json.loads(from_session.stdout), json.loads(from_log.stdout)
    assert scored["objectives"] == expected["objectives"]
    assert scored["sources"]["log"] == session
    out = tmp_path / "aar.html"
    report = run_ttx("report", session, "--store", str(store), "--out", str(out))
    assert report.returncode == 0, report.stderr
    assert "the log has no end record (a session in progress?)" in out.read_text(
        encoding="utf-8")
    wrong = run_ttx("score", session, "--store", str(store), "--scenario", HOSPITALS)
    assert wrong.returncode == 2 and "carries its own copy of its scenario" in wrong.stderr


def test_a_driver_killed_at_any_moment_loses_nothing(tmp_path):
    """``ttx sessions advance`` killed with SIGKILL mid-way (three times, at different
    moments of a run of seconds): the lock is taken over, nothing half-done is in the journal,
    and the session played on to its end exports exactly the log of ``ttx run``."""
    import signal
    import time

    from .hostile.test_scenarios import worst

    scenario = tmp_path / "worst.yaml"
    scenario.write_text(worst(), encoding="utf-8")
    store = tmp_path / "store.sqlite3"
    created = ttx(store, "new", str(scenario), "--seed", "2")
    session = created.stdout.splitlines()[-1]
    for delay in (0.6, 1.1, 1.6):
        driver = subprocess.Popen(
            [str(TTX), "sessions", "advance", session, "--to", "end", "--store", str(store)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={"PATH": "/usr/bin:/bin"},
        )
        time.sleep(delay)
        driver.send_signal(signal.SIGKILL)
        driver.wait(timeout=60)
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    played = ttx(store, "advance", session, "--to", "end")
    assert played.returncode in (0, 2), played.stderr  # 2: a killed driver had got there
    assert ttx(store, "end", session).returncode == 0
    exported = tmp_path / "session.jsonl"
    assert ttx(store, "export", session, "--out", str(exported)).returncode == 0
    ran = tmp_path / "run.jsonl"
    assert run_ttx("run", str(scenario), "--seed", "2", "--log", str(ran)).returncode == 0
    assert exported.read_bytes() == ran.read_bytes()


def test_a_second_driver_is_told_who_drives(tmp_path):
    """While one ``ttx sessions advance`` runs, another command that would change the session
    exits 2 naming the process that drives it; reading it still works."""
    import time

    from .hostile.test_scenarios import worst

    scenario = tmp_path / "worst.yaml"
    scenario.write_text(worst(), encoding="utf-8")
    store = tmp_path / "store.sqlite3"
    session = ttx(store, "new", str(scenario)).stdout.splitlines()[-1]
    driver = subprocess.Popen(
        [str(TTX), "sessions", "advance", session, "--to", "end", "--store", str(store)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin"},
    )
    try:
        time.sleep(1.0)
        second = ttx(store, "note", session, "from another terminal")
        listed = ttx(store, "list")
    finally:
        driver.wait(timeout=120)
    assert second.returncode == 2
    assert f"is being driven by process {driver.pid}" in second.stderr
    assert listed.returncode == 0 and session in listed.stdout
    assert ttx(store, "note", session, "after it").returncode == 0


def test_score_names_a_session_by_itself_when_no_file_has_that_name(tmp_path):
    """With TTX_STORE set, ``ttx score NAME`` scores the session; a name that reads as a
    file (a .jsonl suffix, a slash) is still a file, and its absence says so."""
    store = tmp_path / "store.sqlite3"
    new(store, "--name", "Blue team")
    env = {"PATH": "/usr/bin:/bin", "TTX_STORE": str(store)}
    scored = subprocess.run([str(TTX), "score", "Blue team", "--json"], capture_output=True,
                            text=True, cwd=tmp_path, env=env, timeout=120)
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["sources"]["log"] == "Blue team"
    missing = subprocess.run([str(TTX), "score", "blue.jsonl"], capture_output=True,
                             text=True, cwd=tmp_path, env=env, timeout=120)
    assert missing.returncode == 2 and "blue.jsonl: no such file" in missing.stderr


def test_an_advance_is_one_journal_action_and_an_export_to_a_terminal_is_ascii(tmp_path):
    """``advance --to`` stopped early by a live role's decision is one journal entry that
    says where it was asked to go; the journal on a terminal escapes what is not ASCII (the
    same JSON values), so a rationale cannot reorder the line it is shown on."""
    import os
    import pty

    store = tmp_path / "store.sqlite3"
    session = new(store, "--seed", "3", "--live-roles", "presidency_crisis_cell")
    assert ttx(store, "advance", session, "--to", "4d").returncode == 0
    assert ttx(store, "decide", session, "DP-IPCR", "monitoring",
                "--rationale", "ça \u202eva").returncode == 0
    main, secondary = pty.openpty()
    shown = subprocess.run([str(TTX), "sessions", "export", session, "--journal", "-",
                            "--store", str(store)], stdout=secondary, stderr=subprocess.PIPE,
                           timeout=120)
    os.close(secondary)
    assert shown.returncode == 0, shown.stderr
    text = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        text += chunk
    os.close(main)
    lines = text.decode("ascii").splitlines()
    actions = [json.loads(line) for line in lines]
    assert [a["action"] for a in actions] == ["advance", "decide"]
    assert actions[0]["data"] == {"to": 5760.0, "stop": "live"} and actions[0]["t"] < 5760
    assert actions[1]["data"]["rationale"] == "ça \u202eva"
    assert "\\u202e" in lines[1]
