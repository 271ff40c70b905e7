"""Property tests of the engine's invariants over every library scenario and many seeds.

Each run-based test is parametrized by scenario and draws seeds from the whole 32-bit range;
the number of examples scales with the hypothesis profile of ``conftest.py`` (dev or CI), so a
scenario gets a handful of seeds on a laptop and more in CI. The rule functions of the actors
(veto, classification, INTCEN, the Reserve, proportionality) are tested on their own, with
explicit random generators and no SimPy.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import random
import subprocess
import sys
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st

from actors.classification import classify
from actors.council import veto_probability, vote
from actors.intcen import assessment
from actors.reserve import rank
from actors.rules import COUNCIL_BODIES, missing_prerequisites, proportionate
from simulator.engine import Simulation
from simulator.engine.records import Event, read_log, write_log
from simulator.engine.simulation import RunResult
from simulator.engine.state import IPCR_RANK, TIER_RANK, State
from simulator.engine.streams import Streams
from simulator.scenario.checks import _Checker
from simulator.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from simulator.scenario.models import Scenario
from simulator.scenario.reference import (
    IPCR_MODES,
    MEMBER_STATES,
    NIS2_ANNEX_I,
    SECTORS,
    TIERS,
)
from simulator.scenario.yamlread import read_yaml

from .conftest import ROOT, SCENARIOS

seeds = st.integers(0, 2**32 - 1)
CODES = sorted(MEMBER_STATES)
FIELDS = ["t", "kind", "actor", "subject", "member_state", "payload"]

#: the profile's example count (dev 60, CI 150); run-based tests take a share of it per scenario
PROFILE_EXAMPLES = settings().max_examples


def per_scenario(share: float) -> settings:
    """Examples for one scenario of a run-based test: a share of the profile's budget. No
    shrinking: a smaller seed is not a simpler case, and each try is a whole run."""
    return settings(
        max_examples=max(2, round(PROFILE_EXAMPLES * share)),
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )


by_scenario = pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)


@cache
def loaded(path: Path) -> LoadedScenario:
    return load_scenario(path)


@lru_cache(maxsize=128)
def run(path: Path, seed: int) -> RunResult:
    """A headless run, shared between the tests that only read its log."""
    return Simulation(loaded(path), seed).run()


def fresh_jsonl(scenario: Scenario | LoadedScenario, seed: int) -> str:
    """The JSON Lines of a new run (never the cached one)."""
    return "\n".join(e.to_json() for e in Simulation(scenario, seed).run().events)


# --------------------------------------------------------------------------------------------
# determinism


@by_scenario
@per_scenario(0.03)
@given(seed=seeds, other=seeds)
def test_same_scenario_and_seed_give_the_same_bytes(path, seed, other):
    """A run is a pure function of (scenario, seed): two runs give byte-identical JSON Lines,
    even with another run in between and the global generator disturbed."""
    scenario = loaded(path)
    first = fresh_jsonl(scenario, seed)
    random.seed(other)  # nothing may read the global generator
    fresh_jsonl(loaded(SCENARIOS[other % len(SCENARIOS)]), other)
    assert fresh_jsonl(scenario, seed) == first


@by_scenario
@per_scenario(0.03)
@given(seed=seeds)
def test_a_run_leaves_the_global_generator_alone(path, seed):
    """Randomness comes from named streams only: a run never touches Python's global random."""
    random.seed(seed)
    before = random.getstate()
    Simulation(loaded(path), seed).run()
    assert random.getstate() == before


@by_scenario
@per_scenario(0.03)
@given(a=seeds, b=seeds)
def test_different_seeds_give_different_logs(path, a, b):
    """Every library scenario is stochastic, so two distinct seeds give two different logs."""
    assume(a != b)
    lines_a = [e.to_json() for e in run(path, a).events[1:]]  # run.started names the seed
    lines_b = [e.to_json() for e in run(path, b).events[1:]]
    assert lines_a != lines_b


_DIGESTS = """
import hashlib, sys
from simulator.engine import Simulation
from simulator.scenario.loader import load_scenario
for path in sys.argv[1:]:
    for seed in (0, 7, 4294967295):
        log = "\\n".join(e.to_json() for e in Simulation(load_scenario(path), seed).run().events)
        print(hashlib.sha256(log.encode()).hexdigest())
"""


