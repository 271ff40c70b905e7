"""The MSEL: delivered injects, the next ones with countdowns, contingency injects, moves."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import DataTable

from simulator.scenario.units import format_duration

from ..frames import Frame
from . import cell

STATUS_STYLES = {"delivered": "green", "upcoming": "bold", "waiting": "yellow",
                 "ready": "cyan", "skipped": "dim"}


def countdown(minutes: float) -> str:
    return "in " + format_duration(max(0.0, round(minutes)))


class Msel(DataTable[object]):
    """One row per inject; the key is the inject's id."""

    def __init__(self, clock: Callable[[float], str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("inject", "when", "status", "from → to", "synopsis")
        self.border_title = "MSEL"

    def show(self, frame: Frame) -> None:
        keep = self.cursor_row
        self.clear()
        for row in frame.msel:
            i = row.inject
            if row.status == "delivered":
                when = self.clock(row.delivered or 0.0)
            elif row.contingency:
                when = "at will"
            elif i.at is not None:
                when = f"{self.clock(i.at)} ({countdown(i.at - frame.now)})"
            else:
                when = "on a condition"
            status = "contingency" if row.contingency and row.status == "ready" else row.status
            self.add_row(
                cell(i.id), cell(when), Text(status, STATUS_STYLES.get(row.status, "")),
                cell(f"{i.from_} → {', '.join(i.to)}"), cell(i.synopsis), key=i.id,
            )
        if frame.msel:
            self.move_cursor(row=min(keep, len(frame.msel) - 1))
        moves = f"move: {frame.move}" if frame.move else "no move yet"
        if frame.next_move:
            name, start = frame.next_move
            moves += f" · next: {name} ({countdown(start - frame.now)})"
        self.border_subtitle = cell(moves)
