"""The catalogue of event kinds is the one place kinds are defined; references agree with it."""

from __future__ import annotations

from typing import get_args

from simulator.kinds import EVENT_KINDS, EXTERNAL_EVENT_KINDS, namespace
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
