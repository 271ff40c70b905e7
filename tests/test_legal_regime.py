"""The law in force at a scenario's start (docs/machinery.md section 12): a replay of a past
incident plays under the reporting obligations, bodies and instruments of its day, each
derived from ``metadata.start`` unless ``machinery.legal_regime`` sets it for a what-if.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest

from actors.rules import missing_prerequisites
from simulator.engine import Simulation
from simulator.engine.records import Event, parse_record
from simulator.engine.state import State
from simulator.errors import ScenarioError
from simulator.scenario.loader import parse_scenario
from simulator.scenario.models import Scenario
from simulator.scenario.regime import (
    CYBER_SOLIDARITY_ACT,
    CYCLONE_LAUNCHED,
    NIS1_APPLIES,
    NIS2_APPLIES,
    SANCTIONS_FRAMEWORK,
    LegalRegime,
    law_of,
    resolve,
)
from simulator.scenario.yamlread import read_yaml

SEEDS = range(6)
MINUTE = timedelta(minutes=1)
DEADLINE_KINDS = {"entity.early_warning", "entity.final_report", "entity.deadline_missed"}


def text(start: str, presidency: str, machinery: str = "", effects: str = "") -> str:
    """A NotPetya-shaped scenario: a wiper through transport operators (NIS1 covered them)
    and manufacturers (it did not) in three Member States, France's CSIRT small enough to be
    overloaded; a decision at 4h asks for a listing and whatever ``effects`` adds."""
    return f"""
schema_version: 1
metadata:
  id: regime
  title: A wiper under the law of its day
  description: Transport and manufacturing hit in three Member States.
  start: {start}
  duration: 20d
  presidency: {presidency}
objectives:
  - {{id: O1, text: Respond, capability: Response, level: foreign_policy}}
world:
  member_states:
    FR: {{csirt_capacity: 1}}
machinery:
  legal_regime: {{}}
{machinery}
campaign:
  threat_actor: {{name: Military unit, state_link: state_directed, external_threat: true}}
  waves:
    - id: W1
      at: 0m
      vector: wiper
      targets: {{member_states: [FR, DE, NL], sectors: [transport, manufacturing]}}
      spread: {{probability: 0.0}}
      impact: {{entities_per_member_state: 4, peak: 0.7}}
      detection: {{time_to_detect: {{kind: uniform, low: 1h, high: 3h}}, probability: 1.0}}
msel:
  injects:
    - {{id: I1, at: 1h, from: exercise_control, to: [FR.csirt], mode: email, synopsis: Wiped}}
decision_points:
  - id: D1
    prompt: Ask for restrictive measures?
    decided_by: FR.government
    at: 4h
    deliberation: 1m
    options:
      - id: ask
        label: France asks for a listing; the High Representative tables one
        effects:
          - propose_listing: {{member_state: FR}}
          - propose_measure: restrictive_listing
{effects}
      - {{id: wait, label: Wait}}
    default: ask
