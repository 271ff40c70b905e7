"""The escalation ladder: each track's bodies, their state and since when; the tier."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from textual.widgets import Static

from simulator.scenario.reference import TIERS

from ..frames import Frame
from . import cell

TIER_STYLES = ("green", "yellow", "dark_orange", "bold red")


class Ladder(Static):
    """Four tracks (technical, operational, political crisis, foreign policy)."""

    def __init__(self, clock: Callable[[float], str], **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.border_title = "Escalation"

    def show(self, frame: Frame) -> None:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column("track", style="bold", no_wrap=True, ratio=2)
        table.add_column("body", no_wrap=True, ratio=3)
        table.add_column("state", ratio=4, overflow="ellipsis", no_wrap=True)
        table.add_column("since", no_wrap=True, style="dim", justify="right")
        previous = None
        for rung in frame.ladder:
            track = rung.track if rung.track != previous else ""
            previous = rung.track
            since = "" if rung.since is None else self.clock(rung.since)
            style = ""
            if rung.body == "Classification":
                style = TIER_STYLES[TIERS.index(frame.tier)] if frame.tier in TIERS else ""
            table.add_row(cell(track), cell(rung.body), cell(rung.state, style), cell(since))
        self.update(table)
