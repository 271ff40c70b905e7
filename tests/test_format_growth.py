"""The scenario format grows to replay real cases (issue "Replaying history"): a Presidency that
changes during a long scenario, a wave that starts outside the Union and spills over, a
security vendor's public attribution, and a statement that an incident is not an attack.

Each rule is in docs/machinery.md (sections 3, 5 and 6) and in the scenario guide (README).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from actors.intcen import assessment
from actors.rules import attribution_basis, proportionate
from simulator.engine import Simulation
from simulator.engine.records import Event, parse_record
from simulator.engine.simulation import RunResult
from simulator.engine.state import State
from simulator.errors import TtxError
from simulator.scenario.countries import THIRD_COUNTRIES
from simulator.scenario.loader import parse_scenario
from simulator.scenario.models import STANDARD_TOOLBOX, Scenario
from simulator.scenario.presidencies import COUNCIL_ORDER, council_holder, rotations
from simulator.scenario.reference import MEMBER_STATES

HOUR = 60.0
DAY = 24 * HOUR
SEEDS = range(4)


def load(text: str) -> Scenario:
    return parse_scenario(text.encode(), "format-growth.yaml")


def run(scenario: Scenario, seed: int) -> RunResult:
    result = Simulation(scenario, seed).run()
    assert result.status == "completed", result.error
    return result


def of(result: RunResult, kind: str) -> list[Event]:
    return [e for e in result.events if e.kind == kind]


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def at(text: str, before: str) -> str:
    """``line:col`` of what follows the first ``before`` in ``text``."""
    index = text.index(before) + len(before)
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


# --------------------------------------------------------------------------------------------
# 1. A Presidency that changes during a long scenario

#: a ransomware crisis before Christmas that outlasts New Year's Day, when Lithuania takes the
#: Presidency over from Ireland (Council Decision (EU) 2016/1316); IPCR is fully activated on
#: 5 January, in Lithuania's term
HANDOVER = """\
schema_version: 1
metadata:
  id: handover
  title: A crisis across New Year
  description: Ransomware before Christmas; the Presidency passes from Ireland to Lithuania.
  start: 2026-12-20T08:00:00Z
  duration: 30d
  presidency: {presidency}
objectives:
  - {{id: O1, text: Keep the picture shared, capability: Awareness, level: operational}}
campaign:
  threat_actor: {{name: Ransomware group, state_link: none}}
  waves:
    - id: W1
      at: 0m
      vector: ransomware
      targets: {{member_states: [DE, FR, IT, NL], sectors: [health]}}
      spread: {{probability: 0.0}}
      impact:
        peak: 0.9
        time_to_peak: {{kind: triangular, low: 1h, mode: 2h, high: 4h}}
        recovery: {{kind: triangular, low: 25d, mode: 27d, high: 29d}}
      detection:
        time_to_detect: {{kind: triangular, low: 30m, mode: 1h, high: 2h}}
        probability: 1.0
msel:
  injects:
    - {{id: I1, at: 1h, from: exercise_control, to: [all_players], mode: briefing, synopsis: Go}}
decision_points:
  - id: DP-IPCR
    prompt: Fully activate IPCR?
    decided_by: presidency
    at: 15d16h
    deliberation: 1h
    options:
      - {{id: full, label: Full activation, effects: [{{ipcr_mode: full_activation}}]}}
      - {{id: hold, label: Hold}}
    default: full
