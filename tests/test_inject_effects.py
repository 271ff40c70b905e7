"""Injects that state facts change the world: an inject's ``effects`` apply when it is
delivered, as a decision option's do, so a run never contradicts what the MSEL tells players
(a Dutch provider that finds the intruder at 2 h is a detection at 2 h)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from simulator.engine import Simulation
from simulator.engine.records import read_log, write_log
from simulator.scenario import load_scenario
from simulator.scenario.effects import FACTS, describe_effect
from simulator.scenario.loader import parse_scenario
from simulator.scenario.msel import msel_rows
from simulator.scenario.schema import scenario_json_schema
from simulator.sessions.session import Session, start_session
from simulator.sessions.store import SessionStore

from .conftest import GOLDEN, ROOT, assert_golden

HOUR = 60.0
DAY = 24 * HOUR
SEEDS = range(8)

#: two Member States hit at the start; left alone, nobody there notices anything before 1d
WORLD = """\
schema_version: 1
metadata:
  id: inject-facts
  title: Injects that state facts
  description: A campaign nobody notices by itself before a day has passed.
  start: 2026-01-05T08:00:00Z
  duration: {duration}
  presidency: CY
objectives:
  - {{id: O1, text: Report, capability: Reporting, level: technical}}
campaign:
  threat_actor: {{name: Test actor, state_link: none}}
  waves:
    - id: W1
      at: 0m
      vector: supply_chain
      targets: {{member_states: [NL, DE], sectors: [ict_service_management]}}
      spread: {{probability: 0.0}}
      impact: {{entities_per_member_state: 4, data_exfiltration: true}}
      detection:
        time_to_detect: {{kind: triangular, low: 1d, mode: 2d, high: 3d}}
        probability: 0.6
{external}msel:
  injects:
{injects}
  contingency_injects:
    - {{id: CON-1, from: exercise_control, to: [all_players], mode: briefing, synopsis: Spare}}
{contingency}"""


def world(injects: str = "", external: str = "", contingency: str = "",
          duration: str = "4d") -> str:
    return WORLD.format(
        injects=injects or "    - {id: I0, at: 1h, from: media, to: [all_players], "
        "mode: news_report, synopsis: Nothing}",
        external=external, contingency=contingency, duration=duration,
    )


def scenario(text: str):
    return parse_scenario(text.encode(), "inject-facts.yaml")


def finds(member_state: str, at: str = "2h", extra: str = "") -> str:
    return (
        f"    - id: FIND\n      at: {at}\n      from: {member_state}.entities\n"
        f"      to: [{member_state}.csirt]\n      mode: phone\n"
        f"      synopsis: A provider finds the intruder.\n"
        f"      effects:\n        - detect: {{member_state: {member_state}{extra}}}\n"
    )


def run(text: str, seed: int):
    return Simulation(scenario(text), seed).run().events


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_a_detection_at_2h_makes_the_member_states_entities_aware_at_2h(seed):
    """Every compromised Dutch entity is detected at the inject's time, and their NIS2 clocks
    run from then (the early warning is due 24 h later); Germany's keep their own time."""
    events = run(world(finds("NL")), seed)
    compromised = {e.payload["entity"] for e in events
                   if e.kind == "entity.compromised" and e.member_state == "NL"}
    detected = [e for e in events if e.kind == "entity.detected"]
    at_2h = {e.payload["entity"] for e in detected if e.t == 2 * HOUR}
    assert at_2h == compromised and len(compromised) == 4
    assert all(e.member_state == "NL" for e in detected if e.t < DAY)
    assert sum(e.payload["entity"] in compromised for e in detected) == 4, "detected once each"
    warnings = [e for e in events
                if e.kind == "entity.early_warning" and e.payload["entity"] in compromised]
    assert warnings and all(e.payload["due"] == 2 * HOUR + DAY for e in warnings)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_detection_with_a_number_of_entities_makes_only_those_hit_first_aware(seed):
    """``entities: 1``: the first entity compromised there, and only it."""
    events = run(world(finds("NL", extra=", entities: 1")), seed)
    early = [e for e in events if e.kind == "entity.detected" and e.t < DAY]
    assert [(e.t, e.payload["entity"]) for e in early] == [(2 * HOUR, "NL-W1-1")]


def test_a_detection_where_nothing_is_compromised_yet_changes_nothing():
    """Delivered before the campaign reaches the Member State, a detection finds nothing: the
    run is the run without the effect, the inject's record aside."""
    stated = finds("DE", at="3h").replace("at: 3h", "when: {after: 3h}")
    text = world(stated).replace("at: 0m\n      vector", "at: 6h\n      vector")
    plain = text.replace("      effects:\n        - detect: {member_state: DE}\n", "")
    assert plain != text
    for seed in range(3):
        events, without = run(text, seed), run(plain, seed)
        assert any(e.kind == "inject.delivered" and e.subject == "FIND" for e in events)
        assert [e.to_json() for e in events if not e.kind.startswith(("inject.", "run."))] == [
            e.to_json() for e in without if not e.kind.startswith(("inject.", "run."))
        ]