def test_logs_do_not_depend_on_the_process_hash_seed():
    """Byte-identical logs in other processes, whatever their hash seed: nothing depends on
    the order of a set of strings or on anything else that differs between processes."""
    paths = [str(p) for p in SCENARIOS]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _DIGESTS, *paths],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        )
        for hash_seed in ("1", "2")
    ]
    outputs = [worker.communicate(timeout=120)[0].split() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    here = [
        hashlib.sha256("\n".join(e.to_json() for e in run(p, seed).events).encode()).hexdigest()
        for p in SCENARIOS
        for seed in (0, 7, 4294967295)
    ]
    assert outputs[0] == outputs[1] == here


# --------------------------------------------------------------------------------------------
# the shape of a run


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_every_run_completes(path, seed):
    """No seed makes the machinery fail: the run completes and logs no run.failed."""
    result = run(path, seed)
    assert result.status == "completed", result.error
    assert result.error is None
    assert not [e for e in result.events if e.kind == "run.failed"]


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_time_runs_forward_within_the_exercise(path, seed):
    """The log opens with run.started, closes with run.ended, and its times never decrease
    nor pass the end of the exercise."""
    events = run(path, seed).events
    duration = loaded(path).scenario.metadata.duration
    assert events[0].kind == "run.started"
    assert events[-1].kind == "run.ended"
    assert [e.kind for e in events].count("run.started") == 1
    assert [e.kind for e in events].count("run.ended") == 1
    times = [e.t for e in events]
    assert all(0 <= t <= duration for t in times)
    assert all(a <= b for a, b in itertools.pairwise(times))


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_every_inject_is_delivered_or_skipped_exactly_once(path, seed):
    """Each inject of the MSEL (contingency ones too) is delivered once or skipped once,
    never both, never twice, and no other inject appears."""
    events = run(path, seed).events
    injects = [i.id for i in loaded(path).scenario.all_injects()]
    delivered = [e.subject for e in events if e.kind == "inject.delivered"]
    skipped = [e.subject for e in events if e.kind == "inject.skipped"]
    assert sorted(delivered + skipped) == sorted(injects)


# --------------------------------------------------------------------------------------------
# the rules of the machinery, read from the log


def check_prerequisites(events: list[Event], scenario: Scenario) -> None:
    """Assert that each adopted measure had its prerequisites in the state just before it,
    and that a proposal records what is missing at that moment and is blocked at once if
    anything is."""
    catalogue = scenario.toolbox.catalogue()
    for i, event in enumerate(events):
        if event.kind not in ("measure.adopted", "measure.proposed"):
            continue
        state = State.from_events(events[:i])
        # a declaration held for a public attribution awaits the attribution it needs
        held = event.kind == "measure.proposed" and event.payload["align_with_partners"]
        missing = missing_prerequisites(catalogue[event.subject], state, scenario,
                                        awaiting_attribution=held)
        if event.kind == "measure.adopted":
            assert not missing, f"{event.subject} adopted at t={event.t} without {missing}"
            continue
        assert list(event.payload["missing"]) == missing, f"proposal of {event.subject}"
        following = [e for e in events[i + 1 :] if e.subject == event.subject]
        if missing:
            assert following and following[0].kind == "measure.blocked"
            assert following[0].t == event.t


def check_unanimity(events: list[Event], scenario: Scenario) -> None:
    """Assert that Council-chain adoptions follow a unanimous vote and vetoes a failed one."""
    catalogue = scenario.toolbox.catalogue()
    last: dict[str, Event] = {}  # the latest event about each subject
    votes: dict[tuple[str, float, int], Event] = {}
    vetoes: dict[tuple[str, float, int], list[str]] = {}
    for event in events:
        if event.kind == "council.vote":
            assert (event.payload["outcome"] == "adopted") == (not event.payload["vetoes"])
            assert list(event.payload["vetoes"]) == sorted(event.payload["vetoes"])
            votes[(event.subject, event.t, event.payload["round"])] = event
        elif event.kind == "member_state.veto":
            key = (event.subject, event.t, event.payload["round"])
            vote_ = votes.get(key)
            assert vote_ is not None, f"veto by {event.member_state} without a vote: {key}"
            assert vote_.payload["outcome"] == "failed"
            assert event.member_state in vote_.payload["vetoes"]
            vetoes.setdefault(key, []).append(event.member_state)
        elif (
            event.kind == "measure.adopted"
            and catalogue[event.subject].decision_body in COUNCIL_BODIES
        ):
            before = last.get(event.subject)
            assert before is not None and before.kind == "council.vote", (
                f"{event.subject} adopted at t={event.t} after {before}, not after a vote"
            )
            assert before.t == event.t
            assert before.payload["outcome"] == "adopted"
            assert not before.payload["vetoes"]
        if event.subject is not None:
            last[event.subject] = event
    for key, vote_ in votes.items():
        assert sorted(vetoes.get(key, [])) == list(vote_.payload["vetoes"]), key


def check_ipcr_ladder(events: list[Event]) -> None:
    """Assert that IPCR rises one rung at a time except by Art 222, straight to full."""
    mode = "none"
    art222_at: set[float] = set()
    for event in events:
        if event.kind == "treaty.art222_invoked":
            art222_at.add(event.t)
        if event.kind != "ipcr.mode":
            continue
        payload = event.payload
        assert payload["previous"] == mode, "each change starts from the mode in force"
        assert payload["mode"] != mode
        rise = IPCR_RANK[payload["mode"]] - IPCR_RANK[mode]
        if payload["via"] == "art_222":
            assert payload["mode"] == "full_activation"
            assert event.t in art222_at, "a jump via Art 222 follows its invocation"
        else:
            assert rise <= 1, f"{mode} -> {payload['mode']} at t={event.t}"
        mode = payload["mode"]


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_no_measure_is_adopted_without_its_prerequisites(path, seed):
    """At the moment a measure is adopted, the state rebuilt from the log before it satisfies
    every prerequisite of that measure."""
    check_prerequisites(run(path, seed).events, loaded(path).scenario)


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_council_decisions_are_unanimous(path, seed):
    """A measure of the Council chain is adopted only right after a unanimous vote on it, and
    every veto belongs to a failed vote at the same moment."""
    check_unanimity(run(path, seed).events, loaded(path).scenario)


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_the_council_judges_proportionality_as_it_stands_at_the_vote(path, seed):
    """Each vote weighs the measure's proportionality on the state at that moment (partners
    may have attributed since it was proposed), not as it stood at the proposal."""
    scenario = loaded(path).scenario
    catalogue = scenario.toolbox.catalogue()
    state = State()
    for event in run(path, seed).events:
        if event.kind == "council.vote":
            fits, _ = proportionate(catalogue[event.subject], state)
            assert event.payload["proportionate"] == fits, (event.subject, event.t)
        state.apply(event)


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_ipcr_climbs_its_ladder_one_rung_at_a_time(path, seed):
    """IPCR modes rise one rung at a time (none, monitoring, information sharing, full
    activation); only the solidarity clause jumps, and only to full activation."""
    check_ipcr_ladder(run(path, seed).events)


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_eu_bodies_act_on_what_was_reported(path, seed):
    """The machinery acts on reports, not on the adversary's success: what the classification,
    EU-CyCLONe, the ISAA reports and the SPoCs name as affected or significant has reported
    (an early warning or a notification) before, and a SPoC informs others only once two
    Member States have reported. EU-CyCLONe's impact is of the Member States whose CSIRTs
    passed the incident on (tests/test_information_flow.py holds the EU level to that)."""
    reported: set[str] = set()
    told: set[str] = set()
    impact: dict[str, float] = {}
    for event in run(path, seed).events:
        payload = event.payload
        if event.kind in ("entity.early_warning", "entity.notification") and event.member_state:
            reported.add(event.member_state)
        if event.kind == "csirts_network.informed" and event.member_state:
            told.add(event.member_state)
        if event.kind == "adversary.impact":
            impact[event.member_state] = payload["level"]
        named: set[str] = set()
        if event.kind == "classification.tier":
            named = set(payload["member_states"])
        elif event.kind == "cyclone.assessment":
            named = set(payload["member_states_affected"]) | set(payload["significant"])
            known = [impact[ms] for ms in told if ms in impact]
            assert payload["impact"] == round(max(known, default=0.0), 4), "impact it knows"
        elif event.kind == "ipcr.isaa_report":
            named = set(payload["member_states_affected"])
        elif event.kind == "spoc.cross_border":
            assert len(reported) >= 2, f"cross-border at t={event.t} on {reported}"
            named = set(payload["informed"]) - {"ENISA"}
        assert named <= reported, f"{event.kind} at t={event.t} names {named - reported}"


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_full_activation_is_a_decision_or_art_222(path, seed):
    """No cyber incident has led to IPCR full activation yet: unless a scenario opts in, it
    comes only from a decision point or the solidarity clause."""
    assert not loaded(path).scenario.machinery.ipcr_automatic_full_activation
    for event in run(path, seed).events:
        if event.kind == "ipcr.mode" and event.payload["mode"] == "full_activation":
            assert event.payload["via"] == "art_222" or event.payload["reason"].startswith(
                "decision "
            ), event.payload


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_waves_reach_only_their_sectors_and_those_they_spread_into(path, seed):
    """An entity is compromised in one of its wave's target sectors or in a sector the wave
    has spread into before (``spread.sectors``), and a sector spread reaches every Member
    State the wave had reached."""
    waves = {w.id: w for w in loaded(path).scenario.campaign.waves}
    sectors = {w: set(wave.targets.sectors) for w, wave in waves.items()}
    reached: dict[str, set[str]] = {w: set() for w in waves}
    owed: dict[tuple[str, str], set[str]] = {}
    for event in run(path, seed).events:
        wave, payload = event.subject, event.payload
        if event.kind == "entity.compromised":
            assert payload["sector"] in sectors[wave], (wave, payload["sector"])
            reached[wave].add(event.member_state)
            owed.get((wave, payload["sector"]), set()).discard(event.member_state)
        elif event.kind == "adversary.spread" and payload["sector"] is not None:
            assert payload["sector"] in waves[wave].spread.sectors
            assert payload["sector"] not in sectors[wave]
            sectors[wave].add(payload["sector"])
            owed[(wave, payload["sector"])] = set(reached[wave])
    assert not {k: v for k, v in owed.items() if v}, "a sector spread left out a Member State"


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_an_incident_review_needs_the_approval_of_those_concerned(path, seed):
    """One incident review per incident; the answers come after the request and split the
    Member States concerned; ENISA's report covers only those that approved."""
    events = run(path, seed).events
    review = [e for e in events if e.kind.startswith("incident_review.")
              and e.kind != "incident_review.joined"]
    kinds = [e.kind for e in review]
    assert kinds == ["incident_review.requested", "incident_review.approval",
                     "incident_review.completed"][: len(kinds)], kinds
    for joined in (e for e in events if e.kind == "incident_review.joined"):
        assert review and review[0].t <= joined.t, "a request joins one made before it"
    if len(review) >= 2:
        asked, answer = review[0].payload, review[1].payload
        assert review[1].t >= review[0].t
        assert sorted(answer["approved"] + answer["declined"]) == asked["member_states"]
    if len(review) == 3:
        assert review[2].payload["member_states"] == review[1].payload["approved"] != []


@per_scenario(0.1)
@given(seed=seeds)
def test_enisa_reports_on_the_member_states_that_approved(seed):
    """With the review brought inside the exercise, ENISA's report follows the answers by
    ``timings.incident_review`` and covers exactly the Member States that approved; with no
    approval at all, there is no report."""
    data = copy.deepcopy(_library_data(ROOT / "scenarios" / "presidency-ddos.yaml"))
    data["timings"]["incident_review"] = {"kind": "uniform", "low": "2h", "high": "4h"}
    data.setdefault("machinery", {}).setdefault("reserve", {})["review_approval"] = 0.5
    data["decision_points"].append({
        "id": TEST_POINT, "prompt": "Review?", "decided_by": "presidency", "at": "1d",
        "deliberation": "0m",  # the request at 1d, not after the policy's deliberation
        "options": [{"id": "act", "label": "Ask ENISA",
                     "effects": [{"request_incident_review": "commission"},
                                 {"request_incident_review": "cyclone"}]},
                    {"id": "hold", "label": "Do not"}],
        "default": "act",
    })
    text = json.dumps(data, default=lambda v: v.isoformat())
    events = Simulation(parse_scenario(text.encode(), "variant.yaml"), seed).run().events
    review = {e.kind: e for e in events if e.kind.startswith("incident_review.")}
    assert review["incident_review.requested"].t <= 1440, "one review, the first request's"
    joined = [e for e in events if e.kind == "incident_review.joined"]
    assert any(e.payload["requested_by"] == "cyclone" and e.t == 1440 for e in joined), (
        "the second request joins the first"
    )
    answer = review["incident_review.approval"]
    if answer.payload["approved"]:
        report = review["incident_review.completed"]
        assert answer.t + 120 <= report.t <= answer.t + 240 + 1e-6
        assert report.payload["member_states"] == answer.payload["approved"]
    else:
        assert "incident_review.completed" not in review


@per_scenario(0.1)
@given(seed=seeds)
def test_automatic_full_activation_counts_from_information_sharing(seed):
    """Where a scenario lets the Presidency fully activate IPCR by itself, it does so during a
    cyber crisis, ``ipcr_full_activation`` after information sharing began (or at once, if
    the crisis comes later than that), along the ladder."""
    data = copy.deepcopy(_library_data(ROOT / "scenarios" / "library-vulnerability.yaml"))
    data.setdefault("machinery", {})["ipcr_automatic_full_activation"] = True
    # a crisis this scenario does not reach by itself: serious risks in two Member States
    data["machinery"]["classification"] = {
        "cyber_crisis_member_states": 2, "cyber_crisis_disruption": 0.5,
    }
    data.setdefault("timings", {})["ipcr_full_activation"] = {
        "kind": "uniform", "low": "1h", "high": "2h",
    }
    text = json.dumps(data, default=lambda v: v.isoformat())
    events = Simulation(parse_scenario(text.encode(), "variant.yaml"), seed).run().events
    modes = {e.payload["mode"]: e for e in events if e.kind == "ipcr.mode"}
    crisis = next(e.t for e in events if e.kind == "classification.tier"
                  and e.payload["tier"] == "cyber_crisis")
    sharing = modes["information_sharing"].t
    full = modes["full_activation"]
    assert full.payload["via"] == "presidency" and full.payload["previous"] == (
        "information_sharing"
    )
    assert sharing + 60 <= full.t <= max(sharing + 120, crisis) + 1e-6
    if crisis < sharing + 60:
        assert full.t <= sharing + 120 + 1e-6


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_every_reserve_request_is_answered_once(path, seed):
    """Each Reserve request is answered once: deployed (then released), refused with its
    reason (never because another request of the same Member State is queued), or still
    queued at the end."""
    answered: dict[str, str] = {}
    for event in run(path, seed).events:
        payload = event.payload
        if event.kind == "reserve.requested":
            assert payload["request"] not in answered
            answered[payload["request"]] = "requested"
        elif event.kind in ("reserve.deployed", "reserve.refused", "reserve.queued_at_end"):
            assert answered.get(payload["request"]) == "requested", payload
            answered[payload["request"]] = event.kind
            assert "already" not in payload.get("reason", "")
        elif event.kind == "reserve.released":
            assert answered[payload["request"]] == "reserve.deployed"
    assert "requested" not in answered.values(), "every request has its answer"


# -- scenario variants: one more decision point, taken at a drawn moment ----------------------

TEST_POINT = "DP-TEST"
#: the Council chain compressed to hours, so measures reach their votes inside any exercise
FAST_COUNCIL = {
    stage: {"kind": "uniform", "low": "30m", "high": "6h"}
    for stage in ("hwpci", "psc", "coreper", "council", "council_renegotiation")
}


@cache
def _library_data(path: Path) -> dict[str, Any]:
    return read_yaml(path.read_bytes(), str(path)).data


def variant(
    path: Path,
    at: int,
    effects: list[dict[str, Any]],
    fast_council: bool = False,
    veto_propensity: float | None = None,
) -> Scenario:
    """The library scenario with one more decision point, whose default option has
    ``effects``, at ``at`` minutes; optionally a fast Council and a default veto propensity.
    Edited as data, then validated like any scenario file by ``parse_scenario`` (the text is
    JSON, which is YAML, and much faster to write than YAML)."""
    data = copy.deepcopy(_library_data(path))
    data.setdefault("decision_points", []).append(
        {
            "id": TEST_POINT,
            "prompt": "A decision added by the property tests",
            "decided_by": "presidency",
            "at": f"{at}m",
            "deliberation": "0m",  # taken at ``at`` itself, not after a deliberation
            "options": [
                {"id": "act", "label": "Act", "effects": effects},
                {"id": "hold", "label": "Do nothing"},
            ],
            "default": "act",
        }
    )
    if fast_council:
        data.setdefault("timings", {}).update(copy.deepcopy(FAST_COUNCIL))
    if veto_propensity is not None:
        world = data.setdefault("world", {})
        world.setdefault("default_profile", {})["veto_propensity"] = veto_propensity
    text = json.dumps(data, default=lambda v: v.isoformat())
    return parse_scenario(text.encode(), f"{path.name} (variant)")


def run_variant(scenario: Scenario, seed: int, at: int) -> list[Event]:
    result = Simulation(scenario, seed).run()
    assert result.status == "completed", result.error
    made = [e for e in result.events if e.kind == "decision.made" and e.subject == TEST_POINT]
    assert [(e.t, e.payload["option"]) for e in made] == [(at, "act")]
    return result.events


moments = st.floats(0, 1, exclude_max=True)  # a fraction of the exercise: never at its end


@by_scenario
@per_scenario(0.03)
@given(seed=seeds, when=moments, member_state=st.sampled_from(CODES))
def test_art_222_takes_ipcr_straight_to_full_activation(path, seed, when, member_state):
    """When a Member State invokes the solidarity clause, IPCR goes to full activation at
    once, in one step marked via art_222, whatever mode it was in."""
    at = int(when * loaded(path).scenario.metadata.duration)
    effect = {"invoke": {"clause": "art_222", "member_state": member_state}}
    events = run_variant(variant(path, at, [effect]), seed, at)
    check_ipcr_ladder(events)
    index = next(i for i, e in enumerate(events) if e.kind == "treaty.art222_invoked")
    invoked = events[index]
    assert invoked.t <= at
    before = State.from_events(events[:index]).ipcr_mode
    changes = [e for e in events[index:] if e.kind == "ipcr.mode"]
    if before == "full_activation":
        assert not changes or changes[0].payload["via"] != "art_222"
        return
    assert changes, "the invocation must move IPCR"
    jump = changes[0]
    assert jump.t == invoked.t
    assert jump.payload["mode"] == "full_activation"
    assert jump.payload["previous"] == before
    assert jump.payload["via"] == "art_222"
    assert all(e.t > jump.t for e in changes[1:]), "one step, no rungs climbed beside it"


@by_scenario
@per_scenario(0.03)
@given(seed=seeds, when=moments, mode=st.sampled_from(IPCR_MODES))
def test_an_ipcr_request_is_honoured_along_the_ladder(path, seed, when, mode):
    """A decision that asks for a higher IPCR mode is climbed to, rung by rung at that
    moment; one that asks for a lower mode steps down to it; either way the ladder holds."""
    at = int(when * loaded(path).scenario.metadata.duration)
    events = run_variant(variant(path, at, [{"ipcr_mode": mode}]), seed, at)
    check_ipcr_ladder(events)
    index = next(
        i for i, e in enumerate(events) if e.kind == "decision.made" and e.subject == TEST_POINT
    )
    before = State.from_events(events[: index + 1]).ipcr_mode
    steps = [
        e.payload["mode"]
        for e in events[index + 1 :]
        if e.kind == "ipcr.mode" and e.t == at and e.payload["reason"] == f"decision {TEST_POINT}"
    ]
    low, high = IPCR_RANK[before], IPCR_RANK[mode]
    if high > low:
        assert steps == list(IPCR_MODES[low + 1 : high + 1])
    elif high < low:
        assert steps == [mode]
    else:
        assert steps == []


@by_scenario
@per_scenario(0.05)
@given(
    seed=seeds,
    when=moments,
    pick=st.integers(0, 99),
    align=st.booleans(),
    fast=st.booleans(),
    propensity=st.sampled_from([None, 0.01, 0.05, 0.2]),
)
def test_a_measure_proposed_at_any_moment_keeps_the_rules(
    path, seed, when, pick, align, fast, propensity
):
    """Whatever measure is proposed, whenever, however fast the Council works and however
    ready Member States are to block, none is adopted without its prerequisites or without a
    unanimous vote."""
    scenario = loaded(path).scenario
    measures = sorted(scenario.toolbox.catalogue())
    measure = measures[pick % len(measures)]
    at = int(when * scenario.metadata.duration)
    effect = {"propose_measure": {"id": measure, "align_with_partners": align}}
    changed = variant(path, at, [effect], fast_council=fast, veto_propensity=propensity)
    events = run_variant(changed, seed, at)
    proposed = [e for e in events if e.kind == "measure.proposed" and e.subject == measure]
    assert proposed, f"{measure} was proposed at t={at}"
    check_prerequisites(events, changed)
    check_unanimity(events, changed)


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_classification_climbs_one_tier_at_a_time(path, seed):
    """The tier rises one rung per event: below threshold, significant, large-scale, cyber
    crisis; it falls only back below the threshold, in one step, once every entity that
    reported has recovered and no Member State known at EU level is still disrupted."""
    events = run(path, seed).events
    current = "below_threshold"
    reported: set[str] = set()
    recovered: set[str] = set()
    impact: dict[str, float] = {}
    for e in events:
        if e.kind in ("entity.early_warning", "entity.notification"):
            reported.add(e.payload["entity"])
        elif e.kind == "entity.recovered":
            recovered.add(e.payload["entity"])
        elif e.kind == "adversary.impact" and e.member_state:
            impact[e.member_state] = float(e.payload["level"])
        elif e.kind == "classification.tier":
            payload = e.payload
            assert payload["previous"] == current
            if payload["tier"] == "below_threshold":
                assert current != "below_threshold" and reported <= recovered, payload
                assert "recovered" in payload["reason"]
            else:
                assert TIER_RANK[payload["tier"]] == TIER_RANK[current] + 1
            current = payload["tier"]


# --------------------------------------------------------------------------------------------
# the vocabulary of the log and its JSON form


@by_scenario
@per_scenario(0.06)
@given(seed=seeds)
def test_kinds_and_subjects_are_the_documented_ones(path, seed):
    """In the namespaces that conditions can filter by subject, every subject is an id the
    scenario defines for that namespace (the kernel itself refuses unlisted kinds)."""
    subjects = _Checker(loaded(path).scenario).subjects
    for event in run(path, seed).events:
        namespace = event.kind.split(".", 1)[0]
        if event.subject is not None and namespace in subjects:
            what, known = subjects[namespace]
            assert event.subject in known, f"{event.kind} about unknown {what} {event.subject!r}"


@by_scenario
@per_scenario(0.03)
@given(seed=seeds)
def test_the_json_lines_round_trip(path, seed, tmp_path_factory):
    """A written log reads back to events whose as_dict() equals the originals' (times are
    rounded to 1e-4 minute there and in the JSON, as records.py promises, and stay in order);
    lines have the fixed field order and sorted payload keys, and write back byte for byte."""
    result = run(path, seed)
    folder = tmp_path_factory.mktemp("logs")
    first, second = folder / "first.jsonl", folder / "second.jsonl"
    result.write(first)
    back = read_log(first)
    assert [e.as_dict() for e in back] == [e.as_dict() for e in result.events]
    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(result.events)
    times = []
    for line, event in zip(lines, result.events, strict=True):
        data = json.loads(line)
        assert list(data) == FIELDS
        assert list(data["payload"]) == sorted(data["payload"])
        assert isinstance(data["t"], float) and data["t"] == round(event.t, 4)
        assert abs(data["t"] - event.t) <= 0.5e-4
        times.append(data["t"])
    assert times == sorted(times)
    with open(second, "w", encoding="utf-8", newline="\n") as out:
        write_log(back, out)
    assert second.read_bytes() == first.read_bytes()


@given(
    seed=seeds,
    names=st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=2, unique=True),
    extra=st.integers(1, 40),
    n=st.integers(1, 20),
    create_first=st.booleans(),
)
def test_streams_are_independent(seed, names, extra, n, create_first):
    """Draws from one named stream never shift another: a stream's numbers depend only on
    (seed, name), not on other streams, their draws or the order they were created in."""
    one, other = names
    alone = Streams(seed)
    expected = [alone(other).random() for _ in range(n)]
    busy = Streams(seed)
    if create_first:
        busy(other)
    got = []
    for _ in range(n):
        for _ in range(extra):
            busy(one).random()
        got.append(busy(other).random())
    assert got == expected
    assert Streams(seed)(one).random() != expected[0], "distinct names, distinct streams"
    assert Streams(seed ^ 1)(other).random() != expected[0], "distinct seeds, distinct streams"


