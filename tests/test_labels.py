"""The one table of plain words (simulator.labels): every event kind, body, national body,
partner, role, measure, tier and IPCR mode has words, and the words hold no raw id."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator import labels
from simulator.engine.records import Event
from simulator.kinds import EVENT_KINDS
from simulator.labels import RAW_ID, Labels, duration, plain
from simulator.scenario.loader import load_scenario
from simulator.scenario.reference import (
    EU_BODIES,
    IPCR_MODES,
    MEMBER_STATES,
    NATIONAL_BODIES,
    OTHER_PARTICIPANTS,
    TIERS,
)

from .conftest import SCENARIOS

#: what no label may contain: a kind (``cyclone.activated``) or a ``snake_case`` id
RAW = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\b[a-z_0-9]+\.[a-z_]+\b")


def test_every_event_kind_has_a_label():
    """Read at test time: a kind someone adds to simulator.kinds without words here fails."""
    missing = sorted(set(EVENT_KINDS) - set(labels.EVENT_LABELS))
    assert not missing, f"add a label in simulator/labels.py for: {', '.join(missing)}"
    assert not set(labels.EVENT_LABELS) - set(EVENT_KINDS), "a label for no kind"


@pytest.mark.parametrize("kind", sorted(labels.EVENT_LABELS))
def test_a_label_is_words(kind):
    """Each form is plain words: no kind, no ``snake_case`` id, nothing empty; a named form
    takes the measure's name."""
    label = labels.EVENT_LABELS[kind]
    forms = [label.sentence, label.noun, label.plural, *(label.named or ())]
    for form in forms:
        assert form.strip() and not RAW.search(form) and not RAW_ID.search(form), (kind, form)
    if label.named:
        assert all("{measure}" in form for form in label.named)


def test_every_body_and_participant_pattern_has_words():
    words = Labels()
    for body in [*EU_BODIES, *OTHER_PARTICIPANTS]:
        said = words.participant(body)
        assert said and "_" not in said and said != body, (body, said)
    for code, name in MEMBER_STATES.items():
        for body in NATIONAL_BODIES:
            said = words.participant(f"{code}.{body}")
            assert name in said and "." not in said, said
    assert words.participant("LT.authority") == "Lithuania's cyber crisis authority"
    assert words.participant("NL.csirt") == "the Netherlands' national CSIRT"
    assert words.participant("DE.entities") == "the affected entities in Germany"
    assert words.participant("partner.US") == "the United States"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_scenarios_roles_partners_and_measures_have_their_names(path):
    scenario = load_scenario(path).scenario
    words = Labels(scenario)
    for role in scenario.roles:
        assert words.participant(role.id) == role.name
    for partner in scenario.world.partners:
        assert partner.name in words.participant(f"partner.{partner.id}")
    for measure in scenario.toolbox.catalogue().values():
        assert words.measure(measure.id) == measure.name
        assert words.event("measure.adopted", measure.id) == f"{measure.name} was adopted"


def test_tiers_and_ipcr_modes_have_words():
    for tier in TIERS:
        assert "_" not in labels.tier(tier) and "_" not in labels.tier_phrase(tier)
    for mode in IPCR_MODES:
        assert "_" not in labels.ipcr_mode(mode)
    assert labels.tier("large_scale") == "large-scale"
    assert labels.ipcr_mode("information_sharing") == "information sharing"


@pytest.mark.parametrize(("minutes", "said"), [
    (0, "no time"), (45, "45 minutes"), (60, "1 hour"), (1487, "1 day and 47 minutes"),
    (3502, "2 days, 10 hours and 22 minutes"), (43200, "1 month"), (10 * 43200, "10 months"),
])
def test_durations_read_as_words(minutes, said):
    assert duration(minutes) == said


def test_engine_text_is_put_in_words():
    """A reason the engine wrote, with tiers, kinds and bodies in it, comes out in words."""
    said = plain("missing prerequisites: tier significant (now below_threshold); "
                 "cyclone.activated by LT.authority via csirts_network")
    assert said == ("missing prerequisites: a significant incident (now below the "
                    "threshold); EU-CyCLONe's activation by Lithuania's cyber crisis authority "
                    "via the CSIRTs network")


@given(st.sampled_from(sorted(EVENT_KINDS)), st.sampled_from([None, *sorted(MEMBER_STATES)]))
def test_describing_any_record_names_no_raw_id(kind, member_state):
    """Whatever the kind and the Member State, a record described holds no raw kind or
    participant id (its payload here is empty: each field is read defensively)."""
    from types import MappingProxyType

    said = Labels().describe(Event(0.0, kind, "test", None, member_state, MappingProxyType({})))
    assert said and kind not in said and not RAW_ID.search(said), said
