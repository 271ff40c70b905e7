"""``ttx serve``: the console in a web browser, end to end.

The server runs as a user starts it (the installed ``ttx``, its own process group) and a real
headless Chromium opens the page: the test passes when the console's first screen is on the
browser's terminal. textual-serve draws that terminal with xterm.js on a canvas (WebGL or 2D),
so the text is in no DOM node; the page's script keeps its xterm ``Terminal`` to itself, so an
init script catches it as the page builds it (textual.js sets ``this.fitAddon`` right after
``this.terminal``) and the test reads the terminal's screen buffer: the rows the browser shows.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, TTX

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is missing (no chromium or chromium-browser on PATH; "
                             ".ci/run installs Debian's chromium)")

SCENARIO = ROOT / "scenarios" / "ransomware-hospitals.yaml"
ENV = {"PATH": "/usr/bin:/bin", "COLUMNS": "120"}

#: keeps the xterm Terminal that textual.js builds, for reading its screen
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'fitAddon', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'fitAddon',
                          {value, writable: true, configurable: true, enumerable: true});
    if (this.terminal && !window.__ttxTerminal) { window.__ttxTerminal = this.terminal; }
  },
});
"""
#: the rows on the terminal's screen, as text
READ_SCREEN = """() => {
  const term = window.__ttxTerminal;
  if (!term) { return null; }
  const buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : '');
  }
  return rows.join('\\n');
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    out: Path
    err: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return (self.out.read_text(errors="replace") + "\n--- stderr ---\n"
                + self.err.read_text(errors="replace"))


def _alive(group: int) -> list[int]:
    """The processes of a process group that are still running (not zombies)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(int(stat.parent.name))
    return alive