# --------------------------------------------------------------------------------------------
# the rule functions, without SimPy


vetoes = {
    "base": st.floats(0.01, 1),
    "needed_grade": st.none() | st.integers(0, 4),
    "basis": st.integers(-1, 4),
    "tier_rank": st.integers(0, 3),
    "partners_attributed": st.booleans(),
    "proportionate": st.booleans(),
    "round_": st.integers(1, 6),
    "held": st.booleans(),
}


def _veto(args: dict[str, Any], **change: Any) -> float:
    return veto_probability(**{**args, **change})


@given(st.fixed_dictionaries(vetoes))
def test_veto_probability_is_a_probability(args):
    """A veto probability is in [0, 1], and a Member State with no propensity never blocks."""
    assert 0.0 <= _veto(args) <= 1.0
    assert _veto(args, base=0.0) == 0.0


@given(st.fixed_dictionaries(vetoes))
def test_veto_probability_moves_the_right_way(args):
    """Blocking is less likely as the tier rises, once partners have attributed, for a text
    agreed in advance and held for their attribution, and in later rounds, and more likely
    for a disproportionate measure or one whose language runs more than a grade beyond the
    attribution basis; strictly so wherever the probability is not at a bound."""

    def lower(low: float, high: float) -> None:
        assert low <= high
        if 0.0 < high < 1.0:
            assert low < high

    if args["tier_rank"] < 3:
        lower(_veto(args, tier_rank=args["tier_rank"] + 1), _veto(args))
    lower(_veto(args, partners_attributed=True), _veto(args, partners_attributed=False))
    lower(_veto(args, proportionate=True), _veto(args, proportionate=False))
    lower(_veto(args, round_=args["round_"] + 1), _veto(args))
    lower(_veto(args, held=True), _veto(args, held=False))
    reach = max(args["basis"], 0) + 1  # one grade above the basis is the usual reach
    if reach < 4:
        lower(_veto(args, needed_grade=None), _veto(args, needed_grade=reach + 1))
    if args["needed_grade"] is not None and args["needed_grade"] <= reach:
        assert _veto(args) == _veto(args, needed_grade=None), "language within reach"


