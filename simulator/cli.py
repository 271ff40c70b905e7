"""The ``ttx`` command (docs/design.md, "Interfaces").

Exit codes are a contract: 0 success, 1 the run itself failed, 2 bad input or usage. Bad input
never shows a traceback (``--debug`` does). Imports of heavy modules happen inside commands so
that ``ttx validate`` never pays for Textual or the engine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .console import TYPER_SETTINGS
from .console import console as _console
from .console import echo as _echo
from .console import err as _err
from .console import plain as _plain
from .errors import Interrupted, OutputClosed, TtxError
from .kinds import SEEDS
from .safeio import atomic_output, check_output, refuse_inputs, write_output
from .sessions.commands import sessions_app

app = typer.Typer(
    name="ttx", help="Tabletop-exercise simulator for EU cyber crisis management.",
    **TYPER_SETTINGS,
)

_state = {"debug": False}
app.add_typer(sessions_app)


def _console_commands() -> None:
    """``ttx play`` and ``ttx serve``: the console lives in ``tui`` (Textual is imported
    when they run)."""
    from tui.commands import play, serve

    app.command(rich_help_panel=None)(play)
    app.command(rich_help_panel=None)(serve)


_console_commands()


def _batch_command() -> None:
    """``ttx batch``: ``simulator/batch`` (the engine and pyarrow are imported when it runs)."""
    from .batch.commands import batch

    app.command(rich_help_panel=None)(batch)


_batch_command()


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


#: the errors shown for one file: a file with thousands of the same mistake is told in a screen
MAX_DIAGNOSTICS = 50


def _print_diagnostics(diagnostics: list[Any]) -> None:
    for diagnostic in diagnostics[:MAX_DIAGNOSTICS]:
        _err(str(diagnostic))
    if len(diagnostics) > MAX_DIAGNOSTICS:
        _err(f"... and {len(diagnostics) - MAX_DIAGNOSTICS:,} more errors like these")


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(help="Scenario files, or folders whose *.yaml files to check.",
                       metavar="FILE_OR_DIR...", show_default=False),
    ],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Check scenario files; list every error as file:line:col: location: message."""
    from .scenario import load_scenario

    files = _scenario_files(files)
    bad = 0
    for file in files:
        try:
            loaded = load_scenario(file)
        except TtxError as exc:
            bad += 1
            _print_diagnostics(exc.diagnostics)
            continue
        if not quiet:
            s = loaded.scenario
            _echo(
                f"{file}: ok ({s.metadata.id}: {len(s.msel.injects)} injects, "
                f"{len(s.decision_points)} decision points)"
            )
    if bad:
        _err(f"{bad} of {len(files)} file{'s' if len(files) != 1 else ''} invalid")
        raise typer.Exit(2)


