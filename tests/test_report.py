"""The After-Action Report: renders for every library scenario, is self-contained and escaped,
and its charts hold the run's data; ``ttx score`` and ``ttx report`` end to end."""

from __future__ import annotations

import html as html_module
import json
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.kinds import EVENT_KINDS
from simulator.labels import BODY_LABELS, IPCR_LABELS, RAW_ID, TIER_LABELS
from simulator.report import render_report
from simulator.report.charts import PANELS, impact_panels, impact_svg
from simulator.report.render import md_escape
from simulator.report.story import PRIORITIES, improvements
from simulator.scenario.loader import load_scenario, parse_scenario
from simulator.scenario.models import Scenario
from simulator.scenario.reference import MEMBER_STATES
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
    for section in ("Executive summary", "Exercise overview", "Escalation timeline",
                    "Impact over time", "Decision log", "Analysis of capabilities",
                    "Strengths", "Areas for improvement", "Improvement Plan"):
        assert section in text, section
    assert text.index("Executive summary") < text.index("Exercise overview"), "it opens"
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
    """The impact chart has a panel, titled with its name, for every Member State with an
    impact, each a step line over time; the escalation chart has the four tracks and every
    rung each climbed, in words."""
    card, events = scored(DEFAULT)
    _, charts = render_report(card, events, "html")
    impacted = sorted({e.member_state for e in events if e.kind == "adversary.impact"
                       and e.member_state})
    assert impacted, "the run has an impact to draw"
    titles = [t for t in _svg_texts(charts["impact"]) if ": peak " in t]
    assert len(titles) == len(impacted) <= PANELS
    for ms in impacted:
        assert any(t.startswith(f"{MEMBER_STATES[ms]}: peak") for t in titles), ms
    drawn = re.findall(r'<path d="([^"]*)"[^>]*style="fill: none; stroke: #c62828; '
                       r'stroke-width: 1\.6', charts["impact"])
    assert len(drawn) == len(impacted), "one line per Member State"
    assert all(path.count("L") >= 3 for path in drawn), "step lines over time"
    escalation = _svg_texts(charts["escalation"])
    for track in ("technical", "operational", "political crisis", "foreign policy"):
        assert track in escalation
    tiers = {TIER_LABELS[e.payload["tier"]] for e in events if e.kind == "classification.tier"}
    assert tiers and tiers <= set(escalation)


def test_the_impact_chart_stays_readable_with_twenty_member_states():
    """With more Member States hit than panels, the most affected get a panel each and the
    rest share one ("N others"), whose line is the highest among them at each moment."""
    loaded = load_scenario(ROOT / "scenarios" / "library-vulnerability.yaml")
    events = Simulation(loaded, 3).run().events
    hit = {e.member_state for e in events if e.kind == "adversary.impact" and e.member_state}
    assert len(hit) >= 20, "the library's widest run"
    panels = impact_panels(events)
    assert len(panels) == PANELS
    name, merged = panels[-1]
    assert name == f"{len(hit) - PANELS + 1} others (highest)"
    peaks = [max(v for _, v in series) for _, series in panels[:-1]]
    assert peaks == sorted(peaks, reverse=True), "the most affected first"
    assert max(v for _, v in merged) <= peaks[-1]
    titles = [t for t in _svg_texts(impact_svg(events, events[-1].t)) if ": peak " in t]
    assert len(titles) == PANELS


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
    row = next(line for line in md.splitlines() if line.startswith("| OBJ-1 |"))
    assert "Reporting" in row
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
    assert [row.split("|")[2].strip() for row in rows] == [capability["OBJ-1"],
                                                           capability["OBJ-3"]]
    assert [row.split("|")[1].strip() for row in rows] == ["medium", "medium"]


# -- words, not ids --------------------------------------------------------------------------


def forbidden(scenario: Scenario) -> set[str]:
    """What no sentence of a report may show: an event kind, a role id, a body id written
    with an underscore, a Toolbox measure's id, a tier or IPCR mode's id."""
    words = set(EVENT_KINDS) | {r.id for r in scenario.roles}
    words |= {b for b in BODY_LABELS if "_" in b}
    words |= {m for m in scenario.toolbox.catalogue() if "_" in m}
    words |= {t for t in TIER_LABELS if "_" in t} | {m for m in IPCR_LABELS if "_" in m}
    return words


def readable(text: str, fmt: str) -> str:
    """What a reader sees: HTML without its tags and style (the charts' text included), or
    Markdown without its escapes and code marks."""
    if fmt == "html":
        text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
    else:
        text = text.replace("\\", "").replace("`", "")
    return html_module.unescape(text)


def raw_ids(text: str, scenario: Scenario) -> list[str]:
    found = [m.group(0) for m in RAW_ID.finditer(text)]
    for word in forbidden(scenario):
        for m in re.finditer(rf"(?<![\w.-]){re.escape(word)}(?![\w-]|\.\w)", text):
            found.append(text[max(0, m.start() - 50):m.end() + 30])
    return found


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [1, 2])
def test_no_sentence_names_a_raw_kind_or_participant(path, seed):
    """Markdown and HTML (charts included), every library scenario: no event kind such as
    cyclone.activated, no national body such as LT.authority, no role id or measure id."""
    card, events = scored(path, seed)
    for fmt in ("md", "html"):
        text, charts = render_report(card, events, fmt, {"escalation": "e.svg",
                                                         "impact": "i.svg"})
        shown = readable(text, fmt) + " ".join(readable(svg, "html") for svg in charts.values())
        assert raw_ids(shown, card.scenario) == [], fmt


