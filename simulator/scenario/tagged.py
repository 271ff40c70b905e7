"""Unions written as single-key mappings: ``{after: 12h}``, ``{not: {...}}``, ``{ipcr_mode: x}``.

YAML authors name what they mean by the key itself, so the key is the tag. Pydantic picks the
member through a callable discriminator; an unknown or missing key becomes one clear error
listing the keys that exist, instead of one error per member of the union.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import BaseModel, Discriminator, Tag


def tagged_union(what: str, *members: type[BaseModel]) -> Any:
    """``Annotated[A | B | ..., Discriminator]`` where each member has exactly one field, whose
    alias (or name) is its tag. ``what`` names the union in errors ("a condition")."""
    tags: list[str] = []
    annotated: list[Any] = []
    for member in members:
        (name, info), *rest = member.model_fields.items()
        assert not rest, f"{member.__name__} must have exactly one field"
        tag = info.alias or name
        tags.append(tag)
        annotated.append(Annotated[member, Tag(tag)])
    tag_set = frozenset(tags)

    def pick(value: Any) -> str | None:
        if isinstance(value, dict):
            return next((k for k in value if k in tag_set), None)
        if isinstance(value, BaseModel):
            (name, info), *_ = type(value).model_fields.items()
            return info.alias or name
        return None

    return Annotated[
        Union[tuple(annotated)],  # noqa: UP007 - built from a runtime list
        Discriminator(
            pick,
            custom_error_type="unknown_key",
            custom_error_message=f"{what} is a mapping with one of the keys: {', '.join(tags)}",
        ),
    ]
