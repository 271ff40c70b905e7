"""Durations with units, as people write them in an MSEL: ``30m``, ``12h``, ``3d``, ``1d12h``.

Simulated time is counted in minutes since the scenario's start (docs/design.md, "Time"), so a
duration is a number of minutes. A bare number is refused: ``12`` could mean minutes, hours or
days, and guessing is exactly the silent coercion the format forbids.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

#: minutes per unit; ``mo`` is a 30-day month, used for the slow foreign-policy track.
UNITS: dict[str, int] = {"m": 1, "h": 60, "d": 1440, "w": 10080, "mo": 43200}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(mo|m|h|d|w)")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*(?:mo|m|h|d|w)\s*)+$")
DURATION_PATTERN = r"^\s*(\d+(\.\d+)?\s*(mo|m|h|d|w)\s*)+$"
#: the longest a scenario, or any delay in it, may be: 5 years of 365 days, in minutes. Historical
#: replays are the long ones: WannaCry (May 2017) to the first EU cyber sanctions (July 2020)
#: took about 38 months; five years leaves room for such a case and its aftermath, while
#: keeping every run, and every date the report derives from the start, within reach.
MAX_DURATION = 5 * 365 * 1440  # 2,628,000 minutes
_LIMIT = f"a scenario, and any time or delay in it, may be at most {MAX_DURATION // 1440}d"
DURATION_HINT = (
    "write a number with a unit: '30m', '12h', '3d', '2w', '5mo' (30-day months) or '1d12h'"
)


def _shown(value: str) -> str:
    """A value as an error message quotes it: at most 40 characters of it, so that a
    thousand-digit number does not bury the message."""
    return repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value):,} characters)"


def parse_duration(value: Any) -> float:
    """Turn ``'1d12h'`` into minutes; refuse anything without a unit."""
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"{value!r} has no unit; {DURATION_HINT}")
        raise ValueError(f"expected a duration; {DURATION_HINT}")
    if value.strip().startswith("-"):
        raise ValueError(
            f"{_shown(value)} is negative; times count from the scenario's start, so describe "
            "what happened before it in an inject's text"
        )
    if not _WHOLE.match(value):
        raise ValueError(f"{_shown(value)} is not a duration; {DURATION_HINT}")
    minutes = sum(float(n) * UNITS[u] for n, u in _PART.findall(value))
    if not math.isfinite(minutes):
        raise ValueError(f"{_shown(value)} is too large; {_LIMIT}")
    return minutes


def bounded_duration(value: Any) -> float:
    """A duration of a scenario: parsed, and at most ``MAX_DURATION``, since every duration is
    a time within the exercise or a delay that the engine schedules (a longer one is either
    after the end or an interval that a run repeats without end)."""
    minutes = parse_duration(value)
    if minutes > MAX_DURATION:
        raise ValueError(f"{_shown(value)} is longer than 5 years; {_LIMIT}")
    return minutes


def format_duration(minutes: float) -> str:
    """The shortest exact spelling: ``2160`` -> ``'1d12h'``; ``0`` -> ``'0m'``."""
    if minutes != int(minutes):
        return f"{minutes!r}m"
    rest = int(minutes)
    if rest == 0:
        return "0m"
    parts = []
    for unit in ("d", "h", "m"):
        size = UNITS[unit]
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts)


def format_clock(minutes: float, start: datetime) -> str:
    """Simulated time as facilitators read it: ``D+1 14:30`` (UTC wall clock; D+0 is the
    start's calendar day)."""
    moment = start + timedelta(minutes=minutes)
    days = (moment.date() - start.date()).days
    return f"D+{days} {moment:%H:%M}"


Duration = Annotated[
    float,
    BeforeValidator(bounded_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["30m", "12h", "3d", "1d12h"]}
    ),
]