def test_the_inject_record_names_its_effects_and_the_log_reads_back(tmp_path):
    """``inject.delivered`` lists the effects it applied, as ``decision.made`` does; an inject
    without effects carries no such field, and the log is read back as written."""
    events = run(world(finds("NL")), 1)
    delivered = {e.subject: e for e in events if e.kind == "inject.delivered"}
    assert list(delivered["FIND"].payload["effects"]) == ["detect"]
    log = tmp_path / "run.jsonl"
    with log.open("w", encoding="utf-8") as out:
        write_log(events, out)
    assert [e.to_json() for e in read_log(log)] == [e.to_json() for e in events]
    other = run(world(), 1)
    assert all("effects" not in e.payload for e in other if e.kind == "inject.delivered")


# -- public disclosure ------------------------------------------------------------------------

DISCLOSING = """\
    - id: ADVISORY
      at: 3h
      from: vendor
      to: [csirts_network]
      mode: document
      synopsis: The vendor confirms a build-system compromise.
      effects:
        - public_disclosure: vendor
"""
SCRIPTED = """\
external_events:
  - id: EXT-V
    type: vendor_disclosure
    at: 3h
    description: The vendor confirms a build-system compromise.
"""


def _normalised(events) -> list[str]:
    """The log without what names the source: the inject's own record, the subject of the
    disclosure and what the CSIRTs network's exchange says it is on."""
    rows = []
    for e in events:
        if e.kind.startswith(("inject.", "run.")):
            continue
        payload = dict(e.payload)
        subject = e.subject
        if e.kind == "external.vendor_disclosure":
            subject = "disclosure"
        if e.kind == "csirts_network.indicators_shared" and "on" in payload:
            payload["on"] = "disclosure"
        rows.append(json.dumps([e.t, e.kind, e.actor, subject, e.member_state, payload],
                               sort_keys=True))
    return rows


@pytest.mark.parametrize("seed", range(5))
def test_a_public_disclosure_does_what_a_scripted_vendor_disclosure_does(seed):
    """An inject's vendor disclosure is the scripted external event: the same record (with
    the inject as its subject), and the same run after it, the CSIRTs network's indicator
    exchange on it included."""
    stated = run(world(DISCLOSING), seed)
    scripted = run(world(external=SCRIPTED), seed)
    disclosure = next(e for e in stated if e.kind == "external.vendor_disclosure")
    assert (disclosure.t, disclosure.subject, disclosure.actor) == (3 * HOUR, "ADVISORY", "vendor")
    assert disclosure.payload["type"] == "vendor_disclosure"
    exchange = [e for e in stated if e.kind == "csirts_network.indicators_shared"
                and e.payload.get("on") == "vendor disclosure ADVISORY"]
    assert exchange and exchange[0].t > 3 * HOUR
    assert _normalised(stated) == _normalised(scripted)


def test_a_media_disclosure_is_a_media_leak():
    """``public_disclosure: media`` is logged as ``external.media_leak`` by the media."""
    events = run(world(DISCLOSING.replace("public_disclosure: vendor",
                                          "public_disclosure: media")), 0)
    leak = [e for e in events if e.kind.startswith("external.")]
    assert [(e.kind, e.actor, e.subject, e.payload["description"]) for e in leak] == [
        ("external.media_leak", "media", "ADVISORY",
         "The vendor confirms a build-system compromise.")
    ]


def test_a_condition_may_wait_for_the_disclosure_an_inject_states():
    """An inject that discloses is the subject of its event, as an external event is, so a
    condition can name it."""
    waiting = (
        "    - {id: AFTER, when: {event: {kind: external.vendor_disclosure, subject: ADVISORY}}, "
        "from: media, to: [all_players], mode: news_report, synopsis: Follows}\n"
    )
    events = run(world(DISCLOSING + waiting), 0)
    delivered = {e.subject: e.t for e in events if e.kind == "inject.delivered"}
    assert delivered["AFTER"] == delivered["ADVISORY"] == 3 * HOUR


# -- a partner's attribution ------------------------------------------------------------------

ATTRIBUTING = """\
    - id: US-NAMES
      at: 1d
      from: partner.US
      to: [eeas]
      mode: phone
      synopsis: Washington names the state behind the campaign.
      effects:
        - partner_attribution: {partner: US, grade: 2}
"""


