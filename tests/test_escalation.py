"""Escalation calibrated to the law's definitions (docs/machinery.md section 4).

Large-scale (NIS2 Art 6(7)) means a significant impact on at least two Member States, or one
beyond its capacity to respond; data theft or a loss make an incident significant (reportable)
without impacting a Member State so. A cyber crisis is a large-scale incident posing serious
risks in several Member States at once. These tests recompute each rule from the log alone and
hold every library run to it, and show the espionage case staying below large-scale.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.scenario.loader import load_scenario

from .conftest import ROOT, SCENARIOS

HISTORY = ROOT / "tests" / "data" / "history"


@cache
def run(path: Path, seed: int) -> tuple[Event, ...]:
    return tuple(Simulation(load_scenario(path), seed).run().events)


def check_ladder(events: tuple[Event, ...], crisis_member_states: int) -> None:
    """Every large-scale and cyber-crisis step has its ground in what the log shows was
    known at EU level at that moment."""
    told: set[str] = set()
    impacted: set[str] = set()  # significantly impacted, whether known or not
    overloaded: set[str] = set()
    level: dict[str, float] = {}
    for e in events:
        ms = e.member_state
        if e.kind == "csirts_network.informed" and ms:
            told.add(ms)
        elif e.kind == "adversary.impact" and ms:
            level[ms] = e.payload["level"]
            if e.payload.get("significant_impact"):
                impacted.add(ms)
        elif e.kind == "csirt.overloaded" and ms:
            overloaded.add(ms)
        elif e.kind == "classification.tier" and e.payload["tier"] in (
            "large_scale", "cyber_crisis"
        ) and e.payload["previous"] != "cyber_crisis":
            known = impacted & told
            assert len(known) >= 2 or known & overloaded, (
                f"{e.payload['tier']} at {e.t:g} ({e.payload['reason']}) with significant "
                f"impact known in {sorted(known)} only"
            )
            if e.payload["tier"] == "cyber_crisis":
                disrupted = [m for m in known if level.get(m, 0.0) > 0]
                assert len(disrupted) >= crisis_member_states, (
                    f"cyber crisis at {e.t:g} with {sorted(disrupted)} disrupted at once"
                )


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_step_up_the_ladder_has_its_legal_ground(path: Path) -> None:
    crisis = load_scenario(path).scenario.machinery.classification.cyber_crisis_member_states
    for seed in range(12):
        check_ladder(run(path, seed), crisis)


def test_espionage_that_disrupts_little_stays_significant() -> None:
    """The SolarWinds-shaped case: data stolen from ministries in two Member States, 5 % of
    services disrupted. Its entities report (the incidents are significant), the tier stops at
    `significant`, and EU-CyCLONe is not activated, since no decision asks for it."""
    path = HISTORY / "solarwinds.yaml"
    for seed in range(20):
        events = run(path, seed)
        tiers = [e.payload["tier"] for e in events if e.kind == "classification.tier"]
        assert "significant" in tiers and "large_scale" not in tiers, (seed, tiers)
        assert not [e for e in events if e.kind == "cyclone.activated"], seed
        impacts = [e for e in events if e.kind == "adversary.impact"]
        assert impacts and all(e.payload["significant"] for e in impacts if e.payload["level"])
        assert not any(e.payload["significant_impact"] for e in impacts)


def test_the_library_espionage_campaign_never_reaches_large_scale() -> None:
    """supply-chain-state-actor steals data in up to 19 Member States: significant everywhere,
    large-scale nowhere; EU-CyCLONe meets only when players raise the CSIRTs network's alert."""
    path = ROOT / "scenarios" / "supply-chain-state-actor.yaml"
    for seed in range(20):
        events = run(path, seed)
        assert max(
            (e.payload["tier"] for e in events if e.kind == "classification.tier"),
            key=["below_threshold", "significant", "large_scale", "cyber_crisis"].index,
        ) == "significant", seed
        for activation in (e for e in events if e.kind == "cyclone.activated"):
            raised = [e for e in events if e.kind == "csirts_network.alert"
                      and e.payload["reason"].startswith("decision") and e.t <= activation.t]
            assert raised, f"seed {seed}: EU-CyCLONe activated without a decision asking"


def test_entities_of_one_wave_do_not_peak_in_the_same_minute() -> None:
    """time_to_peak is drawn per entity (by default a triangular distribution around a day):
    the impact in a Member State climbs in steps, not all at once."""
    path = ROOT / "scenarios" / "ransomware-hospitals.yaml"
    events = run(path, 1)
    peaks: dict[tuple[str | None, str | None], set[float]] = {}
    for e in events:
        if e.kind == "adversary.impact" and e.payload["entities_disrupted"]:
            peaks.setdefault((e.subject, e.member_state), set()).add(e.t)
    several = [times for times in peaks.values() if len(times) > 1]
    assert len(several) >= len(peaks) // 2, peaks