"""


#: one start in each legal period, with the Presidency of its day (Decision (EU) 2016/1316)
Y2015 = ("2015-09-01T08:00:00Z", "LU")
Y2017 = ("2017-05-02T08:00:00Z", "MT")
Y2022 = ("2022-03-01T08:00:00Z", "FR")
Y2026 = ("2026-02-02T08:00:00Z", "CY")


def load(start: tuple[str, str], machinery: str = "", effects: str = "") -> Scenario:
    return parse_scenario(text(*start, machinery, effects).encode())


def unchecked(start: tuple[str, str], machinery: str = "", effects: str = "") -> Scenario:
    """The scenario as the models read it, without the checks of the whole scenario: what an
    API user can hand the engine, so the engine must honour the law by itself."""
    raw = text(*start, machinery, effects).encode()
    return Scenario.model_validate(read_yaml(raw, "regime.yaml").data)


@cache
def runs(start: tuple[str, str], machinery: str = "") -> tuple[list[Event], ...]:
    scenario = load(start, machinery)
    return tuple(Simulation(scenario, seed).run().events for seed in SEEDS)


def kinds(events: list[Event]) -> set[str]:
    return {e.kind for e in events}


def of(events: list[Event], kind: str, **payload: Any) -> list[Event]:
    return [
        e for e in events
        if e.kind == kind and all(e.payload.get(k) == v for k, v in payload.items())
    ]


def law_record(events: list[Event]) -> dict[str, Any]:
    (record,) = of(events, "law.in_force")
    return dict(record.payload)


def with_regime(start: tuple[str, str], **elements: Any) -> str:
    """``text`` with ``machinery.legal_regime`` set (replacing the empty one)."""
    inner = ", ".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}"
                      for k, v in elements.items())
    return text(*start).replace("  legal_regime: {}", f"  legal_regime: {{{inner}}}")


# -- the calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # before the CSIRTs network first met (Malta, 22-23 February 2017)
        (datetime(2015, 5, 1, tzinfo=UTC), ("none", False, False, False, False)),
        (datetime(2017, 6, 27, tzinfo=UTC), ("none", True, False, False, False)),
        (NIS1_APPLIES - MINUTE, ("none", True, False, False, False)),
        (NIS1_APPLIES, ("nis1", True, False, False, False)),
        (SANCTIONS_FRAMEWORK - MINUTE, ("nis1", True, False, False, False)),
        (SANCTIONS_FRAMEWORK, ("nis1", True, False, True, False)),
        (CYCLONE_LAUNCHED - MINUTE, ("nis1", True, False, True, False)),
        (CYCLONE_LAUNCHED, ("nis1", True, True, True, False)),
        (datetime(2022, 3, 1, tzinfo=UTC), ("nis1", True, True, True, False)),
        (NIS2_APPLIES - MINUTE, ("nis1", True, True, True, False)),
        (NIS2_APPLIES, ("nis2", True, True, True, False)),
        (CYBER_SOLIDARITY_ACT - MINUTE, ("nis2", True, True, True, False)),
        (CYBER_SOLIDARITY_ACT, ("nis2", True, True, True, True)),
        (datetime(2026, 3, 2, tzinfo=UTC), ("nis2", True, True, True, True)),
    ],
    ids=lambda v: v.strftime("%Y-%m-%dT%H:%M") if isinstance(v, datetime) else None,
)
def test_the_start_date_gives_the_law_of_its_day(start: datetime, expected: tuple) -> None:
    """Each element of the regime follows the date it came into force: NIS1 from 10 May 2018,
    the CSIRTs network from February 2017, the sanctions framework from 18 May 2019,
    EU-CyCLONe from 29 September 2020, NIS2 from 18 October 2024 and the Cyber Solidarity Act
    from 4 February 2025."""
    law = resolve(start, LegalRegime())
    got = (law.reporting, law.csirts_network, law.cyclone, law.sanctions_framework_at(0.0),
           law.cyber_solidarity_act)
    assert got == expected
    assert law.what_if == ()


def test_the_sanctions_framework_comes_into_force_within_a_run() -> None:
    """A run that crosses 18 May 2019 gains the framework that day (the 2020 listings answered
    attacks of 2017); every other element stays as it stood at the start."""
    law = resolve(datetime(2019, 5, 8, tzinfo=UTC), LegalRegime())
    ten_days = 10 * 24 * 60.0
    assert law.sanctions_framework_from == ten_days
    assert not law.sanctions_framework_at(ten_days - 1)
    assert law.sanctions_framework_at(ten_days)
    # and the Toolbox reads it at the moment of the proposal
    scenario = load(("2019-05-08T00:00:00Z", "RO"))
    listing = scenario.toolbox.catalogue()["restrictive_listing"]
    state = State()
    state.t = ten_days - 1
    assert "a sanctions framework in force (Decision (CFSP) 2019/797)" in (
        missing_prerequisites(listing, state, scenario)
    )
    state.t = ten_days
    assert not any("sanctions framework" in m
                   for m in missing_prerequisites(listing, state, scenario))


def test_the_sanctions_framework_within_the_run_is_in_the_log() -> None:
    """``law.in_force`` says when in the run the framework comes into force."""
    events = Simulation(load(("2019-05-08T00:00:00Z", "RO")), 1).run().events
    record = law_record(events)
    assert record["sanctions_framework"] is False
    assert record["sanctions_framework_from"] == 10 * 24 * 60.0


# -- 2017: no EU-CyCLONe, no sanctions framework, no Reserve, no EU reporting obligation ------


def test_a_2017_run_has_no_eu_cyclone_even_on_a_large_scale_incident() -> None:
    """EU-CyCLONe did not exist before 29 September 2020: nothing activates it; the moment it
    would have met is logged once, with the reason."""
    for events in runs(Y2017):
        assert not kinds(events) & {"cyclone.activated", "cyclone.assessment"}
        absent = of(events, "law.not_in_force", body="cyclone")
        assert len(absent) <= 1
        if of(events, "classification.tier", tier="large_scale"):
            assert absent and "29 September 2020" in absent[0].payload["reason"]
    assert any(of(events, "law.not_in_force", body="cyclone") for events in runs(Y2017))


def test_a_2017_run_has_no_eu_reporting_obligation() -> None:
    """Before NIS1 applied (10 May 2018) no EU law obliged entities to report: no early
    warning, no final report, no deadline missed; what reaches a CSIRT is a voluntary
    notification without a deadline."""
    for events in runs(Y2017):
        assert not kinds(events) & DEADLINE_KINDS
        notifications = of(events, "entity.notification")
        assert notifications, "voluntary notifications reach the CSIRTs in some entities"
        for e in notifications:
            assert e.payload["basis"] == "voluntary"
            assert e.payload["due"] is None and e.payload["on_time"] is None
        assert law_record(events)["reporting"] == "none"


def test_a_2017_run_cannot_list_anyone() -> None:
    """Without the sanctions framework (18 May 2019) a listing is refused, for that reason."""
    for events in runs(Y2017):
        assert not of(events, "measure.adopted")
        blocked = [e for e in of(events, "measure.blocked")
                   if e.subject == "restrictive_listing"]
        assert blocked and all("sanctions framework" in e.payload["reason"] for e in blocked)


def test_a_2017_run_has_no_reserve_to_ask() -> None:
    """Before the Cyber Solidarity Act (4 February 2025) an overloaded CSIRT has no Reserve to
    ask: nothing is requested, and the log says what would have been."""
    for events in runs(Y2017):
        assert not [e for e in events if e.kind.startswith(("reserve.", "incident_review."))]
        for e in of(events, "law.not_in_force", body="reserve"):
            assert e.member_state == "FR"  # the one CSIRT small enough to be overloaded
            assert "4 February 2025" in e.payload["reason"]
    assert any(of(events, "law.not_in_force", body="reserve") for events in runs(Y2017))


def test_a_2017_run_states_its_law() -> None:
    """The log opens with the law in force, as the start date gives it."""
    events = runs(Y2017)[0]
    assert [e.kind for e in events[:2]] == ["run.started", "law.in_force"]
    assert law_record(events) == {
        "reporting": "none", "csirts_network": True, "cyclone": False,
        "cyber_solidarity_act": False, "sanctions_framework": False,
        "sanctions_framework_from": None, "what_if": [],
    }


# -- 2022: EU-CyCLONe and the framework, NIS1, no Reserve ------------------------------------


def test_a_2022_run_has_eu_cyclone_and_the_sanctions_framework() -> None:
    """In March 2022 EU-CyCLONe meets on a large-scale incident and a listing is not refused
    for want of a framework."""
    activated = [bool(of(events, "cyclone.activated")) for events in runs(Y2022)]
    assert sum(activated) >= len(SEEDS) - 1, activated
    for events in runs(Y2022):
        assert not of(events, "law.not_in_force", body="cyclone")
        for e in of(events, "measure.proposed"):
            assert not any("sanctions framework" in m for m in e.payload["missing"])


def test_a_2022_run_notifies_under_nis1() -> None:
    """NIS1: operators of essential services (transport) notify once, "without undue delay",
    with no deadline; a manufacturer, which NIS1 did not cover, only voluntarily."""
    for events in runs(Y2022):
        assert not kinds(events) & DEADLINE_KINDS
        for e in of(events, "entity.notification"):
            assert e.payload["due"] is None and e.payload["on_time"] is None
            expected = "nis1" if e.payload["sector"] == "transport" else "voluntary"
            assert e.payload["basis"] == expected, e
        transport = {e.payload["entity"] for e in of(events, "entity.detected")
                     if e.payload["sector"] == "transport"}
        notified = {e.payload["entity"] for e in of(events, "entity.notification", basis="nis1")}
        assert notified <= transport
        assert law_record(events)["reporting"] == "nis1"


def test_a_2022_run_has_no_reserve() -> None:
    """The EU Cybersecurity Reserve came with the Cyber Solidarity Act (2025)."""
    for events in runs(Y2022):
        assert not [e for e in events if e.kind.startswith(("reserve.", "incident_review."))]
        for e in of(events, "cyclone.assessment"):
            assert not any("Reserve" in m or "incident review" in m
                           for m in e.payload["mitigations"])


# -- 2026: as today ---------------------------------------------------------------------------


def test_a_2026_run_behaves_as_today() -> None:
    """Under today's law nothing is missing: NIS2's three reports with their deadlines, and
    the same log as a scenario that states today's law element by element."""
    stated = with_regime(Y2026, reporting="nis2", csirts_network=True, cyclone=True,
                         sanctions_framework=True, cyber_solidarity_act=True)
    for seed, events in zip(SEEDS, runs(Y2026), strict=True):
        assert not of(events, "law.not_in_force")
        assert of(events, "entity.early_warning")
        assert all(e.payload["due"] is not None and "basis" not in e.payload
                   for e in of(events, "entity.notification"))
        assert law_record(events) == {
            "reporting": "nis2", "csirts_network": True, "cyclone": True,
            "cyber_solidarity_act": True, "sanctions_framework": True,
            "sanctions_framework_from": 0.0, "what_if": [],
        }
        explicit = Simulation(parse_scenario(stated.encode()), seed).run().events
        assert [e.as_dict() for e in explicit] == [e.as_dict() for e in events]


