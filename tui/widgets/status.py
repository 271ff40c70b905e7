"""The status line under the title: scenario, session, simulated date and clock, speed, state,
and the Council Presidency in office."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from simulator.text import visible

from ..frames import Frame

STATE_STYLES = {
    "running": "bold black on green", "paused": "bold black on yellow",
    "at the end": "bold white on blue", "ended": "bold white on blue",
    "failed": "bold white on red",
}


def speed_label(speed: float) -> str:
    """Simulated minutes per wall second, as people say it."""
    if speed >= 60 and speed % 60 == 0:
        return f"{speed / 60:g} h/s"
    return f"{speed:g} min/s"


class StatusBar(Static):
    """State · D+x hh:mm · date · speed · Presidency · decisions waiting · move (the scenario
    and the session are in the header above it)."""

    def show(self, frame: Frame) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {frame.state.upper()} ", STATE_STYLES.get(frame.state, "reverse"))
        line.append(f" {frame.clock} ", "bold")
        line.append(f"{frame.date}  ", "dim")
        line.append(f"{speed_label(frame.speed)}  ")
        if frame.presidency:
            line.append(f"Presidency {frame.presidency}  ", "dim")
        if frame.deadline:
            line.append(f" ⚑ {frame.deadline}: its deadline is now; Space lets the default "
                        "fall ", "bold white on red")
        elif frame.pending:
            line.append(f" ⚑ {len(frame.pending)} decision(s) waiting (p) ", "bold red")
        if frame.move:
            line.append(f" move: {visible(frame.move)}  ", "italic")
        self.update(line)
