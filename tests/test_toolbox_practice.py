"""The Cyber Diplomacy Toolbox as the Council practises it (docs/machinery.md sections 3 and 6).

- Whoever carries a measure out, if the Member States must agree to it, it goes HWPCI -> PSC ->
  COREPER -> Council, each step taking time, and a vote; only a measure that needs nobody's
  agreement (a Member State's own lawful response) is proposed, prepared and adopted in the
  same minute.
- A declaration aligned with partners' public attributions may use their grade (since 2021 HR
  declarations on behalf of the EU have used grades 2 and 3 the day partners attributed); any
  other measure may only cite a partner (grade 1). A declaration on espionage needs no
  large-scale incident.
- A Member State never blocks a measure it asked for; a vetoed draft is renegotiated, which
  takes time and is logged, before it is blocked for good.

Stochastic behaviour is asserted over many seeds of small scenarios written here, in the style
of tests/test_history.py, and of the library's energy-wiper-fimi.
"""

from __future__ import annotations

import copy
import itertools
import json
from functools import cache
from typing import Any

from actors.council import veto_probability
from actors.rules import (
    attribution_basis,
    council_stages,
    missing_prerequisites,
    needs_consensus,
    proportionate,
    requesters,
)
from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.engine.state import TIER_RANK, State
from simulator.scenario.loader import load_scenario, parse_scenario
from simulator.scenario.models import STANDARD_TOOLBOX, Scenario, ToolboxMeasure

from .conftest import ROOT

SEEDS = range(30)
MINUTE = 1.0
HOUR = 60.0
DAY = 24 * HOUR
STANDARD = {m.id: m for m in STANDARD_TOOLBOX}


# -- a small espionage case, SolarWinds- and Bundestag-shaped --------------------------------

#: Espionage in Germany and the Netherlands: significant (data stolen), never large-scale.
#: EU-CyCLONe is briefed on day 1 (the shared situational awareness declarations need); the
#: decision point ``DP`` takes its ``act`` option on day 3; the US attributes at grade 3 on
#: day 20.
BASE: dict[str, Any] = {
    "schema_version": 1,
    "metadata": {
        "id": "toolbox-practice",
        "title": "Espionage, a declaration and a listing",
        "description": "A state service reads ministries' mail; the EU answers.",
        "start": "2026-01-05T08:00:00Z",
        "duration": "4mo",
        "presidency": "CY",
    },
    "objectives": [
        {"id": "O1", "text": "Answer together.", "capability": "Toolbox",
         "level": "foreign_policy"},
    ],
    "world": {"partners": [{"id": "US", "name": "United States",
                            "attribution_propensity": 0.0, "sanctions_propensity": 0.0}]},
    "campaign": {
        "threat_actor": {"name": "Foreign intelligence service", "state_link": "state_directed",
                         "external_threat": True, "attribution_difficulty": 0.5},
        "waves": [{
            "id": "W1", "at": "0m", "vector": "phishing",
            "targets": {"member_states": ["DE", "NL"], "sectors": ["public_administration"]},
            "spread": {"probability": 0.0},
            "impact": {"entities_per_member_state": 2, "peak": 0.05,
                       "data_exfiltration": True},
            "detection": {"time_to_detect": "6h", "probability": 1.0},
        }],
    },
    "external_events": [{
        "id": "EXT-US", "type": "allied_attribution", "at": "20d", "partner": "US",
        "attribution_grade": 3, "description": "The US attributes the campaign to the state.",
    }],
    "msel": {"injects": [{
        "id": "I1", "at": "1h", "from": "exercise_control", "to": ["DE.csirt"],
        "mode": "email", "synopsis": "Unknown tools on the ministry's mail servers.",
    }]},
    "roles": [{"id": "de_government", "name": "German government", "body": "DE.government",
               "member_state": "DE"}],
    "decision_points": [
        {"id": "DP-CYCLONE", "prompt": "Brief EU-CyCLONe?", "decided_by": "DE.authority",
         "at": "1d", "options": [
             {"id": "brief", "label": "Brief it", "effects": [{"cyclone": "activate"}]},
             {"id": "keep", "label": "Keep it national"}],
         "default": "brief"},
    ],
}


