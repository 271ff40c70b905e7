"""Durations with units, as people write them in an MSEL: ``30m``, ``12h``, ``3d``, ``1d12h``.

Simulated time is counted in minutes since the scenario's start (DESIGN.md, "Time"), so a
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
DURATION_HINT = (
    "write a number with a unit: '30m', '12h', '3d', '2w', '5mo' (30-day months) or '1d12h'"
)


def parse_duration(value: Any) -> float:
    """Turn ``'1d12h'`` into minutes; refuse anything without a unit."""
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"{value!r} has no unit; {DURATION_HINT}")
        raise ValueError(f"expected a duration; {DURATION_HINT}")
    if value.strip().startswith("-"):
        raise ValueError(
            f"{value!r} is negative; times count from the scenario's start, so describe what "
            "happened before it in an inject's text"
        )
    if not _WHOLE.match(value):
        raise ValueError(f"{value!r} is not a duration; {DURATION_HINT}")
    minutes = sum(float(n) * UNITS[u] for n, u in _PART.findall(value))
    if not math.isfinite(minutes):
        raise ValueError(f"{value!r} is too large")
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
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["30m", "12h", "3d", "1d12h"]}
    ),
]
