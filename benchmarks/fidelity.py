"""How the library's runs tell the story, over many seeds: the figures issue 7 asks about.

Prints, per scenario, how often each tier is reached, EU-CyCLONe activated, IPCR fully activated
(and after how long in information sharing), NIS2 final reports sent, Toolbox measures adopted,
blocked and vetoed, and the peak disruption. Run: ``.venv/bin/python benchmarks/fidelity.py
[--seeds N] [SCENARIO ...]`` (default: every library scenario, 30 seeds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine import Simulation  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402

DAY = 24 * 60.0


def survey(path: Path, seeds: int) -> None:
    scenario = load_scenario(path)
    tiers: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    full_lags: list[float] = []
    peaks: list[float] = []
    for seed in range(seeds):
        events = Simulation(scenario, seed).run().events
        kinds = Counter(e.kind for e in events)
        reached = {e.payload["tier"] for e in events if e.kind == "classification.tier"}
        top = next((t for t in ("cyber_crisis", "large_scale", "significant") if t in reached),
                   "below_threshold")
        tiers[top] += 1
        modes = [(e.t, e.payload.get("mode")) for e in events if e.kind == "ipcr.mode"]
        shared = next((t for t, m in modes if m == "information_sharing"), None)
        full = next((t for t, m in modes if m == "full_activation"), None)
        if full is not None:
            counts["ipcr full activation"] += 1
            if shared is not None:
                full_lags.append((full - shared) / DAY)
        for kind, label in (
            ("cyclone.activated", "EU-CyCLONe activated"),
            ("entity.final_report", "final report sent"),
            ("member_state.veto", "a veto"),
            ("measure.adopted", "a measure adopted"),
            ("measure.blocked", "a measure blocked"),
            ("intcen.assessment", "INTCEN assessment"),
        ):
            if kinds[kind]:
                counts[label] += 1
        peak = max((e.payload.get("level", 0.0) for e in events if e.kind == "adversary.impact"),
                   default=0.0)
        peaks.append(peak)
    print(f"{scenario.scenario.metadata.id} ({seeds} seeds)")
    print("  peak tier:   " + ", ".join(f"{t} {n}" for t, n in tiers.most_common()))
    for label, n in sorted(counts.items()):
        print(f"  {label}: {n}/{seeds}")
    if full_lags:
        print(f"  information sharing -> full activation: min {min(full_lags):.1f} d, median "
              f"{statistics.median(full_lags):.1f} d, max {max(full_lags):.1f} d")
    print(f"  peak disruption in a Member State: median {statistics.median(peaks):.2f}, "
          f"max {max(peaks):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, default=30)
    args = parser.parse_args()
    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    for path in paths:
        survey(path, args.seeds)


if __name__ == "__main__":
    main()
