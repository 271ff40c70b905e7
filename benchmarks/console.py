"""What the facilitator console costs: playing a scenario at full speed, and starting up.

    .venv/bin/python benchmarks/console.py

1. At the highest speed (``tui.driver.MAX_SPEED``), the console plays the largest library
   scenario (``library-vulnerability``, seed 1) to its end with no live roles, as a ratio to
   one headless run of the same scenario and seed (``Simulation(...).run()``, best of 5;
   target: at most 2). Measured two ways, best of 3 each, a new session in a new store each
   time:

   - the console's worker alone: a ``Driver`` at ``MAX_SPEED`` and a ``Runner`` in a thread
     whose frames are collected, not drawn; timed from submitting the start of the clock to
     the first frame that says "at the end". The journal entries written and the frames
     sent are printed with it, and, for scale, the same ``Driver`` ticked directly, without
     the ``Runner``'s loop;
   - the real ``ConsoleApp``, headless (``App.run_test``, 160x50): the briefing dismissed,
     space pressed, timed inside the app from the key's action to the screen's refresh
     after the frame that says "at the end"; this includes drawing every frame the screen
     is sent.

2. Time from ``ttx play`` to the first painted screen, as a ratio to the start-up of
   ``ttx --version`` (no target is set). ``ttx --version`` runs as a subprocess (wall time,
   best of 5). ``ttx play scenarios/ransomware-hospitals.yaml`` runs in a pseudo-terminal
   (160x50, TERM=xterm-256color) with a new store each time, and is timed until its output
   has switched to the alternate screen and shows the scenario's title (the briefing, the
   first screen a new session paints); then Escape and ``q`` quit it (best of 5).

Figures, not assertions: machines here are shared and noisy.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine import Simulation  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402
from simulator.sessions.session import Session, read_scenario, start_session  # noqa: E402
from simulator.sessions.store import SessionStore  # noqa: E402
from tui.app import ConsoleApp  # noqa: E402
from tui.driver import MAX_SPEED, Driver  # noqa: E402
from tui.frames import TICK, Frame, Runner  # noqa: E402
from tui.screens.console import ConsoleScreen  # noqa: E402

LARGEST = ROOT / "scenarios" / "library-vulnerability.yaml"
PLAYED = ROOT / "scenarios" / "ransomware-hospitals.yaml"
TTX = ROOT / ".venv" / "bin" / "ttx"
TARGET = 2.0
AT_THE_END = "at the end"
#: what the first painted screen of ``ttx play PLAYED`` shows: the alternate screen, then
#: the scenario's title (in the header and the briefing)
ALT_SCREEN = b"\x1b[?1049h"
MARKER = b"Cold Ward"
SIZE = (160, 50)  # columns, rows
GIVE_UP = 120.0  # seconds: a run that takes longer is reported as such, not waited for


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _new_session(folder: Path, name: str, path: Path = LARGEST) -> tuple[SessionStore, Session]:
    store = SessionStore(folder / f"{name}.sqlite3")
    loaded, raw = read_scenario(path)
    return store, start_session(store, loaded, raw, seed=1, live_roles=())


# -- 1. playing to the end --------------------------------------------------------------------


def headless() -> tuple[float, int]:
    loaded = load_scenario(LARGEST)
    events = len(Simulation(loaded, 1).run().events)  # warm-up
    return min(_timed(lambda: Simulation(loaded, 1).run()) for _ in range(5)), events


def worker(folder: Path, run: int) -> tuple[float, int, int, int]:
    """Seconds from the start of the clock to the frame at the end; journal entries; frames
    sent; events in the session."""
    store, session = _new_session(folder, f"worker{run}")
    with store:
        frames: list[tuple[float, Frame]] = []
        arrived = threading.Event()

        def send(frame: Frame) -> None:
            frames.append((time.perf_counter(), frame))
            if frame.state == AT_THE_END:
                arrived.set()

        runner = Runner(Driver(session, speed=MAX_SPEED), send)
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        started = time.perf_counter()
        runner.submit(lambda d: d.start())
        ok = arrived.wait(GIVE_UP)
        runner.stop()
        thread.join(GIVE_UP)
        ended = next((t for t, f in frames if f.state == AT_THE_END), None)
        elapsed = ended - started if ok and ended is not None else float("inf")
        journal = len(store.journal(session.record.id))
        return elapsed, journal, len(frames), len(session.events)


def driver_alone(folder: Path, run: int) -> tuple[float, int]:
    """Seconds for the same ``Driver`` ticked directly (one wall second a tick) to the end,
    and the ticks it took: the worker's cost without its loop's waits and frames."""
    store, session = _new_session(folder, f"driver{run}")
    with store:
        driver = Driver(session, speed=MAX_SPEED)
        ticks = 0
        started = time.perf_counter()
        driver.start()
        while session.now < session.simulation.end and ticks < 10_000:
            if not driver.running:
                driver.start()
            driver.tick(1.0)
            ticks += 1
        return time.perf_counter() - started, ticks


async def _in_app(store: SessionStore, session: Session) -> tuple[float, int]:
    """From the console's start key to the end's frame drawn, timed inside the app: the
    key's action starts the clock, and the screen's refresh after the frame that says "at
    the end" stops it (the pilot's own round trips are not counted)."""
    app = ConsoleApp(store, session, speed=MAX_SPEED)
    marks: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the briefing
        await pilot.pause()
        console = next(s for s in app.screen_stack if isinstance(s, ConsoleScreen))
        toggle = console.action_toggle_clock

        def start() -> None:
            marks["key"] = time.perf_counter()
            toggle()

        def look() -> None:  # in the app's own loop, every 2 ms
            frame = console.frame
            if frame is not None and frame.state == AT_THE_END and "frame" not in marks:
                marks["frame"] = time.perf_counter()
                app.call_after_refresh(lambda: marks.setdefault("drawn", time.perf_counter()))

        console.action_toggle_clock = start  # type: ignore[method-assign]
        app.set_interval(0.002, look)
        started = time.perf_counter()
        await pilot.press("space")
        while "drawn" not in marks and time.perf_counter() - started < GIVE_UP:
            await pilot.pause(0.01)
        elapsed = marks["drawn"] - marks["key"] if "drawn" in marks else float("inf")
        # inject cards delivered on the way: one open, the rest queued behind it
        cards = len(console.cards) + sum(1 for s in app.screen_stack
                                         if type(s).__name__ == "InjectCard")
        await pilot.press("q")  # stops the worker; closing cards first is not needed
        return elapsed, cards


