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
    ("decision.made", lambda r: r.update(subject=["DP"]), "'subject' must be an id .* or null"),
    ("entity.compromised", lambda r: r.update(member_state=3),
     "'member_state' must be a Member State code"),
    ("entity.compromised", lambda r: r.update(member_state="$\\frac$"),
     "'member_state' must be a Member State code .*not '\\$\\\\\\\\frac\\$'"),
    ("decision.made", lambda r: r["payload"].update(effects="none"),
     "decision.made needs 'effects' to be a list, each an id"),
    ("decision.made", lambda r: r["payload"].update(colour="red"),
     "decision.made has no field 'colour' \\(its fields: option, label"),
    ("entity.compromised", lambda r: r.update(kind=["entity.compromised"]),
     "unknown event kind a list of 1 item"),
    ("adversary.impact", lambda r: r["payload"].update(significant=1),
     "needs 'significant' to be true or false, not 1"),
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


def test_a_log_written_by_a_run_reads_back_as_it_was(tmp_path):
    """The reader's checks refuse nothing a run writes: every record comes back equal."""
    path = tmp_path / "run.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    assert [e.to_json() for e in read_log(path)] == LINES


def test_text_is_made_visible_as_it_is_read(tmp_path):
    """Terminal controls, invisible characters and lone surrogates in any string of a record
    (the envelope and the payload, in lists too) come back as visible escapes, so that no
    reader of the events can print an ESC sequence or fail to encode a surrogate; tab and line
    feed stay as they are."""
    records = [json.loads(line) for line in LINES]
    index = first("inject.delivered")
    payload = records[index]["payload"]
    payload["synopsis"] = "a\x1b[2Jb\ud800c\u202ed\te\nf"
    assessment = records[first("cyclone.assessment")]
    assessment["payload"]["to"].append("\u200bx")
    path = tmp_path / "unsafe.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    event = read_log(path)[index]
    assert event.payload["synopsis"] == "a\\x1b[2Jb\\ud800c\\u202ed\te\nf"
    assert read_log(path)[first("cyclone.assessment")].payload["to"][-1] == "\\u200bx"
    card = score_run(read_log(path), SCENARIO.scenario)
    text, _ = render_report(card, read_log(path), "html")
    assert "\x1b" not in text


def test_an_interrupted_run_is_scored_up_to_its_interruption(tmp_path):
    """``ttx run`` stopped by a signal closes its log with run.interrupted: the log is read,
    and scored as a run that stopped then, not as a session still going."""
    simulation = Simulation(SCENARIO, 5)
    simulation.advance(600)
    path = tmp_path / "interrupted.jsonl"
    simulation.interrupt("SIGTERM").write(path)
    card = score_run(read_log(path), SCENARIO.scenario)
    assert card.run["status"] == "interrupted"
    assert card.run["end"] == 600
    assert any("interrupted (SIGTERM) at D+0 17:00" in w for w in card.warnings), card.warnings
    assert not any("session in progress" in w for w in card.warnings)
