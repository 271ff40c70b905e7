"""Reading a log: a hand-edited or damaged log fails at its line, saying what is wrong."""

from __future__ import annotations

import json

import pytest

from simulator.engine import Simulation
from simulator.engine.records import read_log
from simulator.errors import TtxError
from simulator.report import render_report
from simulator.scenario.loader import load_scenario
from simulator.scoring import score_run

from .conftest import ROOT

SCENARIO = load_scenario(ROOT / "scenarios" / "ransomware-hospitals.yaml")
LINES = [e.to_json() for e in Simulation(SCENARIO, 5).run().events]


def edited(tmp_path, index: int, change) -> str:  # type: ignore[no-untyped-def]
    records = [json.loads(line) for line in LINES]
    change(records[index])
    path = tmp_path / "edited.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


def first(kind: str) -> int:
    return next(i for i, line in enumerate(LINES) if f'"kind":"{kind}"' in line)


@pytest.mark.parametrize(("kind", "change", "message"), [
    ("classification.tier", lambda r: r["payload"].update(tier="apocalyptic"),
     "classification.tier needs 'tier' to be one of below_threshold"),
    ("classification.tier", lambda r: r["payload"].pop("tier"), "needs 'tier'"),
    ("ipcr.mode", lambda r: r["payload"].update(mode="panic"), "ipcr.mode needs 'mode'"),
    ("adversary.impact", lambda r: r["payload"].update(level="high"),
     "needs 'level' to be a number from 0 to 1"),
    ("entity.early_warning", lambda r: r["payload"].pop("entity"), "needs 'entity'"),
    ("decision.made", lambda r: r.update(subject=["DP"]), "'subject' must be a string"),
    ("entity.compromised", lambda r: r.update(member_state=3), "'member_state' must be a string"),
])
def test_a_payload_the_tools_rely_on_is_checked(tmp_path, kind, change, message):
    index = first(kind)
    path = edited(tmp_path, index, change)
    with pytest.raises(TtxError, match=rf"edited\.jsonl:{index + 1}: .*{message}"):
        read_log(path)


@pytest.mark.parametrize("t", [float("nan"), float("inf"), -5.0])
def test_times_are_finite_minutes(tmp_path, t):
    path = tmp_path / "t.jsonl"
    record = {**json.loads(LINES[1]), "t": t}
    path.write_text(LINES[0] + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(TtxError, match=r"t\.jsonl:2: 't' must be a number"):
        read_log(path)


def test_time_never_goes_backwards(tmp_path):
    path = tmp_path / "reordered.jsonl"
    late = next(i for i, line in enumerate(LINES) if json.loads(line)["t"] > 0)
    swapped = [*LINES[:late - 1], LINES[late], LINES[late - 1], *LINES[late + 1:]]
    path.write_text("\n".join(swapped) + "\n", encoding="utf-8")
    with pytest.raises(TtxError, match=rf"reordered\.jsonl:{late + 1}: time goes backwards"):
        read_log(path)


def test_labels_are_never_read_as_mathematics(tmp_path):
    """A Member State code that looks like TeX reaches the chart as text, not a parse error."""
    records = [json.loads(line) for line in LINES]
    for r in records:
        if r["member_state"] == "BE":
            r["member_state"] = r"$\frac$"
    path = tmp_path / "tex.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    events = read_log(path)
    card = score_run(events, SCENARIO.scenario)
    _, charts = render_report(card, events, "html")
    assert r"$\frac$" in charts["impact"]
