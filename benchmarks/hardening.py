"""What refusing hostile input costs, and what atomic writes cost (issue 4).

    .venv/bin/python benchmarks/hardening.py

1. Each kind of oversized or special input is handed to the real ``ttx`` command, as a user
   would; the time from start-up to the refusal and the process's peak memory are measured
   (``os.wait4`` reports the child's own peak), against the budget of 1 s and 100 MB. The
   start-up of ``ttx`` itself is printed first, for scale.
2. A large log (many library runs end to end) is written with a plain ``open()`` and through
   ``safeio.atomic_output`` (temporary file, rename), median of several rounds each, with the
   ratio against the 5 % budget.

Figures, not assertions: machines here are shared and noisy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# the engine is imported only for part 2: a child's peak memory counts what its parent held
# when it was started, so the parent that measures refusals stays small

TTX = Path(sys.executable).with_name("ttx")
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
BUDGET_S, BUDGET_MB = 1.0, 100.0


def measure(args: list[str]) -> tuple[float, float, int]:
    """Wall time from start-up to exit, the child's peak memory in MB, and its exit code."""
    started = time.perf_counter()
    process = subprocess.Popen([str(TTX), *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def cases(folder: Path, log: Path) -> dict[str, list[str]]:
    """Each hostile input, as the ttx command line that meets it."""
    fifo = folder / "pipe.jsonl"
    os.mkfifo(fifo)
    zero = folder / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    big_csv = folder / "many.csv"
    big_csv.write_text("objective,text\n" + "NOPE,an observation\n" * 180_000, encoding="utf-8")
    long_line = folder / "long-line.jsonl"
    with open(long_line, "wb") as handle:  # in pieces, to keep this process small
        handle.write(b'{"t": 0, "payload": "')
        for _ in range(150):
            handle.write(b"x" * 1_000_000)
        handle.write(b'"}\n')
    deep = folder / "deep.jsonl"
    deep.write_bytes(b'{"t":0,"kind":"run.started","actor":"x","payload":{"a":'
                     + b"[" * 100_000 + b"]" * 100_000 + b"}}\n")
    text = MINIMAL.read_text(encoding="utf-8")
    long_run = folder / "long-run.yaml"
    long_run.write_text(text.replace("duration: 2d", "duration: 1000000w"), encoding="utf-8")
    crowded = folder / "crowded.yaml"
    crowded.write_text(text.replace(
        "vector: ddos,", "vector: ddos, impact: {entities_per_member_state: 10000},"),
        encoding="utf-8")
    scenario = ["--scenario", str(MINIMAL)]
    return {
        "scenario, duration 1000000w": ["run", str(long_run), "--log", str(folder / "x.jsonl")],
        "scenario, 10,000 entities/MS": ["run", str(crowded), "--log", str(folder / "x.jsonl")],
        "scenario, 300 MB": ["validate", str(sparse(folder / "huge.yaml", 300_000_000))],
        "scenario, named pipe": ["validate", str(fifo)],
        "scenario, /dev/zero": ["validate", str(zero)],
        "log, 300 MB": ["score", str(sparse(folder / "huge.jsonl", 300_000_000)), *scenario],
        "log, named pipe": ["score", str(fifo), *scenario],
        "log, /dev/zero": ["score", str(zero), *scenario],
        "log, one 150 MB line": ["score", str(long_line), *scenario],
        "log, nested 100,000 deep": ["score", str(deep), *scenario],
        "overrides CSV, 300 MB": ["score", str(log), *scenario, "--overrides",
                                  str(sparse(folder / "huge.csv", 300_000_000))],
        "overrides CSV, 180,000 rows": ["score", str(log), *scenario, "--overrides",
                                        str(big_csv)],
        "overrides YAML, /dev/zero": ["score", str(log), *scenario, "--overrides", str(zero)],
    }


def refusals() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = folder / "minimal.jsonl"
        subprocess.run([str(TTX), "run", str(MINIMAL), "--log", str(log)], check=True,
                       stdout=subprocess.DEVNULL)
        baseline = [measure(["--version"]) for _ in range(3)]
        print(f"ttx start-up (ttx --version): {min(b[0] for b in baseline) * 1000:.0f} ms, "
              f"{min(b[1] for b in baseline):.0f} MB")
        print(f"refusing hostile input (budget {BUDGET_S:g} s and {BUDGET_MB:g} MB each, "
              "from start-up; best of 3):")
        for name, args in cases(folder, log).items():
            runs = [measure(args) for _ in range(3)]
            seconds = min(r[0] for r in runs)
            mb = min(r[1] for r in runs)
            code = runs[0][2]
            verdict = "ok" if seconds < BUDGET_S and mb < BUDGET_MB and code == 2 else "OVER"
            print(f"  {name:30} exit {code}  {seconds * 1000:6.0f} ms ({seconds / BUDGET_S:4.2f} "
                  f"of budget)  {mb:5.0f} MB ({mb / BUDGET_MB:4.2f})  {verdict}")


def large_log() -> list[Any]:
    from simulator.engine import Simulation
    from simulator.scenario import load_scenario

    events: list[Any] = []
    loaded = load_scenario(ROOT / "scenarios" / "library-vulnerability.yaml")
    for seed in range(30):
        events += Simulation(loaded, seed).run().events
    return events


def median_of(fn: Callable[[], None], rounds: int = 9) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def atomic_writes() -> None:
    from simulator.engine.records import write_log
    from simulator.safeio import atomic_output

    events = large_log()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.jsonl"

        def plain() -> None:
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                write_log(events, out)

        def atomic() -> None:
            with atomic_output(path) as out:
                write_log(events, out)

        plain()
        size = path.stat().st_size
        # alternate the two, so a burst of load on the machine hits both alike
        plain_s, atomic_s = [], []
        for _ in range(5):
            plain_s.append(median_of(plain, 3))
            atomic_s.append(median_of(atomic, 3))
    p, a = statistics.median(plain_s), statistics.median(atomic_s)
    print(f"writing a large log ({len(events):,} events, {size / 1e6:.1f} MB; median of 15):")
    print(f"  plain open():    {p * 1000:7.1f} ms")
    print(f"  atomic_output(): {a * 1000:7.1f} ms   ratio {a / p:.3f} (budget 1.05)")


if __name__ == "__main__":
    refusals()
    atomic_writes()