# -- explicit overrides ------------------------------------------------------------------------


def test_explicit_elements_win_over_the_calendar() -> None:
    """A 2017 scenario may play today's law as a what-if, and the log names each element set
    against the calendar."""
    what_if = with_regime(Y2017, reporting="nis2", cyclone=True, sanctions_framework=True,
                          cyber_solidarity_act=True)
    scenario = parse_scenario(what_if.encode())
    events = Simulation(scenario, 1).run().events
    assert law_record(events)["what_if"] == [
        "reporting", "cyclone", "sanctions_framework", "cyber_solidarity_act",
    ]
    assert of(events, "entity.early_warning")
    assert not of(events, "law.not_in_force")
    assert any(of(e, "cyclone.activated")
               for e in (Simulation(scenario, s).run().events for s in SEEDS))
    for e in of(events, "measure.proposed"):
        assert not any("sanctions framework" in m for m in e.payload["missing"])


def test_an_element_left_out_today_is_missing_today() -> None:
    """A 2026 scenario without EU-CyCLONe and under NIS1 plays so, and says it is a what-if."""
    scenario = parse_scenario(with_regime(Y2026, cyclone=False, reporting="nis1").encode())
    law = law_of(scenario)
    assert law.what_if == ("reporting", "cyclone")
    for seed in SEEDS:
        events = Simulation(scenario, seed).run().events
        assert not of(events, "cyclone.activated")
        assert not kinds(events) & DEADLINE_KINDS
        for e in of(events, "law.not_in_force", body="cyclone"):
            assert "legal_regime.cyclone: false" in e.payload["reason"]


