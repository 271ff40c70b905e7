"""What the console shows, folded from the log without Textual (``tui.picture``)."""

from __future__ import annotations

import itertools
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.engine.records import Event
from simulator.kinds import NIS2_REPORTS
from simulator.scenario.loader import LoadedScenario, load_scenario
from tui.picture import Picture, describe, matches, track_of

from .conftest import SCENARIOS


@cache
def run(index: int, seed: int) -> tuple[LoadedScenario, tuple[Event, ...]]:
    loaded = load_scenario(SCENARIOS[index])
    return loaded, tuple(Simulation(loaded, seed).run().events)


def snapshot(picture: Picture) -> tuple[object, ...]:
    return (picture.ladder(), picture.tier, [vars(r) for r in picture.board()],
            picture.msel(), picture.current_move(), picture.now)


@settings(max_examples=20, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 5),
       cuts=st.lists(st.floats(0, 1), max_size=8))
def test_a_picture_fed_in_pieces_is_the_picture_fed_at_once(index, seed, cuts):
    """The console's worker feeds the picture frame by frame; a resumed console feeds it
    the whole log at once: both show the same."""
    loaded, events = run(index, seed)
    whole = Picture(loaded.scenario)
    whole.add(events)
    pieces = Picture(loaded.scenario)
    marks = sorted({int(c * len(events)) for c in cuts} | {0, len(events)})
    for start, end in itertools.pairwise(marks):
        pieces.add(events[start:end])
    assert snapshot(pieces) == snapshot(whole)


@settings(max_examples=15, deadline=None)
@given(index=st.integers(0, len(SCENARIOS) - 1), seed=st.integers(0, 5))
def test_the_board_and_the_ladder_agree_with_the_log(index, seed):
    loaded, events = run(index, seed)
    picture = Picture(loaded.scenario)
    picture.add(events)
    hit = {e.member_state for e in events if e.kind == "entity.compromised" and e.member_state}
    assert {r.code for r in picture.board()} == hit
    for row in picture.board():
        mine = [e for e in events if e.member_state == row.code]
        sent = sum(e.kind in {f"entity.{r}" for r in NIS2_REPORTS} for e in mine)
        missed = sum(e.kind == "entity.deadline_missed" for e in mine)
        assert (row.reports_sent, row.reports_missed) == (sent, missed)
        impacts = [float(e.payload["level"]) for e in mine if e.kind == "adversary.impact"]
        assert row.peak == max(impacts, default=0.0)
        assert row.impact == (impacts[-1] if impacts else 0.0)
    tiers = [e.payload["tier"] for e in events if e.kind == "classification.tier"]
    assert picture.tier == (tiers[-1] if tiers else "below_threshold")
    delivered = {e.subject for e in events if e.kind == "inject.delivered"}
    assert {r.inject.id for r in picture.msel() if r.status == "delivered"} == delivered


def test_the_feeds_filters_each_narrow_what_is_shown():
    _loaded, events = run(0, 1)
    assert all(matches(e, None, None, None, None, "") for e in events)
    technical = [e for e in events if matches(e, "technical", None, None, None, "")]
    assert technical and all(track_of(e.kind) == "technical" for e in technical)
    states = {e.member_state for e in events if e.member_state}
    some = sorted(states)[0]
    assert all(e.member_state == some for e in events
               if matches(e, None, None, some, None, ""))
    found = [e for e in events if matches(e, None, None, None, None, "CYCLONE.ACTIVATED")]
    assert found and all(e.kind == "cyclone.activated" or "cyclone.activated"
                         in describe(e).casefold() for e in found)
