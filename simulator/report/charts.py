"""The report's charts, drawn with matplotlib as SVG text (embedded in the HTML, written beside
the Markdown). Deterministic: the same log gives the same bytes (fixed ids, no date)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine.records import Event
from ..labels import IPCR_LABELS, TIER_LABELS, Labels, member_state
from ..scenario.models import Scenario
from ..scenario.reference import IPCR_MODES, TIERS

DAY = 1440.0

#: the four tracks of the EU's answer (docs/machinery.md section 2), each a ladder of levels read
#: from the log
TRACKS = ("technical", "operational", "political crisis", "foreign policy")
MEASURE_LADDER = ("none", "proposed", "prepared", "adopted")


@dataclass(frozen=True)
class Step:
    t: float
    level: int


@dataclass(frozen=True)
class Track:
    name: str
    levels: tuple[str, ...]
    steps: tuple[Step, ...]  # the level from each time on
    marks: tuple[tuple[float, str], ...] = ()  # notable moments (a veto, Art 222 ...)


def _short(name: str, most: int = 28) -> str:
    """A measure's name short enough for a chart's mark."""
    return name if len(name) <= most else name[: most - 1].rstrip() + "…"


def tracks(events: Sequence[Event], scenario: Scenario) -> list[Track]:
    """The escalation of each track over time: its ladder, the steps it climbed and its
    notable moments (national and partners' attributions, vetoes, blocked measures ...)."""
    labels = Labels(scenario)
    modes = ("none", *scenario.machinery.csirts_network.alert_modes)
    technical = [Step(0.0, 0)]
    operational = [Step(0.0, 0)]
    political = [Step(0.0, 0)]
    foreign = [Step(0.0, 0)]
    marks: dict[str, list[tuple[float, str]]] = {name: [] for name in TRACKS}
    tier_rank = {tier: i for i, tier in enumerate(TIERS)}
    measure_rank = 0
    for e in events:
        if e.kind == "csirts_network.alert" and e.payload.get("mode") in modes:
            technical.append(Step(e.t, modes.index(e.payload["mode"])))
        elif e.kind == "csirts_network.joint_statement":
            marks["technical"].append((e.t, "joint statement"))
        elif e.kind == "classification.tier":
            operational.append(Step(e.t, tier_rank[e.payload["tier"]]))
        elif e.kind == "cyclone.activated":
            marks["operational"].append((e.t, "EU-CyCLONe activated"))
        elif e.kind == "ipcr.mode":
            political.append(Step(e.t, IPCR_MODES.index(e.payload["mode"])))
            if e.payload.get("via") == "art_222":
                marks["political crisis"].append((e.t, "Art 222"))
        elif e.kind in ("measure.proposed", "measure.prepared", "measure.adopted"):
            stage = MEASURE_LADDER.index(e.kind.split(".")[1])
            if stage > measure_rank:
                measure_rank = stage
                foreign.append(Step(e.t, stage))
        elif e.kind == "member_state.veto":
            marks["foreign policy"].append((e.t, f"veto: {member_state(e.member_state)}"))
        elif e.kind == "measure.blocked":
            marks["foreign policy"].append(
                (e.t, f"blocked: {_short(labels.measure(e.subject))}"))
        elif e.kind == "member_state.attribution":
            marks["foreign policy"].append(
                (e.t, f"attribution: {member_state(e.member_state)}"))
        elif e.kind == "partner.attribution":
            marks["foreign policy"].append(
                (e.t, f"attribution: {labels.partner(str(e.payload.get('partner')))}"))
    ladders = {
        "technical": (tuple(m.replace("_", " ") for m in modes), technical),
        "operational": (tuple(TIER_LABELS.get(t, t) for t in TIERS), operational),
        "political crisis": (tuple(IPCR_LABELS.get(m, m) for m in IPCR_MODES), political),
        "foreign policy": (MEASURE_LADDER, foreign),
    }
    return [
        Track(name, tuple(levels), tuple(steps), tuple(marks[name]))
        for name, (levels, steps) in ladders.items()
    ]


def impact_series(events: Sequence[Event]) -> dict[str, list[tuple[float, float]]]:
    """Each Member State's impact level (share of services disrupted) over time."""
    series: dict[str, list[tuple[float, float]]] = {}
    for e in events:
        if e.kind == "adversary.impact" and e.member_state:
            series.setdefault(e.member_state, [(0.0, 0.0)]).append(
                (e.t, float(e.payload["level"]))
            )
    return dict(sorted(series.items()))


def _figure(height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # text stays text: small, searchable, selectable
        "text.parse_math": False,  # a label is text, never $...$ mathematics
        "font.size": 9,
        "font.family": "sans-serif",
    })
    return Figure(figsize=(9.0, height))


