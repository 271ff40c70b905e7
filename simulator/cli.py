"""The ``ttx`` command (DESIGN.md, "Interfaces").

Exit codes are a contract: 0 success, 1 the run itself failed, 2 bad input or usage. Bad input
never shows a traceback (``--debug`` does). Imports of heavy modules happen inside commands so
that ``ttx validate`` never pays for Textual or the engine.
"""

from __future__ import annotations

import sys
from dataclasses import astuple
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import TtxError

app = typer.Typer(
    name="ttx",
    help="Tabletop-exercise simulator for EU cyber crisis management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ttx {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    _state["debug"] = debug


def _err(text: str) -> None:
    typer.echo(text, err=True)


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Scenario files to check.", metavar="FILE...", show_default=False),
    ],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Check scenario files; list every error as file:line:col: location: message."""
    from .scenario import load_scenario

    bad = 0
    for file in files:
        try:
            loaded = load_scenario(file)
        except TtxError as exc:
            bad += 1
            for diagnostic in exc.diagnostics:
                _err(str(diagnostic))
            continue
        if not quiet:
            s = loaded.scenario
            typer.echo(
                f"{file}: ok ({s.metadata.id}: {len(s.msel.injects)} injects, "
                f"{len(s.decision_points)} decision points)"
            )
    if bad:
        _err(f"{bad} of {len(files)} file{'s' if len(files) != 1 else ''} invalid")
        raise typer.Exit(2)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format."""
    from .scenario.schema import schema_text

    text = schema_text()
    if out is None:
        sys.stdout.write(text)
    else:
        _write(out, text)


