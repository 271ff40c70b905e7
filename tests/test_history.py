"""Behaviour against history: small scenarios shaped like the cases of docs/machinery.md section 9,
run over fixed seeds, show the documented behaviour of the EU machinery.

Each scenario in ``tests/data/history`` says in its comments which case it replays and which
parameters an author would set to replay it. Assertions are on distributions over the seeds
("in at least 90 % of runs ..."), on simulated time only, never on wall-clock time.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.engine.simulation import RunResult
from simulator.scenario.loader import load_scenario, parse_scenario

HISTORY = Path(__file__).resolve().parent / "data" / "history"
SEEDS = range(40)
HOUR = 60.0
DAY = 24 * HOUR
MONTH = 30 * DAY  # the format's "mo"


@cache
def runs(case: str) -> tuple[RunResult, ...]:
    """The runs of one history scenario over SEEDS (computed once per test session)."""
    scenario = load_scenario(HISTORY / f"{case}.yaml")
    results = tuple(Simulation(scenario, seed).run() for seed in SEEDS)
    failed = [(r.seed, r.error) for r in results if r.status != "completed"]
    assert not failed, f"{case}: runs did not complete: {failed}"
    return results


def events(result: RunResult, kind: str, subject: str | None = None) -> list[Event]:
    return [
        e for e in result.events if e.kind == kind and (subject is None or e.subject == subject)
    ]


def first(result: RunResult, kind: str, subject: str | None = None) -> float | None:
    """When the first event of ``kind`` (about ``subject``) happened, or None."""
    found = events(result, kind, subject)
    return found[0].t if found else None


def lags(
    case: str, start: Callable[[RunResult], float | None], end: Callable[[RunResult], float | None]
) -> dict[int, float | None]:
    """Per seed: ``end - start`` in minutes, or None when either did not happen."""
    out: dict[int, float | None] = {}
    for result in runs(case):
        a, b = start(result), end(result)
        out[result.seed] = None if a is None or b is None else b - a
    return out


def summary(values: dict[int, float | None], unit: float, name: str) -> str:
    """The distribution in words, for assertion messages."""
    got = sorted(v / unit for v in values.values() if v is not None)
    if not got:
        return f"no run had both events ({len(values)} runs)"
    return (
        f"{len(got)}/{len(values)} runs; min {got[0]:.2f}, median {statistics.median(got):.2f}, "
        f"max {got[-1]:.2f} {name}; per seed: "
        + ", ".join(f"{s}:{'-' if v is None else round(v / unit, 2)}" for s, v in values.items())
    )


def assert_same_day(
    case: str, start: Callable[[RunResult], float | None], end: Callable[[RunResult], float | None]
) -> None:
    """``end`` comes within a day after ``start`` in at least 90 % of runs, and never before
    it: the EU speaking the day an attribution is made public."""
    lag = lags(case, start, end)
    same_day = [s for s, v in lag.items() if v is not None and 0 <= v <= DAY]
    assert len(same_day) >= 0.9 * len(SEEDS), summary(lag, HOUR, "hours")
    assert all(v is None or v >= 0 for v in lag.values()), summary(lag, HOUR, "hours")


@pytest.mark.parametrize("path", sorted(HISTORY.glob("*.yaml")), ids=lambda p: p.stem)
def test_history_scenarios_validate(ttx, path: Path) -> None:
    """Every history scenario is a valid scenario that ``ttx validate`` accepts (docs/machinery.md
    section 9 cases are replayed with the same format as the library)."""
    result = ttx("validate", str(path))
    assert result.code == 0, result.out + result.err


# -- SolarWinds: the HR declaration the same day as the US attribution (15 April 2021) -------


def _us_attribution(result: RunResult) -> float | None:
    return first(result, "partner.attribution")


def _declaration(result: RunResult) -> float | None:
    return first(result, "measure.adopted", "hr_declaration")


def test_solarwinds_declaration_same_day_as_allied_attribution() -> None:
    """An EU declaration prepared to align with partners is adopted within 24 hours after the
    allied attribution in at least 90 % of runs (SolarWinds: US attribution and HR declaration
    both on 15 April 2021)."""
    lag = lags("solarwinds", _us_attribution, _declaration)
    same_day = [s for s, v in lag.items() if v is not None and 0 <= v <= DAY]
    assert len(same_day) >= 0.9 * len(SEEDS), summary(lag, HOUR, "hours")


def test_solarwinds_declaration_never_before_allied_attribution() -> None:
    """The aligned declaration is never adopted before the allied attribution it waits for
    (SolarWinds: the EU spoke after, not ahead of, the US on 15 April 2021)."""
    for result in runs("solarwinds"):
        attribution, adopted = _us_attribution(result), _declaration(result)
        assert attribution is not None, f"seed {result.seed}: the scripted attribution is missing"
        assert adopted is None or adopted >= attribution, (
            f"seed {result.seed}: declaration at {adopted / DAY:.2f} d, "
            f"US attribution at {attribution / DAY:.2f} d"
        )


def test_solarwinds_declaration_names_the_partner_it_aligns_with() -> None:
    """The adopted declaration records the partner it aligned with, here the United States
    (SolarWinds: the HR declaration expressed solidarity with the US and cited its assessment)."""
    adopted = {
        r.seed: e
        for r in runs("solarwinds")
        for e in events(r, "measure.adopted", "hr_declaration")
    }
    assert len(adopted) >= 0.9 * len(SEEDS), f"adopted in {len(adopted)}/{len(SEEDS)} runs"
    wrong = {
        seed: e.payload.get("aligned_with")
        for seed, e in adopted.items()
        if list(e.payload.get("aligned_with") or ()) != ["US"]
    }
    assert not wrong, f"aligned_with is not ['US'] (seed: value): {wrong}"


# -- WannaCry / NotPetya: no sanctions until a framework existed (July 2020) ----------------


def test_wannacry_no_listing_without_sanctions_framework() -> None:
    """With no cyber sanctions framework in force, a restrictive listing is never adopted,
    whoever proposes it (WannaCry and NotPetya, 2017: no listing until Decision (CFSP)
    2019/797 existed)."""
    adopted = {r.seed: first(r, "measure.adopted", "restrictive_listing") for r in runs("wannacry")}
    assert all(t is None for t in adopted.values()), adopted


def test_wannacry_listing_blocked_for_the_missing_framework() -> None:
    """Both the High Representative's listing and a Member State's request are blocked, and the
    reason names the missing sanctions framework (WannaCry and NotPetya, 2017-2019)."""
    for result in runs("wannacry"):
        blocked = events(result, "measure.blocked", "restrictive_listing")
        reasons = [e.payload.get("reason", "") for e in blocked]
        assert reasons, f"seed {result.seed}: the listing was never blocked"
        assert all("sanctions framework" in r for r in reasons), (result.seed, reasons)
        # the Member State's request reached the Toolbox too, once its evidence was ready
        evidence = first(result, "member_state.evidence_ready")
        assert evidence is not None, f"seed {result.seed}: the evidence package never came"
        assert any(e.t >= evidence for e in blocked), (result.seed, evidence, reasons)


# -- Bundestag: the EU listing ~5 months after Germany's request (May -> October 2020) -------


def _request(result: RunResult) -> float | None:
    return first(result, "member_state.listing_proposed")


def _listing(result: RunResult) -> float | None:
    return first(result, "measure.adopted", "restrictive_listing")


def test_bundestag_listing_adopted_in_most_runs() -> None:
    """With the framework in force and a national request, the listing is adopted in at least
    90 % of runs despite unanimity (Bundestag: all 27 agreed the listing of 22 October 2020)."""
    lag = lags("bundestag", _request, _listing)
    adopted = [v for v in lag.values() if v is not None]
    assert len(adopted) >= 0.9 * len(SEEDS), summary(lag, MONTH, "months")


def test_bundestag_listing_months_after_national_request() -> None:
    """A listing comes months after the national request: median 3 to 9 months, never under
    2.5 months (Bundestag: Germany asked on 28 May 2020, the Council listed on 22 October 2020,
    about five months)."""
    lag = lags("bundestag", _request, _listing)
    adopted = [v for v in lag.values() if v is not None]
    assert adopted, summary(lag, MONTH, "months")
    assert min(adopted) >= 2.5 * MONTH, summary(lag, MONTH, "months")
    assert 3 * MONTH <= statistics.median(adopted) <= 9 * MONTH, summary(lag, MONTH, "months")


# -- Log4Shell: the CSIRTs network's joint statement six days after disclosure --------------


def test_log4shell_joint_statement_days_after_disclosure() -> None:
    """The CSIRTs network issues its joint statement days after a vendor's disclosure: median 3
    to 8 days, at least 90 % of runs within 14 days, never before it (Log4Shell: disclosed
    9 December 2021, joint statement 15 December 2021)."""
    lag = lags(
        "log4shell",
        lambda r: first(r, "external.vendor_disclosure"),
        lambda r: first(r, "csirts_network.joint_statement"),
    )
    issued = [v for v in lag.values() if v is not None]
    assert len(issued) == len(SEEDS), summary(lag, DAY, "days")
    assert min(issued) >= 0, summary(lag, DAY, "days")
    assert 3 * DAY <= statistics.median(issued) <= 8 * DAY, summary(lag, DAY, "days")
    assert sum(v <= 14 * DAY for v in issued) >= 0.9 * len(SEEDS), summary(lag, DAY, "days")


def test_log4shell_loss_at_threshold_is_not_significant() -> None:
    """Exploitation that disrupts little and costs each entity exactly EUR 500,000, not more,
    never makes the incident significant (docs/machinery.md section 4: a loss *over* EUR 500,000;
    Log4Shell, December 2021, stayed below the crisis tiers)."""
    text = (HISTORY / "log4shell.yaml").read_text(encoding="utf-8")
    assert "loss_eur_per_entity: 100000" in text
    scenario = parse_scenario(
        text.replace("loss_eur_per_entity: 100000", "loss_eur_per_entity: 500000").encode()
    )
    tiers = {
        seed: [
            e.payload["tier"]
            for e in Simulation(scenario, seed).run().events
            if e.kind == "classification.tier"
        ]
        for seed in SEEDS
    }
    assert all(not t for t in tiers.values()), tiers


# -- Art 42(7) TEU: unanimous support within four days (France, November 2015) --------------


def test_art42_7_support_within_four_days() -> None:
    """Every invocation of Art 42(7) TEU is followed by the other Member States' pledge within
    0 to 4 days (France: attacks of 13 November 2015, unanimous support on 17 November)."""
    lag = lags(
        "art42-7",
        lambda r: first(r, "treaty.art42_7_invoked"),
        lambda r: first(r, "treaty.art42_7_support"),
    )
    assert all(v is not None and 0 <= v <= 4 * DAY for v in lag.values()), summary(lag, DAY, "days")
    for result in runs("art42-7"):
        support = events(result, "treaty.art42_7_support")
        assert [e.member_state for e in support] == ["FR"], result.seed
        pledged = set(support[0].payload.get("pledged_by", ()))
        assert len(pledged) == 26 and "FR" not in pledged, (result.seed, sorted(pledged))


# -- an incident no one caused (the faulty update of July 2024) -------------------------------


def test_faulty_update_gets_no_threat_assessment_and_no_attribution() -> None:
    """EU INTCEN assesses threats from actors: an incident no one caused gets no assessment,
    no Member State shares intelligence on an actor, no partner attributes it, and no one is
    deterred or provoked by the EU's answers, while the operational machinery runs as for
    any incident that disrupts several Member States."""
    for result in runs("faulty-update"):
        kinds = {e.kind for e in result.events}
        assert not kinds & {
            "intcen.assessment", "member_state.intel_shared", "member_state.attribution",
            "partner.attribution", "partner.sanctions", "adversary.deterred",
            "adversary.escalated",
        }, (result.seed, sorted(kinds))
        assert "cyclone.activated" in kinds, result.seed


def test_faulty_update_cannot_be_answered_with_sanctions() -> None:
    """A listing proposed for an accident is blocked, and the reason says no one caused it."""
    for result in runs("faulty-update"):
        blocked = events(result, "measure.blocked", "restrictive_listing")
        assert blocked and "no one caused this incident" in blocked[0].payload["reason"]
        assert not events(result, "measure.adopted")


def test_an_attack_without_a_threat_actor_is_refused(ttx, tmp_path) -> None:
    """Leaving out the threat actor says no one caused the incident: a ransomware wave in such
    a campaign is an error at the campaign, with its line and column."""
    text = (HISTORY / "faulty-update.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "attack.yaml"
    bad.write_text(text.replace("vector: faulty_update", "vector: ransomware"), encoding="utf-8")
    result = ttx("validate", str(bad))
    assert result.code == 2
    line = text.splitlines().index("  waves:") + 1  # the campaign's first key
    assert f"attack.yaml:{line}:3: campaign: wave W1 is a ransomware attack" in result.err
    assert "Traceback" not in result.err


# -- APT28: espionage, national attributions and a same-day declaration (3 May 2024) ----------


def test_apt28_espionage_stays_significant_without_eu_cyclone() -> None:
    """Mail read for months in two Member States, nothing disrupted: the incidents are
    significant (reported), never large-scale, and EU-CyCLONe is not activated."""
    for result in runs("apt28"):
        tiers = {e.payload["tier"] for e in events(result, "classification.tier")}
        assert "significant" in tiers and "large_scale" not in tiers, (result.seed, tiers)
        assert not events(result, "cyclone.activated"), result.seed


def test_apt28_declaration_the_day_the_member_states_attribute() -> None:
    """The declaration prepared with Germany and Czechia is adopted within a day of their
    attributions in at least 90 % of runs (3 May 2024: the same day), never before them, at
    their grade, judged proportionate, and aligned with both."""
    assert_same_day("apt28", lambda r: first(r, "member_state.attribution"),
                    lambda r: first(r, "measure.adopted", "hr_declaration"))
    for result in runs("apt28"):
        for adopted in events(result, "measure.adopted", "hr_declaration"):
            assert adopted.payload["attribution_grade"] == 3
            assert adopted.payload["proportionate"] is True
            assert adopted.payload["aligned_with"] == ["CZ", "DE"]


def test_apt28_attributing_member_states_never_veto() -> None:
    """Germany and Czechia made the attribution the declaration rests on: they never block
    it, and over 40 runs blocks by anyone are rare (none public in the record since 2017)."""
    vetoes = [e for r in runs("apt28") for e in events(r, "member_state.veto")]
    assert not [e for e in vetoes if e.member_state in ("DE", "CZ")]
    assert len(vetoes) <= 4, [(e.member_state, e.t) for e in vetoes]


# -- Viasat: partners attribute eleven weeks on, the EU speaks the same day (10 May 2022) -----


def test_viasat_statement_waits_for_the_partners_and_comes_the_same_day() -> None:
    """An attribution statement needs an attribution of grade 2 or more: proposed to be held
    for the partners', it is not refused for lacking one at the proposal; it is adopted
    within a day of the UK's attribution (75 days in) in at least 90 % of runs, never
    before, naming the state (grade 3), judged proportionate and aligned with the UK."""
    assert_same_day("viasat", lambda r: first(r, "partner.attribution"),
                    lambda r: first(r, "measure.adopted", "attribution_statement"))
    for result in runs("viasat"):
        assert not events(result, "measure.blocked"), result.seed
        for adopted in events(result, "measure.adopted", "attribution_statement"):
            assert adopted.payload["attribution_grade"] == 3
            assert adopted.payload["proportionate"] is True
            assert "UK" in adopted.payload["aligned_with"]