def test_nis2_before_2024_is_a_what_if_not_an_error() -> None:
    """NIS2's clocks in 2019 are a legitimate exercise choice: the scenario loads, and the
    log records it as a what-if."""
    scenario = parse_scenario(with_regime(("2019-09-02T08:00:00Z", "FI"),
                                          reporting="nis2").encode())
    events = Simulation(scenario, 2).run().events
    assert law_record(events)["what_if"] == ["reporting"]
    assert of(events, "entity.early_warning")


def test_the_older_name_of_the_sanctions_framework_still_works() -> None:
    """``machinery.sanctions_framework_in_force`` keeps its meaning: false refuses listings
    in 2026, true allows them in 2017."""
    off = parse_scenario(text(*Y2026, "  sanctions_framework_in_force: false").encode())
    assert law_of(off).what_if == ("sanctions_framework",)
    assert not law_of(off).sanctions_framework_at(0.0)
    events = Simulation(off, 1).run().events
    blocked = [e for e in of(events, "measure.blocked") if e.subject == "restrictive_listing"]
    assert blocked and "sanctions framework" in blocked[0].payload["reason"]
    on = parse_scenario(text(*Y2017, "  sanctions_framework_in_force: true").encode())
    assert law_of(on).sanctions_framework_at(0.0)
    # both names, saying the same: no contradiction
    both = text(*Y2017, "  sanctions_framework_in_force: true").replace(
        "  legal_regime: {}", "  legal_regime: {sanctions_framework: true}")
    assert law_of(parse_scenario(both.encode())).sanctions_framework_at(0.0)


