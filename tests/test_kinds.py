"""The catalogue of event kinds is the one place kinds are defined; references agree with it."""

from __future__ import annotations

from typing import get_args

from simulator.kinds import (
    EVENT_KINDS,
    EXTERNAL_EVENT_KINDS,
    OPTIONAL_FIELDS,
    PAYLOAD_FIELDS,
    namespace,
)
from simulator.scenario.models import ExternalEvent


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


def _library_events():
    from simulator.engine import Simulation
    from simulator.scenario.loader import load_scenario

    from .conftest import ROOT

    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    files += sorted((ROOT / "tests" / "data" / "history").glob("*.yaml"))
    for path in files:
        loaded = load_scenario(path)
        for seed in range(12):
            yield from Simulation(loaded, seed).run().events


def test_every_record_carries_exactly_the_documented_payload():
    """Scoring, reports and the console rely on the fields PAYLOAD_FIELDS lists for a kind."""
    seen = set()
    for event in _library_events():
        seen.add(event.kind)
        expected = set(PAYLOAD_FIELDS[event.kind])
        extra = set(event.payload) - expected
        assert expected <= set(event.payload), (event.kind, expected - set(event.payload))
        assert extra <= set(OPTIONAL_FIELDS.get(event.kind, ())), (event.kind, extra)
    # the library and the historical cases exercise every kind the engine documents, but for
    # the ones only a failing run or a live session (open decisions, evaluators' notes) makes,
    # ENISA's incident review report, which comes weeks after any exercise has ended, and a
    # second review request (tests/test_engine_properties.py makes both happen)
    assert set(EVENT_KINDS) - seen == {
        "run.failed", "decision.unresolved", "observation.noted", "incident_review.completed",
        "incident_review.joined",
    }
