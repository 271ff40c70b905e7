"""The Member State board: every affected state, worst first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ..frames import Frame
from . import cell

COLUMNS = ("MS", "status", "sectors hit", "entities", "impact", "peak", "NIS2 due",
           "sent", "missed", "CSIRT", "Reserve")


class Board(DataTable[object]):
    """Affected Member States: status, sectors, impact, NIS2 reports, CSIRT load, Reserve."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns(*COLUMNS)
        self.border_title = "Member States"

    def show(self, frame: Frame) -> None:
        rows = []
        for r in frame.board:
            status = Text("significant", "bold red") if r.significant else Text("affected")
            impact = Text(f"{r.impact:.0%}", "red" if r.impact >= 0.5 else "")
            csirt = Text(r.csirt, "bold red" if r.csirt.startswith("overloaded") else "green")
            rows.append((cell(r.code), status, cell(", ".join(sorted(r.sectors))),
                         cell(r.entities), impact, cell(f"{r.peak:.0%}"), cell(r.reports_due),
                         cell(r.reports_sent),
                         Text(str(r.reports_missed), "red" if r.reports_missed else ""),
                         csirt, cell(r.reserve)))
        keep = self.cursor_row
        self.clear()
        for row in rows:
            self.add_row(*row, key=row[0].plain)
        if rows:
            self.move_cursor(row=min(keep, len(rows) - 1))
        self.border_subtitle = f"{len(rows)} affected"
