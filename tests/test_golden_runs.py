"""Golden runs: a committed digest of a few library runs, so that a change of behaviour is a
deliberate one.

Each run is a function of the scenario, the seed and the code. ``tests/golden/runs.json`` keeps,
for a few library runs, the SHA-256 of the event log, its number of events and its milestones
(as ``ttx run`` prints them). A change to the machinery that moves any run fails here, showing
the milestones that moved; when the change is meant, regenerate the file and commit it with the
change that explains it:

    .venv/bin/python tests/test_golden_runs.py
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.engine import Simulation  # noqa: E402
from simulator.engine.records import write_log  # noqa: E402
from simulator.engine.summary import milestones  # noqa: E402
from simulator.scenario.loader import load_scenario  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "runs.json"
#: the runs kept: every library scenario at one seed, and the default scenario at two more
RUNS = [
    ("energy-wiper-fimi", 1),
    ("kasat-2022", 1),
    ("library-vulnerability", 1),
    ("presidency-ddos", 1),
    ("ransomware-hospitals", 1),
    ("ransomware-hospitals", 7),
    ("ransomware-hospitals", 21),
    ("ransomware-sanctions", 1),
    ("supply-chain-state-actor", 1),
]


def digest(scenario: str, seed: int) -> dict[str, object]:
    events = Simulation(load_scenario(ROOT / "scenarios" / f"{scenario}.yaml"), seed).run().events
    log = io.StringIO()
    write_log(events, log)
    # the ttx version in run.started changes with every release, not with behaviour
    lines = log.getvalue().splitlines()
    started = json.loads(lines[0])
    started["payload"].pop("version", None)
    lines[0] = json.dumps(started, sort_keys=True)
    return {
        "sha256": hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest(),
        "events": len(events),
        "milestones": [f"{'never' if m.t is None else format(m.t, '.2f')}: {m.what}"
                       + (f" ({m.detail})" if m.detail else "") for m in milestones(events)],
    }


def key(scenario: str, seed: int) -> str:
    return f"{scenario} seed {seed}"


@pytest.mark.parametrize(("scenario", "seed"), RUNS, ids=[key(*r) for r in RUNS])
def test_a_library_run_is_as_recorded(scenario: str, seed: int) -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))[key(scenario, seed)]
    now = digest(scenario, seed)
    if now["sha256"] == recorded["sha256"]:
        return
    was = set(recorded["milestones"])
    is_ = set(now["milestones"])  # type: ignore[arg-type]
    moved = "\n".join(
        [f"  - {m}" for m in sorted(was - is_, key=str)]
        + [f"  + {m}" for m in sorted(is_ - was, key=str)]
    ) or "  (no milestone moved; other events did)"
    pytest.fail(
        f"{key(scenario, seed)} changed: {recorded['events']} -> {now['events']} events\n"
        f"{moved}\nIf the change is meant, run `.venv/bin/python tests/test_golden_runs.py` "
        "and commit tests/golden/runs.json with it."
    )


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps({key(s, n): digest(s, n) for s, n in RUNS}, indent=1)
                      + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({len(RUNS)} runs)")