def case(
    effects: list[dict[str, Any]],
    *,
    at: str = "3d",
    decided_by: str = "high_representative",
    measures: list[dict[str, Any]] | None = None,
    profiles: dict[str, Any] | None = None,
    default_veto: float | None = None,
    timings: dict[str, Any] | None = None,
    council: dict[str, Any] | None = None,
) -> Scenario:
    """BASE with one more decision point ``DP`` taking ``effects`` at ``at``."""
    data = copy.deepcopy(BASE)
    data["decision_points"].append({
        "id": "DP", "prompt": "Act?", "decided_by": decided_by, "at": at,
        "options": [{"id": "act", "label": "Act", "effects": effects},
                    {"id": "hold", "label": "Hold"}],
        "default": "act",
    })
    if measures:
        data["toolbox"] = {"measures": measures}
    world = data["world"]
    if profiles:
        world["member_states"] = profiles
    if default_veto is not None:
        world["default_profile"] = {"veto_propensity": default_veto}
    if timings:
        data["timings"] = timings
    if council:
        data["machinery"] = {"council": council}
    return parse_scenario(json.dumps(data).encode(), "toolbox-practice (test)")


def runs(scenario: Scenario, seeds: range = SEEDS) -> list[list[Event]]:
    out = []
    for seed in seeds:
        result = Simulation(scenario, seed).run()
        assert result.status == "completed", (seed, result.error)
        out.append(result.events)
    return out


def about(events: list[Event], measure: str, *kinds: str) -> list[Event]:
    return [e for e in events if e.subject == measure and (not kinds or e.kind in kinds)]


def first(events: list[Event], kind: str, measure: str) -> Event | None:
    found = about(events, measure, kind)
    return found[0] if found else None


def vetoes(events: list[Event], measure: str) -> list[str]:
    return [e.member_state for e in about(events, measure, "member_state.veto")]


# -- who must agree decides the path ---------------------------------------------------------


@cache
def _library_runs(name: str) -> tuple[tuple[Scenario, list[Event]], ...]:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml").scenario
    return tuple((scenario, events) for events in runs(scenario))


def _same_minute_adoptions(scenario: Scenario, events: list[Event]) -> list[tuple[str, float]]:
    proposed: dict[str, float] = {}
    same = []
    for e in events:
        if e.kind == "measure.proposed":
            proposed[e.subject] = e.t
        elif e.kind == "measure.adopted" and e.t - proposed[e.subject] < MINUTE:
            same.append((e.subject, e.t))
    return same


def test_energy_wiper_no_agreed_measure_is_proposed_and_adopted_in_the_same_minute():
    """Over 30 seeds of energy-wiper-fimi, a measure proposed and adopted in the same minute is
    only ever one that needs nobody's agreement (a Member State's own lawful response); the
    EEAS's exposure of the FIMI campaign waits for the EEAS's clearance, and every measure the
    Member States must agree passes the Council's chain first."""
    adopted = set()
    for scenario, events in _library_runs("energy-wiper-fimi"):
        catalogue = scenario.toolbox.catalogue()
        for measure, t in _same_minute_adoptions(scenario, events):
            m = catalogue[measure]
            assert m.decision_body == "member_state" and m.voting == "none", (measure, t)
        for e in events:
            if e.kind != "measure.adopted":
                continue
            adopted.add(e.subject)
            if council_stages(catalogue[e.subject]):
                stages = [x.kind for x in about(events, e.subject)
                          if x.kind.endswith(".agreed") or x.kind == "council.vote"]
                assert stages[:3] == ["hwpci.agreed", "psc.agreed", "coreper.agreed"], stages
    assert "fimi_exposure" in adopted, "the property above checked the EEAS's measure"


def test_fimi_exposure_takes_the_eeas_clearance_time():
    """The EEAS's exposure of the FIMI campaign (voting: none) is prepared and adopted at least
    the clearance's shortest time (2 h by default) after its proposal, never at once."""
    lags = []
    for _, events in _library_runs("energy-wiper-fimi"):
        proposed = first(events, "measure.proposed", "fimi_exposure")
        adopted = first(events, "measure.adopted", "fimi_exposure")
        prepared = first(events, "measure.prepared", "fimi_exposure")
        if adopted is None:
            continue
        assert proposed is not None and prepared is not None
        assert prepared.payload["by"] == "eeas"
        assert adopted.t - proposed.t >= 2 * HOUR, (proposed.t, adopted.t)
        lags.append(adopted.t - proposed.t)
    assert lags, "fimi_exposure was adopted in some runs"
    assert max(lags) <= DAY


