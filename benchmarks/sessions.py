"""What a session costs: committing one action, and opening a session (replaying its journal).

    .venv/bin/python benchmarks/sessions.py

1. Committing an action (``SessionStore.append``, one SQLite transaction with
   ``synchronous=FULL``) on this machine's disk, in a temporary folder: median and 99th
   percentile over many appends.
2. Opening a session of the largest library scenario whose journal holds 1,000 actions
   (advances in small steps, notes; the decisions follow the policies), as a ratio to one
   headless run of the same scenario and seed (target: at most 3).

Figures, not assertions: machines here are shared and noisy.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine import Simulation  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402
from simulator.sessions.session import Session, start_session  # noqa: E402
from simulator.sessions.store import SessionStore  # noqa: E402

LARGEST = ROOT / "scenarios" / "library-vulnerability.yaml"


def appends(folder: Path, count: int = 500) -> None:
    with SessionStore(folder / "appends.sqlite3") as store:
        loaded = load_scenario(LARGEST)
        session = start_session(store, loaded, LARGEST.read_bytes(), seed=1)
        times = []
        for i in range(count):
            started = time.perf_counter()
            store.append(session.record.id, "note", 0.0, {"text": f"note {i}", "by": "bench"})
            times.append(time.perf_counter() - started)
    times.sort()
    print(f"committing one action ({count} appends, synchronous=FULL, {folder}):")
    print(f"  median {statistics.median(times) * 1000:.2f} ms, "
          f"99th percentile {times[int(len(times) * 0.99) - 1] * 1000:.2f} ms, "
          f"max {times[-1] * 1000:.2f} ms")


def opening(folder: Path, actions: int = 1000) -> None:
    loaded = load_scenario(LARGEST)
    with SessionStore(folder / "open.sqlite3") as store:
        session = start_session(store, loaded, LARGEST.read_bytes(), seed=1)
        step = session.simulation.end / (actions // 2)
        for i in range(actions):
            if i % 2:
                session.note(f"observation {i}", by="bench")
            elif session.now + step < session.simulation.end:
                session.advance(session.now + step)
            else:
                session.clock("pause")
        record = store.find(session.record.id)
        journal = len(store.journal(record.id))

        def open_session() -> None:
            Session(store, record)

        def headless() -> None:
            Simulation(loaded, 1).run()

        opened = min(_timed(open_session) for _ in range(5))
        ran = min(_timed(headless) for _ in range(5))
    print(f"opening a session of {LARGEST.name} with {journal} journal actions (best of 5):")
    print(f"  open {opened * 1000:.0f} ms, one headless run {ran * 1000:.0f} ms, "
          f"ratio {opened / ran:.2f} (target at most 3)")


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        appends(Path(tmp))
        opening(Path(tmp))
