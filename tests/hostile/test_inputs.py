"""Every file ``ttx`` reads is a regular file, read with its bound counted while it is read: a
named pipe, a link to ``/dev/zero``, a folder or a file far larger than any the tool makes is
refused at once with exit 2, the bound and how to raise it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.errors import TtxError
from simulator.safeio import LOG_LIMIT, SizeLimit, read_input

from ..conftest import ROOT, run_ttx

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("inputs") / "minimal.jsonl"
    assert run_ttx("run", str(MINIMAL), "--log", str(out)).returncode == 0
    return out


def special(kind: str, folder: Path) -> Path:
    """A path that is not a regular file: a named pipe nobody writes, a link to an endless
    device, a folder."""
    path = folder / f"special-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


WHY = {
    "fifo": "is a named pipe, not a regular file",
    "zero": "is a character device (such as /dev/zero), not a regular file",
    "dir": "is a directory",
}

#: each input of each command, as ``ttx ARGS`` with ``{path}`` where the hostile file goes
INPUTS = {
    "scenario (validate)": ["validate", "{path}"],
    "scenario (run)": ["run", "{path}", "--log", "{tmp}/out.jsonl"],
    "log (score)": ["score", "{path}", "--scenario", str(MINIMAL)],
    "log (report)": ["report", "{path}", "--scenario", str(MINIMAL), "--out", "{tmp}/r.html"],
    "overrides YAML": ["score", "{log}", "--scenario", str(MINIMAL), "--overrides", "{path}"],
    "overrides CSV": ["score", "{log}", "--scenario", str(MINIMAL), "--overrides", "{path}"],
}


#: ``ttx validate DIR`` checks the files in a folder (tests/hostile/test_outputs.py)
SPECIAL = [(where, kind) for where in INPUTS for kind in WHY
           if (where, kind) != ("scenario (validate)", "dir")]


@pytest.mark.parametrize(("where", "kind"), SPECIAL)
def test_special_files_are_refused_at_once(tmp_path, log, where, kind):
    """A pipe hangs no command, /dev/zero fills no memory, a folder is named for what it is
    (the subprocess's timeout is the test of 'at once')."""
    path = special(kind, tmp_path)
    if where == "overrides CSV" and kind != "dir":
        path = path.rename(path.with_suffix(".csv"))
    args = [a.format(path=path, tmp=tmp_path, log=log) for a in INPUTS[where]]
    result = run_ttx(*args)
    assert result.returncode == 2, result.stderr
    assert f"{path}: {WHY[kind]}" in result.stderr
    assert "Traceback" not in result.stderr


SIZES = {
    "log (score)": (INPUTS["log (score)"], ".jsonl", "TTX_MAX_LOG_MB", "an event log"),
    "overrides CSV": (INPUTS["overrides CSV"], ".csv", "TTX_MAX_OVERRIDES_MB",
                      "an evaluators' file"),
    "overrides YAML": (INPUTS["overrides YAML"], ".yaml", "TTX_MAX_OVERRIDES_MB",
                       "an evaluators' file"),
}


@pytest.mark.parametrize("where", SIZES)
def test_a_file_over_its_bound_is_refused_before_it_is_read(tmp_path, log, where):
    """A 300 MB file (sparse: it costs no disk) is refused by its size, saying the bound and
    the setting that raises it."""
    args, suffix, setting, what = SIZES[where]
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(300_000_000)
    result = run_ttx(*[a.format(path=path, tmp=tmp_path, log=log) for a in args])
    assert result.returncode == 2
    assert f"{path}: the file is 300.0 MB; {what} may be at most" in result.stderr
    assert f"raise the limit: {setting}=" in result.stderr


def test_the_bound_holds_while_reading_not_only_by_the_size_on_disk(tmp_path, monkeypatch):
    """A file that reports a small size but goes on (a file still being written, a /proc
    file) is never read past its bound."""
    monkeypatch.setenv("TTX_MAX_LOG_MB", "0.001")
    path = tmp_path / "growing.jsonl"
    path.write_bytes(b"x" * 500)
    real_fstat = os.fstat
    calls = []

    def fstat(fd: int) -> os.stat_result:
        """The size is checked on the second look; the file grows right after it."""
        result = real_fstat(fd)
        calls.append(result.st_size)
        if len(calls) == 2:
            path.write_bytes(b"x" * 5000)
        return result

    monkeypatch.setattr(os, "fstat", fstat)
    with pytest.raises(TtxError, match="grew while it was read, past the limit"):
        read_input(path, LOG_LIMIT)


def test_a_raised_limit_lets_a_legitimate_large_file_through(tmp_path, monkeypatch):
    """The setting named in the message really raises the bound."""
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 3000)
    limit = SizeLimit("an evaluators' file", "TTX_MAX_OVERRIDES_MB", 0.002)
    with pytest.raises(TtxError, match=r"may be at most 0\.002 MB"):
        read_input(path, limit)
    monkeypatch.setenv("TTX_MAX_OVERRIDES_MB", "0.004")
    assert read_input(path, limit) == b"x" * 3000
    monkeypatch.setenv("TTX_MAX_OVERRIDES_MB", "lots")
    with pytest.raises(TtxError, match="give the limit in MB"):
        read_input(path, limit)


def test_thousands_of_errors_are_told_in_a_screen(tmp_path, log):
    """A huge file with one mistake per line shows the first errors and a count, not a
    hundred thousand lines."""
    path = tmp_path / "many.csv"
    path.write_text("objective,text\n" + "NOPE,x\n" * 1500, encoding="utf-8")
    result = run_ttx("score", str(log), "--scenario", str(MINIMAL), "--overrides", str(path))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == "... and 1,450 more errors like these"


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_an_evaluators_file_of_thousands_of_entries_is_refused_where_it_passes_the_bound(
    tmp_path, log, suffix
):
    """A CSV of 110,000 rows under the size bound took 3 s and 150 MB to check row by row;
    any file stops at the first entry past the 2,000 an evaluators' file may hold."""
    path = tmp_path / f"many{suffix}"
    if suffix == ".csv":
        path.write_text("objective,text\n" + "O1,x\n" * 100_000, encoding="utf-8")
    else:
        path.write_text("observations:\n" + "  - {text: x}\n" * 2_500, encoding="utf-8")
    result = run_ttx("score", str(log), "--scenario", str(MINIMAL), "--overrides", str(path))
    assert result.returncode == 2
    assert result.stderr == (f"{path}:2002:1: more than 2,000 overrides or observations; an "
                             "evaluators' file holds at most that many\n")


def test_a_scenario_over_its_bound_says_how_to_raise_it(tmp_path):
    """The scenario's bound is counted while reading, and its message names the setting."""
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(300_000_000)
    result = run_ttx("validate", str(path))
    assert result.returncode == 2
    assert f"{path}: the file is 300.0 MB; a scenario file may be at most 4 MB" in result.stderr
    assert "TTX_MAX_SCENARIO_MB=8" in result.stderr