"""
SCHEDULE = "[IE, {member_state: LT, from: 2027-01-01T00:00:00Z}]"
NEW_YEAR = (datetime(2027, 1, 1, tzinfo=UTC) - datetime(2026, 12, 20, 8, tzinfo=UTC))
HANDOVER_AT = NEW_YEAR.total_seconds() / 60  # 11 days 16 hours after the start


def test_a_scenario_across_new_year_hands_the_presidency_over_at_midnight():
    """The handover is an event of its own, at 1 January 00:00 UTC, from Ireland to Lithuania;
    the run starts under Ireland."""
    scenario = load(HANDOVER.format(presidency=SCHEDULE))
    assert scenario.metadata.presidencies() == [(0.0, "IE"), (HANDOVER_AT, "LT")]
    for seed in SEEDS:
        result = run(scenario, seed)
        (handover,) = of(result, "presidency.handover")
        assert handover.t == HANDOVER_AT
        assert dict(handover.payload) == {"outgoing": "IE", "incoming": "LT"}
        assert handover.member_state == "LT" and handover.actor == "presidency"
        assert of(result, "run.started")[0].payload["presidency"] == "IE"


def test_eu_cyclone_is_chaired_by_the_presidency_in_office():
    """EU-CyCLONe's assessments before the handover name Ireland as chair, every one after it
    Lithuania; so do IPCR's roundtables (NIS2 Art 16(2): the Presidency chairs)."""
    scenario = load(HANDOVER.format(presidency=SCHEDULE))
    for seed in SEEDS:
        result = run(scenario, seed)
        assessments = of(result, "cyclone.assessment")
        before = [e.payload["chair"] for e in assessments if e.t < HANDOVER_AT]
        after = [e.payload["chair"] for e in assessments if e.t >= HANDOVER_AT]
        assert before and set(before) == {"IE"}, seed
        assert after and set(after) == {"LT"}, seed
        activated = of(result, "cyclone.activated")[0]
        assert activated.t < HANDOVER_AT and activated.payload["chair"] == "IE"
        roundtables = [(e.t, e.payload["chair"]) for e in of(result, "ipcr.roundtable")]
        assert any(t >= HANDOVER_AT for t, _ in roundtables), roundtables
        assert all((chair == "LT") == (t >= HANDOVER_AT) for t, chair in roundtables)


def test_the_schedule_has_three_spellings_and_one_meaning():
    """Bare codes, terms with their 'from', or both: each entry takes office at the next
    rotation, so the three read the same."""
    spellings = [
        SCHEDULE,
        "[IE, LT]",
        "[{member_state: IE, from: 2026-12-20T08:00:00Z}, {member_state: LT}]",
    ]
    held = {tuple(load(HANDOVER.format(presidency=s)).metadata.presidencies()) for s in spellings}
    assert held == {((0.0, "IE"), (HANDOVER_AT, "LT"))}


def test_a_single_code_is_still_a_presidency_for_a_scenario_within_one_term():
    short = HANDOVER.format(presidency="IE").replace("duration: 30d", "duration: 10d").replace(
        "at: 15d16h", "at: 5d")
    meta = load(short).metadata
    assert meta.presidencies() == [(0.0, "IE")] and meta.presidency_at(9 * DAY) == "IE"


def test_a_run_across_a_rotation_without_a_successor_is_refused_at_its_place(ttx, tmp_path):
    """Exit 2 at the presidency's line and column, naming the date and, from the Council's
    order, the real successor."""
    text = HANDOVER.format(presidency="IE")
    path = write(tmp_path, text)
    result = ttx("validate", path)
    assert result.code == 2 and "Traceback" not in result.err
    assert (
        f"{path}:{at(text, 'presidency: ')}: metadata.presidency: the exercise runs past "
        "1 January 2027, when the Council Presidency passes to the next Member State"
    ) in result.err
    assert "e.g. presidency: [IE, LT]" in result.err
    assert "Decision (EU) 2016/1316: LT from 1 January 2027" in result.err