@given(
    seed=seeds,
    probabilities=st.dictionaries(
        st.sampled_from(CODES), st.sampled_from([0.0, 1.0]) | st.floats(0, 1), max_size=27
    ),
)
def test_vote_is_reproducible_and_draws_once_per_member_state(seed, probabilities):
    """A vote returns the blocking Member States in order; a propensity of 0 never blocks and
    1 always does; it draws exactly once per Member State, so a change in one probability
    never shifts the draws that follow."""
    rng = random.Random(seed)
    blocked = vote(rng, probabilities)
    assert blocked == sorted(blocked)
    assert set(blocked) <= set(probabilities)
    assert not [ms for ms in blocked if probabilities[ms] == 0.0]
    assert {ms for ms, p in probabilities.items() if p == 1.0} <= set(blocked)
    assert vote(random.Random(seed), probabilities) == blocked
    reference = random.Random(seed)
    for _ in probabilities:
        reference.random()
    assert rng.getstate() == reference.getstate()


def test_vote_draws_in_member_state_order():
    """Draws go to Member States in code order, whatever order the mapping has."""
    draws = iter([0.9, 0.1, 0.5])

    class Scripted:
        def random(self) -> float:
            return next(draws)

    assert vote(Scripted(), {"FR": 0.3, "AT": 0.3, "DE": 0.3}) == ["DE"]