@contextlib.contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[Served]:
    """``ttx serve ARGS`` on a free port, until the block ends; every process it started
    (the shells and ``ttx play`` of each browser) is gone after it."""
    port = free_port()
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [str(TTX), "serve", *args, "--store", str(tmp_path / "store.db"),
             "--port", str(port)],
            cwd=tmp_path, env=ENV, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
            start_new_session=True)
    served = Served(process, port, out, err)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.fail(f"ttx serve exited with {process.returncode}:\n{served.output()}")
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"ttx serve did not listen within 20 s:\n{served.output()}")
            time.sleep(0.1)
        yield served
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def stop(served: Served) -> None:
    """Ctrl-C's signal to the server alone: it ends, and so does each browser's ``ttx play``,
    within seconds, connected browsers or not."""
    served.process.send_signal(signal.SIGINT)
    served.process.wait(timeout=15)
    deadline = time.monotonic() + 10
    while _alive(served.process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(served.process.pid), served.output()


def page_screen(browser: Any, url: str, expected: list[str], why: str = "") -> str:
    """A new page of ``browser`` on ``url``: its terminal's screen once every ``expected``
    text is on it (a failure shows what it showed instead, and ``why``)."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(30_000)
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url)
    page.wait_for_function("() => window.__ttxTerminal !== undefined", timeout=10_000)
    try:
        page.wait_for_function(
            f"(expected) => {{ const screen = ({READ_SCREEN})();"
            " return screen !== null && expected.every(t => screen.includes(t)); }",
            arg=expected, timeout=30_000)
    except Exception:
        pytest.fail(f"{expected} not on the browser's screen within 30 s; it shows:\n"
                    f"{page.evaluate(READ_SCREEN)}\n{why}")
    # textual.js's own sign that the app's output reached the page
    assert "-first-byte" in page.evaluate("document.body.className")
    return page.evaluate(READ_SCREEN)


def browser_screen(url: str, expected: list[str]) -> str:
    """The terminal's screen in headless Chromium once every ``expected`` text is on it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, timeout=30_000)
        try:
            return page_screen(browser, url, expected)
        finally:
            browser.close()


@needs_chromium
def test_the_start_screen_in_chromium(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        screen = browser_screen(served.url, ["EU cyber crisis tabletop exercises",
                                             "Sessions: Enter resumes"])
        # the library is listed, and the served console uses the store given to ttx serve
        assert "ransomware-hospitals.yaml" in screen
        assert "store.db" in screen
        stop(served)
    out = served.out.read_text()
    assert f"open http://127.0.0.1:{served.port} in a browser" in out
    assert "warning" not in served.err.read_text()


@needs_chromium
def test_a_scenario_is_one_session_served(tmp_path: Path) -> None:
    with serving(tmp_path, str(SCENARIO), "--seed", "7") as served:
        line = served.out.read_text().splitlines()[0]
        assert line.startswith("session ransomware-hospitals-seed7 (")
        session = line.split("(", 1)[1].split(")", 1)[0]
        screen = browser_screen(served.url, ["Cold Ward: ransomware against hospitals",
                                             session])
        assert "seed 7" in screen
        stop(served)
    # made once, up front: the browser resumed it rather than starting another
    listed = subprocess.run([str(TTX), "sessions", "list", "--store", str(tmp_path / "store.db")],
                            capture_output=True, text=True, env=ENV, timeout=30)
    rows = listed.stdout.splitlines()[1:]
    assert len(rows) == 1 and rows[0].startswith(session), listed.stdout


def test_only_its_own_page_opens_a_console(tmp_path: Path) -> None:
    """textual-serve checks neither: a web site open in the same browser must not drive the
    exercise through the websocket, nor a site whose name is made to point at 127.0.0.1."""
    with serving(tmp_path) as served:
        def status(path: str, headers: dict[str, str]) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
            try:
                connection.request("GET", path, headers=headers)
                return connection.getresponse().status
            finally:
                connection.close()

        upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        here = f"127.0.0.1:{served.port}"
        assert status("/", {"Host": here}) == 200
        assert status("/", {"Host": f"attacker.example:{served.port}"}) == 403
        assert status("/ws", {**upgrade, "Host": here,
                              "Origin": "http://attacker.example"}) == 403
        assert status("/ws", {**upgrade, "Host": f"attacker.example:{served.port}",
                              "Origin": f"http://attacker.example:{served.port}"}) == 403
        assert status("/ws", {**upgrade, "Host": here, "Origin": f"http://{here}"}) == 101
        stop(served)


def refused(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ttx serve ARGS``, which must stop before serving: exit 2, a message, no traceback."""
    result = subprocess.run([str(TTX), "serve", *args], cwd=tmp_path, env=ENV,
                            capture_output=True, text=True, timeout=30,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "open http" not in result.stdout
    return result


@contextlib.contextmanager
def taken(host: str) -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as other:
        other.bind((host, 0))
        other.listen()
        yield other.getsockname()[1]


def test_a_port_in_use_is_refused(tmp_path: Path) -> None:
    with taken("127.0.0.1") as port:
        result = refused(tmp_path, "--port", str(port), "--store", str(tmp_path / "s.db"))
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "warning" not in result.stderr


def test_serving_beyond_loopback_warns(tmp_path: Path) -> None:
    # the port is taken, so the command warns and stops without serving anyone
    with taken("0.0.0.0") as port:
        result = refused(tmp_path, "--host", "0.0.0.0", "--port", str(port),
                         "--store", str(tmp_path / "s.db"))
    assert (f"anyone who can reach 0.0.0.0:{port} can open the console and drive the exercise"
            in " ".join(result.stderr.split()))
    assert f"cannot serve on 0.0.0.0:{port}" in result.stderr


def test_an_unknown_session_is_refused(tmp_path: Path) -> None:
    from simulator.sessions.store import SessionStore

    store = tmp_path / "store.db"
    SessionStore(store).close()
    for option in ("--resume", "--room"):
        result = refused(tmp_path, option, "nosuchsession", "--store", str(store),
                         "--port", str(free_port()))
        assert "no session 'nosuchsession'" in result.stderr
    result = refused(tmp_path, "--room", "x", "--store", str(tmp_path / "nowhere.db"))
    assert "no session store there" in result.stderr


def test_a_scenario_that_does_not_validate_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text().replace("schema_version: 1", "schema_version: 99", 1))
    result = refused(tmp_path, str(bad), "--store", str(tmp_path / "s.db"),
                     "--port", str(free_port()))
    assert re.search(rf"^{re.escape(str(bad))}:\d+:\d+: schema_version", result.stderr, re.M)
    assert not (tmp_path / "s.db").exists()  # no session made of it


@pytest.mark.parametrize("port", ["0", "65536"])
def test_a_port_out_of_range_is_refused(tmp_path: Path, port: str) -> None:
    result = refused(tmp_path, "--port", port)
    assert "--port" in result.stderr


@needs_chromium
def test_a_second_browser_on_a_driven_session_watches_it(tmp_path: Path) -> None:
    """One browser drives a served session; a second one gets its room view, and says why,
    rather than a blank page (its ttx play cannot take the session's driving lock)."""
    from playwright.sync_api import sync_playwright

    with serving(tmp_path, str(SCENARIO)) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, timeout=30_000)
        try:
            screens = [page_screen(browser, served.url, expected, served.output())
                       for expected in (["Start/pause"],
                                        ["room view", "this window shows its room view"])]
            assert "Start/pause" not in screens[1], "the second window cannot drive"
        finally:
            browser.close()
        stop(served)