#: measures that differ only in who decides and whether the 27 must agree
_BODIES = [
    {"id": "eeas_consensus", "name": "Statement the EEAS issues once the 27 agree",
     "category": "stability", "decision_body": "eeas", "voting": "consensus",
     "prerequisites": {"min_tier": "significant"}},
    {"id": "eeas_alone", "name": "Statement of the EEAS alone", "category": "stability",
     "decision_body": "eeas", "voting": "none", "prerequisites": {"min_tier": "significant"}},
    {"id": "hr_alone", "name": "Statement by the HR's spokesperson", "category": "stability",
     "decision_body": "high_representative", "voting": "none",
     "prerequisites": {"min_tier": "significant"}},
    {"id": "commission_dialogue", "name": "Dialogue the Commission leads once the PSC agrees",
     "category": "cooperative", "decision_body": "commission", "voting": "consensus"},
]


def test_rule_is_who_must_agree_not_the_decision_body():
    """The path follows whether the 27 must agree: an EEAS measure with consensus goes up to
    the Council, a Commission dialogue with consensus up to the PSC; the EEAS or the HR alone
    (voting: none) never meets the Council; a Member State's own response goes at once."""
    m = {d["id"]: ToolboxMeasure.model_validate(d) for d in _BODIES}
    assert council_stages(m["eeas_consensus"]) == ("hwpci", "psc", "coreper", "council")
    assert council_stages(m["commission_dialogue"]) == ("hwpci", "psc")
    assert council_stages(m["eeas_alone"]) == council_stages(m["hr_alone"]) == ()
    assert council_stages(STANDARD["hr_declaration"]) == ("hwpci", "psc", "coreper", "council")
    assert council_stages(STANDARD["eu_demarche"]) == ("hwpci",)
    assert council_stages(STANDARD["support_lawful_response"]) == ()
    assert not needs_consensus(STANDARD["awareness_raising"])


def test_a_consensus_measure_of_the_eeas_goes_through_the_chain_and_a_vote():
    """Run over 30 seeds: the EEAS measure that needs consensus passes HWPCI, PSC, COREPER and a
    Council vote, each step later than the one before; the EEAS's and the HR's measures taken
    alone are adopted after hours, without a vote; the Member State's own response at once."""
    effects = [{"propose_measure": i} for i in
               ("eeas_consensus", "eeas_alone", "hr_alone", "support_lawful_response")]
    scenario = case(effects, measures=_BODIES, default_veto=0.0)
    for events in runs(scenario):
        chain = [e for e in about(events, "eeas_consensus")
                 if e.kind in ("measure.proposed", "hwpci.agreed", "psc.agreed",
                               "coreper.agreed", "council.vote", "measure.adopted")]
        assert [e.kind for e in chain] == [
            "measure.proposed", "hwpci.agreed", "psc.agreed", "coreper.agreed",
            "council.vote", "measure.adopted",
        ]
        times = [e.t for e in chain]
        assert all(b - a >= DAY for a, b in itertools.pairwise(times[:5])), times
        for alone in ("eeas_alone", "hr_alone"):
            assert not about(events, alone, "council.vote", "hwpci.agreed")
            proposed = first(events, "measure.proposed", alone)
            adopted = first(events, "measure.adopted", alone)
            assert proposed and adopted and adopted.t - proposed.t >= 2 * HOUR
        proposed = first(events, "measure.proposed", "support_lawful_response")
        adopted = first(events, "measure.adopted", "support_lawful_response")
        assert proposed and adopted and adopted.t == proposed.t


# -- the attribution basis of an aligned declaration -----------------------------------------


def _state(*events: tuple[str, str | None, dict[str, Any]]) -> State:
    from types import MappingProxyType

    state = State()
    for i, (kind, ms, payload) in enumerate(events):
        state.apply(Event(float(i), kind, "test", None, ms, MappingProxyType(payload)))
    return state


SIGNIFICANT = ("classification.tier", None, {"tier": "significant"})
AWARENESS = ("cyclone.assessment", None, {})
US_GRADE_3 = ("partner.attribution", None, {"partner": "US", "attribution_grade": 3})