def in_app(folder: Path, run: int) -> tuple[float, int]:
    store, session = _new_session(folder, f"app{run}")
    with store:
        return asyncio.run(_in_app(store, session))


def playing(folder: Path) -> None:
    ran, events = headless()
    workers = [worker(folder, i) for i in range(3)]
    best = min(workers)
    alone = min(driver_alone(folder, i) for i in range(3))
    apps = [in_app(folder, i) for i in range(3)]
    app_best = min(apps)
    print(f"1. playing {LARGEST.name} (seed 1, no live roles) to its end at the highest speed "
          f"({MAX_SPEED:,.0f} simulated min/s):")
    print(f"  headless run (best of 5)            {ran * 1000:8.0f} ms  ({events:,} events)")
    print(f"  console worker, frames not drawn    {best[0] * 1000:8.0f} ms  "
          f"ratio {best[0] / ran:6.2f} (target at most {TARGET:g})")
    print(f"    best of 3; all runs: {', '.join(f'{w[0] * 1000:.0f}' for w in workers)} ms; "
          f"{best[1]} journal entries, {best[2]} frames sent, {best[3]:,} events")
    print(f"    (the worker moves the clock once every TICK = {TICK:g} s of wall time)")
    print(f"    the same Driver ticked directly   {alone[0] * 1000:8.0f} ms  "
          f"ratio {alone[0] / ran:6.2f} ({alone[1]} tick{'s' if alone[1] != 1 else ''} "
          "of one wall second)")
    print(f"  ConsoleApp headless, drawn          {app_best[0] * 1000:8.0f} ms  "
          f"ratio {app_best[0] / ran:6.2f} (target at most {TARGET:g})")
    print(f"    best of 3; all runs: {', '.join(f'{a[0] * 1000:.0f}' for a in apps)} ms "
          f"(from the start key's action to the refresh after the end's frame; "
          f"{app_best[1]} inject cards to close at the end)")


# -- 2. start-up -------------------------------------------------------------------------------


def version() -> float:
    def once() -> None:
        subprocess.run([str(TTX), "--version"], check=True, capture_output=True)

    once()  # warm-up: the page cache, compiled bytecode
    return min(_timed(once) for _ in range(5))


def first_paint(folder: Path, run: int) -> tuple[float, int | None]:
    """Seconds from starting ``ttx play`` in a pseudo-terminal to the first screen showing
    the scenario's title; and the exit status once quit (None: it had to be killed)."""
    argv = [str(TTX), "play", str(PLAYED), "--store", str(folder / f"play{run}.sqlite3")]
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pseudo-terminal is its controlling terminal
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    output = bytearray()
    painted = float("inf")
    try:
        while time.perf_counter() - started < GIVE_UP:
            chunk = _read(fd, 0.5)
            if chunk is None:
                break
            output += chunk
            at = output.find(ALT_SCREEN)
            if at >= 0 and MARKER in output[at:]:
                painted = time.perf_counter() - started
                break
        os.write(fd, b"\x1b")  # the briefing closes...
        time.sleep(0.3)  # ...once a lone Escape is told from the start of a sequence
        os.write(fd, b"q")  # and the console quits
        status = _wait(pid, fd, 15.0)
    finally:
        os.close(fd)
    return painted, status


def _read(fd: int, timeout: float) -> bytes | None:
    """What the child wrote (b"" if nothing in ``timeout``); None once it has gone."""
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536) or None
    except OSError:  # EIO: the child closed the terminal
        return None


def _wait(pid: int, fd: int, timeout: float) -> int | None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        _read(fd, 0.05)  # keep draining, so the child never blocks on a full terminal
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def startup(folder: Path) -> None:
    started = version()
    runs = [first_paint(folder, i) for i in range(5)]
    painted = min(t for t, _ in runs)
    statuses = sorted({"killed" if s is None else str(s) for _, s in runs})
    print(f"2. start-up: `ttx play {PLAYED.name}` to its first painted screen "
          f"({SIZE[0]}x{SIZE[1]} pseudo-terminal):")
    print(f"  ttx --version (best of 5)           {started * 1000:8.0f} ms")
    print(f"  ttx play, first paint (best of 5)   {painted * 1000:8.0f} ms  "
          f"ratio {painted / started:6.2f} (no target set; most of it is imports)")
    print(f"    all runs: {', '.join(f'{t * 1000:.0f}' for t, _ in runs)} ms; "
          f"exit status after Escape, q: {', '.join(statuses)}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        playing(Path(tmp))
        startup(Path(tmp))
