"""Durations and distributions: units are required, sampling stays within the bounds."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from simulator.scenario.distributions import Distribution, Lognormal
from simulator.scenario.units import (
    MAX_DURATION,
    Duration,
    format_clock,
    format_duration,
    parse_duration,
)

from .strategies import distributions

DIST = TypeAdapter(Distribution)
DURATION = TypeAdapter(Duration)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30m", 30),
        ("12h", 720),
        ("3d", 4320),
        ("2w", 20160),
        ("5mo", 216000),
        ("1d12h", 2160),
        ("1.5h", 90),
        ("0m", 0),
        (" 2h 30m ", 150),
    ],
)
def test_durations_with_units(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("bad", [12, 1.5, "12", "2 hours", "h", "-3h", "3x", True, None, ""])
def test_durations_without_a_unit_are_refused(bad):
    """A bare number could mean minutes, hours or days: refuse instead of guessing."""
    with pytest.raises(ValueError, match=r"unit|duration|negative"):
        parse_duration(bad)


def test_a_scenario_duration_is_at_most_five_years():
    """Five years of 365 days: room for the longest historical replay (WannaCry to the EU's
    sanctions took about 38 months), and no more, since every duration multiplies a run."""
    assert MAX_DURATION == parse_duration("1825d") == 2_628_000
    assert DURATION.validate_python("1825d") == MAX_DURATION
    assert DURATION.validate_python("260w5d") == MAX_DURATION
    assert DIST.validate_python({"kind": "uniform", "low": "0m", "high": "1825d"}).high == (
        MAX_DURATION
    )


@pytest.mark.parametrize(
    "long",
    ["1825d1m", "61mo", "1000000w", "1" + "0" * 300 + "d", "1" + "0" * 400 + "m"],
)
def test_longer_durations_and_delays_are_refused_with_the_limit(long):
    with pytest.raises(ValidationError, match="may be at most 1825d"):
        DURATION.validate_python(long)
    with pytest.raises(ValidationError, match="may be at most 1825d"):
        DIST.validate_python(long)  # a delay, written as a fixed one
    with pytest.raises(ValidationError, match="may be at most 1825d"):
        DIST.validate_python({"kind": "lognormal", "median": "1d", "sigma": 1, "cap": long})


@pytest.mark.parametrize(
    ("median", "sigma", "cap"),
    [("5d", 0.35, "21d"), ("1h", 2.0, "2h"), ("1h", 1.0, None), ("10m", 3.0, "1d")],
)
def test_a_lognormal_mean_is_the_mean_of_its_draws(median, sigma, cap):
    """The bounds on periodic work divide by it: a cap lowers the mean, which must show."""
    dist = Lognormal.model_validate(
        {"kind": "lognormal", "median": median, "sigma": sigma, "cap": cap}
    )
    rng = random.Random(7)
    draws = [dist.sample(rng) for _ in range(100_000)]
    assert dist.mean == pytest.approx(sum(draws) / len(draws), rel=0.03)


@given(st.integers(0, 10**7))
def test_format_then_parse_is_identity(minutes):
    assert parse_duration(format_duration(minutes)) == minutes


def test_clock_counts_calendar_days_from_the_start():
    start = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    assert format_clock(0, start) == "D+0 22:00"
    assert format_clock(150, start) == "D+1 00:30"


@given(distributions(), st.integers(0, 2**32))
def test_samples_stay_within_declared_bounds(data, seed):
    """No distribution draws a negative delay or leaves its bounds."""
    dist = DIST.validate_python(data)
    rng = random.Random(seed)
    for _ in range(20):
        value = dist.sample(rng)
        assert value >= 0
        low = getattr(dist, "low", None)
        high = getattr(dist, "high", None) or getattr(dist, "cap", None)
        if low is not None:
            assert value >= low
        if high is not None:
            assert value <= high


@given(distributions(), st.integers(0, 2**32))
def test_sampling_is_a_function_of_the_generator(data, seed):
    """The same seeded stream gives the same draws: no hidden global randomness."""
    dist = DIST.validate_python(data)
    a = [dist.sample(random.Random(seed)) for _ in range(3)]
    b = [dist.sample(random.Random(seed)) for _ in range(3)]
    assert a == b


def test_a_bare_duration_is_a_fixed_delay():
    assert DIST.validate_python("2d").model_dump(mode="json") == {"kind": "fixed", "value": "2d"}


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "triangular", "low": "5h", "mode": "1h", "high": "9h"},
        {"kind": "uniform", "low": "2d", "high": "1d"},
        {"kind": "lognormal", "median": "1d", "sigma": -1},
        {"kind": "empirical", "values": []},
        {"kind": "fixed", "value": 3},
        {"value": "3h"},
    ],
)
def test_malformed_distributions_are_refused(bad):
    with pytest.raises(ValidationError):
        DIST.validate_python(bad)
