"""The one strict base every scenario model derives from (the RenderCV habit).

``extra="forbid"`` makes a typo an error instead of a silently ignored key; ``strict=True``
refuses coercions such as ``"3"`` for ``3`` or ``yes`` for ``true``; ``frozen`` because a
scenario is a description, never runtime state (the Ciw split).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ..text import check_text


class Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        populate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        allow_inf_nan=False,
    )


#: identifiers people type and read in an MSEL: ``INJ-012``, ``wave_1``, ``hr_declaration``
Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"),
]
#: free text people write (titles, synopses, descriptions): printed to terminals, written into
#: reports and handouts, so it refuses the characters that can act on a terminal or hide what a
#: reader sees (``simulator.text``); ids need no such check, their pattern admits none of them
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=20_000), AfterValidator(check_text)
]
Probability = Annotated[float, Field(ge=0, le=1)]

#: the largest weight (decision policies, empirical distributions, scoring metrics). Weights
#: are relative: a million to one already makes the lighter option a near impossibility, and
#: a sum of such weights stays far from a float's overflow (1.8e308), which would otherwise
#: make a weighted draw or mean fail in the middle of a run ("total of weights must be finite")
MAX_WEIGHT = 1_000_000
#: the largest count of events a condition or a metric can ask for: far more than any run can
#: log (the bounds in ``checks`` keep a run to about a hundred thousand events)
MAX_EVENTS = 1_000_000
