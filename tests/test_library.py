"""The scenario library: every file is valid and is a whole exercise."""

from __future__ import annotations

import csv
import io

import pytest

from simulator.scenario import load_scenario
from simulator.scenario.msel import msel_csv

from .conftest import SCENARIOS


def test_library_has_at_least_five_scenarios():
    assert len(SCENARIOS) >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_library_scenario_is_a_whole_exercise(path):
    """Valid, with objectives, an MSEL of 12+ injects, 2+ decision points, all scored."""
    scenario = load_scenario(path).scenario
    assert scenario.metadata.id == path.stem, "the file is named after the scenario id"
    assert len(scenario.msel.injects) >= 12
    assert len(scenario.decision_points) >= 2
    objectives = {o.id for o in scenario.objectives}
    assert objectives == {rule.objective for rule in scenario.scoring}
    used = {o for i in scenario.all_injects() for o in i.objectives}
    assert objectives <= used, "every objective is exercised by some inject"
    assert path.read_text(encoding="utf-8").count("\n#") >= 5, "comments teach the format"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_msel_handout_lists_every_inject_once(path):
    scenario = load_scenario(path).scenario
    rows = list(csv.DictReader(io.StringIO(msel_csv(scenario))))
    assert sorted(r["inject"] for r in rows) == sorted(i.id for i in scenario.all_injects())
    timed = [r["time"] for r in rows if r["time"].startswith("D+")]
    assert timed == sorted(timed, key=lambda t: (int(t[2:].split()[0]), t.split()[1]))
