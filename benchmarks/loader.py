"""How fast scenarios load, and how fast hostile files are refused.

    .venv/bin/python benchmarks/loader.py

Prints the median time to load each library scenario (read + validate + cross-check), the
throughput on a synthetic MSEL of many injects, and the time to refuse each hostile input,
with the ratio to the one-second budget of issue 1. Figures, not assertions: machines are noisy.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.errors import ScenarioError  # noqa: E402
from simulator.scenario import parse_scenario  # noqa: E402
from tests.test_hostile import HOSTILE  # noqa: E402


def median_seconds(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def big_msel(n: int) -> bytes:
    base = (ROOT / "tests/data/minimal.yaml").read_text(encoding="utf-8")
    head, _, _ = base.partition("msel:")
    lines = [head, "msel:\n  injects:\n"]
    for i in range(n):
        lines.append(
            f"    - {{id: I{i}, at: {i % 2880}m, from: exercise_control, to: [CY.csirt], "
            f"mode: email, synopsis: Inject number {i}, objectives: [O1]}}\n"
        )
    return "".join(lines).encode()


def main() -> None:
    print("library scenarios (median of 7):")
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        raw = path.read_bytes()
        seconds = median_seconds(lambda raw=raw, path=path: parse_scenario(raw, str(path)))
        print(f"  {path.name:36} {len(raw) / 1024:7.1f} KiB  {seconds * 1000:8.1f} ms")
    for n in (1_000, 10_000):
        raw = big_msel(n)
        seconds = median_seconds(lambda raw=raw: parse_scenario(raw, "big.yaml"), repeat=3)
        print(f"  synthetic MSEL, {n:>6} injects   {len(raw) / 1024:7.1f} KiB  "
              f"{seconds * 1000:8.1f} ms  ({n / seconds:,.0f} injects/s)")
    print("hostile input, time to refuse (budget 1 s):")
    for name, raw in HOSTILE.items():
        def refuse(raw: bytes = raw) -> None:
            try:
                parse_scenario(raw, "hostile.yaml")
            except ScenarioError:
                return
            raise AssertionError("accepted hostile input")

        seconds = median_seconds(refuse, repeat=3)
        print(f"  {name:20} {len(raw) / 1024:9.1f} KiB  {seconds * 1000:8.1f} ms  "
              f"ratio to budget {seconds:.3f}")


if __name__ == "__main__":
    main()
