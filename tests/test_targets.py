"""Who a wave strikes, as real cases need it: per-country entity counts, a threat actor per
wave (or none), Union entities reporting to CERT-EU, and organisations NIS2 does not cover."""

from __future__ import annotations

from functools import cache

import yaml

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.scenario.loader import parse_scenario

BASE = {
    "schema_version": 1,
    "metadata": {
        "id": "targets", "title": "Targets", "description": "Who is hit.",
        "start": "2026-03-02T07:00:00Z", "duration": "20d", "presidency": "CY",
    },
    "objectives": [{"id": "O1", "text": "See.", "capability": "Awareness",
                    "level": "operational"}],
    "campaign": {
        "threat_actor": {"name": "Hacktivist collective", "state_link": "suspected"},
        "waves": [
            {"id": "W1", "at": "0m", "vector": "ddos", "spread": {"probability": 0.0},
             "targets": {"eu_institutions": 3, "sectors": ["public_administration"]},
             "impact": {"peak": 0.6},
             "detection": {"probability": 1.0}},
            {"id": "W2", "at": "1h", "vector": "phishing", "spread": {"probability": 0.0},
             "threat_actor": {"name": "Military intelligence unit",
                              "state_link": "state_directed"},
             "targets": {"member_states": ["DE", "FR"],
                         "sectors": ["political_parties", "public_administration"]},
             "impact": {"entities": {"DE": 6}, "entities_per_member_state": 2, "peak": 0.1,
                        "data_exfiltration": True},
             "detection": {"probability": 1.0}},
        ],
    },
    "msel": {"injects": [{"id": "I1", "at": "1h", "from": "media", "to": ["all_players"],
                          "mode": "news_report", "synopsis": "Sites are down.",
                          "objectives": ["O1"]}]},
}


@cache
def run(seed: int) -> tuple[Event, ...]:
    scenario = parse_scenario(yaml.safe_dump(BASE).encode(), "targets.yaml")
    return tuple(Simulation(scenario, seed).run().events)


def test_per_country_counts_override_the_default() -> None:
    """impact.entities gives a Member State its own count; the others keep the default."""
    for seed in range(5):
        compromised = [e for e in run(seed) if e.kind == "entity.compromised"
                       and e.subject == "W2"]
        by_ms = {ms: sum(1 for e in compromised if e.member_state == ms) for ms in ("DE", "FR")}
        assert by_ms == {"DE": 6, "FR": 2}


def test_each_wave_names_who_is_behind_it() -> None:
    started = {e.subject: e.payload["threat_actor"] for e in run(0)
               if e.kind == "adversary.wave_started"}
    assert started == {"W1": "Hacktivist collective", "W2": "Military intelligence unit"}


def test_union_entities_report_to_cert_eu_and_count_for_no_member_state() -> None:
    """The Union entities (CERT-EU's constituency) belong to no Member State: their reports go
    to CERT-EU, which passes the incident on to the CSIRTs network once; the network shares
    indicators on it; no Member State is affected by them, nor is the tier raised by them."""
    for seed in range(5):
        events = run(seed)
        union = [e for e in events if e.kind == "entity.compromised" and e.subject == "W1"]
        assert len(union) == 3 and all(e.member_state is None for e in union)
        assert all(e.payload["entity"].startswith("EUI-W1-") for e in union)
        informed = [e for e in events if e.kind == "cert_eu.informed"]
        assert len(informed) == 1
        feedback = [e for e in events if e.kind == "cert_eu.feedback"]
        reports = [e for e in events if e.kind.startswith("entity.") and e.member_state is None
                   and e.kind in ("entity.early_warning", "entity.notification",
                                  "entity.final_report")]
        assert reports and len(feedback) == len(reports)
        assert any(e.kind == "csirts_network.indicators_shared"
                   and e.payload.get("on") == "CERT-EU's report on the Union entities"
                   for e in events)
        assert not [e for e in events if e.kind == "csirts_network.informed"
                    and e.subject == "W1"]


def test_organisations_outside_nis2_are_hit_but_do_not_report() -> None:
    """A political party's mail read: the party is compromised and finds out, but NIS2 does
    not cover it, so it runs no reporting clock; the ministries hit by the same wave do."""
    for seed in range(5):
        events = run(seed)
        sectors = {e.payload["entity"]: e.payload["sector"] for e in events
                   if e.kind == "entity.compromised"}
        parties = {entity for entity, sector in sectors.items() if sector == "political_parties"}
        assert parties
        detected = {e.payload["entity"] for e in events if e.kind == "entity.detected"}
        assert parties <= detected
        reporting = {e.payload["entity"] for e in events if e.kind in (
            "entity.early_warning", "entity.notification", "entity.deadline_missed")}
        assert not parties & reporting
        assert reporting - {e for e in reporting if e.startswith("EUI")}, "ministries report"


def test_a_count_for_a_member_state_the_wave_never_reaches_is_refused(ttx, tmp_path) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["campaign"]["waves"][1]["impact"]["entities"] = {"DE": 6, "PT": 2}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = ttx("validate", str(path))
    assert result.code == 2
    assert "impact.entities.PT: wave W2 never reaches PT" in result.err
    line = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, text in enumerate(line, 1) if text.strip().startswith("PT:"))
    assert f"bad.yaml:{row}:" in result.err


def test_an_attack_wave_marked_as_no_ones_is_refused(ttx, tmp_path) -> None:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    data["campaign"]["waves"][1]["threat_actor"] = "none"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = ttx("validate", str(path))
    assert result.code == 2
    assert "wave W2 is a phishing attack: someone is behind it" in result.err
