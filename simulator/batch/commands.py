"""``ttx batch SCENARIO --runs N`` and ``ttx batch summary FILE``.

One command with two forms: a Click group cannot take a scenario argument and a ``summary``
subcommand both, so ``summary`` as the first argument (when no file of that name exists)
means the second form. The engine, the pool and pyarrow are imported when used.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..console import console, err
from ..errors import Interrupted, TtxError
from ..kinds import SEEDS


def batch(
    scenario: Annotated[
        Path,
        typer.Argument(help="The scenario file; or `summary`, then a results file.",
                       show_default=False, metavar="SCENARIO | summary"),
    ],
    results: Annotated[
        Path | None,
        typer.Argument(help="With `summary`: the results file (CSV or Parquet).",
                       show_default=False, metavar="[FILE]"),
    ] = None,
    runs: Annotated[
        int | None, typer.Option("--runs", "-n", help="How many runs.", show_default=False)
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="The batch's seed: run i's seed is "
                                      "derived from it and i.", min=SEEDS[0],
                                      max=SEEDS[1])] = 0,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: all cores).",
                     show_default=False),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write one row per run to this file: *.csv or "
                     "*.parquet (never overwritten).", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Monte Carlo runs of a scenario, one row per run, and their summary.

    `ttx batch SCENARIO --runs N [--seed S]`: N runs, run i's seed from SHA-256 of "S:i".

    `ttx batch summary FILE` prints the summary of a results file again.
    """
    if str(scenario) == "summary" and not scenario.exists():
        if results is None:
            raise TtxError("batch summary FILE: give the results file (*.csv or *.parquet)")
        for name, given in (("--runs", runs), ("--jobs", jobs), ("--out", out)):
            if given is not None:
                raise TtxError(f"ttx batch summary: {name} is for a batch, not its summary")
        from .runner import read_rows
        from .summary import summarise

        _show(summarise(read_rows(results)), as_json)
        return
    if results is not None:
        raise TtxError(f"{results}: one scenario per batch (for a summary: ttx batch summary "
                       "FILE)")
    _run(scenario, runs, seed, jobs, out, as_json)


def _run(scenario: Path, runs: int | None, seed: int, jobs: int | None, out: Path | None,
         as_json: bool) -> None:
    if runs is None:
        raise TtxError("--runs N: give the number of runs")
    if runs < 1:
        raise TtxError(f"--runs {runs}: give a number of runs of 1 or more")
    if jobs is None:
        jobs = os.cpu_count() or 1
    elif jobs < 1:
        raise TtxError(f"--jobs {jobs}: give a number of worker processes of 1 or more")
    jobs = min(jobs, runs)
    from ..safeio import SCENARIO_LIMIT, check_output, read_input
    from .rows import columns, loaded_from_bytes
    from .runner import Progress, open_writer, output_format, run_batch

    if out is not None:
        output_format(out)
        check_output("--out", out)
        if out.exists() or out.is_symlink():
            raise TtxError(f"--out {out}: the file exists and is never overwritten; give "
                           "another name or remove it (--resume, to finish an interrupted "
                           "batch, is not available yet)")
    raw = read_input(scenario, SCENARIO_LIMIT)
    loaded = loaded_from_bytes(raw, str(scenario))  # bad scenarios stop here, with exit 2
    writer = open_writer(out, columns(loaded.scenario)) if out is not None else None
    rows: list[dict[str, Any]] = []
    progress = Progress(runs)

    def write(row: dict[str, Any]) -> None:
        with _held():
            rows.append(row)
            if writer is not None:
                writer.write(row)

    try:
        run_batch(raw, str(scenario), runs, seed, jobs, write, progress)
    except Interrupted as stopped:
        progress.end()
        if writer is not None:
            writer.close()
        where = f"; they are in {out}" if out is not None else ""
        err(f"ttx: interrupted ({stopped.name}) after {len(rows)} of {runs} runs{where}")
        raise typer.Exit(stopped.exit_code) from None
    except BaseException:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        raise
    progress.end()
    if writer is not None:
        writer.close()
    from .summary import summarise

    summary = summarise(rows)
    summary["scenario"] = loaded.scenario.metadata.id
    summary["sha256"] = loaded.sha256
    summary["seed"] = seed
    _show(summary, as_json)
    if out is not None:
        err(f"wrote {out} ({len(rows)} rows)")
    if summary["failed"]:
        err(f"ttx: {summary['failed']} of {runs} runs failed; each row holds its error")
        raise typer.Exit(1)


def _held() -> Any:
    from ..cli import _signals_held

    return _signals_held()


def _show(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
        return
    from .summary import print_summary

    print_summary(summary, console())
