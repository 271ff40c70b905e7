"""How fast the engine plays a scenario, per event, against bare SimPy.

    .venv/bin/python benchmarks/engine.py [--runs 30] [--scenario FILE] [--profile]

Picks the largest library scenario (the one with the most events in a run with seed 1, unless
``--scenario`` names another), makes one warm-up run, then plays seeds 1..N and times apart:

- the *build*: ``Simulation(loaded, seed)``, which builds and wires about a hundred actor
  objects, checks the wiring, emits ``run.started`` and starts every actor (so the few events
  emitted at t=0 while starting are paid here);
- the *run*: ``.run()``, the SimPy loop to the end of the scenario plus ``run.ended``.

It prints runs/s, events/s, mean events per run and microseconds per event, for the build, the
run and both. An "event" is one record of the event log (``RunResult.events``). It also prints
the time spent in Python's cyclic garbage collector during the runs (``gc.callbacks``), since
a run leaves tens of thousands of objects behind and collections over them are not free.

The baseline is bare SimPy in the same process: after each engine run, one process in a fresh
``simpy.Environment`` yields ``env.timeout(1)`` as many times as that run logged events.
Measuring it run by run, interleaved with the engine, keeps both sides under the same machine
load; the collector is paused while bare SimPy runs, so that the engine's garbage is collected,
and timed, on the engine's side. The ratio engine-µs-per-event / SimPy-µs-per-timeout is
printed over all runs (the figure the target applies to: at most 4, on the run cost) and as
the median of the per-run ratios, which a burst of load on a shared machine moves less.

The comparison is deliberately unflattering to the engine and should be read as such. A bare
timeout is about the cheapest thing SimPy does: one event object, one heap push and pop, one
generator resume. The engine's per-event cost includes all of that for its own scheduling (every
delay an actor waits is a SimPy entry, and an actor may schedule several per logged event, or
none), and on top of it what makes it an engine: the kind check and the frozen payload of the
record, the append to the log, the fold of the event into the state (counters and per-kind
folds), the listeners, the breadth-first bus that dispatches events and messages to their
subscribers, the triggers re-tested on the kinds they depend on, the actors' own logic and their
random draws. For scale the script prints how many SimPy events the engine scheduled per logged
event, and the cost of a bare timeout fired through a callback rather than a process (the shape
of ``Kernel.later``).

``--profile`` runs cProfile over a few more runs (build and run; a ``gc.collect()`` before each,
outside the profiler, so one run's garbage is not charged to the next run's allocations) after
the timings, and prints the 25 functions with the most cumulative time and the 25 with the most
own time: where to look to make the per-event cost smaller. Figures, not assertions: machines
are noisy.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine import Simulation  # noqa: E402
from simulator.scenario.loader import LoadedScenario, load_scenario  # noqa: E402

TARGET_RATIO = 4.0
PROFILE_TOP = 25


def largest(paths: list[Path]) -> tuple[Path, LoadedScenario]:
    """The scenario with the most events in a run with seed 1 (the first by name on a tie)."""
    print("library scenarios (events in a run with seed 1):")
    best: tuple[int, Path, LoadedScenario] | None = None
    for path in paths:
        loaded = load_scenario(path)
        n = len(Simulation(loaded, 1).run().events)
        print(f"  {path.name:36} {n:8,} events")
        if best is None or n > best[0]:
            best = (n, path, loaded)
    if best is None:
        raise SystemExit("no scenario in scenarios/*.yaml")
    return best[1], best[2]


# -- bare SimPy -------------------------------------------------------------------------------


def bare_timeouts(n: int) -> float:
    """Seconds for one process to yield ``env.timeout(1)`` n times."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment):
        timeout = env.timeout
        for _ in range(n):
            yield timeout(1)

    env.process(ticker(env))
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def bare_callbacks(n: int) -> float:
    """Seconds for n chained timeouts, each scheduled by the callback of the one before (no
    process: the shape of ``Kernel.later``)."""
    env = simpy.Environment()
    left = [n]

    def tick(_event: object) -> None:
        left[0] -= 1
        if left[0] > 0:
            env.timeout(1).callbacks.append(tick)

    env.timeout(1).callbacks.append(tick)
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


# -- the engine -------------------------------------------------------------------------------


