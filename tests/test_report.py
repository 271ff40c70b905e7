"""The After-Action Report: renders for every library scenario, is self-contained and escaped,
and its charts hold the run's data; ``ttx score`` and ``ttx report`` end to end."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.report import render_report
from simulator.scenario.loader import load_scenario, parse_scenario
from simulator.scenario.models import Scenario
from simulator.scenario.yamlread import read_yaml
from simulator.scoring import Scorecard, score_run

from .conftest import ROOT, SCENARIOS, run_ttx

DEFAULT = ROOT / "scenarios" / "ransomware-hospitals.yaml"


@cache
def scored(path: Path, seed: int = 2) -> tuple[Scorecard, list[Event]]:
    loaded = load_scenario(path)
    events = Simulation(loaded, seed).run().events
    return score_run(events, loaded.scenario), events


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_renders_for_every_library_scenario(path, fmt):
    card, events = scored(path)
    text, charts = render_report(card, events, fmt, {"escalation": "e.svg", "impact": "i.svg"})
    for section in ("Exercise overview", "Escalation timeline", "Impact over time",
                    "Decision log", "Analysis of capabilities", "Strengths",
                    "Areas for improvement", "Improvement Plan"):
        assert section in text, section
    for objective in card.scenario.objectives:
        assert objective.id in text
    decided = [e for e in events if e.kind == "decision.made"]
    for decision in decided:
        assert decision.subject in text
    assert set(charts) == {"escalation", "impact"}
    if fmt == "html":
        assert text.count("<svg") == 2, "both charts inline"
    else:
        assert "(e.svg)" in text and "(i.svg)" in text


def _svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def test_the_charts_hold_the_runs_data():
    """The impact chart has a line and a legend entry for every Member State with an impact;
    the escalation chart has the four tracks and every rung each climbed."""
    card, events = scored(DEFAULT)
    _, charts = render_report(card, events, "html")
    impacted = sorted({e.member_state for e in events if e.kind == "adversary.impact"})
    assert impacted, "the run has an impact to draw"
    labels = _svg_texts(charts["impact"])
    for ms in impacted:
        assert ms in labels, ms
    drawn = re.findall(r'<path d="([^"]*)"[^>]*style="fill: none; stroke: (#[0-9a-f]{6}); '
                       r'stroke-width: 1\.6', charts["impact"])
    colours = {colour for _, colour in drawn}
    assert len(colours) == len(impacted), "one line (and its legend key) per Member State"
    for colour in colours:
        longest = max(path.count("L") for path, c in drawn if c == colour)
        assert longest >= 3, "a step line over time, not just a legend key"
    escalation = _svg_texts(charts["escalation"])
    for track in ("technical", "operational", "political crisis", "foreign policy"):
        assert track in escalation
    tiers = {e.payload["tier"].replace("_", " ") for e in events
             if e.kind == "classification.tier"}
    assert tiers and tiers <= set(escalation)


def test_the_html_is_one_self_contained_file():
    card, events = scored(DEFAULT)
    html, _ = render_report(card, events, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html), "nothing fetched"
    assert "<link" not in html and "<script" not in html
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the two inline charts share no element id"
    references = re.findall(r'url\(#([^)]+)\)', html)
    assert references and set(references) <= set(ids), "every clip path reference resolves"


def hostile() -> Scenario:
    data = read_yaml(DEFAULT.read_bytes(), str(DEFAULT)).data
    data["metadata"]["title"] = "<script>alert('title')</script> & co"
    data["metadata"]["description"] = "<img src=x onerror=alert(1)> |\n# not a heading"
    data["objectives"][0]["capability"] = "<b onmouseover=alert(2)>Reporting</b> | *bold*"
    text = json.dumps(data, default=lambda v: v.isoformat())
    return parse_scenario(text.encode(), "hostile.yaml")


def test_no_scenario_text_can_inject_html():
    scenario = hostile()
    events = Simulation(scenario, 1).run().events
    card = score_run(events, scenario)
    html, _ = render_report(card, events, "html")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; co" in html
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    assert "<script>" not in md and "<img" not in md and "<b " not in md
    assert "&lt;script&gt;" in md
    row = next(line for line in md.splitlines() if "Reporting" in line and line.startswith("|"))
    assert row.count("|") - row.count("\\|") == 5, "a | in a value cannot add a table column"


def test_the_same_log_gives_the_same_report():
    card, events = scored(DEFAULT)
    first = render_report(card, events, "html")
    second = render_report(card, events, "html")
    assert first == second


# -- the commands --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def logfile(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "rh.jsonl"
    result = run_ttx("run", str(DEFAULT), "--seed", "2", "--log", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_ttx_score_prints_every_objective_with_its_rating(logfile):
    result = run_ttx("score", str(logfile))
    assert result.returncode == 0, result.stderr
    for objective in ("OBJ-1", "OBJ-2", "OBJ-3", "OBJ-4"):
        assert objective in result.stdout
    assert re.search(r"OBJ-1 .* [01]\.\d\d +[PSMU]\b", result.stdout)


def test_ttx_score_json_matches_the_table(logfile):
    result = run_ttx("score", str(logfile), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"]["id"] == "ransomware-hospitals" and data["run"]["seed"] == 2
    assert [o["id"] for o in data["objectives"]] == ["OBJ-1", "OBJ-2", "OBJ-3", "OBJ-4"]
    for objective in data["objectives"]:
        assert objective["rating"] in ("P", "S", "M", "U", None)
        assert objective["metrics"] and all("evidence" in m for m in objective["metrics"])


def test_ttx_score_with_overrides(logfile, tmp_path):
    overrides = tmp_path / "eval.yaml"
    overrides.write_text("overrides:\n  - {objective: OBJ-2, rating: U, rationale: No "
                         "statement reached hospitals, by: Lead evaluator}\n", encoding="utf-8")
    result = run_ttx("score", str(logfile), "--overrides", str(overrides), "--json")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)["objectives"][1]
    assert obj["final_rating"] == "U" and obj["override"]["by"] == "Lead evaluator"
    assert obj["rating"] in ("P", "S", "M", "U"), "the computed rating is kept"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_ttx_report_writes_the_report(logfile, tmp_path, fmt):
    out = tmp_path / f"aar.{fmt}"
    result = run_ttx("report", str(logfile), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file() and "After-Action Report" in out.read_text(encoding="utf-8")
    if fmt == "md":
        for chart in ("aar-escalation.svg", "aar-impact.svg"):
            assert (tmp_path / chart).read_text(encoding="utf-8").startswith("<svg")


def test_ttx_report_defaults_to_reports_folder_and_reads_the_format_from_out(logfile, tmp_path):
    """Without --out the report goes to reports/ID-seedN.md under the working directory;
    with --out *.htm the format is HTML."""
    result = run_ttx("report", str(logfile), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "reports" / "ransomware-hospitals-seed2.md"
    assert written.is_file() and (tmp_path / "reports" / "ransomware-hospitals-seed2-impact.svg"
                                  ).is_file()
    htm = tmp_path / "aar.htm"
    assert run_ttx("report", str(logfile), "--out", str(htm)).returncode == 0
    assert htm.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_run_stopped_early_is_scored_with_a_warning(tmp_path):
    """ttx score and ttx report say when a run stopped before the scenario's end, and what
    it had not reached is not rated rather than failed."""
    log = tmp_path / "short.jsonl"
    assert run_ttx("run", str(DEFAULT), "--until", "6h", "--log", str(log)).returncode == 0
    scored = run_ttx("score", str(log), "--json")
    assert scored.returncode == 0, scored.stderr
    data = json.loads(scored.stdout)
    assert any("before the scenario's end" in w for w in data["warnings"])
    assert "U" not in [o["rating"] for o in data["objectives"]]
    table = run_ttx("score", str(log))
    assert "warning: the run stopped at D+0 13:00" in table.stdout
    report = run_ttx("report", str(log), "--out", str(tmp_path / "short.html"))
    assert report.returncode == 0 and "warning: the run stopped" in report.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["report", "{log}", "--format", "pdf"], "--format pdf: one of md, html"),
    (["report", "{log}", "--out", "{tmp}/x.docx"], "name it *.md or *.html"),
    (["score", "{tmp}/missing.jsonl"], "missing.jsonl: no such file"),
    (["score", "{tmp}/broken.jsonl"], "broken.jsonl:2:2: not JSON"),
    (["score", "{log}", "--scenario", str(ROOT / "tests/data/minimal.yaml")],
     "the run is of scenario 'ransomware-hospitals'"),
    (["score", "{log}", "--overrides", "{tmp}/bad.csv"], "bad.csv:2:1: rating"),
    (["report", "{tmp}/log.html", "--out", "{tmp}/log.html"], "that is the log"),
    (["report", "{log}", "--format", "html", "--out", "{tmp}/aar.md"],
     "a *.md file, but --format html"),
])
def test_bad_input_exits_2_with_a_message(logfile, tmp_path, args, message):
    (tmp_path / "broken.jsonl").write_text(
        logfile.read_text(encoding="utf-8").splitlines()[0] + "\n{oops\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("objective,rating,text\nOBJ-1,Z,x\n", encoding="utf-8")
    (tmp_path / "log.html").write_bytes(logfile.read_bytes())
    argv = [a.format(log=logfile, tmp=tmp_path) for a in args]
    result = run_ttx(*argv)
    assert result.returncode == 2, result.stdout
    assert message.format(tmp=tmp_path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_changed_scenario_is_found_out(tmp_path):
    """Scoring finds the scenario by its id in ./scenarios (or the library) and checks its
    hash: when the file changed since the run it says so rather than scoring against other
    objectives silently; given explicitly, it scores with a warning."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    mine = folder / "mine.yaml"
    text = DEFAULT.read_text(encoding="utf-8").replace("id: ransomware-hospitals", "id: mine", 1)
    mine.write_text(text, encoding="utf-8")
    assert run_ttx("run", str(mine), "--log", "mine.jsonl", cwd=tmp_path).returncode == 0
    found = run_ttx("score", "mine.jsonl", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    mine.write_text(text.replace("Cold Ward", "Cold Ward (edited)"), encoding="utf-8")
    result = run_ttx("score", "mine.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "has changed since" in result.stderr and "--scenario" in result.stderr
    explicit = run_ttx("score", "mine.jsonl", "--scenario", str(mine), cwd=tmp_path)
    assert explicit.returncode == 0 and "has changed since the run" in explicit.stdout
    elsewhere = run_ttx("score", str(tmp_path / "mine.jsonl"))
    assert elsewhere.returncode == 2 and "give --scenario FILE" in elsewhere.stderr


def test_an_observed_improvement_about_two_objectives_is_in_the_plan_for_each():
    """An evaluator's improvement noted about OBJ-1 and OBJ-3 is listed once among the
    observations, naming both, and gives the Improvement Plan a row for each objective."""
    loaded = load_scenario(DEFAULT)
    simulation = Simulation(loaded, 2)
    simulation.advance(600)
    simulation.note("Situation reports came late", by="Evaluator 2", kind="improvement",
                    objectives=["OBJ-1", "OBJ-3"])
    simulation.advance(simulation.end)
    events = simulation.finish().events
    text, _ = render_report(score_run(events, loaded.scenario), events, "md")
    assert text.count("- OBJ-1, OBJ-3: Situation reports came late (observed by Evaluator 2") == 1
    rows = [line for line in text.splitlines()
            if line.startswith("|") and "Situation reports came late" in line]
    capability = {o.id: o.capability for o in loaded.scenario.objectives}
    assert [row.split("|")[1].strip() for row in rows] == [capability["OBJ-1"],
                                                           capability["OBJ-3"]]
