"""Golden reports: the After-Action Report in Markdown for two library runs, kept in
``tests/golden/reports``, so that every change to what a minister's adviser reads is seen
and deliberate.

A run is a function of the scenario, the seed and the code, so a change to the machinery,
to a library scenario, to scoring or to the report's words shows here as a diff. When the
change is meant, write the files anew and review the diff before committing it:

    TTX_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_golden.py

(the charts are not kept: their bytes depend on matplotlib's version; tests/test_report.py
checks what they draw).
"""

from __future__ import annotations

import difflib
import os

import pytest

from simulator import __version__
from simulator.engine import Simulation
from simulator.report import render_report
from simulator.scenario.loader import load_scenario
from simulator.scoring import score_run

from .conftest import GOLDEN, ROOT

REPORTS = GOLDEN / "reports"
#: the runs kept: the default scenario, and the foreign-policy one, at seeds with a
#: Toolbox response, partners' attributions and areas for improvement of every priority
RUNS = [("ransomware-hospitals", 1), ("supply-chain-state-actor", 3)]


def report(scenario: str, seed: int) -> str:
    """The report as ``ttx report RUN.jsonl --out NAME.md`` writes it (its charts beside it),
    with the ttx version left out: it changes with every release, not with the report."""
    loaded = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    events = Simulation(loaded, seed).run().events
    name = f"{scenario}-seed{seed}"
    text, _ = render_report(score_run(events, loaded.scenario), events, "md",
                            {"escalation": f"{name}-escalation.svg",
                             "impact": f"{name}-impact.svg"})
    return text.replace(f"ttx {__version__} ·", "ttx VERSION ·", 1)


@pytest.mark.parametrize(("scenario", "seed"), RUNS, ids=[f"{s}-{n}" for s, n in RUNS])
def test_the_report_matches_its_golden_file(scenario, seed):
    expected_file = REPORTS / f"{scenario}-seed{seed}.md"
    text = report(scenario, seed)
    if os.environ.get("TTX_UPDATE_GOLDEN"):
        REPORTS.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(text, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), text.splitlines(keepends=True),
            str(expected_file), "now", n=1))
        pytest.fail(f"the report changed; if that is meant, run TTX_UPDATE_GOLDEN=1 "
                    f".venv/bin/pytest tests/test_report_golden.py and review the diff:\n"
                    f"{diff[:6000]}")


def test_every_golden_report_is_a_kept_run():
    """A golden file no run writes would silently test nothing."""
    kept = {f"{s}-seed{n}.md" for s, n in RUNS}
    assert {p.name for p in REPORTS.glob("*.md")} == kept
