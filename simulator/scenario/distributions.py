"""Typed probability distributions of durations (docs/design.md, "Scenarios";
docs/machinery.md section 9).

Every stochastic delay of the machinery is one of these. ``sample`` takes an explicit
``random.Random`` so a caller's named stream, never a global generator, decides the draw.
A bare duration (``lead_time: 2d``) is shorthand for ``{kind: fixed, value: 2d}``.
"""

from __future__ import annotations

import math
import random
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from .base import MAX_WEIGHT, Strict
from .units import Duration, parse_duration


class Fixed(Strict):
    """Always the same delay."""

    kind: Literal["fixed"]
    value: Duration

    def sample(self, rng: random.Random) -> float:
        return self.value

    @property
    def mean(self) -> float:
        return self.value


class Uniform(Strict):
    """Any delay between ``low`` and ``high``, equally likely."""

    kind: Literal["uniform"]
    low: Duration
    high: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.low > self.high:
            raise ValueError("low must not be greater than high")
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.uniform(self.low, self.high)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2


class Triangular(Strict):
    """A best guess (``mode``) within hard bounds: the usual shape for legal deadlines."""

    kind: Literal["triangular"]
    low: Duration
    mode: Duration
    high: Duration

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("needs low <= mode <= high")
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.triangular(self.low, self.high, self.mode)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Lognormal(Strict):
    """A long right tail around a ``median``: how political processes drag (docs/machinery.md
    section 9).

    ``sigma`` is the standard deviation of the log; ``cap`` optionally bounds the tail.
    """

    kind: Literal["lognormal"]
    median: Duration = Field(gt=0)
    sigma: float = Field(gt=0, le=5)
    cap: Duration | None = None

    @model_validator(mode="after")
    def _cap_above_median(self) -> Lognormal:
        if self.cap is not None and self.cap < self.median:
            raise ValueError("cap must not be below the median")
        return self

    def sample(self, rng: random.Random) -> float:
        value = rng.lognormvariate(math.log(self.median), self.sigma)
        return min(value, self.cap) if self.cap is not None else value

    @property
    def mean(self) -> float:
        """The mean of what ``sample`` draws. Uncapped, ``median * exp(sigma**2 / 2)``; capped
        at ``c``, E[min(X, c)] = m * Phi(z - sigma) + c * (1 - Phi(z)), with ``m`` the uncapped
        mean and z = ln(c / median) / sigma: the cap can only lower it."""
        full = self.median * math.exp(self.sigma**2 / 2)
        if self.cap is None:
            return full
        z = math.log(self.cap / self.median) / self.sigma
        return full * _phi(z - self.sigma) + self.cap * (1 - _phi(z))


def _phi(x: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class Exponential(Strict):
    """Memoryless waiting with a given ``mean``: arrivals such as further detections."""

    kind: Literal["exponential"]
    mean: Duration = Field(gt=0)  # type: ignore[assignment]

    def sample(self, rng: random.Random) -> float:
        return rng.expovariate(1.0 / self.mean)


class Empirical(Strict):
    """Observed values (e.g. past exercises), drawn with optional ``weights``."""

    kind: Literal["empirical"]
    values: list[Duration] = Field(min_length=1)
    weights: list[Annotated[float, Field(gt=0, le=MAX_WEIGHT)]] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError(
                f"has {len(self.values)} values but {len(self.weights)} weights; give one weight "
                "per value"
            )
        return self

    def sample(self, rng: random.Random) -> float:
        return rng.choices(self.values, weights=self.weights)[0]

    @property
    def mean(self) -> float:
        weights = self.weights or [1.0] * len(self.values)
        return sum(v * w for v, w in zip(self.values, weights, strict=True)) / sum(weights)


def _shorthand(value: Any) -> Any:
    """``2d`` stands for a fixed delay; everything else is validated as written."""
    if isinstance(value, str):
        return {"kind": "fixed", "value": value}
    if isinstance(value, int | float) and not isinstance(value, bool):
        parse_duration(value)  # raises the "has no unit" message
    return value


_Members = Annotated[
    Fixed | Uniform | Triangular | Lognormal | Exponential | Empirical,
    Field(discriminator="kind"),
]

Distribution = Annotated[
    _Members,
    BeforeValidator(_shorthand, json_schema_input_type=Duration | _Members),
]
