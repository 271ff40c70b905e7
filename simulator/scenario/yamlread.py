"""Safe, bounded YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` is not enough for files people hand each other before an exercise: it
keeps the last of two duplicate keys silently, expands an alias bomb until memory runs out,
recurses until the stack does, reads ``no`` as ``False`` and ``12:30`` as 750 (YAML 1.1). So
this reader builds the data itself from the parser's event stream (libyaml when present):

- scalars are resolved by the YAML 1.2 core schema (only ``true``/``false`` are booleans);
- only plain data: any tag other than the standard ones (``!!python/object`` ...) is an error;
- duplicate keys are errors, at the second key;
- nesting depth, file size and the size of the data once aliases are expanded are bounded, so
  every hostile input is answered in well under a second;
- every value's line and column are kept, by path, for error messages.

It never raises anything but ``ScenarioError``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml
import yaml.reader

from ..errors import Diagnostic, ScenarioError
from ..text import describe_char

try:  # libyaml's parser is ~10x faster and iterative; the pure one is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column


@dataclass(frozen=True)
class Limits:
    """Bounds on what a scenario file may cost to read."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 250_000  # keys and values, after alias expansion
    #: characters of all keys and values, after alias expansion: twice what a file of the
    #: largest size holds, so an alias may repeat a text, but not turn 1.5 MB into the 560 MB
    #: of inject text (and a 283 MB log) that 14,000 aliases of a 20,000-character text make
    max_chars: int = 8_000_000
    max_scalar: int = 100_000  # characters in one value


DEFAULT_LIMITS = Limits()

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"\s*(?:Z|[-+][0-9]{2}(?::?[0-9]{2})?)?)?$"
)
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONTAINER_TAGS = {None, "!", f"{_STD}map", f"{_STD}seq"}


