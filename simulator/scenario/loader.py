"""From a YAML file to a validated ``Scenario``, or to every error at its ``file:line:col``.

Three passes, each reporting all it finds: safe reading (``yamlread``), the models (pydantic,
whose error locations are mapped back to the marks of the very data that was read, as RenderCV
does), then cross-references (``checks``). The wording of pydantic's errors is rewritten for
facilitators in one table, ``_MESSAGES``.
"""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path as FsPath
from typing import Any, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from ..errors import Diagnostic, ScenarioError, TtxError
from ..safeio import SCENARIO_LIMIT, read_input
from .checks import check
from .models import SCHEMA_VERSION, Scenario
from .suggest import did_you_mean
from .yamlread import DEFAULT_LIMITS, Document, Limits, Path, dump_yaml, read_yaml, render_path


@dataclass(frozen=True)
class LoadedScenario:
    """A scenario with where it came from: every result records the content hash."""

    scenario: Scenario
    path: str
    sha256: str


def load_scenario(file: str | FsPath, limits: Limits | None = None) -> LoadedScenario:
    """Read and validate one scenario file; raise ``ScenarioError`` with every problem.

    The file is read with ``SCENARIO_LIMIT`` (raised by ``TTX_MAX_SCENARIO_MB``) counted as
    it is read; the reader's other bounds are ``limits``'s."""
    name = str(file)
    try:
        raw = read_input(file, SCENARIO_LIMIT)
    except TtxError as exc:
        raise ScenarioError(exc.diagnostics) from None
    limits = limits or replace(DEFAULT_LIMITS, max_bytes=SCENARIO_LIMIT.bytes)
    scenario = parse_scenario(raw, name, limits)
    return LoadedScenario(scenario, name, hashlib.sha256(raw).hexdigest())


def parse_scenario(
    raw: bytes, file: str = "<scenario>", limits: Limits = DEFAULT_LIMITS
) -> Scenario:
    """Bytes to a validated ``Scenario``; raise ``ScenarioError`` with every problem."""
    doc = read_yaml(raw, file, limits)
    if not isinstance(doc.data, dict):
        what = "a list" if isinstance(doc.data, list) else f"a single value ({doc.data!r:.40})"
        raise ScenarioError(
            Diagnostic(
                file,
                1,
                1,
                "",
                f"the top level is {what}; a scenario is a mapping of sections: "
                "schema_version, metadata, objectives, campaign, msel, ...",
            )
        )
    version = doc.data.get("schema_version")
    if "schema_version" in doc.data and version != SCHEMA_VERSION:
        line, col = doc.mark(("schema_version",))
        raise ScenarioError(
            Diagnostic(
                file,
                line,
                col,
                "schema_version",
                f"schema_version {version!r} is not supported: "
                f"this version of ttx reads schema_version {SCHEMA_VERSION}",
            )
        )
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioError(_sorted(_diagnose(e, doc, file) for e in exc.errors())) from None
    issues = check(scenario)
    if issues:
        diagnostics = []
        for path, message in issues:
            line, col = doc.mark(path)
            diagnostics.append(Diagnostic(file, line, col, render_path(path), message))
        raise ScenarioError(_sorted(diagnostics))
    return scenario


def dump_scenario(scenario: Scenario) -> str:
    """A scenario as YAML that loads back to an equal scenario (every field written out)."""
    return dump_yaml(scenario.model_dump(mode="json"))


def _sorted(diagnostics: Any) -> list[Diagnostic]:
    unique = dict.fromkeys(diagnostics)  # one error reached through two aliases is one error
    return sorted(unique, key=lambda d: (d.line, d.col, d.location, d.message))


# --------------------------------------------------------------------------------------------
# pydantic errors -> diagnostics


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Path, bool]:
    """The path in the loaded data that ``loc`` names, skipping union tags (which are in
    ``loc`` but not in the data), and whether the error is about a mapping key."""
    path: list[str | int] = []
    node = data
    is_key = False
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif part == "[key]":
            is_key = True
    return tuple(path), is_key


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _model_tag(model: type[BaseModel]) -> set[Any]:
    """The values by which a union picks ``model``: its ``kind`` literal, or its only key."""
    tags: set[Any] = set()
    kind = model.model_fields.get("kind")
    if kind is not None:
        tags.update(get_args(kind.annotation))
    if len(model.model_fields) == 1:
        ((name, info),) = model.model_fields.items()
        tags.add(info.alias or name)
    return tags