member_sets = st.sets(st.sampled_from(CODES), max_size=8)


@given(
    compromised=st.booleans(),
    significant=member_sets,
    impacted=member_sets,
    overloaded=member_sets,
    serious=member_sets,
    more=st.sampled_from(CODES),
    crisis=st.integers(2, 27),
)
def test_classification_rises_with_what_is_known(
    compromised, significant, impacted, overloaded, serious, more, crisis
):
    """The tier never falls when another Member State is significantly hit or impacted, a
    CSIRT is overloaded or a risk becomes serious, nor rises when the crisis threshold is
    raised; and it is exactly the ladder of docs/machinery.md section 4: data theft or a loss
    (significant, not impacted) never make an incident large-scale."""

    def tier(sig=significant, imp=impacted, over=overloaded, ser=serious, n=crisis) -> int:
        name, reason = classify(compromised, set(sig), set(imp), set(over), set(ser), n)
        assert reason
        return TIER_RANK[name]

    assert tier(sig=significant | {more}) >= tier()
    assert tier(imp=impacted | {more}) >= tier()
    assert tier(over=overloaded | {more}) >= tier()
    assert tier(ser=serious | {more}) >= tier()
    if crisis < 27:
        assert tier(n=crisis + 1) <= tier()
    assert tier(imp=set()) <= TIER_RANK["significant"]
    large = len(impacted) >= 2 or bool(impacted & overloaded)
    expected = (
        "cyber_crisis" if large and len(serious & impacted) >= crisis
        else "large_scale" if large
        else "significant" if significant or impacted
        else "below_threshold"
    )
    assert TIERS[tier()] == expected