@pytest.mark.parametrize("seed", range(4))
def test_a_partner_attribution_raises_the_partner_grade_at_the_injects_time(seed):
    """``State.partner_grade`` is -1 up to the inject and its grade from the inject on; the
    record is the scripted partner attribution's, with the inject as its subject."""
    sim = Simulation(scenario(world(ATTRIBUTING)), seed)
    sim.advance(DAY)
    assert sim.kernel.state.partner_grade == -1
    new = sim.advance(DAY, through=True)
    assert sim.kernel.state.partner_grade == 2
    assert "US" in sim.kernel.state.partners_attributed
    attribution = [e for e in new if e.kind == "partner.attribution"]
    assert [(e.t, e.subject, e.actor, e.payload["attribution_grade"], e.payload["scripted"])
            for e in attribution] == [(DAY, "US-NAMES", "partner.US", 2, True)]


LOUD = """\
    - id: W2
      at: 1h
      vector: ddos
      targets: {member_states: [FR, IT, ES, PL], sectors: [energy]}
      spread: {probability: 0.0}
      impact: {entities_per_member_state: 3, peak: 0.9, risk_to_life: true}
      detection: {time_to_detect: 10m, probability: 1.0}
"""


def test_a_partner_that_an_inject_made_attribute_does_not_attribute_again():
    """A partner the MSEL has already made attribute does not attribute a second time by its
    own propensity once the incident is large-scale, nor sanction twice."""
    text = world(ATTRIBUTING.replace("at: 1d", "at: 1h"), duration="20d")
    text = text.replace("state_link: none", "state_link: state_directed")
    text = text.replace("msel:\n", "world:\n  partners:\n    - {id: US, name: United States, "
                        "attribution_propensity: 1.0, sanctions_propensity: 1.0}\n"
                        "timings:\n  partner_attribution: 2d\n  partner_sanctions: 2d\nmsel:\n")
    text = text.replace("        probability: 0.6\n", "        probability: 0.6\n" + LOUD)
    text = text.replace("threat_actor: {name: Test actor,",
                        "threat_actor: {name: Test actor, attribution_difficulty: 0.0,")
    for seed in range(3):
        events = run(text, seed)
        assert any(e.kind == "classification.tier" and e.payload["tier"] == "large_scale"
                   for e in events), "the partners' own attribution was considered"
        counts = Counter(e.kind for e in events if e.kind.startswith("partner."))
        assert counts["partner.attribution"] == 1


# -- contingency injects in a live session ----------------------------------------------------

CONTINGENT = """\
    - id: CON-FIND
      from: NL.entities
      to: [NL.csirt]
      mode: phone
      synopsis: A provider finds the intruder.
      effects:
        - detect: NL
        - partner_sanctions: US
"""


def test_a_contingency_injects_effects_apply_when_the_facilitator_delivers_it(tmp_path):
    """Delivered in a live session, a contingency inject's effects apply at the moment of
    delivery, and the session's journal rebuilds exactly that."""
    path = tmp_path / "inject-facts.yaml"
    path.write_text(world(contingency=CONTINGENT), encoding="utf-8")
    with SessionStore(tmp_path / "store.sqlite3") as store:
        session = start_session(store, load_scenario(path), path.read_bytes(), seed=4)
        session.advance(5 * HOUR)
        events = session.deliver("CON-FIND")
        now = session.now
        assert now == 5 * HOUR
        detected = [e for e in events if e.kind == "entity.detected"]
        assert len(detected) == 4 and {e.t for e in detected} == {now}
        assert {e.member_state for e in detected} == {"NL"}
        sanctions = [e for e in events if e.kind == "partner.sanctions"]
        assert [(e.t, e.subject, e.actor) for e in sanctions] == [(now, "CON-FIND", "partner.US")]
        log = [e.to_json() for e in session.events]
        reopened = Session(store, store.find(session.record.id))
        assert [e.to_json() for e in reopened.events] == log


# -- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inject-effects", "inject-effects-types"])
def test_bad_inject_effects_exit_2_with_their_places(ttx, name):
    """Unknown partners, measures, alert modes and injects, facts that can find nothing,
    unknown Member States and facts in a decision option: each at its file:line:col."""
    case = GOLDEN / f"{name}.yaml"
    assert_golden(ttx("validate", case.relative_to(ROOT).as_posix()), case.with_suffix(".expected"))