def _svg(fig, name: str) -> str:  # type: ignore[no-untyped-def]
    import matplotlib

    buffer = io.StringIO()
    # stable element ids, distinct between the charts of one HTML page
    with matplotlib.rc_context({"svg.hashsalt": f"ttx-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "ttx"},
                    bbox_inches="tight")
    text = buffer.getvalue()
    # inline use: drop the XML prolog and doctype, keep the <svg> element, and give every
    # element id (and every reference to one) the chart's name, so that two charts in one
    # page never share an id
    text = text[text.index("<svg"):]
    text = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', text)
    return re.sub(r'(url\(#|href="#)([^")]+)', rf"\1{name}-\2", text)


def escalation_svg(events: Sequence[Event], scenario: Scenario, end: float) -> str:
    """The escalation timeline: one panel per track, its level stepping over the days."""
    data = tracks(events, scenario)
    fig = _figure(1.45 * len(data) + 0.6)
    axes = fig.subplots(len(data), 1, sharex=True)
    days = max(end, 1.0) / DAY
    colours = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd")
    for ax, track, colour in zip(axes, data, colours, strict=True):
        xs = [s.t / DAY for s in track.steps] + [days]
        ys = [s.level for s in track.steps] + [track.steps[-1].level]
        ax.step(xs, ys, where="post", color=colour, linewidth=2)
        ax.fill_between(xs, ys, step="post", alpha=0.15, color=colour)
        ax.set_yticks(range(len(track.levels)), labels=list(track.levels))
        ax.set_ylim(-0.3, len(track.levels) - 0.7)
        ax.set_ylabel(track.name, rotation=0, ha="right", va="center", fontweight="bold")
        ax.grid(axis="x", alpha=0.3)
        for t, label in track.marks[:12]:
            ax.axvline(t / DAY, color="grey", linestyle=":", linewidth=1)
            ax.annotate(label, (t / DAY, len(track.levels) - 0.8), fontsize=7, rotation=90,
                        va="top", ha="right", color="dimgrey")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xlim(0, days)
    axes[-1].set_xlabel("days since the start of the exercise")
    fig.suptitle("Escalation across the four tracks", fontweight="bold")
    return _svg(fig, "escalation")


#: the most panels the impact chart draws; beyond, the least affected share one panel
PANELS = 12
COLUMNS = 4


def impact_panels(events: Sequence[Event]) -> list[tuple[str, list[tuple[float, float]]]]:
    """The impact chart's panels: the Member States most affected first (by their peak),
    each with its series; beyond ``PANELS``, the rest as one panel ("N others") showing the
    highest level among them at each moment."""
    series = impact_series(events)
    ranked = sorted(series, key=lambda ms: (-max(v for _, v in series[ms]), ms))
    if len(ranked) <= PANELS:
        return [(member_state(ms), series[ms]) for ms in ranked]
    shown, rest = ranked[: PANELS - 1], ranked[PANELS - 1:]
    level = dict.fromkeys(rest, 0.0)
    merged: list[tuple[float, float]] = [(0.0, 0.0)]
    changes = sorted((t, code, v) for code in rest for t, v in series[code])
    for t, code, value in changes:
        level[code] = value
        merged.append((t, max(level.values())))
    return [*((member_state(ms), series[ms]) for ms in shown),
            (f"{len(rest)} others (highest)", merged)]


def impact_svg(events: Sequence[Event], end: float) -> str:
    """Impact per Member State over time (share of its affected services disrupted): small
    multiples, the most affected first, readable with twenty Member States or more."""
    panels = impact_panels(events)
    days = max(end, 1.0) / DAY
    if not panels:
        fig = _figure(1.6)
        ax = fig.subplots()
        ax.text(0.5, 0.5, "no impact in any Member State", transform=ax.transAxes,
                ha="center", va="center", color="dimgrey")
        ax.set_axis_off()
        fig.suptitle("Impact over time per Member State", fontweight="bold")
        return _svg(fig, "impact")
    columns = min(COLUMNS, len(panels))
    rows = -(-len(panels) // columns)
    fig = _figure(0.6 + 1.55 * rows)
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_visible(False)
            continue
        name, points = panels[i]
        xs = [t / DAY for t, _ in points] + [days]
        ys = [level * 100 for _, level in points] + [points[-1][1] * 100]
        colour = "#9e9e9e" if name.endswith("(highest)") else "#c62828"
        ax.step(xs, ys, where="post", color=colour, linewidth=1.6)
        ax.fill_between(xs, ys, step="post", alpha=0.18, color=colour)
        peak = max(ys)
        ax.set_title(f"{name}: peak {peak:.0f}%", fontsize=8, loc="left")
        ax.set_xlim(0, days)
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 50, 100])
        ax.grid(alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("days", fontsize=8)
    for ax in axes[:, 0]:
        ax.set_ylabel("disrupted (%)", fontsize=8)
    fig.suptitle("Impact over time per Member State (share of affected services disrupted)",
                 fontweight="bold")
    return _svg(fig, "impact")
