"""The pool of worker processes and the writers that stream rows to disk as runs finish.

Each worker parses the scenario once (``_init``); a task is one seed and returns one row.
Rows are written in run order (a small reorder window keeps memory flat), so a results file
has the same bytes whatever ``--jobs``. Nothing per run is kept once its row is written but
the few figures the progress line shows.
"""

from __future__ import annotations

import csv
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import IO, Any

from ..errors import TtxError
from ..text import spreadsheet_safe, spreadsheet_text
from .rows import Worker, column_type, derived_seed

#: the output formats, by the file's extension
FORMATS = {".csv": "csv", ".parquet": "parquet"}

#: rows per Parquet row group: small enough that an interrupted batch loses few, large enough
#: for columnar reads
ROW_GROUP = 256


def output_format(out: Path) -> str:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise TtxError(f"--out {out}: results are written as CSV or Parquet; name the file "
                       "*.csv or *.parquet")
    return fmt


# --------------------------------------------------------------------------------------------
# writers


class CsvWriter:
    """Standard-library CSV, one line per run, flushed as each run finishes."""

    def __init__(self, file: IO[bytes], cols: list[str]) -> None:
        import io

        self._text = io.TextIOWrapper(file, encoding="utf-8", newline="")
        self._csv = csv.writer(self._text)
        self._cols = cols
        self._csv.writerow(cols)
        self._text.flush()

    def write(self, row: dict[str, Any]) -> None:
        self._csv.writerow([_cell(row[c]) for c in self._cols])
        self._text.flush()

    def close(self) -> None:
        self._text.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)  # an error message must not become a formula
    return repr(value) if isinstance(value, float) else str(value)


class ParquetWriter:
    """Parquet through pyarrow: a row group every ``ROW_GROUP`` runs, and the rest at the end
    (or at an interruption), so the file is whole once closed."""

    def __init__(self, file: IO[bytes], cols: list[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        kinds = {int: pa.int64(), float: pa.float64(), str: pa.string()}
        self._schema = pa.schema([(c, kinds[column_type(c)]) for c in cols])
        self._file = file
        self._writer = pq.ParquetWriter(file, self._schema)
        self._cols = cols
        self._rows: list[dict[str, Any]] = []

    def write(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            table = self._pa.Table.from_pylist(self._rows, schema=self._schema)
            self._writer.write_table(table)
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()
        self._file.close()


def open_writer(out: Path, cols: list[str]) -> CsvWriter | ParquetWriter:
    """The writer of a new results file; an existing one is never truncated."""
    try:
        file = open(out, "xb")  # noqa: SIM115 (the writer closes it)
    except FileExistsError:
        raise TtxError(f"--out {out}: the file exists and is never overwritten; give another "
                       "name or remove it (--resume, to finish an interrupted batch, is not "
                       "available yet)") from None
    except OSError as exc:
        raise TtxError(f"--out {out}: cannot create it: {exc.strerror or exc}") from None
    return (ParquetWriter if output_format(out) == "parquet" else CsvWriter)(file, cols)


# --------------------------------------------------------------------------------------------
# reading a results file back


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a results file (CSV or Parquet), with their types back."""
    fmt = output_format(path)
    if not path.is_file():
        raise TtxError(f"{path}: no such results file")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            reader = pq.ParquetFile(path)
            for group in range(reader.num_row_groups):
                yield from reader.read_row_group(group).to_pylist()
        except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
            raise TtxError(f"{path}: not a readable Parquet results file: {exc}") from None
        return
    with open(path, encoding="utf-8", newline="") as file:
        reader_csv = csv.reader(file)
        header = next(reader_csv, None)
        if not header or "run_id" not in header:
            raise TtxError(f"{path}: not a ttx batch results file (no run_id column)")
        for number, cells in enumerate(reader_csv, start=2):
            if len(cells) != len(header):
                raise TtxError(f"{path}:{number}: {len(cells)} cells, the header has "
                               f"{len(header)} (a row cut short by an interruption?)")
            try:
                yield {c: _value(c, v) for c, v in zip(header, cells, strict=True)}
            except ValueError as exc:
                raise TtxError(f"{path}:{number}: {exc}") from None


def _value(column: str, cell: str) -> Any:
    kind = column_type(column)
    if kind is str:
        return spreadsheet_text(cell)
    return None if cell == "" else kind(cell)


# --------------------------------------------------------------------------------------------
# the pool


_worker: Worker | None = None


def _init(raw: bytes, name: str) -> None:
    """A worker's start: the scenario parsed once. Ctrl-C reaches the whole process group;
    the main process answers it, so workers ignore it and are shut down."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(raw, name)


def _task(run_id: int, seed: int) -> dict[str, Any]:
    assert _worker is not None
    return _worker.row(run_id, seed)


def run_batch(
    raw: bytes, name: str, runs: int, base_seed: int, jobs: int,
    write: Callable[[dict[str, Any]], None], progress: Callable[[dict[str, Any]], None],
) -> None:
    """Run ``runs`` seeds, calling ``write`` with each row in run order and ``progress`` as
    each finishes. ``jobs`` 1 runs in this process (the same function as a worker's)."""
    if jobs == 1:
        worker = Worker(raw, name)
        for run_id in range(runs):
            row = worker.row(run_id, derived_seed(base_seed, run_id))
            write(row)
            progress(row)
        return
    window = max(16, 4 * jobs)
    pending: dict[int, dict[str, Any]] = {}
    running: dict[Future[dict[str, Any]], int] = {}
    next_submit = next_write = 0
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(raw, name))
    try:
        while next_write < runs:
            while next_submit < runs and next_submit < next_write + window:
                future = executor.submit(_task, next_submit, derived_seed(base_seed, next_submit))
                running[future] = next_submit
                next_submit += 1
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                run_id = running.pop(future)
                pending[run_id] = future.result()
                progress(pending[run_id])
            while next_write in pending:
                write(pending.pop(next_write))
                next_write += 1
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class Progress:
    """Runs done / N, rate, time left and failures on stderr, when it is a terminal; nothing
    otherwise. Redrawn at most five times a second."""

    def __init__(self, runs: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.runs = runs
        self.done = 0
        self.failed = 0
        self.start = time.monotonic()
        self._drawn = 0.0

    def __call__(self, row: dict[str, Any]) -> None:
        self.done += 1
        self.failed += row["status"] != "completed"
        now = time.monotonic()
        if self.live and (now - self._drawn >= 0.2 or self.done == self.runs):
            self._drawn = now
            rate = self.done / max(now - self.start, 1e-9)
            left = (self.runs - self.done) / rate if rate else 0.0
            failed = f", {self.failed} failed" if self.failed else ""
            self.stream.write(f"\r\x1b[K{self.done}/{self.runs} runs, {rate:.1f}/s, "
                              f"{_eta(left)} left{failed}")
            self.stream.flush()

    def end(self) -> None:
        if self.live and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _eta(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
