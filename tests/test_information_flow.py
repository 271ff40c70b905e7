"""Who knows what, when: the EU level acts on what national bodies have passed on.

An entity tells its national CSIRT (NIS2 Art 23); the CSIRT answers it and passes the incident
on to the CSIRTs network (``csirts_network.informed``: from here the EU level knows). Every EU
body that names Member States, and every step up the escalation ladder, must come at or after
the moment the network was told of each of them; EU-CyCLONe meets on a large-scale incident
only once the network has circulated its picture, unless a decision asked for it.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.engine.state import TIER_RANK
from simulator.scenario.conditions import MemberStatesAffected
from simulator.scenario.loader import load_scenario, parse_scenario

from .conftest import ROOT, SCENARIOS

#: the EU bodies' events that name the Member States they act on, and the field naming them
NAMING = {
    "classification.tier": "member_states",
    "cyclone.assessment": "member_states_affected",
    "ipcr.isaa_report": "member_states_affected",
    "csirts_network.alert": "member_states",
    "csirts_network.joint_statement": "member_states",
}


@cache
def run(index: int, seed: int) -> tuple[Event, ...]:
    return tuple(Simulation(load_scenario(SCENARIOS[index]), seed).run().events)


def informed(events: tuple[Event, ...]) -> dict[str, float]:
    first: dict[str, float] = {}
    for e in events:
        if e.kind == "csirts_network.informed" and e.member_state:
            first.setdefault(e.member_state, e.t)
    return first


def check_order(events: tuple[Event, ...]) -> None:
    told = informed(events)
    circulated = min((e.t for e in events if e.kind in (
        "csirts_network.alert", "csirts_network.indicators_shared")), default=None)
    for e in events:
        field = NAMING.get(e.kind)
        if field is not None:
            for ms in e.payload[field]:
                assert ms in told and told[ms] <= e.t, (
                    f"{e.kind} at {e.t:g} names {ms}, which the CSIRTs network was told of "
                    f"{'at ' + format(told[ms], 'g') if ms in told else 'never'}")
        if e.kind == "spoc.cross_border":
            for ms in (e.member_state, *e.payload["informed"]):
                if ms != "ENISA":
                    assert told.get(ms, float("inf")) <= e.t, (e.t, ms)
        if e.kind == "classification.tier" and TIER_RANK[e.payload["tier"]] >= 1:
            assert e.payload["member_states"] or "capacity" in e.payload["reason"], e.payload
        if e.kind == "cyclone.activated" and not e.payload["trigger"].startswith("request"):
            assert circulated is not None and circulated <= e.t, (
                f"EU-CyCLONe activated at {e.t:g} ({e.payload['trigger']}) before the CSIRTs "
                f"network circulated anything (first at {circulated})")
        if e.kind == "csirts_network.alert":
            count = re.match(r"(\d+) Member States? reporting", e.payload["reason"])
            if count:
                assert int(count.group(1)) == len(e.payload["member_states"]), e.payload


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_the_eu_level_acts_only_on_what_was_passed_on(index: int, seed: int) -> None:
    check_order(run(index, seed))


def test_every_library_scenario_over_thirty_seeds() -> None:
    """The rule over the whole library, as an officer watching 30 runs of each would see it."""
    for index in range(len(SCENARIOS)):
        for seed in range(1, 31):
            check_order(run(index, seed))


def test_a_count_of_member_states_is_of_what_is_known_unless_it_says_actual() -> None:
    """``member_states_affected_at_least`` counts what the EU level knows by default: an inject
    on it comes after that many national CSIRTs passed the incident on; ``basis: actual``
    counts compromises, seen or not."""
    text = (ROOT / "scenarios" / "ransomware-hospitals.yaml").read_bytes()
    scenario = parse_scenario(text, "ransomware-hospitals.yaml")
    [vendor] = [x for x in scenario.external_events if x.id == "EXT-VENDOR"]
    assert isinstance(vendor.when, MemberStatesAffected) and vendor.when.basis == "known"
    for seed in range(1, 11):
        events = Simulation(scenario, seed).run().events
        disclosed = next((e.t for e in events if e.kind == "external.vendor_disclosure"), None)
        told = sorted(informed(tuple(events)).values())
        if disclosed is None:
            assert len(told) < 3
            continue
        assert len(told) >= 3 and told[2] <= disclosed
    actual = parse_scenario(text.replace(
        b"when: {member_states_affected_at_least: 3}",
        b"when: {member_states_affected_at_least: {count: 3, basis: actual}}", 1),
        "ransomware-hospitals.yaml")
    for seed in range(1, 11):
        events = Simulation(actual, seed).run().events
        disclosed = next(e.t for e in events if e.kind == "external.vendor_disclosure")
        hit: dict[str, float] = {}
        for e in events:
            if e.kind == "entity.compromised" and e.member_state:
                hit.setdefault(e.member_state, e.t)
        assert sorted(hit.values())[2] == disclosed, "on the third compromise, seen or not"


def scenario_reserve(events: tuple[Event, ...]) -> bool:
    """Whether the run's scenario has a Reserve (read from the library by the run's id)."""
    scenario_id = events[0].payload["scenario"]
    return load_scenario(ROOT / "scenarios" / f"{scenario_id}.yaml").scenario.machinery \
        .reserve.capacity > 0


def check_products(events: tuple[Event, ...]) -> None:
    """Bodies' products need their inputs."""
    exchanged = False
    assessed = {"EU-CyCLONe": False, "EU INTCEN": False}
    known: set[str] = set()
    recovered: set[str] = set()
    disclosures = [e for e in events if e.kind == "external.vendor_disclosure"]
    for e in events:
        if e.kind == "csirts_network.indicators_shared":
            exchanged = True
        elif e.kind == "csirts_network.joint_statement":
            assert exchanged, (
                f"a joint statement at {e.t:g} sums up no technical exchange: {e.payload}")
        elif e.kind == "cyclone.assessment":
            assessed["EU-CyCLONe"] = True
            assert e.payload["number"] == 1 or not (known and known <= recovered), (
                f"EU-CyCLONe assesses at {e.t:g} after every entity it knows of recovered")
        elif e.kind == "intcen.assessment":
            assessed["EU INTCEN"] = True
        elif e.kind == "ipcr.isaa_report":
            for source, produced in assessed.items():
                assert produced or source not in e.payload["input"], (
                    f"the ISAA report at {e.t:g} cites {source}, which has produced nothing")
        elif e.kind in ("entity.early_warning", "entity.notification"):
            known.add(e.payload["entity"])
        elif e.kind == "entity.recovered":
            recovered.add(e.payload["entity"])
    requested = [e.payload["request"] for e in events if e.kind == "reserve.requested"]
    answers = [e.payload["request"] for e in events if e.kind in (
        "reserve.deployed", "reserve.refused", "reserve.queued_at_end")]
    assert sorted(answers) == sorted(requested), "every Reserve request answered, once"
    for e in events:
        if e.kind == "reserve.refused":
            assert "already" not in e.payload["reason"], e.payload
        if e.kind == "cyclone.assessment" and not scenario_reserve(events):
            assert not any("Reserve" in m for m in e.payload["mitigations"])
    for disclosure in disclosures:
        assert any(e.kind == "csirts_network.indicators_shared" and e.t >= disclosure.t
                   and e.payload.get("on") for e in events), (
            f"the vendor's disclosure at {disclosure.t:g} started no exchange in the network")


