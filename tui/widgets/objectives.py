"""Objectives: each one's live score and rating, and the evidence behind the selected one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from simulator.text import visible

from ..frames import ObjectiveLine
from . import cell

RATING_STYLES = {"P": "bold green", "S": "green", "M": "yellow", "U": "bold red",
                 "not yet due": "dim"}


class Objectives(Vertical):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: tuple[ObjectiveLine, ...] = ()

    def compose(self) -> ComposeResult:
        yield DataTable(id="objectives-table", cursor_type="row")
        yield Static(id="objectives-evidence")

    def on_mount(self) -> None:
        self.query_one("#objectives-table", DataTable).add_columns(
            "objective", "capability", "score", "rating")
        self.border_title = "Objectives (scored on the log so far)"

    def show(self, lines: tuple[ObjectiveLine, ...]) -> None:
        if lines is self.lines:
            return
        self.lines = lines
        table = self.query_one("#objectives-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for line in self.lines:
            score = "—" if line.score is None else f"{line.score:.2f}"
            table.add_row(cell(line.id), cell(line.capability), cell(score),
                          Text(line.rating, RATING_STYLES.get(line.rating, "")), key=line.id)
        if self.lines:
            table.move_cursor(row=min(keep, len(self.lines) - 1))
        self._evidence(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._evidence(event.cursor_row)

    def _evidence(self, row: int) -> None:
        panel = self.query_one("#objectives-evidence", Static)
        if not self.lines or not 0 <= row < len(self.lines):
            panel.update("")
            return
        line = self.lines[row]
        text = Text()
        text.append(f"{line.id}: {visible(' '.join(line.text.split()))}\n", "bold")
        for description, score, summary in line.metrics:
            mark = "—" if score is None else f"{score:.2f}"
            text.append(f"  {mark:>5}  {visible(description)}: {visible(summary)}\n")
        if line.evidence:
            text.append("evidence\n", "bold")
            for item in line.evidence[:12]:
                text.append(f"  {visible(item)}\n", "dim")
        panel.update(text)
