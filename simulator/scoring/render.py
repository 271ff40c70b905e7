"""The scorecard for a terminal: one block per objective, its metrics and their evidence."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape as _markup_escape
from rich.table import Table

from ..scenario.units import format_clock
from ..text import visible
from .card import RATING_NAMES, Scorecard, unrated_reason


def escape(value: object) -> str:
    """Text from the scenario, the log or a file name: no Rich markup, and terminal controls
    shown as escapes (Rich's own ``escape`` leaves ESC in place)."""
    return _markup_escape(visible(str(value)))


STYLE = {"P": "bold green", "S": "bold cyan", "M": "bold yellow", "U": "bold red"}
#: how a decision was taken, as the scorecard says it
TAKEN_BY = {"policy": "the scenario's policy", "players": "players",
            "deadline": "nobody: its default fell at the deadline"}


def pct(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.2f}"


def print_scorecard(card: Scorecard, console: Console) -> None:
    """Every value from the scenario or the log is escaped (``[`` starts Rich markup)."""
    meta = card.scenario.metadata
    run = card.run
    console.print(
        f"[bold]{escape(meta.title)}[/bold]\n{escape(meta.id)} · seed "
        f"{escape(str(run.get('seed')))} · run {escape(str(run.get('status')))} · "
        f"{run.get('events')} events · sha256 {escape(str(run.get('sha256', ''))[:12])}",
        highlight=False,
    )
    if run.get("status") != "completed":
        # a log cut short (a session in progress, an interrupted or failed run) must not be
        # read as an exercise that was played to its end
        console.print(
            f"[bold reverse red] NOT A COMPLETED RUN [/] the log is "
            f"{escape(str(run.get('status')))}: ratings cover only what happened before it "
            "stopped",
            highlight=False,
        )
    for warning in card.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False)
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("objective", no_wrap=True)
    table.add_column("capability", overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("rating", no_wrap=True)
    for result in card.objectives:
        rating = result.rating
        shown = f"[{STYLE[rating]}]{rating}[/]" if rating else "not rated"
        if result.override:
            final = result.override.rating
            shown += f" → [{STYLE[final]}]{final}[/] (override)"
        table.add_row(escape(result.objective.id), escape(result.objective.capability),
                      pct(result.score), shown)
    console.print(table)
    for result in card.objectives:
        o = result.objective
        t = result.thresholds
        head = result.rating or "not rated"
        console.print(
            f"\n[bold]{escape(o.id)}[/bold] {escape(o.text)}\n"
            f"  score {pct(result.score)} → {head}"
            + (f" ({RATING_NAMES[result.rating]})" if result.rating else "")
            + f"; thresholds P {t.P:g}, S {t.S:g}, M {t.M:g}",
            highlight=False,
        )
        if result.rating is None:
            console.print(f"  [dim]{escape(unrated_reason(result))}[/dim]", highlight=False)
        if result.override:
            ov = result.override
            console.print(
                f"  override by {escape(ov.by)}: {ov.rating} — {escape(ov.rationale)} "
                f"[dim]({escape(ov.source)})[/dim]",
                highlight=False,
            )
        for m in result.metrics:
            console.print(
                f"  {pct(m.score):>5}  ×{m.weight:g}  {escape(m.description)}\n"
                f"         {escape(m.summary)}",
                highlight=False,
            )
            for e in m.evidence[:6]:
                when = format_clock(e.t, card.scenario.metadata.start) if e.t is not None else ""
                console.print(f"         [dim]· {when} {escape(e.note)}[/dim]", highlight=False)
            if len(m.evidence) > 6:
                console.print(f"         [dim]· ... {len(m.evidence) - 6} more[/dim]",
                              highlight=False)
    if card.decisions:
        console.print("\n[bold]Decisions[/bold]" + (
            "" if card.interactive else " (a headless run: every one the scenario's policy's)"))
        for d in card.decisions:
            when = format_clock(d.t, card.scenario.metadata.start)
            console.print(f"  {when}  {escape(d.point)}: {escape(d.label)} [dim]"
                          f"({escape(TAKEN_BY.get(d.source, d.source))}"
                          + (f": {escape(d.by)}" if d.source == "players" else "") + ")[/dim]",
                          highlight=False)
    if card.observations:
        console.print("\n[bold]Observations[/bold]")
        for b in card.observations:
            about = f" ({b.about})" if b.objectives else ""
            console.print(f"  {b.kind}{escape(about)} by {escape(b.by)}: {escape(b.text)}",
                          highlight=False)