@given(
    affected=st.integers(1, 27),
    data=st.data(),
    partner_grade=st.integers(-1, 4),
    difficulty=st.floats(0, 1),
    state_link=st.sampled_from(["none", "suspected", "state_sponsored", "state_directed"]),
)
def test_intcen_is_surer_and_faster_with_more_sharing(
    affected, data, partner_grade, difficulty, state_link
):
    """EU INTCEN depends on what it is given: more Member States sharing, or a partner's
    attribution, never lowers its confidence or grade nor slows it down."""
    low = data.draw(st.integers(0, affected - 1))
    high = data.draw(st.integers(low + 1, affected))
    c_low, g_low, s_low = assessment(low, affected, partner_grade, difficulty, state_link)
    c_high, g_high, s_high = assessment(high, affected, partner_grade, difficulty, state_link)
    for confidence, grade, speed in ((c_low, g_low, s_low), (c_high, g_high, s_high)):
        assert 0.0 <= confidence <= 0.95
        assert 0 <= grade <= 3
        assert 0.5 <= speed <= 1.5
        if state_link == "none":
            assert grade <= 1, "no state link, no naming of a state"
        if partner_grade < 1:
            assert grade != 1, "grade 1 cites a partner's assessment: there is none"
    assert c_high >= c_low and g_high >= g_low and s_high <= s_low
    if difficulty <= 0.9 and c_high < 0.95:
        assert c_high > c_low
    if s_low > 0.5:
        assert s_high < s_low
    with_partner = assessment(low, affected, 1, difficulty, state_link)
    without = assessment(low, affected, -1, difficulty, state_link)
    assert with_partner[0] >= without[0]
    assert with_partner[1] >= without[1]
    assert with_partner[2] <= without[2]