@settings(max_examples=30, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_products_need_their_inputs(index: int, seed: int) -> None:
    """A joint statement sums up a technical exchange (on members' reports or on a vendor's
    disclosure); an ISAA report
    cites EU-CyCLONe and EU INTCEN once they have produced something; a vendor's disclosure
    starts the network's exchange on it; EU-CyCLONe stops assessing once every entity it knows
    of has recovered (counting those that recovered before they reported), and proposes the
    Reserve only where there is one; every Reserve request is answered once: deployed,
    refused with its reason, or still queued at the end."""
    check_products(run(index, seed))


def test_without_a_reserve_it_is_never_proposed_and_every_request_is_refused() -> None:
    loaded = load_scenario(ROOT / "scenarios" / "ransomware-hospitals.yaml")
    scenario = loaded.scenario
    machinery = scenario.machinery.model_copy(
        update={"reserve": scenario.machinery.reserve.model_copy(update={"capacity": 0})})
    none = scenario.model_copy(update={"machinery": machinery})
    proposals = requests = 0
    for seed in range(1, 16):
        events = Simulation(none, seed).run().events
        for e in events:
            if e.kind == "cyclone.assessment":
                proposals += sum("Reserve" in m for m in e.payload["mitigations"])
            if e.kind == "reserve.requested":
                requests += 1
        refused = [e for e in events if e.kind == "reserve.refused"]
        assert len(refused) == sum(e.kind == "reserve.requested" for e in events)
    assert proposals == 0 and requests > 0, "requests are still made, and refused"


def check_adversary(events: tuple[Event, ...], scenario_waves: dict[str, float]) -> None:
    """A wave that does not spread (``spread.probability: 0``) stays in its first targets
    whatever the escalation; the adversary reacts to EU measures only while its campaign goes
    on (a wave to come, an effect still felt, or compromises still to happen)."""
    started = {e.subject: set(e.payload["targets"]) for e in events
               if e.kind == "adversary.wave_started"}
    for e in events:
        if (e.kind == "entity.compromised" and scenario_waves.get(str(e.subject)) == 0.0
                and e.member_state is not None):  # None: a Union entity, hit at the start
            assert e.member_state in started[e.subject], (
                f"wave {e.subject} spread to {e.member_state} with probability 0")
    for i, e in enumerate(events):
        if e.kind in ("adversary.deterred", "adversary.escalated"):
            impact: dict[str, float] = {}
            for earlier in events[:i]:
                if earlier.kind == "adversary.impact" and earlier.member_state:
                    impact[earlier.member_state] = float(earlier.payload["level"])
            later = events[i + 1:]
            assert (any(v > 0 for v in impact.values())
                    or any(x.kind in ("adversary.wave_started", "entity.compromised")
                           for x in later)), f"{e.kind} at {e.t:g}, the campaign long over"


@settings(max_examples=25, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_the_adversary_keeps_to_its_waves(index: int, seed: int) -> None:
    scenario = load_scenario(SCENARIOS[index]).scenario
    waves = {w.id: w.spread.probability for w in scenario.campaign.waves}
    check_adversary(run(index, seed), waves)


@settings(max_examples=20, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_the_first_isaa_report_comes_after_its_preparation(index: int, seed: int) -> None:
    """Not in the minute IPCR moves to information sharing: within the preparation time the
    scenario allows (by default 6 hours to a day)."""
    events = run(index, seed)
    timing = load_scenario(SCENARIOS[index]).scenario.timings.isaa_first_report
    low, high = timing.low, timing.high  # type: ignore[attr-defined]
    sharing = next((e.t for e in events if e.kind == "ipcr.mode"
                    and e.payload["mode"] in ("information_sharing", "full_activation")), None)
    first = next((e.t for e in events if e.kind == "ipcr.isaa_report"), None)
    if sharing is None:
        assert first is None
    elif first is not None:
        assert low <= first - sharing <= high, (sharing, first)


@settings(max_examples=20, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_isaa_reports_run_only_while_ipcr_shares_information(index: int, seed: int) -> None:
    """ISAA reports come while IPCR is at information sharing or above; stepped back (the
    incident over, or a decision), they stop."""
    mode = "none"
    for e in run(index, seed):
        if e.kind == "ipcr.mode":
            mode = e.payload["mode"]
        elif e.kind == "ipcr.isaa_report":
            assert mode in ("information_sharing", "full_activation"), (e.t, mode)


@settings(max_examples=20, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 10_000))
def test_fimi_reach_saturates(index: int, seed: int) -> None:
    """A narrative's reach never passes its track's saturation."""
    track = load_scenario(SCENARIOS[index]).scenario.campaign.fimi
    for e in run(index, seed):
        if e.kind == "fimi.amplified":
            assert track is not None and e.payload["reach"] <= track.saturation, e.payload


def test_a_low_saturation_caps_the_reach() -> None:
    """With saturation 2, narratives reach 2 and stop there (the library's runs stay below
    their default of 12; this is where the cap bites)."""
    loaded = load_scenario(ROOT / "scenarios" / "energy-wiper-fimi.yaml")
    scenario = loaded.scenario
    assert scenario.campaign.fimi is not None
    fimi = scenario.campaign.fimi.model_copy(update={"saturation": 2, "amplification": 1.0})
    capped = scenario.model_copy(update={"campaign": scenario.campaign.model_copy(
        update={"fimi": fimi})})
    reaches = [e.payload["reach"] for seed in range(1, 6)
               for e in Simulation(capped, seed).run().events if e.kind == "fimi.amplified"]
    assert reaches and max(reaches) == 2