def test_an_aligned_declaration_uses_the_partners_grade():
    """Once a partner has attributed at grade 3, a declaration may say what it said: the EU's
    attribution statement (grade 3, needing grade 2) has its prerequisites and is proportionate;
    a measure that is not a declaration may still only cite the partner (grade 1)."""
    state = _state(SIGNIFICANT, AWARENESS, US_GRADE_3)
    statement = STANDARD["attribution_statement"]
    scenario = case([])
    assert state.attribution_basis == 1, "unaligned: citing the partner, as for SolarWinds"
    assert attribution_basis(statement, state) == 3
    assert missing_prerequisites(statement, state, scenario) == []
    fits, why = proportionate(statement, state)
    assert fits, why
    listing = STANDARD["restrictive_listing"]
    assert attribution_basis(listing, state) == 1, "a listing rests on the EU's own case"
    before = _state(SIGNIFICANT, AWARENESS)
    assert not proportionate(statement, before)[0], "grade 3 on no attribution runs ahead"


def test_the_council_weighs_an_aligned_declaration_as_within_reach():
    """The veto odds of an aligned grade-3 declaration are those of a measure within reach of
    the evidence: not doubled for the gap, not doubled again as disproportionate."""
    state = _state(SIGNIFICANT, AWARENESS, US_GRADE_3)
    statement = STANDARD["attribution_statement"]
    fits, _ = proportionate(statement, state)
    args = {"base": 0.01, "basis": attribution_basis(statement, state),
            "tier_rank": TIER_RANK["significant"], "partners_attributed": True}
    aligned = veto_probability(needed_grade=3, proportionate=fits, **args)
    assert aligned == veto_probability(needed_grade=None, proportionate=True, **args)
    old = veto_probability(needed_grade=3, proportionate=False, **{**args, "basis": 1})
    assert old == 4 * aligned, "the four-fold odds of the capped basis are gone"


GRADE_3_DECLARATION = {
    "id": "hr_declaration", "name": "HR declaration naming the state, with the US",
    "category": "stability", "decision_body": "council", "voting": "consensus",
    "lead_time": "2h", "prerequisites": {"min_tier": "significant",
                                         "shared_situational_awareness": True},
    "effects": {"attribution_grade": 3, "deterrence": 0.1},
}


def test_an_aligned_grade_3_declaration_is_adopted_the_day_partners_attribute():
    """Over 30 seeds: a grade-3 declaration prepared early and held for the US is proportionate
    at its proposal, at the vote and at adoption, never adopted before the US attribution, and,
    when the chain had prepared it by then, adopted within a day of it (the 2022 Viasat and 2024
    APT28 declarations came the same day as the attributions they joined)."""
    scenario = case([{"propose_measure": {"id": "hr_declaration", "align_with_partners": True}}],
                    measures=[GRADE_3_DECLARATION])
    adopted = held = 0
    for events in runs(scenario):
        proposed = first(events, "measure.proposed", "hr_declaration")
        assert proposed is not None and proposed.payload["proportionate"], proposed
        assert proposed.payload["missing"] == []
        for vote in about(events, "hr_declaration", "council.vote"):
            assert vote.payload["proportionate"]
        done = first(events, "measure.adopted", "hr_declaration")
        us = next(e for e in events if e.kind == "partner.attribution")
        if done is not None:
            adopted += 1
            assert done.payload["proportionate"] and done.payload["aligned_with"] == ["US"]
            assert us.t <= done.t
            if about(events, "hr_declaration", "council.held") and not vetoes(
                events, "hr_declaration"
            ):
                held += 1
                assert done.t - us.t <= DAY
    assert adopted >= 0.9 * len(SEEDS), adopted
    assert held >= len(SEEDS) / 2, held


def test_an_espionage_declaration_needs_no_large_scale_incident():
    """The standard declaration answers an espionage campaign that stays significant: with
    shared situational awareness, nothing is missing and it is proportionate to the tier."""
    state = _state(SIGNIFICANT, AWARENESS)
    declaration = STANDARD["hr_declaration"]
    assert missing_prerequisites(declaration, state, case([])) == []
    assert proportionate(declaration, state)[0]
    scenario = case([{"propose_measure": "hr_declaration"}])
    adopted = 0
    for events in runs(scenario, range(10)):
        tiers = {e.payload["tier"] for e in events if e.kind == "classification.tier"}
        assert "large_scale" not in tiers, "the case stays significant"
        done = first(events, "measure.adopted", "hr_declaration")
        adopted += done is not None and done.payload["proportionate"]
    assert adopted >= 9