def _state(significant: set[str], affected: set[str], peak: dict[str, float]) -> State:
    state = State()
    state.significant = state.known_significant = set(significant)
    state.affected = state.reported = dict.fromkeys(sorted(affected), 0.0)
    state.peak_impact = dict(peak)
    return state


@given(
    ms=st.sampled_from(CODES),
    sector=st.none() | st.sampled_from(sorted(SECTORS)),
    significant=member_sets,
    affected=member_sets,
    impact=st.floats(0, 1),
    own=st.booleans(),
)
def test_reserve_ranks_by_the_act_criteria(ms, sector, significant, affected, impact, own):
    """The Reserve's ranking rewards severity, essential sectors, impact, spill-over and the
    requester's own measures, each never lowering the score; its range is [0.5, 5]."""
    request = {"member_state": ms, "sector": sector, "own_mitigation": own, "request": "R"}
    state = _state(significant, affected, {ms: impact})
    score = rank(request, state)
    assert 0.5 <= score <= 5.0
    assert rank({**request, "own_mitigation": True}, state) == pytest.approx(
        rank({**request, "own_mitigation": False}, state) + 1
    )
    assert rank(request, _state(significant | {ms}, affected, {ms: impact})) == pytest.approx(
        rank(request, _state(significant - {ms}, affected, {ms: impact})) + 1
    )
    essential = rank({**request, "sector": "energy"}, state)
    other = rank({**request, "sector": "postal_courier"}, state)
    assert "energy" in NIS2_ANNEX_I and "postal_courier" not in NIS2_ANNEX_I
    assert essential == pytest.approx(other + 0.5)
    assert rank(request, _state(significant, affected | {"XX"}, {ms: impact})) >= score
    assert rank(request, _state(significant, affected, {ms: min(1.0, impact + 0.1)})) >= score