def test_the_check_for_raw_ids_finds_them():
    """The test above cannot pass by finding nothing."""
    scenario = load_scenario(DEFAULT).scenario
    found = raw_ids("EU cyclone.activated. LT.authority, be_authority, large_scale and "
                    "partner.US", scenario)
    assert len(found) == 5


# -- the executive summary ---------------------------------------------------------------


def summary_of(md: str) -> str:
    return md[md.index("## Executive summary"):md.index("## 1. Exercise overview")]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_executive_summary_says_what_matters_on_a_page(path):
    """It opens the report: what happened, who decided, the key decisions and what they led
    to, the ratings at a glance and the most important improvements, in one page."""
    card, events = scored(path)
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    summary = summary_of(md)
    for part in ("**What happened.**", "**Who decided.**",
                 "**Key decisions and their consequences.**", "**Ratings at a glance.**"):
        assert part in summary, part
    assert len(summary.split()) <= 750, "one page"
    for objective in card.objectives:
        row = next(line for line in summary.splitlines()
                   if line.startswith(f"| {md_escape(objective.objective.capability)} | "
                                      f"{objective.objective.id} |"))
        assert f"**{objective.final_rating or 'not rated'}**" in row
    areas = len(improvements(card))
    listed = re.findall(r"^\d\. \*\*", summary, re.M)
    assert len(listed) == min(3, areas)


def test_a_headless_run_never_credits_decisions_to_players():
    """A run nobody played: every decision is the scenario's policy's, in the summary, the
    decision log and the participants, whatever name a record carries."""
    card, events = scored(DEFAULT, 1)
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    assert "played headless" in md and "taken by the scenario's policy" in md
    assert "taken by the players" not in md and "players, live" not in md
    forged = [e._replace(payload={**e.payload, "by": "Blue team"})
              if e.kind == "decision.made" else e for e in events]
    card = score_run(forged, card.scenario)
    assert {d.source for d in card.decisions} == {"policy"}
    md, _ = render_report(card, forged, "md", {"escalation": "e.svg", "impact": "i.svg"})
    assert "Blue team" not in md and "taken by the players" not in md


def live_session(decide: bool) -> tuple[Scorecard, list[Event]]:
    """The default scenario with every decision live: decided by the players at once, or
    left to fall to its default at its deadline."""
    loaded = load_scenario(DEFAULT)
    live = sorted({p.decided_by for p in loaded.scenario.decision_points})
    simulation = Simulation(loaded, 1, live_roles=live)
    while decide and simulation.now < simulation.end:
        for pending in simulation.pending_decisions():
            simulation.decide(pending.point.id, pending.point.default, by="Blue team",
                              rationale="As planned")
        simulation.run_until_stop()
    simulation.advance(simulation.end)
    events = simulation.finish().events
    return score_run(events, loaded.scenario), events


def test_a_session_report_says_who_decided_and_what_nobody_decided():
    """Played live: the players' decisions are theirs, with their rationale; a decision left
    to its default at the deadline is said so, is an area for improvement and comes first
    in the Improvement Plan, at high priority."""
    card, events = live_session(decide=True)
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    assert "taken by the players (Blue team)" in md and "As planned" in md
    assert "Played live:" in md and "played headless" not in md
    card, events = live_session(decide=False)
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    assert "taken by nobody: the default fell at the deadline" in md
    defaulted = card.defaulted()
    assert defaulted
    plan = md[md.index("## Appendix A"):]
    first = next(line for line in plan.splitlines() if line.startswith("| high |"))
    assert f"Decision {defaulted[0].point} was not taken before its deadline" in first


def test_the_improvement_plan_dates_follow_the_priorities():
    """Each action's start and completion are its priority's, counted from the end of the
    exercise: high before medium before low; not one date for all."""
    card, events = scored(ROOT / "scenarios" / "supply-chain-state-actor.yaml", 3)
    md, _ = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    end = (card.scenario.metadata.start + timedelta(minutes=card.run["end"])).date()
    rows = [line.split("|")[1:-1] for line in md[md.index("## Appendix A"):].splitlines()
            if line.startswith(("| high |", "| medium |", "| low |"))]
    assert rows and len({row[0].strip() for row in rows}) >= 2, "priorities to stagger"
    ranks = [PRIORITIES[row[0].strip()][0] for row in rows]
    assert ranks == sorted(ranks), "the most important first"
    for row in rows:
        _, begin, complete = PRIORITIES[row[0].strip()]
        assert row[-2].strip() == (end + timedelta(days=begin)).isoformat()
        assert row[-1].strip() == (end + timedelta(days=complete)).isoformat()
    assert len({row[-1] for row in rows}) >= 2


def test_national_attributions_are_on_the_timeline_and_the_chart():
    """A Member State's own attribution is a milestone of the foreign-policy track: a row of
    the timeline and a mark on the escalation chart, by the Member State's name."""
    loaded = load_scenario(ROOT / "scenarios" / "ransomware-sanctions.yaml")
    for seed in range(1, 6):
        events = Simulation(loaded, seed).run().events
        attributions = [e for e in events if e.kind == "member_state.attribution"]
        if attributions:
            break
    assert attributions, "the scenario is built around a national attribution"
    card = score_run(events, loaded.scenario)
    md, charts = render_report(card, events, "md", {"escalation": "e.svg", "impact": "i.svg"})
    for e in attributions:
        name = MEMBER_STATES[e.member_state]
        assert re.search(rf"\| foreign policy \| {name} attributed the attack", md), name
        assert f"attribution: {name}" in _svg_texts(charts["escalation"])