@pytest.mark.parametrize(
    ("presidency", "where", "message"),
    [
        ("[IE, LT, GR]", "[IE, LT, ", "metadata.presidency[2]: the exercise ends on 19 January "
         "2027 (08:00 UTC), before a Presidency after LT would take office (on 1 July 2027)"),
        ("[IE, IE]", "[IE, ", "metadata.presidency[1]: IE held the Presidency in the term "
         "before"),
        ("[IE, {member_state: LT, from: 2027-07-01T00:00:00Z}]", "from: ",
         "metadata.presidency[1].from: IE holds the Presidency until 1 January 2027, so this "
         "entry takes office then, not on 1 July 2027"),
        ("[IE, {member_state: LT, from: 2026-12-31T23:00:00Z}]", "from: ",
         "metadata.presidency[1].from: 2026-12-31T23:00:00Z is not when a Presidency takes "
         "office"),
        ("[{member_state: IE, from: 2026-07-01T00:00:00Z}, LT]", "from: ",
         "metadata.presidency[0].from: the first Presidency holds office at the start of the "
         "exercise"),
        ("[IE, XX]", "[IE, ", "metadata.presidency[1]: unknown Member State 'XX'"),
        ("[]", "presidency: ", "metadata.presidency: needs at least 1 item"),
    ],
    ids=["beyond-the-end", "twice-in-a-row", "out-of-order", "not-a-rotation",
         "first-not-at-start", "unknown", "empty"],
)
def test_a_bad_schedule_is_refused_at_its_entry(ttx, tmp_path, presidency, where, message):
    text = HANDOVER.format(presidency=presidency)
    path = write(tmp_path, text)
    result = ttx("validate", path)
    assert result.code == 2 and "Traceback" not in result.err
    assert f"{path}:{at(text, where)}: {message}" in result.err, result.err


def test_overview_and_briefing_text_show_the_schedule(ttx, tmp_path):
    path = write(tmp_path, HANDOVER.format(presidency=SCHEDULE))
    result = ttx("overview", path)
    assert result.code == 0, result.err
    assert "Ireland (IE); Lithuania (LT) from 1 January 2027" in result.out


def test_the_councils_order_is_the_verified_one():
    """Decision 2007/5/EC to June 2017, Decision (EU) 2016/1316 to December 2030, as the
    Council published them: each Member State once in each cycle of 27 (28 before Croatia
    and the United Kingdom's exit), never twice in a row, and nothing beyond 2030."""
    assert council_holder(datetime(2017, 3, 1, tzinfo=UTC)) == "MT"
    assert council_holder(datetime(2017, 9, 1, tzinfo=UTC)) == "EE"  # instead of the UK
    assert council_holder(datetime(2020, 3, 1, tzinfo=UTC)) == "HR"
    assert council_holder(datetime(2026, 7, 1, tzinfo=UTC)) == "IE"
    assert council_holder(datetime(2027, 1, 1, tzinfo=UTC)) == "LT"
    assert council_holder(datetime(2027, 7, 1, tzinfo=UTC)) == "GR"
    assert council_holder(datetime(2030, 12, 31, tzinfo=UTC)) == "MT"
    assert council_holder(datetime(2031, 1, 1, tzinfo=UTC)) is None
    assert council_holder(datetime(2006, 12, 31, tzinfo=UTC)) is None
    from_2017 = [code for (year, half), code in sorted(COUNCIL_ORDER.items())
                 if (year, half) >= (2017, 2)]
    assert sorted(from_2017) == sorted(MEMBER_STATES)  # one full cycle of the 27
    codes = [code for _, code in sorted(COUNCIL_ORDER.items())]
    assert all(a != b for a, b in pairwise(codes))


def test_rotations_fall_on_1_january_and_1_july_strictly_inside_the_run():
    start = datetime(2026, 7, 1, tzinfo=UTC)  # starts on one: not crossed
    assert rotations(start, start + timedelta(days=185)) == [datetime(2027, 1, 1, tzinfo=UTC)]
    assert rotations(start, datetime(2027, 1, 1, tzinfo=UTC)) == []  # ends on one


# --------------------------------------------------------------------------------------------
# 2. Third countries as the origin of spill-over

