"""The one strict base every scenario model derives from (the RenderCV habit).

``extra="forbid"`` makes a typo an error instead of a silently ignored key; ``strict=True``
refuses coercions such as ``"3"`` for ``3`` or ``yes`` for ``true``; ``frozen`` because a
scenario is a description, never runtime state (the Ciw split).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


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
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Probability = Annotated[float, Field(ge=0, le=1)]