class GcClock:
    """Time spent in the cyclic garbage collector, by generation, while ``on``."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self.on = False
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if not self.on:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = info["generation"]
            self.seconds[generation] += time.perf_counter() - self._started
            self.count[generation] += 1


@dataclass
class Timings:
    build: float = 0.0
    run: float = 0.0
    events: int = 0
    failed: int = 0
    scheduled: int | None = 0  # SimPy events the runs scheduled (None: could not tell)
    simpy_process: float = 0.0  # bare SimPy, the same number of timeouts, run by run
    simpy_callback: float = 0.0
    ratios: list[float] = field(default_factory=list)  # run ratio, one per run
    per_event: list[float] = field(default_factory=list)  # run seconds per event, one per run
    gc: GcClock = field(default_factory=GcClock)


def scheduled(sim: Simulation) -> int | None:
    """SimPy events a run scheduled (SimPy's private event-id counter; None if it is gone)."""
    counter = getattr(sim.kernel.env, "_eid", None)
    return None if counter is None else next(counter)


def time_engine(loaded: LoadedScenario, runs: int) -> Timings:
    t = Timings()
    gc.collect()  # start clean: no garbage of the warm-up in the first timed run
    gc.callbacks.append(t.gc)
    try:
        for seed in range(1, runs + 1):
            t.gc.on = True
            started = time.perf_counter()
            sim = Simulation(loaded, seed)
            built = time.perf_counter()
            result = sim.run()
            ended = time.perf_counter()
            t.gc.on = False
            n = len(result.events)
            t.build += built - started
            t.run += ended - built
            t.events += n
            t.failed += result.status != "completed"
            count = scheduled(sim)
            t.scheduled = None if count is None or t.scheduled is None else t.scheduled + count
            # the engine's pending garbage stays pending, to be collected (and timed) in the
            # engine's next build or run rather than charged to bare SimPy, which makes none
            gc.disable()
            try:
                bare = bare_timeouts(n)
                t.simpy_process += bare
                t.simpy_callback += bare_callbacks(n)
            finally:
                gc.enable()
            t.per_event.append((ended - built) / n)
            t.ratios.append((ended - built) / bare)
    finally:
        gc.callbacks.remove(t.gc)
    return t


def profile(loaded: LoadedScenario, runs: int) -> None:
    profiler = cProfile.Profile()
    for seed in range(1, runs + 1):
        gc.collect()
        profiler.enable()
        Simulation(loaded, seed).run()
        profiler.disable()
    for order, title in (("cumulative", "cumulative time"), ("tottime", "own time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(PROFILE_TOP)
        print(f"\nprofile of {runs} runs (build + run), top {PROFILE_TOP} by {title}:")
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join(line for line in lines[start:] if line.strip()))


def report(t: Timings, runs: int) -> None:
    events = t.events
    total = t.build + t.run
    print(f"engine, {runs} runs (seeds 1..{runs}) after one warm-up run:")
    print(f"  events                 {events:10,}   ({events / runs:,.1f} per run, "
          f"{t.failed} failed runs)")
    if t.scheduled is not None:
        print(f"  SimPy events scheduled {t.scheduled:10,}   "
              f"({t.scheduled / events:.2f} per logged event)")
    for name, seconds in (("build", t.build), ("run", t.run), ("build + run", total)):
        print(f"  {name:12} {seconds:8.3f} s  {runs / seconds:8.1f} runs/s  "
              f"{events / seconds:10,.0f} events/s  {seconds / events * 1e6:7.2f} µs/event")
    print(f"  per run: build {t.build / runs * 1000:.2f} ms, run {t.run / runs * 1000:.2f} ms; "
          f"run µs/event median {statistics.median(t.per_event) * 1e6:.2f}, "
          f"fastest {min(t.per_event) * 1e6:.2f}")
    gc_seconds = sum(t.gc.seconds)
    print(f"  cyclic GC during build + run: {gc_seconds:.3f} s, {gc_seconds / total:.0%} "
          f"({'/'.join(map(str, t.gc.count))} collections of generation 0/1/2)")

    per_timeout = t.simpy_process / events
    per_callback = t.simpy_callback / events
    print(f"bare SimPy, {events:,} timeouts (the engine's event count, run by run):")
    print(f"  process yielding env.timeout(1)  {per_timeout * 1e6:7.3f} µs/timeout  "
          f"({1 / per_timeout:,.0f}/s)")
    print(f"  chained timeout callbacks        {per_callback * 1e6:7.3f} µs/timeout  "
          f"({1 / per_callback:,.0f}/s)")

    ratio = t.run / t.simpy_process
    ratio_total = total / t.simpy_process
    print("ratio engine µs/event to SimPy µs/timeout (process):")
    print(f"  run                        {ratio:7.2f}")
    print(f"  build + run                {ratio_total:7.2f}")
    print(f"  run, median of the runs    {statistics.median(t.ratios):7.2f}   "
          f"(fastest run {min(t.ratios):.2f}, slowest {max(t.ratios):.2f})")
    print(f"  run, against callbacks     {t.run / t.simpy_callback:7.2f}")
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    also = "also within it" if ratio_total <= TARGET_RATIO else "not within it either"
    print(f"target: run ratio at most {TARGET_RATIO:g}: {verdict} at {ratio:.2f} "
          f"(build + run {also}, at {ratio_total:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path,
                        help="scenario file (default: the largest of scenarios/*.yaml)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs, seeds 1..N")
    parser.add_argument("--profile", action="store_true", help="also profile a few runs")
    parser.add_argument("--profile-runs", type=int, default=5, help="runs under cProfile")
    args = parser.parse_args()
    if args.runs < 1 or args.profile_runs < 1:
        parser.error("--runs and --profile-runs must be at least 1")

    if args.scenario is None:
        path, loaded = largest(sorted((ROOT / "scenarios").glob("*.yaml")))
    else:
        path, loaded = args.scenario, load_scenario(args.scenario)
    print(f"scenario: {path.name} ({loaded.scenario.metadata.id})")

    Simulation(loaded, 0).run()  # warm-up: imports, caches, first allocations
    bare_timeouts(1000)
    bare_callbacks(1000)
    report(time_engine(loaded, args.runs), args.runs)
    if args.profile:
        profile(loaded, args.profile_runs)


if __name__ == "__main__":
    main()
