"""The catalogue of event kinds is the one place kinds are defined; references agree with it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import get_args

import pytest

from simulator.engine import Simulation
from simulator.engine.records import Event, describe, parse_record
from simulator.errors import TtxError
from simulator.kinds import (
    EVENT_KINDS,
    EXTERNAL_EVENT_KINDS,
    OPTIONAL_FIELDS,
    PAYLOAD_FIELDS,
    PAYLOADS,
    namespace,
)
from simulator.scenario.loader import load_scenario, parse_scenario
from simulator.scenario.models import ExternalEvent

from .conftest import ROOT


def test_every_external_event_type_is_logged_as_a_known_kind():
    """A scenario's external event can be waited on and scored through its kind."""
    types = set(get_args(ExternalEvent.model_fields["type"].annotation))
    assert set(EXTERNAL_EVENT_KINDS) == types
    assert set(EXTERNAL_EVENT_KINDS.values()) <= set(EVENT_KINDS)


def test_kinds_are_namespaced_and_documented():
    for kind, text in EVENT_KINDS.items():
        assert kind.count(".") == 1 and kind == kind.lower(), kind
        assert text.strip(), kind
    assert namespace("cyclone.assessment") == "cyclone"


def _library_runs() -> Iterator[list[Event]]:
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    files += sorted((ROOT / "tests" / "data" / "history").glob("*.yaml"))
    for path in files:
        loaded = load_scenario(path)
        for seed in range(12):
            yield Simulation(loaded, seed).run().events


def _assert_readable(events: list[Event]) -> None:
    """Each record, as written to a log, passes the reader's check of its declared types
    (the declaration is what the engine emits, or the reader would refuse real logs), and
    nothing happens after the run's end (the reader refuses that too)."""
    end = next(e.payload["end"] for e in events if e.kind == "run.started")
    for event in events:
        record = json.loads(event.to_json())
        try:
            back = parse_record(record, event.kind)
        except TtxError as exc:
            raise AssertionError(f"{exc} in {record}") from None
        assert back.as_dict() == event.as_dict()
        assert event.t <= end


def test_every_record_carries_exactly_the_documented_payload():
    """Scoring, reports and the console rely on the fields PAYLOAD_FIELDS lists for a kind,
    with the types PAYLOADS declares."""
    seen = set()
    for events in _library_runs():
        _assert_readable(events)
        for event in events:
            seen.add(event.kind)
            expected = set(PAYLOAD_FIELDS[event.kind])
            extra = set(event.payload) - expected
            assert expected <= set(event.payload), (event.kind, expected - set(event.payload))
            assert extra <= set(OPTIONAL_FIELDS.get(event.kind, ())), (event.kind, extra)
    # the library and the historical cases exercise every kind the engine documents, but for
    # the ones only a failing run or a live session (evaluators' notes) makes, ENISA's
    # incident review report, which comes weeks after any exercise has ended, and a second
    # review request (tests/test_engine_properties.py makes both happen). A headless run
    # leaves a decision unresolved when the policy still deliberates on it at the end.
    assert set(EVENT_KINDS) - seen == {
        "run.failed", "run.interrupted", "observation.noted",
        "incident_review.completed", "incident_review.joined",
    }


def test_the_records_only_some_runs_make_have_their_declared_types(monkeypatch):
    """The kinds no library run makes are held to their types too, made the way a run makes
    them: a failure in the machinery, an interruption, a decision left open in a session, and
    a second incident review request whose report comes inside the exercise."""
    minimal = load_scenario(ROOT / "tests" / "data" / "minimal.yaml")
    unresolved = Simulation(minimal, 1, interactive=True).run().events
    interrupted = Simulation(minimal, 1)
    interrupted.advance(600)
    library = ROOT / "scenarios" / "presidency-ddos.yaml"
    data = load_scenario(library).scenario.model_dump(mode="json", by_alias=True)
    review = copy.deepcopy(data)
    review["timings"]["incident_review"] = {"kind": "uniform", "low": "2h", "high": "4h"}
    review["decision_points"].append({
        "id": "DP-TWO-REVIEWS", "prompt": "Review?", "decided_by": "presidency", "at": "1d",
        "options": [{"id": "act", "label": "Ask ENISA",
                     "effects": [{"request_incident_review": "commission"},
                                 {"request_incident_review": "cyclone"}]},
                    {"id": "hold", "label": "Do not"}],
        "default": "act",
    })
    reviewed = Simulation(parse_scenario(json.dumps(review).encode(), "review.yaml"), 3)

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("actors.council.Council.wire", boom)
    failed = Simulation(minimal, 1).run().events
    monkeypatch.undo()
    runs = [unresolved, interrupted.interrupt("SIGINT").events, reviewed.run().events, failed]
    kinds = set()
    for events in runs:
        _assert_readable(events)
        kinds |= {e.kind for e in events}
    assert {"run.failed", "run.interrupted", "decision.unresolved", "incident_review.joined",
            "incident_review.completed"} <= kinds


def test_the_typed_declaration_gives_the_field_lists():
    """PAYLOAD_FIELDS and OPTIONAL_FIELDS are read from PAYLOADS: one declaration, whose
    every type the reader knows how to check and to name in an error."""
    for kind, fields in PAYLOADS.items():
        assert set(PAYLOAD_FIELDS[kind]) | set(OPTIONAL_FIELDS.get(kind, ())) == set(fields)
        assert not set(PAYLOAD_FIELDS[kind]) & set(OPTIONAL_FIELDS.get(kind, ()))
        for field in fields.values():
            assert describe(field)


def _sample() -> list[Event]:
    """The first run of the espionage scenario that holds every kind the test below needs."""
    scenario = load_scenario(ROOT / "scenarios" / "supply-chain-state-actor.yaml")
    needed = {"intcen.assessment", "partner.attribution", "measure.adopted", "run.started",
              "entity.compromised", "adversary.impact"}
    for seed in range(40):
        events = Simulation(scenario, seed).run().events
        if needed <= {e.kind for e in events}:
            return events
    raise AssertionError(f"no run of 40 has all of {sorted(needed)}")


_SAMPLE = _sample()


@pytest.mark.parametrize(("kind", "field", "value"), [
    ("intcen.assessment", "attribution_grade", None),
    ("intcen.assessment", "confidence", 1.5),
    ("partner.attribution", "partner", ["US"]),
    ("measure.adopted", "attribution_grade", 5),
    ("run.started", "scenario", "../secret"),
    ("entity.compromised", "criticality", "apocalyptic"),
    ("adversary.impact", "significant", 1),
])
def test_a_value_outside_its_declared_type_is_refused(kind, field, value):
    """The declaration is strict: no null where the engine never writes one, no number out of
    its range, no list for an id, no path for a scenario id, no number for a boolean."""
    record = json.loads(next(e for e in _SAMPLE if e.kind == kind).to_json())
    parse_record(record, "log")
    record["payload"][field] = value
    with pytest.raises(TtxError, match=rf"{kind} needs {field!r} to be"):
        parse_record(record, "log")