#: NotPetya-shaped: a tainted update in Ukraine; the wiper reaches Member States by its spread
SPILL = """\
schema_version: 1
metadata:
  id: spill-over
  title: A wiper from Ukraine spills over
  description: A tainted accounting update in Ukraine reaches companies in the Union.
  start: 2026-06-05T08:00:00Z
  duration: 10d
  presidency: CY
objectives:
  - {{id: O1, text: Share the picture, capability: Awareness, level: technical}}
campaign:
  threat_actor: {{name: Military intelligence unit, state_link: state_directed}}
  waves:
    - id: W1
      at: 0m
      vector: wiper
      targets: {{third_countries: [UA]{first}, sectors: [manufacturing, transport]}}
      spread: {{interval: 2h, probability: 1.0, max_member_states: 3, candidates: [PL, DK, FR]}}
      impact: {{entities_per_member_state: 2}}
msel:
  injects:
    - {{id: I1, at: 1h, from: media, to: [all_players], mode: news_report, synopsis: Offline}}
"""


def test_a_wave_from_a_third_country_spills_over_by_its_spread_rules_alone():
    """Started in Ukraine, it compromises nothing there: the first Member State is reached
    by a spread attempt (one interval later), and all within its candidates and its
    max_member_states."""
    scenario = load(SPILL.format(first=""))
    for seed in SEEDS:
        result = run(scenario, seed)
        (started,) = of(result, "adversary.wave_started")
        assert started.payload["third_countries"] == ["UA"]
        assert started.payload["targets"] == [] and started.member_state is None
        compromised = of(result, "entity.compromised")
        assert compromised and min(e.t for e in compromised) >= 2 * HOUR
        reached = {e.member_state for e in compromised}
        assert reached <= {"PL", "DK", "FR"} and len(reached) == 3
        spread = of(result, "adversary.spread")
        assert [e.payload["reached"] for e in spread] == [1, 2, 3]  # 3 in all, none before


def test_nothing_of_the_eu_machinery_runs_in_the_third_country():
    """No entity, no NIS2 report, no CSIRT, no impact, no event of any kind is about Ukraine:
    every Member State named in the log is one of the 27."""
    for first in ("", ", member_states: [PL]"):
        scenario = load(SPILL.format(first=first))
        for seed in SEEDS:
            result = run(scenario, seed)
            named = {e.member_state for e in result.events} - {None}
            assert named <= set(MEMBER_STATES), named
            for event in result.events:
                if event.kind.startswith(("entity.", "csirt.", "spoc.", "adversary.impact")):
                    assert event.member_state in MEMBER_STATES, event
                if event.kind != "adversary.wave_started":  # the one that says where from
                    assert '"UA"' not in event.to_json(), event


def test_first_member_states_are_hit_at_once_beside_the_origin():
    """Viasat-shaped: the Ukrainian network and, in the same hour, users in the Union."""
    result = run(load(SPILL.format(first=", member_states: [PL]")), 1)
    (started,) = of(result, "adversary.wave_started")
    assert started.payload["targets"] == ["PL"] and started.payload["third_countries"] == ["UA"]
    first = [e for e in of(result, "entity.compromised") if e.t == 0.0]
    assert {e.member_state for e in first} == {"PL"}


def test_the_wave_start_with_its_origin_reads_back_from_the_log():
    """The log's reader knows the field: an ISO code of a country outside the Union, and
    refuses a Member State there."""
    result = run(load(SPILL.format(first="")), 0)
    (started,) = of(result, "adversary.wave_started")
    record = json.loads(started.to_json())
    assert list(parse_record(record, "log.jsonl:2").payload["third_countries"]) == ["UA"]
    record["payload"]["third_countries"] = ["DE"]
    with pytest.raises(TtxError, match="third_countries"):
        parse_record(record, "log.jsonl:2")


def test_overview_says_where_the_wave_comes_from(ttx, tmp_path):
    result = ttx("overview", write(tmp_path, SPILL.format(first="")))
    assert result.code == 0, result.err
    assert "from Ukraine (UA) into Member States by spread" in " ".join(result.out.split())


def test_the_list_of_third_countries_leaves_the_union_out():
    assert not set(THIRD_COUNTRIES) & set(MEMBER_STATES)
    assert {"UA", "RU", "US", "GB", "CN", "NO", "CH", "XK"} <= set(THIRD_COUNTRIES)
    assert not {"GF", "RE", "AX", "EU", "EL", "UK"} & set(THIRD_COUNTRIES)


# --------------------------------------------------------------------------------------------
# 3. A vendor's attribution

