"""The MSEL handout: the Master Scenario Events List as facilitators print it (HSEEP).

Timed injects in time order, then those waiting on a condition, then contingency injects;
an inject without an explicit move belongs to the last move started by its time. What an
inject makes true in the run when it is delivered (its effects) has a column of its own, so
control staff know which injects change the world and which only tell it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields

from ..text import spreadsheet_safe
from .conditions import describe
from .effects import describe_effect
from .models import ExpectedAction, Inject, Scenario
from .units import format_clock, format_duration


@dataclass(frozen=True)
class MselRow:
    time: str
    move: str
    inject: str
    sender: str
    receivers: str
    mode: str
    synopsis: str
    effects: str
    expected_actions: str
    objectives: str
    tlp: str
    content: str


HEADER = (
    "time",
    "move",
    "inject",
    "from",
    "to",
    "mode",
    "synopsis",
    "effects",
    "expected actions",
    "objectives",
    "tlp",
    "content",
)
#: the terminal table leaves out the long ``content``; the CSV handout keeps everything
TABLE_HEADER = HEADER[:-1]
assert len(HEADER) == len(fields(MselRow))


def _move_of(scenario: Scenario, inject: Inject) -> str:
    if inject.move is not None:
        return inject.move
    if inject.at is None:
        return ""
    started = [m.id for m in scenario.msel.moves if m.start <= inject.at]
    return started[-1] if started else ""


def _expected(action: ExpectedAction) -> str:
    notes = [f"by {action.by}"] if action.by else []
    if action.within is not None:
        notes.append(f"within {format_duration(action.within)}")
    text = " ".join(action.text.split())
    return f"{text} ({', '.join(notes)})" if notes else text


def _row(scenario: Scenario, inject: Inject, time: str) -> MselRow:
    expected = "; ".join(_expected(a) for a in inject.expected_actions)
    return MselRow(
        time,
        _move_of(scenario, inject),
        inject.id,
        inject.from_,
        ", ".join(inject.to),
        inject.mode,
        " ".join(inject.synopsis.split()),
        "; ".join(describe_effect(e) for e in inject.effects),
        expected,
        ", ".join(inject.objectives),
        f"TLP:{inject.tlp.upper()}",
        inject.content or "",
    )


def msel_rows(scenario: Scenario) -> list[MselRow]:
    start = scenario.metadata.start
    timed = sorted(
        (i for i in scenario.msel.injects if i.at is not None), key=lambda i: i.at or 0.0
    )
    rows = [_row(scenario, i, format_clock(i.at or 0.0, start)) for i in timed]
    rows += [
        _row(scenario, i, f"when {describe(i.when)}")
        for i in scenario.msel.injects
        if i.when is not None
    ]
    rows += [_row(scenario, i, "contingency") for i in scenario.msel.contingency_injects]
    return rows


def msel_csv(scenario: Scenario) -> str:
    """The MSEL as CSV for spreadsheets: no cell can start a formula (``spreadsheet_safe``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(map(spreadsheet_safe, astuple(r)) for r in msel_rows(scenario))
    return out.getvalue()
