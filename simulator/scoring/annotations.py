"""Evaluators' overrides and observations, from a small YAML or CSV file (until live sessions
record them as they happen).

An override never replaces the computed rating: it is kept beside it, with its rationale and
who made it, and the report shows both. Observations are strengths, areas for improvement or
plain notes, tied to an objective or to the exercise as a whole.

YAML::

    overrides:
      - {objective: OBJ-1, rating: S, rationale: "...", by: Lead evaluator}
    observations:
      - {objective: OBJ-2, kind: strength, text: "...", by: Evaluator 2}

CSV (a header row, then one row each): ``objective, rating, text, by, kind``. A row with a
rating is an override whose rationale is ``text``; a row without one is an observation of
``kind`` (``strength``, ``improvement`` or ``note``, the default).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, ValidationError

from ..errors import Diagnostic, TtxError
from ..safeio import ANNOTATIONS_LIMIT, read_input
from ..scenario.base import Strict
from ..scenario.models import Scenario
from ..scenario.yamlread import read_yaml
from ..text import check_text

Rating = Literal["P", "S", "M", "U"]
ObservationKind = Literal["strength", "improvement", "note"]
#: what evaluators write: shown in the report and on terminals, so, like a scenario's ``Text``,
#: it refuses control and invisible formatting characters (``simulator.text``)
Words = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(check_text),
]


class OverrideEntry(Strict):
    objective: str
    rating: Rating
    rationale: Words
    by: Words = "evaluator"


class ObservationEntry(Strict):
    objective: str | None = None
    kind: ObservationKind = "note"
    text: Words
    by: Words = "evaluator"


class AnnotationsFile(Strict):
    overrides: list[OverrideEntry] = Field(default_factory=list)
    observations: list[ObservationEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class Override:
    objective: str
    rating: str
    rationale: str
    by: str
    source: str  # file:line where it was written


@dataclass(frozen=True)
class Observation:
    text: str
    by: str
    kind: str = "note"
    objectives: tuple[str, ...] = ()  # none: about the exercise as a whole
    t: float | None = None  # simulated time, when noted during a session
    source: str = ""

    @property
    def about(self) -> str:
        """The objectives it is about, for people ("" for the exercise as a whole)."""
        return ", ".join(self.objectives)


@dataclass(frozen=True)
class Annotations:
    overrides: tuple[Override, ...] = ()
    observations: tuple[Observation, ...] = ()


def load_annotations(path: str | Path, scenario: Scenario) -> Annotations:
    """Read an overrides file; ``TtxError`` with ``file:line:col`` for anything wrong."""
    path = Path(path)
    raw = read_input(path, ANNOTATIONS_LIMIT)
    if path.suffix.lower() == ".csv":
        annotations = _from_csv(raw, str(path))
    else:
        annotations = _from_yaml(raw, str(path))
    objectives = {o.id for o in scenario.objectives}
    problems = [
        Diagnostic(str(path), *_line_col(item.source), "",
                   f"unknown objective {objective!r}; the scenario has "
                   f"{', '.join(sorted(objectives))}")
        for item, objective in (
            *((o, o.objective) for o in annotations.overrides),
            *((b, one) for b in annotations.observations for one in b.objectives),
        )
        if objective not in objectives
    ]
    seen: dict[str, str] = {}
    for item in annotations.overrides:
        if item.objective in seen:
            problems.append(Diagnostic(
                str(path), *_line_col(item.source), "",
                f"a second override of {item.objective} (the first is at {seen[item.objective]}); "
                "keep one",
            ))
        seen[item.objective] = item.source
    if problems:
        raise TtxError(problems)
    return annotations


def _line_col(source: str) -> tuple[int, int]:
    parts = source.rsplit(":", 2)
    return (int(parts[1]), int(parts[2])) if len(parts) == 3 else (0, 0)


def _from_yaml(raw: bytes, file: str) -> Annotations:
    text = raw.decode("utf-8-sig", errors="replace")
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return Annotations()  # nothing written yet: no overrides, no observations
    doc = read_yaml(raw, file)
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise TtxError(Diagnostic(file, 1, 1, "", "expected a mapping with 'overrides' and/or "
                                                  "'observations'"))
    for section in ("overrides", "observations"):
        entries = data.get(section)
        if isinstance(entries, list) and len(entries) > MAX_ENTRIES:
            raise _too_many(file, doc.mark((section, MAX_ENTRIES))[0])
    try:
        parsed = AnnotationsFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            path = tuple(p for p in error["loc"] if isinstance(p, str | int))
            if error["type"] == "missing":
                path = path[:-1]  # the place is the entry that lacks it
            line, col = doc.mark(path, key=error["type"] == "extra_forbidden")
            where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
            problems.append(Diagnostic(file, line, col, where.replace(".[", "["),
                                       _message(error)))
        raise TtxError(sorted(set(problems), key=lambda d: (d.line, d.col, d.message))) from None

    def where(*path: str | int) -> str:
        line, col = doc.mark(tuple(path))
        return f"{file}:{line}:{col}"

    return Annotations(
        tuple(Override(o.objective, o.rating, o.rationale, o.by, where("overrides", i))
              for i, o in enumerate(parsed.overrides)),
        tuple(Observation(o.text, o.by, o.kind, _one(o.objective), None,
                                where("observations", i))
              for i, o in enumerate(parsed.observations)),
    )


CSV_COLUMNS = ("objective", "rating", "text", "by", "kind")

#: overrides or observations one file may hold: an exercise has tens; a file of many
#: thousands is not an evaluators' file, and would cost seconds to check
MAX_ENTRIES = 2_000


def _too_many(file: str, line: int) -> TtxError:
    return TtxError(Diagnostic(file, line, 1, "", f"more than {MAX_ENTRIES:,} overrides or "
                               "observations; an evaluators' file holds at most that many"))


def _from_csv(raw: bytes, file: str) -> Annotations:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TtxError(Diagnostic(file, 0, 0, "", "the file is not UTF-8 text")) from None
    rows: list[tuple[int, list[str]]] = []  # (physical line where the record starts, cells)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
            if len(rows) > MAX_ENTRIES + 1:  # the header, then the entries
                raise _too_many(file, start - 1)
    except csv.Error as exc:
        raise TtxError(Diagnostic(file, start, 1, "", f"not valid CSV: {exc}")) from None
    if not rows:
        raise TtxError(Diagnostic(file, 1, 1, "", f"empty: expected a header row "
                                                  f"({', '.join(CSV_COLUMNS)})"))
    header = [h.strip().lower() for h in rows[0][1]]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = [h for h in ("text",) if h not in header]
    if unknown or missing:
        what = (f"unknown column(s) {', '.join(map(repr, unknown))}" if unknown
                else "a 'text' column is needed")
        raise TtxError(Diagnostic(file, 1, 1, "", f"{what}; the columns are "
                                                  f"{', '.join(CSV_COLUMNS)}"))
    overrides: list[Override] = []
    observations: list[Observation] = []
    problems: list[Diagnostic] = []
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Diagnostic(file, number, 1, "",
                                       f"{len(row)} cells for {len(header)} columns"))
            continue
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        source = f"{file}:{number}:1"
        try:
            if cells.get("rating"):
                o = OverrideEntry.model_validate({
                    "objective": cells.get("objective") or "", "rating": cells["rating"],
                    "rationale": cells.get("text", ""), "by": cells.get("by") or "evaluator",
                })
                overrides.append(Override(o.objective, o.rating, o.rationale, o.by, source))
            else:
                b = ObservationEntry.model_validate({
                    "objective": cells.get("objective") or None, "text": cells.get("text", ""),
                    "by": cells.get("by") or "evaluator", "kind": cells.get("kind") or "note",
                })
                observations.append(Observation(b.text, b.by, b.kind, _one(b.objective), None,
                                                source))
        except ValidationError as exc:
            for error in exc.errors():
                field = error["loc"][0] if error["loc"] else ""
                field = "text" if field == "rationale" else field
                problems.append(Diagnostic(file, number, 1, str(field), _message(error)))
    if problems:
        raise TtxError(problems)
    return Annotations(tuple(overrides), tuple(observations))


_FIELDS = {
    "overrides": ("objective", "rating", "rationale", "by"),
    "observations": ("objective", "kind", "text", "by"),
    None: ("overrides", "observations"),
}


def _message(error: Any) -> str:
    from ..scenario.suggest import did_you_mean

    kind = error.get("type")
    loc = error.get("loc") or ()
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _FIELDS.get(loc[0] if len(loc) > 1 else None, ())
        hint = did_you_mean(key, allowed) or f"; allowed here: {', '.join(allowed)}"
        return f"unknown field {key!r}{hint}"
    if kind == "missing":
        return f"missing required field {str(loc[-1])!r}"
    if kind == "literal_error":
        return f"{error.get('input')!r} is not one of {error['ctx']['expected']}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":  # a validator's own words (an unsafe character and where it is)
        return str(error.get("msg")).removeprefix("Value error, ")
    if kind in ("string_type", "list_type", "model_type", "dict_type"):
        return f"expected {kind.split('_')[0]}, not {error.get('input')!r:.40}"
    return str(error.get("msg"))


def _one(objective: str | None) -> tuple[str, ...]:
    return () if objective is None else (objective,)
