"""Escalation and impact over time, drawn with plotext and updated live."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual_plotext import PlotextPlot

from simulator.engine.records import Event
from simulator.report.charts import impact_series, tracks
from simulator.scenario.models import Scenario

DAY = 1440.0
#: the most Member States drawn on the impact chart (the most affected)
LINES = 6
#: the least wall time between two redraws, in seconds (drawing is the costly part)
REDRAW = 1.0


class Chart(Vertical):
    def __init__(self, scenario: Scenario, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.scenario = scenario
        self.events: list[Event] = []
        self.now = 0.0
        self._drawn = 0.0
        self._dirty = True

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="chart-escalation")
        yield PlotextPlot(id="chart-impact")

    def on_mount(self) -> None:
        self.border_title = "Escalation and impact over time (days)"

    def add(self, events: tuple[Event, ...], now: float) -> None:
        """Keep new events; they are drawn when the chart is next shown."""
        self.events.extend(events)
        self._dirty = self._dirty or bool(events) or now != self.now
        self.now = now

    def show(self, force: bool = False) -> None:
        """Draw what changed, at most every ``REDRAW`` seconds unless ``force``."""
        if self._dirty and (force or time.monotonic() - self._drawn >= REDRAW):
            self.draw()

    def draw(self) -> None:
        self._drawn = time.monotonic()
        self._dirty = False
        days = max(self.now / DAY, 0.01)
        escalation = self.query_one("#chart-escalation", PlotextPlot)
        plt = escalation.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Escalation: each track's level (0 none, 1 top of its ladder)")
        for track in tracks(self.events, self.scenario):
            top = max(len(track.levels) - 1, 1)
            xs = [s.t / DAY for s in track.steps] + [days]
            ys = [s.level / top for s in track.steps] + [track.steps[-1].level / top]
            step_x, step_y = [], []
            for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
                if i:
                    step_x.append(x)
                    step_y.append(step_y[-1])
                step_x.append(x)
                step_y.append(y)
            plt.plot(step_x, step_y, label=track.name)
        plt.ylim(-0.05, 1.05)
        plt.xlim(0, days)
        escalation.refresh()
        impact = self.query_one("#chart-impact", PlotextPlot)
        plt = impact.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title("Impact: share of services disrupted, the most affected Member States")
        series = impact_series(self.events)
        worst = sorted(series, key=lambda ms: -max(v for _, v in series[ms]))[:LINES]
        for ms in worst:
            points = series[ms] + [(self.now, series[ms][-1][1])]
            plt.plot([t / DAY for t, _ in points], [v for _, v in points], label=ms)
        plt.ylim(0, 1)
        plt.xlim(0, days)
        impact.refresh()