def _scenario_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the YAML files directly in it, in name order (the
    library's ``schema.json`` and anything else beside them are not scenarios)."""
    files: list[Path] = []
    for path in paths:
        try:
            if not path.is_dir():
                files.append(path)
                continue
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in (".yaml", ".yml") and not p.is_dir())
        except OSError as exc:
            raise TtxError(f"{path}: cannot read the folder: {exc.strerror or exc}") from None
        if not found:
            raise TtxError(f"{path}: a folder with no *.yaml or *.yml files to validate")
        files += found
    return files


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format."""
    from .scenario.schema import schema_text

    if out is not None:
        check_output("--out", out)
    text = schema_text()
    if out is None:
        sys.stdout.write(text)
    else:
        write_output(out, text)


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

    if out is not None:
        if out.suffix.lower() != ".csv":
            raise TtxError(f"--out {out}: the MSEL is written as CSV; name the file *.csv")
        check_output("--out", out)
        refuse_inputs("--out", out, [("the scenario file", scenario)])
    loaded = load_scenario(scenario)
    if out is not None:
        write_output(out, msel_csv(loaded.scenario), encoding="utf-8-sig")
        _echo(f"wrote {out} ({len(msel_rows(loaded.scenario))} injects)")
        return
    if csv:
        sys.stdout.write(msel_csv(loaded.scenario))
        return
    from rich.table import Table

    table = Table(title=_plain(f"MSEL: {loaded.scenario.metadata.title}"), show_lines=True,
                  expand=True)
    rows = [astuple(row)[: len(TABLE_HEADER)] for row in msel_rows(loaded.scenario)]
    # every column gets a share of the width, the prose columns the largest; short codes
    # (ids, modes, TLP labels) are never broken across lines
    ratios = {"time": 3, "from": 4, "to": 4, "synopsis": 8, "effects": 4, "expected actions": 5,
              "objectives": 3}
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
        table.add_row(*map(_plain, row))
    _console().print(table)


@app.command()
def overview(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
) -> None:
    """A one-screen overview of a scenario: who, when, objectives, campaign, MSEL."""
    from .scenario import load_scenario
    from .scenario.overview import render_overview

    loaded = load_scenario(scenario)
    _console().print(render_overview(loaded))


@app.command()
def kinds(
    pattern: Annotated[
        str | None,
        typer.Argument(help="Only these: a body (cyclone), a kind, a prefix, or a glob "
                       "('*.agreed').", show_default=False, metavar="PATTERN"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for tools.")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print a Markdown table (for docs).")
    ] = False,
) -> None:
    """The event kinds of the log: what each means and its payload fields, by body.

    Scenario conditions (when: {event: {kind: cyclone.activated}}) and metrics name them.
    """
    from .kinds_text import as_json as kinds_json
    from .kinds_text import as_markdown, select, table

    if as_json and markdown:
        raise TtxError("--json and --markdown: give one of them")
    chosen = select(pattern)
    if as_json:
        import json

        sys.stdout.write(json.dumps(kinds_json(chosen), indent=2, ensure_ascii=False) + "\n")
    elif markdown:
        sys.stdout.write(as_markdown(chosen))
    else:
        _console().print(table(chosen))


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    seed: Annotated[int, typer.Option("--seed", help="The run's random seed (64 bits).",
                                      min=SEEDS[0], max=SEEDS[1])] = 1,
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
    from rich.table import Table
    from rich.text import Text

    from .engine import Simulation
    from .engine.records import write_log
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
    check_output("--log", log)
    refuse_inputs("--log", log, [("the scenario file", scenario)])
    simulation = Simulation(loaded, seed, until=stop)
    # the log's temporary file is made before the run, so an unwritable folder fails now; the
    # log appears under its name only once complete (a finished, failed or interrupted run).
    # Signals wait while it is written: a run that has ended is never thrown away by a Ctrl-C
    # that comes during its last second, which is answered once the log is in place
    stopped: Interrupted | None = None
    with contextlib.ExitStack() as held, atomic_output(log) as out:
        try:
            result = simulation.run()
        except Interrupted as caught:
            result = simulation.interrupt(caught.name)
            stopped = caught
        held.enter_context(_signals_held())
        write_log(result.events, out)
    if stopped is not None:
        _err(f"ttx: interrupted ({stopped.name}) at {clock(result.end, meta.start)}: the log "
             f"up to then, closed by a run.interrupted record, is in {log}")
        raise typer.Exit(stopped.exit_code)

    console = _console()
    end = format_duration(round(result.end))
    console.print(Text.assemble(
        (meta.title, "bold"),
        f"\n{meta.id} · seed {seed} · until {end} · sha256 {loaded.sha256[:12]} · "
        f"ttx {result.version}",
    ))
    if stop is not None and stop > meta.duration:
        console.print(_plain(f"(--until {until} is past the scenario's end; stopped at {end})"))
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("time", no_wrap=True)
    table.add_column("milestone", no_wrap=True)
    table.add_column("detail", overflow="fold")
    for row in milestones(result.events):
        table.add_row(clock(row.t, meta.start), _plain(row.what), _plain(row.detail))
    console.print(table)
    for name, value in totals(result.events):
        console.print(Text.assemble((f"{name}:", "bold"), " ", _plain(value)))
    console.print(_plain(f"log: {log} ({len(result.events)} events)"))
    if result.status != "completed":
        _err(f"ttx: the run failed: {result.error}; the log up to the failure is in {log}")
        raise typer.Exit(1)


#: what scoring and the report share: the log, where its scenario is, evaluators' calls
LogArgument = Annotated[
    Path, typer.Argument(help="The run's JSON Lines event log, or a session (its id, prefix "
                         "or name).", show_default=False, metavar="LOG_OR_SESSION")
]
StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="The session store, for a session (default: $TTX_STORE, "
                 "else the user's data folder).", show_default=False),
]


def _session(log: Path, store: Path | None) -> Any:
    """A session's events and scenario when ``log`` names a session rather than a file:
    with --store, or when no such file exists."""
    if store is None and (log.exists() or "/" in str(log)
                          or log.suffix.lower() in (".jsonl", ".json", ".log")):
        return None
    from .sessions.commands import session_source

    return session_source(store, str(log))
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
    store: StoreOption = None,
) -> None:
    """Score a run or a session against its objectives: P/S/M/U per objective, with the
    evidence."""
    import json

    from .scoring import score_log

    card, _ = score_log(log, scenario, overrides, session=_session(log, store))
    if as_json:
        sys.stdout.write(json.dumps(card.to_json(), indent=2, ensure_ascii=False) + "\n")
        return
    from .scoring.render import print_scorecard

    print_scorecard(card, _console())


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
    store: StoreOption = None,
) -> None:
    """The After-Action Report with Improvement Plan, in Markdown or HTML.

    Markdown gets its charts as SVG files beside it; HTML is one self-contained file.
    """
    from .report import REPORT_FORMATS, report_files, write_report
    from .scoring import score_log

    suffixes = {"md": "md", "markdown": "md", "html": "html", "htm": "html"}
    named = suffixes.get(out.suffix.lower().lstrip(".")) if out is not None else None
    if fmt is not None and fmt not in REPORT_FORMATS:
        raise TtxError(f"--format {fmt}: one of {', '.join(REPORT_FORMATS)}")
    if out is not None and named is None:
        raise TtxError(f"--out {out}: name it *.md or *.html"
                       + (f" for --format {fmt}" if fmt else ", or give --format"))
    if fmt is not None and named is not None and named != fmt:
        raise TtxError(f"--out {out}: a *.{out.suffix.lower().lstrip('.')} file, but --format "
                       f"{fmt}; name it *.{fmt} or leave out --format")
    fmt = fmt or named or "md"
    if out is not None:
        for path in report_files(out, fmt):
            check_output("--out", path)
    session = _session(log, store)
    card, events = score_log(log, scenario, overrides, session=session)
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
    inputs = [("the log", log), ("the scenario", card.sources["scenario"])]
    if session is not None:
        from .sessions.store import SessionStore

        inputs.append(("the session store", store or SessionStore.default_path()))
    if overrides is not None:
        inputs.append(("the evaluators' file", overrides))
    for path in report_files(out, fmt):
        refuse_inputs("--out", path, inputs)
    written = write_report(card, events, fmt, out)
    for warning in card.warnings:
        _err(f"warning: {warning}")
    _echo(f"wrote {', '.join(map(str, written))}")


class _Stdout:
    """Standard output whose reader may go away (``ttx run ... | head -1``): the first write
    that finds the pipe closed stops the command with ``OutputClosed`` instead of an error."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise OutputClosed from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _quiet_stdout() -> None:
    """Point the closed standard output at /dev/null, so that the interpreter's last flush
    at exit finds nothing to complain about."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(devnull)


def _on_signal(signum: int, frame: object) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_held() -> Any:
    """Hold the stop signals back while a finished result is written; one that came in the
    meantime is delivered (and raises ``Interrupted``) when the block ends."""
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    except (AttributeError, ValueError, OSError):  # no signal masks here: write as it comes
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


#: the signals that stop a command tidily: Ctrl-C, ``kill``, a closed terminal
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code.

    Typer (Click) handles usage errors itself, with exit code 2; ``TtxError`` is bad input
    found by a command; anything else is a bug and exits 1 without a traceback unless
    ``--debug`` is given.
    """
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = False
    previous = {}
    for signum in STOP_SIGNALS:
        # outside the main thread signals cannot be caught, and stay as they are
        with contextlib.suppress(ValueError, OSError):
            previous[signum] = signal.signal(signum, _on_signal)
    stdout, sys.stdout = sys.stdout, _Stdout(sys.stdout)  # type: ignore[assignment]
    try:
        app(args=args, prog_name="ttx")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except TtxError as exc:
        _print_diagnostics(exc.diagnostics)
        return 2
    except OutputClosed:
        _quiet_stdout()
        return 0
    except Interrupted as exc:
        _err(f"ttx: interrupted ({exc.name})")
        return exc.exit_code
    except Exception as exc:
        if _state["debug"]:
            raise
        _err(
            f"ttx: internal error: {type(exc).__name__}: {exc} (run with --debug for the "
            "traceback, and please report it)"
        )
        return 1
    finally:
        sys.stdout = stdout
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
