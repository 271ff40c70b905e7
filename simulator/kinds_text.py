"""The catalogue of event kinds (``simulator.kinds``) in words, for ``ttx kinds``: each kind
with its meaning and its payload fields, their types said plainly (``list of Member State
codes``, ``time (minutes) or null``), as a table, JSON for tools or Markdown for docs.

The words are read from the ``FieldType`` declarations themselves, so they cannot drift from
what the engine emits and the log reader checks (``simulator.engine.records`` words its error
messages for a refused value; these are shorter, for a reference).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any, get_args

from .errors import TtxError
from .kinds import EVENT_KINDS, PAYLOADS, FieldType, namespace
from .scenario.reference import IPCR_MODES, TIERS, Criticality, Tlp

#: the types that are one of a fixed list of values, worth spelling out for a condition's author
_ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "tier": TIERS,
    "ipcr_mode": IPCR_MODES,
    "tlp": get_args(Tlp),
    "criticality": get_args(Criticality),
}

#: the other named types: one value, and a list of them
_NOUNS: dict[str, tuple[str, str]] = {
    "text": ("text", "texts"),
    "id": ("id", "ids"),
    "scope": ("body or role (e.g. DE.csirt)", "bodies or roles (e.g. DE.csirt)"),
    "member_state": ("Member State code", "Member State codes"),
    "sector": ("NIS2 sector", "NIS2 sectors"),
    "technique": ("MITRE ATT&CK technique id", "MITRE ATT&CK technique ids"),
    "sha256": ("SHA-256 hash", "SHA-256 hashes"),
    "timestamp": ("date and time (ISO 8601)", "dates and times (ISO 8601)"),
    "time": ("time (minutes)", "times (minutes)"),
    "due": ("deadline (minutes, may lie past the end)", "deadlines (minutes)"),
    "boolean": ("true or false", "booleans"),
}

#: an integer bound from zero this high or higher is a count
_COUNT = 1_000_000_000


def _bound(value: float | None) -> str:
    """A bound as a reader takes it in: ``1``, ``10,000``, ``10^15``, ``-2^63``, ``2^64-1``."""
    if value is None:
        return "?"
    if not float(value).is_integer():
        return f"{value:g}"
    number = int(value)
    size = abs(number)
    if size >= 2**32:
        for offset, tail in ((0, ""), (1, "-1")):
            if (size + offset).bit_count() == 1:
                return f"{'-' if number < 0 else ''}2^{(size + offset).bit_length() - 1}{tail}"
    if size >= 10**6 and str(size).rstrip("0") == "1":
        return f"{'-' if number < 0 else ''}10^{len(str(size)) - 1}"
    return f"{number:,}" if size >= 10_000 else str(number)


def _words(field: FieldType, *, plural: bool = False) -> str:
    """The type without its null: ``one of normal, high``, ``list of ids``."""
    base = field.base
    if base == "one_of" or base in _ENUMERATIONS:
        values = field.values if base == "one_of" else _ENUMERATIONS[base]
        if len(values) == 1:
            return f"always {values[0]}"
        return f"one of {', '.join(values)}"
    if base in ("number", "integer"):
        if base == "integer" and field.low == 0 and (field.high or 0) >= _COUNT:
            return "counts" if plural else "count (0 or more)"
        noun = "number" if base == "number" else "whole number"
        return f"{noun}{'s' if plural else ''} from {_bound(field.low)} to {_bound(field.high)}"
    if base == "list":
        if field.item is None:
            return "list"
        item = field.item
        if item.nullable or item.base in ("list", "one_of", *_ENUMERATIONS):
            return f"list, each {describe(item)}"
        return f"list of {_words(item, plural=True)}"
    if base in _NOUNS:
        return _NOUNS[base][1 if plural else 0]
    return base.replace("_", " ")  # a type added to kinds.py after this module: its name


def describe(field: FieldType) -> str:
    """A field's type in plain words, ``or null`` included; not whether it is optional."""
    words = _words(field)
    return f"{words} or null" if field.nullable else words


def field_line(name: str, field: FieldType) -> str:
    """``name: type``, marked ``(optional)`` when only some records carry the field."""
    return f"{name}: {describe(field)}" + (" (optional)" if field.optional else "")


def bodies() -> list[str]:
    """The emitting bodies, in the order of ``EVENT_KINDS``."""
    return list(dict.fromkeys(namespace(kind) for kind in EVENT_KINDS))


def select(pattern: str | None) -> list[str]:
    """The kinds a pattern names, grouped by body in the order of ``EVENT_KINDS``: a glob
    (``cyclone.*``, ``*.agreed``), a whole kind, a body (``measure``) or a prefix
    (``incident_``); ``TtxError`` when nothing matches."""
    order = bodies()
    kinds = sorted(EVENT_KINDS, key=lambda kind: order.index(namespace(kind)))  # stable
    if pattern is None:
        return kinds
    wanted = pattern.strip().lower()
    if re.search(r"[*?\[]", wanted):
        found = [kind for kind in kinds if fnmatchcase(kind, wanted)]
    elif wanted in EVENT_KINDS:
        found = [wanted]
    elif wanted in order:
        found = [kind for kind in kinds if namespace(kind) == wanted]
    else:
        found = [kind for kind in kinds if wanted and kind.startswith(wanted)]
    if not found:
        raise TtxError(
            f"no event kind matches {pattern!r}; give a kind, a glob such as 'cyclone.*', "
            f"or a body: {', '.join(order)}"
        )
    return found


def as_json(kinds: Iterable[str]) -> list[dict[str, Any]]:
    """``ttx kinds --json``: kind, description, body and fields with their types."""
    return [
        {
            "kind": kind,
            "description": EVENT_KINDS[kind],
            "body": namespace(kind),
            "fields": {
                name: {"type": describe(field), "optional": field.optional}
                for name, field in PAYLOADS[kind].items()
            },
        }
        for kind in kinds
    ]


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, its pipes escaped."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def as_markdown(kinds: Iterable[str]) -> str:
    """``ttx kinds --markdown``: one table, a row per kind, fields one per line (``<br>``)."""
    lines = ["| kind | meaning | fields |", "|---|---|---|"]
    for kind in kinds:
        fields = "<br>".join(
            f"`{name}`: {_cell(describe(field))}" + (" (optional)" if field.optional else "")
            for name, field in PAYLOADS[kind].items()
        )
        lines.append(f"| `{kind}` | {_cell(EVENT_KINDS[kind])} | {fields or '(none)'} |")
    return "\n".join(lines) + "\n"


def table(kinds: list[str]) -> Any:
    """``ttx kinds``: a Rich table, a section per body; every cell is plain text, never
    markup."""
    from rich.table import Table

    from .console import plain

    count = len(kinds)
    grid = Table(title=plain("Event kinds"), show_lines=False, expand=True,
                 header_style="bold",
                 caption=plain(f"{count} kind{'s' if count != 1 else ''}; a kind is "
                               "body.event, as scenario conditions and logs name it"))
    grid.add_column("kind", no_wrap=True, min_width=max(map(len, kinds)))
    grid.add_column("what it means", ratio=3, overflow="fold")
    grid.add_column("payload fields", ratio=4, overflow="fold")
    previous = None
    for kind in kinds:
        body = namespace(kind)
        if previous is not None and body != previous:
            grid.add_section()
        previous = body
        fields = "\n".join(field_line(name, f) for name, f in PAYLOADS[kind].items())
        grid.add_row(plain(kind), plain(EVENT_KINDS[kind]), plain(fields or "(none)"))
    return grid