#: espionage in three Member States; a vendor names the unit on day 3; the High Representative
#: proposes to name the state on day 6, on the vendor's word alone
VENDOR = """\
schema_version: 1
metadata:
  id: vendor
  title: A vendor names the state
  description: Espionage through a mail server flaw; a security vendor attributes it.
  start: 2026-03-02T08:00:00Z
  duration: 20d
  presidency: CY
objectives:
  - {id: O1, text: Weigh the evidence, capability: Attribution, level: foreign_policy}
world:
  partners:
    - {id: US, name: United States, attribution_propensity: 0.0, sanctions_propensity: 0.0}
campaign:
  threat_actor:
    name: Military intelligence unit
    state_link: state_directed
    attribution_difficulty: 0.8
  waves:
    - id: W1
      at: 0m
      vector: vulnerability_exploitation
      targets: {member_states: [DE, CZ, PL], sectors: [public_administration]}
      spread: {probability: 0.0}
      impact: {entities_per_member_state: 2, peak: 0.5}
      detection:
        time_to_detect: {kind: triangular, low: 30m, mode: 1h, high: 2h}
        probability: 1.0
external_events:
  - id: EXT-VENDOR
    type: vendor_attribution
    at: 3d
    vendor: Microsoft
    attribution_grade: 3
    description: The vendor names the military intelligence unit behind the campaign.
msel:
  injects:
    - {id: I1, at: 1h, from: exercise_control, to: [all_players], mode: briefing, synopsis: Go}
decision_points:
  - id: DP-SPEAK
    prompt: Name the state on the vendor's word?
    decided_by: high_representative
    at: 6d
    options:
      - id: speak
        label: Propose an EU statement naming the state
        effects: [{propose_measure: attribution_statement}]
      - id: wait
        label: Wait for the Member States
    default: speak
"""


def test_a_vendor_attribution_is_logged_as_its_own_kind():
    result = run(load(VENDOR), 0)
    (event,) = of(result, "external.vendor_attribution")
    assert event.t == 3 * DAY and event.subject == "EXT-VENDOR" and event.actor == "vendor"
    assert event.payload["vendor"] == "Microsoft" and event.payload["attribution_grade"] == 3
    assert not of(result, "partner.attribution")


def test_a_vendor_attribution_raises_eu_intcens_confidence():
    """Every EU INTCEN assessment after it weighs it (half a partner's weight): its confidence
    is what the same sharing gives with the vendor, above what it gives without."""
    scenario = load(VENDOR)
    actor = scenario.campaign.threat_actor
    assert actor is not None
    judged = 0
    for seed in SEEDS:
        result = run(scenario, seed)
        state = State()
        for event in result.events:
            if event.kind == "intcen.assessment" and state.vendor_grade >= 1:
                shared = len(state.intel_shared & state.eu_known.keys())
                without, _, _ = assessment(shared, len(state.eu_known), state.partner_grade,
                                           actor.attribution_difficulty, actor.state_link)
                with_vendor, _, _ = assessment(
                    shared, len(state.eu_known), state.partner_grade,
                    actor.attribution_difficulty, actor.state_link, state.vendor_grade)
                assert event.payload["confidence"] == with_vendor > without
                assert event.payload["vendors"] == ["Microsoft"]
                judged += 1
            state.apply(event)
    assert judged >= len(SEEDS)


def test_a_vendor_attribution_weighs_half_a_partners():
    base = assessment(1, 3, -1, 0.8, "state_directed")
    vendor = assessment(1, 3, -1, 0.8, "state_directed", vendor_grade=3)
    partner = assessment(1, 3, 3, 0.8, "state_directed")
    assert base[0] < vendor[0] < partner[0]
    assert vendor[0] - base[0] == pytest.approx((partner[0] - base[0]) / 2, abs=0.002)
    assert partner[2] < vendor[2] < base[2]  # faster, less so
    assert vendor[1] == base[1] == 0  # nothing INTCEN could cite as a partner's (grade 1)