# -- before the CSIRTs network ------------------------------------------------------------------


def test_before_the_csirts_network_nothing_reaches_the_eu_level() -> None:
    """In 2015 national CSIRTs had no network to pass incidents on to: the EU level learns of
    nothing, no tier is reached, and each CSIRT's first incident is logged as such."""
    for events in runs(Y2015):
        assert not [e for e in events if e.kind.startswith(("csirts_network.", "classification."))]
        absent = of(events, "law.not_in_force", body="csirts_network")
        informed = {e.member_state for e in of(events, "csirt.feedback")}
        assert {e.member_state for e in absent} == informed
        assert len(absent) == len(informed)


# -- refused at run time, for a scenario that skipped the checks -------------------------------

REQUESTS = """          - cyclone: activate
          - request_reserve: {member_state: FR}
          - request_incident_review: commission
          - csirts_network_alert: high"""


def test_requests_for_bodies_that_did_not_exist_are_refused_with_the_reason() -> None:
    """The validator refuses them; a scenario built without its checks still cannot call up a
    body the law did not have: each request is logged as refused, with why."""
    with pytest.raises(ScenarioError):
        load(Y2015, effects=REQUESTS)
    events = Simulation(unchecked(Y2015, effects=REQUESTS), 1).run().events
    assert not kinds(events) & {"cyclone.activated", "reserve.deployed",
                                "incident_review.requested", "csirts_network.alert"}
    by_body = {e.payload["body"]: e for e in of(events, "law.not_in_force")
               if e.payload["requested_by"] == "decision D1"}
    assert set(by_body) == {"cyclone", "incident_review", "csirts_network"}
    assert "29 September 2020" in by_body["cyclone"].payload["reason"]
    assert "Regulation (EU) 2025/38" in by_body["incident_review"].payload["reason"]
    assert "22 February 2017" in by_body["csirts_network"].payload["reason"]
    (refused,) = of(events, "reserve.refused")
    assert "Cyber Solidarity Act" in refused.payload["reason"]


# -- validation at file:line:col ---------------------------------------------------------------


def test_asking_for_eu_cyclone_in_2017_is_an_error_at_its_place(ttx, tmp_path) -> None:
    """An effect that asks for a body the law of the start did not have is an error at the
    effect, saying since when it exists and how to play it anyway."""
    source = text(*Y2017, effects="          - cyclone: activate")
    path = tmp_path / "old.yaml"
    path.write_text(source, encoding="utf-8")
    result = ttx("validate", str(path))
    assert result.code == 2
    lines = source.splitlines()
    line = next(i for i, s in enumerate(lines, 1) if s.strip() == "- cyclone: activate")
    col = lines[line - 1].index("activate") + 1
    assert (f"old.yaml:{line}:{col}: decision_points[0].options[0].effects[2].cyclone: no "
            "EU-CyCLONe to activate: EU-CyCLONe did not exist yet (launched on 29 September "
            "2020") in result.err
    assert "set machinery.legal_regime.cyclone: true for a what-if" in result.err


def test_nis2_deadlines_scored_under_nis1_are_an_error() -> None:
    """A deadline_compliance metric needs a deadline: NIS1 set none."""
    source = text(*Y2022) + """scoring:
  - objective: O1
    metrics: [{kind: deadline_compliance, report: early_warning}]
"""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(source.encode(), "nis1.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.location == "scoring[0].metrics[0].report"
    assert "Art 14(3)" in diagnostic.message and "time_between" in diagnostic.message


# -- the log -------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [Y2015, Y2017, Y2022], ids=["2015", "2017", "2022"])
def test_the_records_of_an_older_law_read_back(start: tuple[str, str]) -> None:
    """A log written under an older law (notifications without a due time, the law stated,
    steps not in force) is read back by the log reader as it was written."""
    for events in runs(start)[:2]:
        for event in events:
            record = json.loads(event.to_json())
            assert parse_record(record, event.kind).as_dict() == event.as_dict()