def _step(tp: Any, part: Any) -> Any:
    """The type one step of a pydantic ``loc`` further, or None where it cannot be told."""
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(tp):  # a union told apart by a callable discriminator's tags
            if get_origin(arg) is typing.Annotated and any(
                isinstance(m, Tag) and m.tag == part for m in arg.__metadata__
            ):
                return arg
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        for member in members:
            if (
                isinstance(member, type)
                and issubclass(member, BaseModel)
                and part in _model_tag(member)
            ):
                return member
        if len(members) == 1:
            return _step(members[0], part)
        return None
    if origin is list and isinstance(part, int):
        return get_args(tp)[0]
    if origin is dict:
        return get_args(tp)[1] if part != "[key]" else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, info in tp.model_fields.items():
            if (info.alias or name) == part:
                return info.annotation
    return None


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed where ``loc`` points (for 'did you mean')."""
    tp: Any = Scenario
    for part in loc:
        tp = _step(tp, part)
        if tp is None:
            return []
    tp = _unwrap(tp)
    if get_origin(tp) in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        tp = members[0] if len(members) == 1 else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items()]
    return []


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    if isinstance(value, datetime):
        return "a timestamp"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _expected(what: str) -> Callable[[dict[str, Any]], str]:
    def message(error: dict[str, Any]) -> str:
        text = f"expected {what}, got {_describe(error.get('input'))}"
        if what == "text" and isinstance(error.get("input"), bool | int | float | datetime):
            text += " (put it in quotes to make it text)"
        return text

    return message


def _extra(error: dict[str, Any]) -> str:
    key = error["loc"][-1]
    allowed = _fields_at(error["loc"][:-1])
    hint = did_you_mean(key, allowed)
    if key == "<<":
        return "merge keys (<<) are not supported; repeat the fields or anchor the whole value"
    if not hint and allowed:
        hint = f"; allowed here: {', '.join(allowed)}"
    return f"unknown field {key!r}{hint}"


def _unknown_key(error: dict[str, Any]) -> str:
    value = error.get("input")
    message = error["msg"]
    if isinstance(value, dict) and value:
        key = next(iter(value))
        options = message.split(": ", 1)[-1].split(", ")
        return f"unknown key {key!r}{did_you_mean(key, options)}; {message}"
    return f"{message}; got {_describe(value)}"


def _tag_invalid(error: dict[str, Any]) -> str:
    ctx = error.get("ctx", {})
    field = str(ctx.get("discriminator", "kind")).strip("'")
    tag = str(ctx.get("tag", ""))
    expected = str(ctx.get("expected_tags", "")).replace("'", "")
    hint = did_you_mean(tag, expected.split(", "))
    return f"unknown {field} {tag!r}{hint}; expected one of: {expected}"


def _tag_missing(error: dict[str, Any]) -> str:
    ctx = error.get("ctx", {})
    if not isinstance(error.get("input"), dict):
        return f"expected a mapping, got {_describe(error.get('input'))}"
    return f"missing {ctx.get('discriminator', 'kind')}"


_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$": "is not a valid id: start with a letter, then letters, "
    "digits, '_', '.' or '-' (at most 64 characters)",
    r"^T\d{4}(\.\d{3})?$": "is not a MITRE ATT&CK technique id such as T1486 or T1195.002",
}


def _literal(error: dict[str, Any]) -> str:
    expected = error["ctx"]["expected"]
    choices = expected.replace("'", "").replace(" or ", ", ").split(", ")
    hint = did_you_mean(error.get("input"), choices)
    if hint:
        return f"{error.get('input')!r} is not allowed here{hint}"
    return f"{error.get('input')!r} is not allowed here; expected {expected}"


def _pattern(error: dict[str, Any]) -> str:
    rule = _PATTERNS.get(error.get("ctx", {}).get("pattern", ""), "has the wrong form")
    return f"{error.get('input')!r} {rule}"


def _too_short(error: dict[str, Any]) -> str:
    ctx = error.get("ctx", {})
    n = ctx.get("min_length", 1)
    if isinstance(error.get("input"), str):
        return "must not be empty"
    return f"needs at least {n} item{'s' if n != 1 else ''}"


def _number(value: Any) -> str:
    """A bound or a value as people write it: ``1,000,000`` rather than ``1000000.0`` (pydantic
    hands a float field's bounds over as floats), ``1e+308`` rather than 309 digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        return f"{value:g}"
    return f"{int(value):,}"


#: pydantic's error types, reworded for the people who write scenarios
_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: f"missing required field {e['loc'][-1]!r}",
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "string_type": _expected("text"),
    "int_type": _expected("a whole number"),
    "float_type": _expected("a number"),
    "bool_type": _expected("true or false"),
    "list_type": _expected("a list"),
    "dict_type": _expected("a mapping"),
    "model_type": _expected("a mapping"),
    "model_attributes_type": _expected("a mapping"),
    "datetime_type": _expected("a timestamp"),
    "value_error": lambda e: e["msg"].removeprefix("Value error, "),
    "assertion_error": lambda e: e["msg"].removeprefix("Assertion failed, "),
    "string_pattern_mismatch": _pattern,
    "too_short": _too_short,
    "string_too_short": _too_short,
    "too_long": lambda e: f"has too many items (at most {e['ctx'].get('max_length')})",
    "string_too_long": lambda e: f"is too long (at most {e['ctx'].get('max_length')} characters)",
    "greater_than_equal": lambda e: (
        f"must be at least {_number(e['ctx']['ge'])}, got {_number(e.get('input'))}"
    ),
    "greater_than": lambda e: (
        f"must be greater than {_number(e['ctx']['gt'])}, got {_number(e.get('input'))}"
    ),
    "less_than_equal": lambda e: (
        f"must be at most {_number(e['ctx']['le'])}, got {_number(e.get('input'))}"
    ),
    "less_than": lambda e: (
        f"must be less than {_number(e['ctx']['lt'])}, got {_number(e.get('input'))}"
    ),
    "finite_number": lambda e: "must be a finite number",
    "unknown_key": _unknown_key,
    "union_tag_invalid": _tag_invalid,
    "union_tag_not_found": _tag_missing,
}


def _diagnose(error: Any, doc: Document, file: str) -> Diagnostic:
    loc = tuple(error["loc"])
    path, is_key = _data_path(loc, doc.data)
    kind = error["type"]
    line, col = doc.mark(path, key=is_key or kind == "extra_forbidden")
    reword = _MESSAGES.get(kind)
    message = reword(error) if reword else error["msg"]
    return Diagnostic(file, line, col, render_path(path), message)