def test_a_vendor_attribution_is_never_a_basis_for_eu_language():
    """The attribution basis stays 'none' (State.attribution_basis, and for a declaration
    aligned with partners too): a statement naming the state on the vendor's word is refused
    for want of an attribution, and judged disproportionate."""
    measure = next(m for m in STANDARD_TOOLBOX if m.id == "attribution_statement")
    for seed in SEEDS:
        result = run(load(VENDOR), seed)
        state = State.from_events(result.events)
        assert state.vendor_grade == 3
        assert state.attribution_basis == -1 and state.aligned_attribution_basis == -1
        assert attribution_basis(measure, state) == -1
        (proposed,) = of(result, "measure.proposed")
        assert proposed.payload["proportionate"] is False
        assert "attribution grade 2 (no attribution yet)" in proposed.payload["missing"]
        assert of(result, "measure.blocked") and not of(result, "measure.adopted")


def test_a_vendor_attribution_needs_someone_behind_the_campaign(ttx, tmp_path):
    text = VENDOR.replace("  threat_actor:\n    name: Military intelligence unit\n"
                          "    state_link: state_directed\n    attribution_difficulty: 0.8\n",
                          "").replace("vulnerability_exploitation", "outage")
    path = write(tmp_path, text)
    result = ttx("validate", path)
    assert result.code == 2
    assert (f"{path}:{at(text, 'type: ')}: external_events[0].type: a vendor's attribution "
            "names who did it, but the campaign has no threat_actor") in result.err


# --------------------------------------------------------------------------------------------
# 4. A statement that the incident is not an attack

#: a disruptive wiper in three Member States, which partners would attribute within days;
#: the United States says at 2 h that it was a technical fault
NOT_AN_ATTACK = """\
schema_version: 1
metadata:
  id: not-an-attack
  title: An outage said not to be an attack
  description: Hospitals and railways go dark; Washington says it was a technical fault.
  start: 2026-03-02T08:00:00Z
  duration: 20d
  presidency: CY
objectives:
  - {{id: O1, text: Speak in proportion, capability: Toolbox, level: foreign_policy}}
world:
  partners:
    - {{id: US, name: United States, attribution_propensity: 1.0, sanctions_propensity: 1.0}}
campaign:
  threat_actor: {{name: Unknown actor, state_link: state_directed, attribution_difficulty: 0.0}}
  waves:
    - id: W1
      at: 0m
      vector: wiper
      targets: {{member_states: [DE, FR, NL], sectors: [health, transport]}}
      spread: {{probability: 0.0}}
      impact: {{entities_per_member_state: 2, peak: 0.8}}
      detection:
        time_to_detect: {{kind: triangular, low: 30m, mode: 1h, high: 2h}}
        probability: 1.0
timings:
  partner_attribution: 2d
  partner_sanctions: 2d
external_events:
  - id: EXT-NOT
    type: {type}
    at: {at}
    partner: US
    description: The United States says the outage was a technical fault, not an attack.
msel:
  injects:
    - {{id: I1, at: 1h, from: exercise_control, to: [all_players], mode: briefing, synopsis: Go}}
decision_points:
  - id: DP-SPEAK
    prompt: Condemn the attack and name its author?
    decided_by: high_representative
    at: 8d
    options:
      - id: speak
        label: An EU statement naming the state
        effects: [{{propose_measure: attribution_statement}}]
      - id: wait
        label: Nothing
    default: speak
"""


def test_without_the_statement_intcen_assesses_and_the_partner_attributes():
    """The control: the same incident, the partner's event an 'other', draws the whole
    attribution track, so the test below can fail."""
    scenario = load(NOT_AN_ATTACK.format(type="other", at="2h"))
    for seed in SEEDS:
        result = run(scenario, seed)
        assert of(result, "intcen.assessment") and of(result, "partner.attribution")