@app.command()
def msel(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the MSEL as CSV to this file (for spreadsheets)."),
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """The Master Scenario Events List: a table, or CSV for the printed handout."""
    from .scenario import load_scenario
    from .scenario.msel import TABLE_HEADER, msel_csv, msel_rows

    loaded = load_scenario(scenario)
    if out is not None:
        if out.suffix.lower() != ".csv":
            raise TtxError(f"--out {out}: the MSEL is written as CSV; name the file *.csv")
        _write(out, msel_csv(loaded.scenario), encoding="utf-8-sig")
        typer.echo(f"wrote {out} ({len(msel_rows(loaded.scenario))} injects)")
        return
    if csv:
        sys.stdout.write(msel_csv(loaded.scenario))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"MSEL: {loaded.scenario.metadata.title}", show_lines=True, expand=True)
    rows = [astuple(row)[: len(TABLE_HEADER)] for row in msel_rows(loaded.scenario)]
    # every column gets a share of the width, the prose columns the largest; short codes
    # (ids, modes, TLP labels) are never broken across lines
    ratios = {"time": 3, "from": 4, "to": 4, "synopsis": 8, "expected actions": 5, "objectives": 3}
    for index, name in enumerate(TABLE_HEADER):
        whole = name in ("move", "inject", "mode", "tlp")
        longest = max((len(r[index]) for r in rows), default=0)
        table.add_column(
            name,
            ratio=ratios.get(name),
            overflow="fold",
            no_wrap=whole,
            min_width=max(longest, len(name)) if whole else None,
        )
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command()
def overview(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
) -> None:
    """A one-screen overview of a scenario: who, when, objectives, campaign, MSEL."""
    from rich.console import Console

    from .scenario import load_scenario
    from .scenario.overview import render_overview

    loaded = load_scenario(scenario)
    Console().print(render_overview(loaded))


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    seed: Annotated[int, typer.Option("--seed", help="The run's random seed.")] = 1,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log", help="Where to write the JSON Lines event log.", show_default=False
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Stop early, e.g. 3d (default: the scenario's duration).",
                     show_default=False),
    ] = None,
) -> None:
    """One headless run: prints the milestones and writes the event log.

    Decisions follow the scenario's policies; the log goes to runs/ID-seedN.jsonl by default.
    """
    from rich.console import Console
    from rich.table import Table

    from .engine import Simulation
    from .engine.summary import clock, milestones, totals
    from .scenario import load_scenario
    from .scenario.units import format_duration, parse_duration

    stop = None
    if until is not None:
        try:
            stop = parse_duration(until)
        except ValueError as exc:
            raise TtxError(f"--until: {exc}") from None
        if stop <= 0:
            raise TtxError("--until: give a time after the start, e.g. 12h or 3d")
    loaded = load_scenario(scenario)
    meta = loaded.scenario.metadata
    if log is None:
        log = Path("runs") / f"{meta.id}-seed{seed}.jsonl"
        try:
            log.parent.mkdir(exist_ok=True)
        except OSError as exc:
            raise TtxError(f"{log.parent}: cannot create the log folder: {exc.strerror}") from None
    _refuse_overwriting("--log", log, [scenario], "the scenario file")
    try:  # fail on an unwritable log before the run, not after it, and truncate nothing yet
        with open(log, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise TtxError(f"{log}: cannot write the log: {exc.strerror or exc}") from None
    result = Simulation(loaded, seed, until=stop).run()
    result.write(log)

    console = Console()
    end = format_duration(round(result.end))
    console.print(
        f"[bold]{meta.title}[/bold]\n{meta.id} · seed {seed} · until {end} · "
        f"sha256 {loaded.sha256[:12]} · ttx {result.version}"
    )
    if stop is not None and stop > meta.duration:
        console.print(f"(--until {until} is past the scenario's end; stopped at {end})")
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("time", no_wrap=True)
    table.add_column("milestone", no_wrap=True)
    table.add_column("detail", overflow="fold")
    for row in milestones(result.events):
        table.add_row(clock(row.t, meta.start), row.what, row.detail)
    console.print(table)
    for name, value in totals(result.events):
        console.print(f"[bold]{name}:[/bold] {value}", highlight=False)
    console.print(f"log: {log} ({len(result.events)} events)", highlight=False)
    if result.status != "completed":
        _err(f"ttx: the run failed: {result.error}; the log up to the failure is in {log}")
        raise typer.Exit(1)


#: what scoring and the report share: the log, where its scenario is, evaluators' calls
LogArgument = Annotated[
    Path, typer.Argument(help="The run's JSON Lines event log.", show_default=False)
]
ScenarioOption = Annotated[
    Path | None,
    typer.Option("--scenario", help="The scenario (default: found from the log).",
                 show_default=False),
]
OverridesOption = Annotated[
    Path | None,
    typer.Option("--overrides", help="Evaluators' overrides and observations (YAML or CSV).",
                 show_default=False),
]


@app.command()
def score(
    log: LogArgument,
    scenario: ScenarioOption = None,
    overrides: OverridesOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for tools.")] = False,
) -> None:
    """Score a run against its objectives: P/S/M/U per objective, with the evidence."""
    import json

    from .scoring import score_file

    card = score_file(log, scenario, overrides)
    if as_json:
        sys.stdout.write(json.dumps(card.to_json(), indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    from .scoring.render import print_scorecard

    print_scorecard(card, Console())


@app.command()
def report(
    log: LogArgument,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="md or html (default: from --out, else md).",
                     show_default=False),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The report file (default: reports/ID-seedN.FORMAT).",
                     show_default=False),
    ] = None,
    scenario: ScenarioOption = None,
    overrides: OverridesOption = None,
) -> None:
    """The After-Action Report with Improvement Plan, in Markdown or HTML.

    Markdown gets its charts as SVG files beside it; HTML is one self-contained file.
    """
    from .report import REPORT_FORMATS, write_report
    from .scoring import score_log

    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) or "md"
        if fmt not in REPORT_FORMATS:
            raise TtxError(f"--out {out}: name it *.md or *.html, or give --format")
    if fmt not in REPORT_FORMATS:
        raise TtxError(f"--format {fmt}: one of {', '.join(REPORT_FORMATS)}")
    card, events = score_log(log, scenario, overrides)
    if out is None:
        seed = card.run.get("seed")
        name = f"{card.scenario.metadata.id}-" + (f"seed{seed}" if seed is not None else "report")
        out = Path("reports") / f"{name}.{fmt}"
        try:
            out.parent.mkdir(exist_ok=True)
        except OSError as exc:
            raise TtxError(
                f"{out.parent}: cannot create the report folder: {exc.strerror}"
            ) from None
    _refuse_overwriting("--out", out, [log, Path(card.sources["scenario"])],
                        "the log or the scenario")
    written = write_report(card, events, fmt, out)
    for warning in card.warnings:
        _err(f"warning: {warning}")
    typer.echo(f"wrote {', '.join(map(str, written))}")


def _refuse_overwriting(option: str, out: Path, inputs: list[Path], what: str) -> None:
    """An output must never replace one of the command's inputs (another path to the same
    file, or a hard link to it, included)."""
    if out.exists() and any(out.samefile(path) for path in inputs if path.exists()):
        raise TtxError(f"{option} {out}: that is {what}; give the output another name")


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    try:
        path.write_text(text, encoding=encoding)
    except OSError as exc:
        raise TtxError(f"{path}: cannot write: {exc.strerror}") from None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code.

    Typer (Click) handles usage errors itself, with exit code 2; ``TtxError`` is bad input
    found by a command; anything else is a bug and exits 1 without a traceback unless
    ``--debug`` is given.
    """
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = False
    try:
        app(args=args, prog_name="ttx")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except TtxError as exc:
        for diagnostic in exc.diagnostics:
            _err(str(diagnostic))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:
        if _state["debug"]:
            raise
        _err(
            f"ttx: internal error: {type(exc).__name__}: {exc} (run with --debug for the "
            "traceback, and please report it)"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