# -- vetoes as the Council practises them ------------------------------------------------------

#: a listing requested by ``who``; Germany would block any vote it does not want (1.0), the
#: others sometimes (0.05); the evidence package takes 10 days
def listing_case(who: str, rounds: int | None = None) -> Scenario:
    effects = [{"attribute": {"member_states": [who], "grade": 3}},
               {"propose_listing": {"member_state": who}}]
    return case(
        effects,
        decided_by=f"{who}.government",
        profiles={"DE": {"veto_propensity": 1.0}},
        default_veto=0.05,
        timings={"national_attribution_to_listing": "10d"},
        council=None if rounds is None else {"renegotiation_rounds": rounds},
    )


def test_a_member_state_never_vetoes_the_listing_it_proposed():
    """Over 30 seeds, Germany, ready to block anything (propensity 1), never blocks the listing
    it proposed and attributed; others still block some votes, and the listing is adopted."""
    scenario = listing_case("DE")
    others = adopted = 0
    for events in runs(scenario):
        blocked = vetoes(events, "restrictive_listing")
        assert "DE" not in blocked
        others += len(blocked)
        adopted += first(events, "measure.adopted", "restrictive_listing") is not None
    assert others > 0, "the other Member States' vetoes were drawn"
    assert adopted >= 0.9 * len(SEEDS)


def test_requesters_are_the_proposer_listing_states_and_attributing_states():
    """Who asked for a measure: the Member State whose body proposed it, those that proposed it
    as a listing and, for language resting on an attribution, those that attributed."""
    state = _state(
        ("member_state.listing_proposed", "DE", {"measure": "restrictive_listing"}),
        ("member_state.attribution", "NL", {"grade": 3}),
    )
    assert requesters(STANDARD["restrictive_listing"], state) == {"DE", "NL"}
    assert requesters(STANDARD["attribution_statement"], state, ["FR"]) == {"NL", "FR"}
    assert requesters(STANDARD["hr_declaration"], state) == set(), "grade 0 rests on nothing"


def test_a_vetoed_draft_is_renegotiated_before_it_is_blocked():
    """Over 30 seeds, France proposes the listing and Germany, who did not ask for it, blocks
    most first votes: each failed vote but the last is followed, days later, by COREPER
    agreeing a renegotiated draft and a new vote; a listing blocked for good has had every
    round the scenario allows (two by default), and Germany's odds halve each round so that
    some drafts pass."""
    low = 3 * DAY  # the shortest renegotiation of the default timings
    blocked = passed_after_veto = german = 0
    for events in runs(listing_case("FR")):
        votes = about(events, "restrictive_listing", "council.vote")
        assert votes
        german += "DE" in votes[0].payload["vetoes"]
        for failed, following in itertools.pairwise(votes):
            assert failed.payload["outcome"] == "failed"
            again = [e for e in about(events, "restrictive_listing", "coreper.agreed")
                     if failed.t < e.t <= following.t]
            assert [e.payload["renegotiated"] for e in again] == [True]
            assert again[0].t - failed.t >= low
            assert following.payload["round"] == failed.payload["round"] + 1
        end = first(events, "measure.blocked", "restrictive_listing")
        if end is not None:
            blocked += 1
            assert len(votes) == 3 and votes[-1].payload["outcome"] == "failed"
            assert "after 3 votes" in end.payload["reason"]
        elif first(events, "measure.adopted", "restrictive_listing") is not None:
            passed_after_veto += 1
            assert votes[-1].payload["outcome"] == "adopted" and len(votes) >= 2
    assert german >= 0.75 * len(SEEDS), german
    assert blocked and passed_after_veto, (blocked, passed_after_veto)


def test_without_renegotiation_rounds_a_veto_blocks_at_once():
    """``machinery.council.renegotiation_rounds: 0``: the first veto blocks the listing, with
    no renegotiation logged."""
    for events in runs(listing_case("FR", rounds=0), range(10)):
        assert len(about(events, "restrictive_listing", "council.vote")) == 1
        assert not [e for e in about(events, "restrictive_listing", "coreper.agreed")
                    if e.payload["renegotiated"]]
        assert first(events, "measure.blocked", "restrictive_listing") is not None