def test_a_statement_that_it_is_no_attack_stops_intcen_and_partners():
    """Said at 2 h: EU INTCEN never assesses a threat, the partner attributes and sanctions
    nothing; the statement is logged as its own kind, by the partner."""
    scenario = load(NOT_AN_ATTACK.format(type="not_an_attack", at="2h"))
    for seed in SEEDS:
        result = run(scenario, seed)
        (said,) = of(result, "external.not_an_attack")
        assert said.t == 2 * HOUR and said.actor == "partner.US" and said.subject == "EXT-NOT"
        assert said.payload["by"] == "United States" and said.payload["partner"] == "US"
        assert not of(result, "intcen.assessment")
        assert not of(result, "partner.attribution") and not of(result, "partner.sanctions")


def test_a_later_statement_stops_what_was_under_way():
    """Said after EU INTCEN began and while the partner was preparing its attribution: no
    assessment and no attribution comes after it."""
    scenario = load(NOT_AN_ATTACK.format(type="not_an_attack", at="1d12h"))
    for seed in SEEDS:
        result = run(scenario, seed)
        said = of(result, "external.not_an_attack")[0].t
        late = [e for e in result.events if e.t > said
                and e.kind in ("intcen.assessment", "partner.attribution", "partner.sanctions")]
        assert not late, late


def test_eu_language_that_attributes_is_disproportionate_after_the_statement():
    """A statement naming the state is recorded as disproportionate (docs/machinery.md
    section 6), by the engine and by scoring's reading of the log alike; language that names
    no one stays proportionate."""
    measures = {m.id: m for m in STANDARD_TOOLBOX}
    for seed in SEEDS:
        result = run(load(NOT_AN_ATTACK.format(type="not_an_attack", at="2h")), seed)
        (proposed,) = of(result, "measure.proposed")
        assert proposed.payload["proportionate"] is False
        assert "said not to be an attack" in proposed.payload["proportionality"]
        state = State.from_events(result.events)
        assert state.not_an_attack
        fits, why = proportionate(measures["attribution_statement"], state)
        assert not fits and "said not to be an attack" in why
        assert proportionate(measures["hr_declaration"], state)[0]  # grade 0: names no one


def test_a_scripted_attribution_after_the_statement_is_refused(ttx, tmp_path):
    text = NOT_AN_ATTACK.format(type="not_an_attack", at="2h").replace(
        "msel:",
        "  - {id: EXT-US, type: allied_attribution, at: 5d, partner: US, description: Named.}\n"
        "msel:", 1)
    path = write(tmp_path, text)
    result = ttx("validate", path)
    assert result.code == 2
    assert (f"{path}:{at(text, 'allied_attribution, at: ')}: external_events[1].at: external "
            "event 'EXT-NOT' states at 2h that the incident is not an attack") in result.err


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("", "a not_an_attack statement needs exactly one of 'partner'"),
        ("\n    vendor: Acme", "a not_an_attack statement needs exactly one of 'partner'"),
        ("", "unknown partner 'XX'"),
    ],
    ids=["nobody", "both", "unknown-partner"],
)
def test_a_statement_names_one_who_says_it(ttx, tmp_path, fields, message):
    text = NOT_AN_ATTACK.format(type="not_an_attack", at="2h")
    if message.startswith("unknown"):
        text = text.replace("    partner: US\n    description: The", "    partner: XX\n"
                            "    description: The")
    elif fields:
        text = text.replace("    partner: US\n", "    partner: US" + fields + "\n")
    else:
        text = text.replace("    partner: US\n    description: The", "    description: The")
    result = ttx("validate", write(tmp_path, text))
    assert result.code == 2 and message in result.err, result.err


# --------------------------------------------------------------------------------------------
# the new kinds are declared and shown


@pytest.mark.parametrize(
    ("kind", "field"),
    [("presidency.handover", "incoming"), ("external.vendor_attribution", "vendor"),
     ("external.not_an_attack", "partner")],
)
def test_ttx_kinds_shows_the_new_kinds_with_their_fields(ttx, kind, field):
    result = ttx("kinds", kind, "--json")
    assert result.code == 0, result.err
    (entry,) = json.loads(result.out)
    assert entry["kind"] == kind and field in entry["fields"] and entry["description"]