@dataclass
class Document:
    """Plain data loaded from YAML, with the place of every value and mapping key."""

    data: Any
    marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)

    def mark(self, path: Path, key: bool = False) -> Mark:
        """The place of ``path`` (of its key, if ``key``), or of its nearest known parent:
        values reached through an alias point at the alias."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


class _Stop(Exception):
    """Reading cannot go on (a bound was hit, or a structural error)."""


@dataclass
class _Frame:
    container: dict[Any, Any] | list[Any]
    path: Path
    start_nodes: int
    start_chars: int
    anchor: str | None
    key: Any = None
    has_key: bool = False
    skip_value: bool = False  # the value of a duplicate key is read but dropped


class _Reader:
    def __init__(self, file: str, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.doc = Document(None)
        self.errors: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, values, characters
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.chars = 0
        self.documents = 0

    def error(self, mark: Mark, message: str, path: Path = ()) -> None:
        self.errors.append(Diagnostic(self.file, mark[0], mark[1], render_path(path), message))

    # -- scalars --------------------------------------------------------------------------

    def scalar(self, event: yaml.ScalarEvent, mark: Mark, path: Path) -> Any:
        value: str = event.value
        if len(value) > self.limits.max_scalar:
            self.error(
                mark,
                f"value is {len(value):,} characters long; the limit is {self.limits.max_scalar:,}",
                path,
            )
            raise _Stop
        tag = event.tag
        plain = event.implicit[0]
        if tag not in (None, "!") and tag not in _ALLOWED_TAGS:
            self.error(
                mark, f"tag {_short(tag)!r} is not allowed: a scenario holds plain data only", path
            )
            return value
        if tag == "!" or (tag is None and not plain):
            return value
        if tag is None:
            tag = _resolve(value)
        try:
            return _construct(tag, value)
        except ValueError as exc:
            self.error(mark, f"{value[:40]!r} is not a valid {tag.removeprefix(_STD)}: {exc}", path)
            return value

    # -- the tree --------------------------------------------------------------------------

    def count(self, n: int, mark: Mark, chars: int = 0) -> None:
        self.nodes += n
        self.chars += chars
        if self.chars > self.limits.max_chars:
            self.error(
                mark,
                f"the data expands to more than {self.limits.max_chars:,} characters of text "
                "(aliases repeating a long text, or a file far larger than any scenario)",
            )
            raise _Stop
        if self.nodes > self.limits.max_nodes:
            self.error(
                mark,
                f"the data expands to more than {self.limits.max_nodes:,} values "
                "(too many aliases, or a file far larger than any scenario)",
            )
            raise _Stop

    def place(self) -> tuple[bool, Path]:
        """Whether the next value is a mapping key, and the path of the value it belongs to."""
        if not self.stack:
            return False, ()
        top = self.stack[-1]
        if type(top.container) is list:
            return False, (*top.path, len(top.container))
        if top.has_key:
            return False, (*top.path, top.key)
        return True, top.path

    def attach(self, value: Any, mark: Mark, is_container: bool) -> None:
        """Put a finished value (or a new, still empty container) into its parent."""
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if not top.has_key:
            if is_container:
                self.error(
                    mark, "a mapping key must be a plain value, not a list or mapping", top.path
                )
                raise _Stop
            try:
                hash(value)
            except TypeError:  # pragma: no cover - scalars are hashable
                value = str(value)
            if value in top.container:
                first = self.doc.key_marks.get((*top.path, value), (0, 0))
                self.error(
                    mark,
                    f"duplicate key {value!r} (first at line {first[0]}); only one is allowed",
                    top.path,
                )
                top.skip_value = True
            top.key, top.has_key = value, True
            if not top.skip_value:
                self.doc.key_marks[(*top.path, value)] = mark
            return
        if not top.skip_value:
            top.container[top.key] = value
        top.has_key = False
        top.skip_value = False

    def run(self, text: str) -> Document:
        loader = _Loader(text)
        try:
            while loader.check_event():
                self.event(loader.get_event())
        except _Stop:
            pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            problem = exc.problem or exc.context or "invalid YAML"
            if "nesting depth" in problem:
                # PyYAML >= 6.0.3 has a bound of its own, which a flow collection reaches while
                # scanning ahead, before any event gets here: it is the same refusal as ours
                self.error(where, f"nesting is deeper than {self.limits.max_depth} levels")
            else:
                self.error(where, f"invalid YAML: {problem}{_HINTS.get(problem, '')}")
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
            self.error(_place(text, exc.position, exc.character), _reader_problem(exc))
        except yaml.YAMLError as exc:  # pragma: no cover - the parser raises the kinds above
            self.error((0, 0), f"invalid YAML: {exc}")
        finally:
            loader.dispose()
        return self.doc

    def event(self, event: yaml.Event) -> None:
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:  # by far the most common event: checked first
            self.count(1, mark, len(event.value))
            is_key, path = self.place()
            value = self.scalar(event, mark, path)
            if not is_key:
                self.doc.marks[path] = mark
            if event.anchor:
                self.anchors[event.anchor] = (value, 1, len(event.value))
            self.attach(value, mark, False)
            return
        if kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self.error(
                    mark,
                    "a scenario file holds one YAML document; remove this '---' "
                    "and what follows, or split the file",
                )
                raise _Stop
            return
        is_key, path = self.place()
        if kind is yaml.AliasEvent:
            if event.anchor in self.open_anchors:
                self.error(
                    mark,
                    f"alias *{event.anchor} refers to a value that contains it (a cycle)",
                    path,
                )
                raise _Stop
            if event.anchor not in self.anchors:
                self.error(
                    mark, f"alias *{event.anchor} has no anchor &{event.anchor} before it", path
                )
                raise _Stop
            value, size, chars = self.anchors[event.anchor]
            self.count(size, mark, chars)
            if not is_key:
                self.doc.marks[path] = mark
            self.attach(value, mark, isinstance(value, dict | list))
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag not in _CONTAINER_TAGS:
                self.error(
                    mark,
                    f"tag {_short(event.tag)!r} is not allowed: a scenario holds plain data only",
                    path,
                )
                raise _Stop
            if len(self.stack) >= self.limits.max_depth:
                self.error(mark, f"nesting is deeper than {self.limits.max_depth} levels")
                raise _Stop
            self.count(1, mark)
            container: dict[Any, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.attach(container, mark, True)
            self.doc.marks[path] = mark
            if event.anchor:
                self.open_anchors.add(event.anchor)
            self.stack.append(
                _Frame(container, path, self.nodes - 1, self.chars, event.anchor)
            )
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = self.stack.pop()
            if frame.anchor:
                self.open_anchors.discard(frame.anchor)
                self.anchors[frame.anchor] = (
                    frame.container,
                    self.nodes - frame.start_nodes,
                    self.chars - frame.start_chars,
                )


def _place(text: str, position: int, character: int | str) -> Mark:
    """Line and column of the character a ``ReaderError`` names. PyYAML counts characters,
    libyaml bytes of the UTF-8 text: the character itself tells which."""
    code = character if isinstance(character, int) else ord(character[:1] or "\0")
    index = position
    if not (0 <= position < len(text) and ord(text[position]) == code):
        index = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    character = exc.character
    if isinstance(character, int) and 0 <= character <= 0x10FFFF:
        return (
            f"invalid YAML: the file contains {describe_char(chr(character))}; control "
            "characters are not allowed in a YAML file (remove it)"
        )
    return f"invalid YAML: {exc.reason}"  # pragma: no cover - PyYAML always names it


def _short(tag: str | None) -> str:
    return f"!!{tag[len(_STD) :]}" if tag and tag.startswith(_STD) else str(tag)


#: what libyaml's terse problems usually mean in a hand-written scenario
_HINTS = {
    "could not find expected ':'": " (a text that goes on over several lines must be indented "
    "deeper than its key, or put in quotes)",
    "mapping values are not allowed in this context": " (a text containing ': ' must be put in "
    "quotes)",
    "found character that cannot start any token": " (tabs cannot indent YAML; use spaces, and "
    "quote a text that starts with '@' or '`')",
    "did not find expected key": " (check the indentation of this line against the lines above)",
}

_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_MAX_DIGITS = 30
_QUOTE = "; put it in quotes if it is text"
_TOO_LONG = f"the number is too long: at most {_MAX_DIGITS} digits{_QUOTE}"


def _resolve(value: str) -> str:
    if value and value[0] not in _MAYBE_NOT_TEXT:  # the common case: plain words
        return f"{_STD}str"
    if _NULL.match(value):
        return f"{_STD}null"
    if value in _BOOL:
        return f"{_STD}bool"
    if _INT10.match(value) or _INT8.match(value) or _INT16.match(value):
        return f"{_STD}int"
    if _FLOAT.match(value) or _INF.match(value) or _NAN.match(value):
        return f"{_STD}float"
    if _TIMESTAMP.match(value):
        return f"{_STD}timestamp"
    return f"{_STD}str"


def _construct(tag: str, value: str) -> Any:
    kind = tag.removeprefix(_STD)
    if kind == "null":
        if not _NULL.match(value):
            raise ValueError("expected null")
        return None
    if kind == "bool":
        if value not in _BOOL:
            raise ValueError("expected true or false")
        return _BOOL[value]
    if kind == "int":
        # every spelling is bounded before it is converted: Python refuses to print an int of
        # more than 4,300 digits, and 0x followed by 5,000 digits is such an int. No field
        # takes a number of more than 30 digits (the largest bounds are a million or so).
        if len(value.lstrip("+-")) > _MAX_DIGITS:
            raise ValueError(_TOO_LONG)
        if _INT8.match(value):
            return int(value[2:], 8)
        if _INT16.match(value):
            return int(value[2:], 16)
        return int(value)
    if kind == "float":
        if _INF.match(value):
            return float("-inf") if value.startswith("-") else float("inf")
        if _NAN.match(value):
            return float("nan")
        number = float(value)
        if math.isinf(number):  # written out in digits, but beyond a float's range
            raise ValueError(f"the number is too large: at most about 1.8e308{_QUOTE}")
        return number
    if kind == "timestamp":
        text = value.replace("t", "T").replace("z", "Z")
        if " " in text and "T" not in text[:11]:
            text = text.replace(" ", "T", 1)
        text = re.sub(r"\s+(?=[Z+-])", "", text)
        return datetime.fromisoformat(text)
    return value


def render_path(path: Path) -> str:
    """``('campaign', 'waves', 2, 'targets')`` -> ``campaign.waves[2].targets``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_yaml(raw: bytes, file: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Bytes to plain data with marks, or ``ScenarioError`` listing what is wrong."""
    if len(raw) > limits.max_bytes:
        raise ScenarioError(
            Diagnostic(
                file,
                0,
                0,
                "",
                f"the file is {len(raw) / 1e6:.1f} MB; a scenario may be at most "
                f"{limits.max_bytes / 1e6:.0f} MB",
            )
        )
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError(Diagnostic(file, 0, 0, "", "this is a binary file, not YAML text"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ScenarioError(
            Diagnostic(
                file,
                line,
                col,
                "",
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        ) from None
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ScenarioError(
            Diagnostic(
                file,
                1,
                1,
                "",
                "the file is empty: a scenario is a mapping that starts with 'schema_version: 1'",
            )
        )
    reader = _Reader(file, limits)
    doc = reader.run(text)
    if reader.errors:
        raise ScenarioError(reader.errors)
    return doc


class _Dumper(yaml.SafeDumper):
    """Writes YAML this reader reads back as written: a text that YAML 1.2 would take for a
    number or boolean (``1e5``, ``0o7``) is quoted even where PyYAML's 1.1 rules would not."""


_BREAKS = frozenset("\x85\u2028\u2029\r")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _BREAKS.intersection(value):
        style = '"'  # escaped: YAML would fold these line separators into spaces
    elif _resolve(value) != f"{_STD}str" and "\n" not in value:
        style = "'"
    return dumper.represent_scalar(f"{_STD}str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Plain data as YAML that ``read_yaml`` loads back to equal data."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
