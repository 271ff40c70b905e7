"""``ttx play`` through the real command: what it refuses before a screen opens (exit 2, a
message that says what is wrong and where, nothing made), and the console in a real
pseudo-terminal, quit and resumed."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from simulator.sessions.store import SessionStore

from .conftest import GOLDEN, ROOT, TTX, run_ttx

HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"


@pytest.mark.parametrize(("args", "message"), [
    ([str(GOLDEN / "law.yaml")], "law.yaml:17:5: external_events[0]"),
    (["--speed", "0"], "--speed 0: simulated minutes per second"),
    (["--speed", "nan"], "--speed nan"),
    (["--resume", "a", "--room", "b"], "give one of --resume, --room"),
    ([str(HOSPITALS), "--resume", "a"], "give one of SCENARIO, --resume"),
    ([str(HOSPITALS)], "ttx play needs a terminal"),
    (["--resume", "nope"], "no session store there"),
])
def test_bad_input_is_refused_before_anything_is_made(tmp_path: Path, args: list[str],
                                                       message: str) -> None:
    store = tmp_path / "s.sqlite3"
    result = run_ttx("play", *args, "--store", str(store))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not store.exists(), "nothing is made for a refused command"


def test_an_unknown_or_ended_session_is_named(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    made = run_ttx("sessions", "new", str(HOSPITALS), "--store", str(store), "--name", "drill")
    assert made.returncode == 0
    unknown = run_ttx("play", "--resume", "nope", "--store", str(store))
    assert unknown.returncode == 2 and "no session 'nope'; sessions:" in unknown.stderr
    assert "(drill)" in unknown.stderr
    assert run_ttx("sessions", "end", "drill", "--store", str(store)).returncode == 0
    ended = run_ttx("play", "--resume", "drill", "--store", str(store))
    assert ended.returncode == 2 and "has ended; `ttx report" in ended.stderr


def _screen(fd: int, until: bytes, timeout: float = 30.0) -> bytes:
    """What the terminal received until ``until`` shows up in it."""
    seen = b""
    deadline = time.monotonic() + timeout
    while until not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{until!r} never came; the terminal got {seen[-2000:]!r}")
        seen += _drain(fd, 0.2)
    return seen


def _keys(fd: int, *keys: bytes) -> None:
    """Type ``keys`` one by one (a pause between them, so that Escape then q is not read
    as alt+q), reading the terminal meanwhile: a terminal nobody reads blocks its writer."""
    for key in keys:
        _drain(fd, 0.5)
        os.write(fd, key)


def _drain(fd: int, seconds: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _ended(process: subprocess.Popen[bytes], fd: int, timeout: float = 30.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        seen += _drain(fd, 0.2)
    assert process.poll() is not None, f"ttx play did not end; it showed {seen[-1500:]!r}"
    return seen + _drain(fd, 0.3)


def _play(store: Path, *args: str) -> tuple[subprocess.Popen[bytes], int]:
    main, secondary = pty.openpty()
    env = {"PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    process = subprocess.Popen([str(TTX), "play", *args, "--store", str(store)],
                               stdin=secondary, stdout=secondary, stderr=secondary,
                               env=env, cwd=ROOT, start_new_session=True)
    os.close(secondary)
    return process, main


def test_the_console_in_a_terminal_quits_and_resumes_where_it_was(tmp_path: Path) -> None:
    """A real ``ttx play`` in a pseudo-terminal: the briefing, a jump to the first inject,
    quit; the journal holds the jump, and ``--resume`` opens at the same time."""
    store = tmp_path / "s.sqlite3"
    process, fd = _play(store, str(HOSPITALS), "--seed", "3", "--name", "pty drill")
    try:
        _screen(fd, b"Cold Ward")
        _keys(fd, b"\x1b", b"i")  # close the briefing; run to the next inject
        _screen(fd, b"INJ-01")
        _keys(fd, b"\x1b", b"q")
        out = _ended(process, fd)
        assert process.returncode == 0
        assert b"resume with: ttx play --resume" in out
    finally:
        if process.poll() is None:
            process.kill()
        os.close(fd)
    assert b"pty drill" in out
    with SessionStore(store) as opened:
        record = opened.find("pty drill")
        actions = [e.action for e in opened.journal(record.id)]
        assert "advance" in actions and actions[-1] != "end"
        at = record.sim_time
    assert at == 60.0, "INJ-01 is at D+0 08:00, an hour in"
    process, fd = _play(store, "--resume", "pty drill")
    try:
        screen = _screen(fd, b"resumed at D+0 08:00")
        assert b"Cold Ward" in screen
        _keys(fd, b"\x1b", b"q")
        _ended(process, fd)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(fd)


def test_sigterm_closes_the_console_and_keeps_the_journal(tmp_path: Path) -> None:
    """``kill`` ends the console as a quit does (the screen put back, exit 143) with every
    action already in the journal, and the session free to resume."""
    import signal

    store = tmp_path / "s.sqlite3"
    process, fd = _play(store, str(HOSPITALS), "--name", "killed")
    try:
        _screen(fd, b"Cold Ward")
        _keys(fd, b"\x1b", b"i")
        _screen(fd, b"INJ-01")
        process.send_signal(signal.SIGTERM)
        out = _ended(process, fd)
        assert process.returncode == 143
        assert b"\x1b[?1049l" in out, "the terminal's main screen is put back"
    finally:
        if process.poll() is None:
            process.kill()
        os.close(fd)
    with SessionStore(store) as opened:
        record = opened.find("killed")
        assert record.sim_time == 60.0
        with opened.hold(record.id):
            pass  # nobody holds it any more