def test_the_places_of_bad_references_in_inject_effects(ttx):
    """Each bad reference of an inject's effect is reported where it is written, as a decision
    effect's is."""
    result = ttx("validate", "tests/golden/inject-effects.yaml")
    assert result.code == 2
    err = result.err
    where = "tests/golden/inject-effects.yaml"
    assert (f"{where}:33:42: msel.injects[1].effects[0].partner_attribution.partner: unknown "
            "partner 'JP'") in err
    assert f"{where}:34:30: msel.injects[1].effects[1].partner_sanctions.partner: unknown " in err
    assert f"{where}:35:28: msel.injects[1].effects[2].propose_measure: unknown measure" in err
    assert f"{where}:37:27: msel.injects[1].effects[4].deliver_inject: unknown inject" in err
    assert f"{where}:25:19: msel.injects[0].effects[1].detect: no wave of the campaign" in err
    types = ttx("validate", "tests/golden/inject-effects-types.yaml").err
    assert "inject-effects-types.yaml:24:19: msel.injects[0].effects[0].detect: unknown " \
           "Member State 'XX'" in types


def test_a_timed_detection_before_any_wave_can_reach_its_member_state_is_refused(ttx, tmp_path):
    """A detection timed before the only wave that reaches the Member State has started can
    find nothing in any run; one timed after it may."""
    early = tmp_path / "early.yaml"
    early.write_text(world(finds("NL")).replace("at: 0m\n      vector", "at: 3h\n      vector"),
                     encoding="utf-8")
    result = ttx("validate", str(early))
    assert result.code == 2
    assert ("msel.injects[0].effects[0].detect: at 2h no wave can have compromised anything in "
            "NL yet (the first that can, 'W1', reaches it at 3h at the earliest)") in result.err
    late = tmp_path / "late.yaml"
    late.write_text(world(finds("NL", at="4h")).replace("at: 0m\n      vector",
                                                        "at: 3h\n      vector"),
                    encoding="utf-8")
    assert ttx("validate", str(late)).code == 0


# -- the format -------------------------------------------------------------------------------


def test_injects_take_effects_in_the_schema_and_decisions_do_not_take_facts():
    """The JSON Schema offers an inject every effect and every fact, and a decision option
    every effect but no fact."""
    defs = scenario_json_schema()["$defs"]
    inject = defs["Inject"]["properties"]["effects"]
    option = defs["DecisionOption"]["properties"]["effects"]
    facts = {f"#/$defs/{fact.__name__}" for fact in FACTS}
    assert facts <= {ref["$ref"] for ref in inject["items"]["oneOf"]}
    assert not facts & {ref["$ref"] for ref in option["items"]["oneOf"]}
    assert "effects" not in defs["Inject"].get("required", []), "optional: none by default"


def test_shorthands_read_as_their_long_forms():
    """``detect: NL``, ``public_disclosure: vendor`` and ``partner_attribution: US`` are the
    mappings they stand for, with the defaults (every entity, a vendor, grade 3)."""
    both = "public_disclosure: vendor\n        - partner_attribution: US"
    text = world(finds("NL").replace("{member_state: NL}", "NL")
                 + DISCLOSING.replace("public_disclosure: vendor", both))
    injects = {i.id: i for i in scenario(text).all_injects()}
    assert describe_effect(injects["FIND"].effects[0]) == "detect NL"
    assert [describe_effect(e) for e in injects["ADVISORY"].effects] == [
        "public disclosure by the vendor", "US attributes (grade 3)"]


def test_the_msel_handout_shows_what_each_inject_changes():
    """The handout's effects column names the facts and requests of each inject."""
    text = world(finds("NL", extra=", entities: 2") + ATTRIBUTING)
    rows = {r.inject: r for r in msel_rows(scenario(text))}
    assert rows["FIND"].effects == "detect NL (2 entities)"
    assert rows["US-NAMES"].effects == "US attributes (grade 2)"
    assert rows["CON-1"].effects == ""


# -- the library ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_the_dutch_provider_finds_the_intruder_at_2h_in_the_library(seed):
    """supply-chain-state-actor INJ-01: the Dutch provider's awareness is the run's first
    Dutch detection, at 2 h, and its early warning is due a day later."""
    loaded = load_scenario(ROOT / "scenarios" / "supply-chain-state-actor.yaml")
    events = Simulation(loaded, seed).run().events
    dutch = [e for e in events if e.kind == "entity.detected" and e.member_state == "NL"]
    assert dutch[0].t == 2 * HOUR and dutch[0].payload["entity"] == "NL-W1-1"
    assert sum(e.t == 2 * HOUR for e in dutch) == 1
    warning = next(e for e in events if e.kind == "entity.early_warning"
                   and e.payload["entity"] == "NL-W1-1")
    assert warning.payload["due"] == 2 * HOUR + DAY


def test_the_library_states_its_facts():
    """The library's injects that say someone finds or discloses something carry the effect
    that makes it so (and the library validates with them)."""
    stated = Counter()
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        for inject in load_scenario(path).scenario.all_injects():
            stated.update(type(e).__name__ for e in inject.effects)
    assert stated["Detect"] >= 10
    assert stated["PublicDisclosure"] >= 2
