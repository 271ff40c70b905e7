"""Golden files: broken evaluators' files and the exact errors ``ttx score`` prints for them.

Each ``tests/golden/overrides/NAME.yaml`` or ``.csv`` has ``NAME.expected`` beside it; to
accept new wording after a deliberate change, run ``TTX_UPDATE_GOLDEN=1 make test`` and review
the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.engine import Simulation
from simulator.scenario.loader import load_scenario

from .conftest import GOLDEN, ROOT, assert_golden

CASES = sorted(p for p in (GOLDEN / "overrides").iterdir() if p.suffix in (".yaml", ".csv"))
MINIMAL = "tests/data/minimal.yaml"


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "minimal.jsonl"
    Simulation(load_scenario(ROOT / MINIMAL), 1).run().write(out)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_overrides_errors_match_golden_file(case, ttx, log, monkeypatch):
    """A broken overrides file exits 2 and prints exactly the expected errors, no traceback."""
    monkeypatch.chdir(ROOT)
    relative = case.relative_to(ROOT).as_posix()
    result = ttx("score", str(log), "--scenario", MINIMAL, "--overrides", relative)
    assert_golden(result, case.with_name(case.stem + case.suffix.replace(".", "-") + ".expected"))


def test_every_overrides_case_has_its_expected_file():
    missing = [c.name for c in CASES
               if not c.with_name(c.stem + c.suffix.replace(".", "-") + ".expected").exists()]
    assert not missing and len(CASES) >= 8
