"""The library's replay of a past incident (scenarios/kasat-2022.yaml), over 40 seeds: its runs
land where history did (the facts and sources are in the scenario's comments and references).

24 February 2022: a wiper against the KA-SAT satellite network serving Ukraine spilled over
into the Union; NIS1 was the law (one notification, no 24-hour early warning) and the Cyber
Solidarity Act did not exist; on 10 May 2022 the UK and the US attributed the attack to Russia
and the High Representative declared on behalf of the EU the same day, naming Russia; no EU
sanctions followed.
"""

from __future__ import annotations

from functools import cache

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.scenario.loader import load_scenario

from .conftest import ROOT

PATH = ROOT / "scenarios" / "kasat-2022.yaml"
SEEDS = range(40)
DAY = 1440.0


@cache
def runs() -> tuple[tuple[Event, ...], ...]:
    scenario = load_scenario(PATH)
    return tuple(tuple(Simulation(scenario, seed).run().events) for seed in SEEDS)


def test_the_attack_came_from_ukraine_and_spilled_over_at_once() -> None:
    """The wave starts outside the Union and hits the Member States within the first hour;
    nothing of the machinery runs in Ukraine."""
    for events in runs():
        start = next(e for e in events if e.kind == "adversary.wave_started")
        assert start.payload["third_countries"] == ["UA"]
        hit = {e.member_state for e in events if e.kind == "entity.compromised"}
        assert hit == {"DE", "FR", "IT", "PL"}
        assert all(e.t == 0.0 for e in events if e.kind == "entity.compromised")


def test_it_plays_under_the_law_of_february_2022() -> None:
    """NIS1: notifications without a 24-hour early warning or a final report, no deadline
    missed; no Reserve (the Cyber Solidarity Act came in 2025); EU-CyCLONe exists."""
    for events in runs():
        kinds = {e.kind for e in events}
        assert "entity.notification" in kinds
        assert not kinds & {"entity.early_warning", "entity.final_report",
                            "entity.deadline_missed", "reserve.deployed"}
        law = next(e for e in events if e.kind == "law.in_force")
        assert law.t == 0.0


def test_the_eu_declares_the_day_the_partners_attribute_and_never_before() -> None:
    """Where the EU prepares its text with the partners (the scenario's default, as in 2022),
    its attribution statement is adopted within a day after the UK's attribution (10 May 2022,
    day 75) in at least 90 % of those runs, at grade 3, aligned with the partners; in no run
    before it; and no listing is adopted in any run (none was, for this attack)."""
    aligned = same_day = 0
    for events in runs():
        uk = next(e.t for e in events if e.kind == "partner.attribution"
                  and e.payload["partner"] == "UK")
        assert 75 * DAY <= uk < 76 * DAY
        adopted = [e for e in events if e.kind == "measure.adopted"
                   and e.subject == "attribution_statement"]
        for e in adopted:
            assert e.t >= uk
            assert e.payload["attribution_grade"] == 3 and e.payload["aligned_with"]
        choice = next(e.payload["option"] for e in events if e.kind == "decision.made"
                      and e.subject == "DP-DECLARATION")
        if choice == "aligned":
            aligned += 1
            same_day += bool(adopted and adopted[0].t - uk <= DAY)
        assert not [e for e in events if e.kind == "measure.adopted"
                    and e.subject == "restrictive_listing"]
    assert aligned >= len(SEEDS) // 2, f"the default taken in {aligned} runs only"
    assert same_day >= 0.9 * aligned, f"{same_day} of {aligned} prepared declarations same day"


def test_no_adversary_reaction_long_after_the_one_off_attack() -> None:
    """A one-off wiper that cannot spread is over once its effects are: a declaration eleven
    weeks later neither deters nor provokes it."""
    for events in runs():
        assert not [e for e in events if e.kind in ("adversary.deterred", "adversary.escalated")]


def test_the_overview_and_the_report_say_which_law_the_replay_plays_under(ttx, tmp_path) -> None:
    """A planner sees before the run, and a reader of the report after it, that the replay is
    held to the law of February 2022, not today's."""
    overview = ttx("overview", str(PATH))
    assert overview.code == 0
    text = " ".join(overview.out.split())
    assert "law in force NIS1 reporting" in text and "no Cyber Solidarity Act" in text
    log = tmp_path / "run.jsonl"
    assert ttx("run", str(PATH), "--seed", "1", "--log", str(log)).code == 0
    out = tmp_path / "report.md"
    assert ttx("report", str(log), "--format", "md", "--out", str(out)).code == 0
    report = out.read_text(encoding="utf-8")
    assert "| Law in force | NIS1 reporting (one notification, without undue delay)" in report
