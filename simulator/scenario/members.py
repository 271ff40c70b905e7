"""Member State codes as a validated type, with errors that say what went wrong."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from .reference import MEMBER_STATE_ALIASES, MEMBER_STATES
from .suggest import did_you_mean


def _member_state(code: str) -> str:
    if code in MEMBER_STATES:
        return code
    if code.upper() in MEMBER_STATES:
        raise ValueError(f"Member State codes are upper case: write {code.upper()!r}")
    if code in MEMBER_STATE_ALIASES:
        alias = MEMBER_STATE_ALIASES[code]
        if alias in MEMBER_STATES:
            raise ValueError(f"{code!r} is the EU's code; this format uses ISO 3166: {alias!r}")
        raise ValueError(f"{code!r} is {alias}")
    raise ValueError(f"unknown Member State {code!r}{did_you_mean(code, MEMBER_STATES)}")


MemberStateCode = Annotated[
    str,
    AfterValidator(_member_state),
    WithJsonSchema({"type": "string", "enum": sorted(MEMBER_STATES)}),
]