@lru_cache(maxsize=1)
def _measures() -> list[Any]:
    found = {}
    for path in SCENARIOS:
        for measure in loaded(path).scenario.toolbox.catalogue().values():
            found[(measure.category, measure.effects.attribution_grade, measure.id)] = measure
    return [found[k] for k in sorted(found, key=str)]


@given(
    index=st.integers(0, 10_000),
    tier=st.integers(0, 3),
    basis=st.integers(-1, 4),
    higher_tier=st.integers(0, 3),
    higher_basis=st.integers(0, 5),
)
def test_proportionality_only_improves_as_the_incident_grows(
    index, tier, basis, higher_tier, higher_basis
):
    """A measure that fits an incident still fits when the tier or the attribution basis
    rises; a preventive or cooperative measure that names nobody always fits."""
    measures = _measures()
    measure = measures[index % len(measures)]

    def fits(rank_: int, grade: int) -> bool:
        state = State()
        state.max_tier_rank = rank_
        if grade >= 0:
            state.national_grades["DE"] = grade
        ok, why = proportionate(measure, state)
        assert why
        return ok

    if fits(tier, basis):
        assert fits(min(3, tier + higher_tier), min(4, basis + higher_basis))
    if measure.category in ("preventive", "cooperative") and (
        measure.effects.attribution_grade is None
    ):
        assert fits(tier, basis)
    assert fits(3, 4), "in a cyber crisis with a grade 4 basis, every measure fits"


# --------------------------------------------------------------------------------------------
# the properties above are not vacuous


def test_the_library_exercises_the_rules_tested_above():
    """Across a few seeds the library adopts Council measures, vetoes, climbs the tier
    ladder and IPCR, so the properties above check something."""
    seen: set[str] = set()
    for path in SCENARIOS:
        for seed in range(6):
            for event in run(path, seed).events:
                seen.add(event.kind)
                if event.kind == "council.vote":
                    seen.add(f"vote {event.payload['outcome']}")
                if event.kind == "ipcr.mode":
                    seen.add(f"ipcr via {event.payload['via']}")
                if event.kind == "adversary.spread":
                    seen.add("spread to a sector" if event.payload["sector"] else "spread")
    wanted = {
        "measure.adopted", "member_state.veto", "vote adopted", "vote failed",
        "classification.tier", "ipcr.mode", "ipcr via art_222", "inject.skipped",
        "spread", "spread to a sector", "reserve.deployed", "reserve.refused",
        "incident_review.approval",
    }
    assert wanted <= seen, wanted - seen
