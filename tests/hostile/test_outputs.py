"""No output clobbers anything: every file ``ttx`` writes appears whole or not at all, is never
one of the command's inputs (by path, symbolic link or hard link), and a stopped command
(a signal, a closed pipe) leaves nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from simulator.safeio import atomic_output, write_output

from ..conftest import ROOT, TTX, run_ttx

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
DEFAULT = ROOT / "scenarios" / "ransomware-hospitals.yaml"


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs") / "minimal.jsonl"
    assert run_ttx("run", str(MINIMAL), "--log", str(out)).returncode == 0
    return out


# -- whole or not at all -------------------------------------------------------------------


def test_a_write_that_fails_leaves_the_previous_file_and_no_debris(tmp_path):
    """An error half-way through writing keeps the old file as it was, and removes the
    temporary file."""
    out = tmp_path / "report.html"
    out.write_text("the previous report", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(out) as handle:
        handle.write("half of the new report")
        raise RuntimeError("the disk is full")
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_an_output_written_through_a_symlink_replaces_the_link_not_its_target(tmp_path):
    """A planted link (``NAME-impact.svg -> ~/.bashrc``) is replaced, and what it pointed
    at is untouched."""
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "aar-impact.svg"
    link.symlink_to(target)
    write_output(link, "<svg/>")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "<svg/>"


def test_an_output_gets_ordinary_permissions(tmp_path):
    """The temporary file's private mode does not stick to the output."""
    out = tmp_path / "schema.json"
    write_output(out, "{}")
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()
    out.chmod(0o640)
    write_output(out, "{}")
    assert out.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_markdown_report_replaces_planted_chart_links(tmp_path, log):
    """``ttx report --out aar.md`` writes its charts beside it without following links."""
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "aar-impact.svg").symlink_to(target)
    result = run_ttx("report", str(log), "--scenario", str(MINIMAL), "--out",
                     str(tmp_path / "aar.md"))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "aar-impact.svg").read_text(encoding="utf-8").startswith("<svg")


# -- never an input ------------------------------------------------------------------------


def _alias(how: str, original: Path, folder: Path) -> Path:
    """Another name for ``original``: itself, a symbolic link to it, or a hard link."""
    if how == "same path":
        return original
    alias = folder / f"alias-{how.replace(' ', '-')}{original.suffix}"
    if how == "symlink":
        alias.symlink_to(original)
    else:
        os.link(original, alias)
    return alias


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link"])
@pytest.mark.parametrize("case", ["report over overrides", "msel over its scenario",
                                  "report over its log", "chart over the overrides"])
def test_no_output_is_one_of_the_inputs(tmp_path, log, case, how):
    """Whatever name the output is given, an input of the command is never replaced."""
    overrides = tmp_path / "ev.md"  # YAML, under a name a report could have
    overrides.write_text("observations:\n  - {text: Good call, kind: strength}\n",
                         encoding="utf-8")
    scenario = tmp_path / "s.csv"  # a scenario may have any name
    scenario.write_bytes(MINIMAL.read_bytes())
    local_log = tmp_path / "run.md"
    local_log.write_bytes(log.read_bytes())
    report = ["report", str(log), "--scenario", str(MINIMAL), "--overrides", str(overrides)]
    if case == "report over overrides":
        victim = overrides
        args = [*report, "--out", str(_alias(how, overrides, tmp_path))]
    elif case == "msel over its scenario":
        victim = scenario
        args = ["msel", str(scenario), "--out", str(_alias(how, scenario, tmp_path))]
    elif case == "report over its log":
        victim = local_log
        args = ["report", str(local_log), "--scenario", str(MINIMAL), "--out",
                str(_alias(how, local_log, tmp_path))]
    else:
        victim = overrides
        alias = _alias(how if how != "same path" else "symlink", overrides, tmp_path)
        alias.rename(tmp_path / "aar-escalation.svg")
        args = [*report, "--out", str(tmp_path / "aar.md")]
    before = victim.read_bytes()
    result = run_ttx(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "give the output another name" in result.stderr
    assert victim.read_bytes() == before


def test_a_report_format_that_contradicts_the_file_name_is_refused(tmp_path, log):
    """``--format html --out aar.md`` would be an HTML file named Markdown."""
    result = run_ttx("report", str(log), "--scenario", str(MINIMAL), "--format", "html",
                     "--out", str(tmp_path / "aar.md"))
    assert result.returncode == 2
    assert "a *.md file, but --format html" in result.stderr
    assert not (tmp_path / "aar.md").exists()
    ok = run_ttx("report", str(log), "--scenario", str(MINIMAL), "--format", "html",
                 "--out", str(tmp_path / "aar.htm"))
    assert ok.returncode == 0, ok.stderr


# -- stopped commands ----------------------------------------------------------------------


def test_a_killed_run_never_leaves_a_partial_log(tmp_path, monkeypatch, ttx):
    """The log appears under its name only when complete: an error while it is written
    leaves no log (and no empty file made before the run)."""
    from simulator.engine import records

    out = tmp_path / "run.jsonl"

    def broken(events, handle):  # the process dies half-way through the log
        handle.write(events[0].to_json() + "\n")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(records, "write_log", broken)
    result = ttx("run", str(MINIMAL), "--log", str(out))
    assert result.code == 2
    assert "No space left on device" in result.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_a_complete_log_that_says_so(tmp_path, monkeypatch, ttx,
                                                                signum):
    """Ctrl-C or SIGTERM half-way: the log up to then, closed by run.interrupted; exit
    128 + the signal; ``ttx score`` then says the run is not complete."""
    from simulator.engine import simulation
    from simulator.errors import Interrupted

    real = simulation.Simulation.advance

    def advance(self, to, *, through=False):
        real(self, to / 2)
        raise Interrupted(signum)

    monkeypatch.setattr(simulation.Simulation, "advance", advance)
    out = tmp_path / "run.jsonl"
    result = ttx("run", str(DEFAULT), "--log", str(out))
    monkeypatch.undo()
    assert result.code == 128 + signum
    assert f"interrupted ({signal.Signals(signum).name})" in result.err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["kind"] == "run.interrupted"
    assert records[-1]["payload"]["signal"] == signal.Signals(signum).name
    assert all(r["kind"] not in ("run.ended", "run.failed") for r in records)
    scored = ttx("score", str(out))
    assert scored.code == 0, scored.err
    assert "NOT A COMPLETED RUN" in scored.out and "interrupted" in scored.out


def test_a_real_signal_stops_a_run_tidily(tmp_path):
    """SIGTERM to a running ``ttx run`` process (the costliest scenario that validates, a run
    of seconds): exit 143, and the log is either absent (the signal came before the run) or
    complete up to the signal, closed by run.interrupted; no temporary file is left."""
    from .test_scenarios import worst

    scenario = tmp_path / "worst.yaml"
    scenario.write_text(worst(), encoding="utf-8")
    out = tmp_path / "run.jsonl"
    process = subprocess.Popen(
        [str(TTX), "run", str(scenario), "--log", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    time.sleep(1.5)  # past start-up, into the run
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    assert process.returncode == 143, stderr
    assert "interrupted (SIGTERM)" in stderr
    if out.exists():
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert records[0]["kind"] == "run.started"
        assert records[-1]["kind"] == "run.interrupted"
        assert records[-1]["payload"] == {"signal": "SIGTERM", "events": len(records)}
    assert sorted(p.name for p in tmp_path.iterdir()) in (
        ["run.jsonl", "worst.yaml"], ["worst.yaml"])


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path):
    """``ttx run ... | head -1``: exit 0, nothing on stderr, and the log still complete."""
    out = tmp_path / "run.jsonl"
    process = subprocess.Popen(
        [str(TTX), "run", str(DEFAULT), "--log", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert first and stderr == b""
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[-1])["kind"] == "run.ended"


def test_validate_takes_a_folder(tmp_path):
    """``ttx validate DIR`` checks the YAML files in it, and says so when there are none."""
    (tmp_path / "a.yaml").write_bytes(MINIMAL.read_bytes())
    (tmp_path / "b.yml").write_text("schema_version: 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    result = run_ttx("validate", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'a.yaml'}: ok" in result.stdout
    assert f"{tmp_path / 'b.yml'}:" in result.stderr and "notes.txt" not in result.stderr
    assert result.stderr.rstrip().endswith("1 of 2 files invalid")
    library = run_ttx("validate", "scenarios")
    assert library.returncode == 0
    assert library.stdout.count(": ok (") == len(list((ROOT / "scenarios").glob("*.yaml")))
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run_ttx("validate", str(empty))
    assert nothing.returncode == 2 and "no *.yaml or *.yml files" in nothing.stderr


def test_a_signal_that_lands_inside_a_simpy_process_is_still_an_interruption(
    tmp_path, monkeypatch, ttx
):
    """SimPy re-raises a process's exception as a copy (``type(exc)(*exc.args)``): the copy
    of an interruption is an interruption, not a failed run."""
    from actors.adversary import Adversary
    from simulator.errors import Interrupted

    def spread(self, wave):
        yield self.env.timeout(60.0)
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(Adversary, "_spread", spread)
    out = tmp_path / "run.jsonl"
    result = ttx("run", str(DEFAULT), "--log", str(out))
    assert result.code == 130, result.err
    last = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])
    assert last["kind"] == "run.interrupted"


@pytest.mark.parametrize("node", ["fifo", "device"])
@pytest.mark.parametrize("command", ["run", "schema", "msel", "report"])
def test_an_output_that_is_a_device_or_a_pipe_is_refused_and_kept(tmp_path, log, node, command):
    """Renaming a finished file onto /dev/null or a named pipe would destroy it (as root,
    ``--log /dev/full`` once replaced the device): such an output is refused before any work.
    The device is reached through a link, so a regression replaces only the link."""
    suffix = {"run": ".jsonl", "schema": ".json", "msel": ".csv", "report": ".html"}[command]
    out = tmp_path / f"out{suffix}"
    if node == "fifo":
        os.mkfifo(out)
    else:
        out.symlink_to("/dev/null")
    args = {
        "run": ["run", str(MINIMAL), "--log", str(out)],
        "schema": ["schema", "--out", str(out)],
        "msel": ["msel", str(MINIMAL), "--out", str(out)],
        "report": ["report", str(log), "--scenario", str(MINIMAL), "--out", str(out)],
    }[command]
    result = run_ttx(*args)
    assert result.returncode == 2, result.stderr
    assert "an output must be a file" in result.stderr
    assert out.is_fifo() if node == "fifo" else out.is_symlink()


@pytest.mark.parametrize("setting", ["1e303", "inf", "nan", "1e-300", "-1", "0"])
def test_a_limit_setting_out_of_range_is_bad_input(tmp_path, log, setting):
    """TTX_MAX_LOG_MB=1e303 was an internal error (a float infinity as bytes)."""
    result = subprocess.run(
        [str(TTX), "score", str(log), "--scenario", str(MINIMAL)], capture_output=True,
        text=True, env={"PATH": "/usr/bin:/bin", "TTX_MAX_LOG_MB": setting}, timeout=60,
    )
    assert result.returncode == 2
    assert f"TTX_MAX_LOG_MB={setting!r}: give the limit in MB" in result.stderr


def test_a_signal_while_a_finished_run_is_written_keeps_the_log(tmp_path, monkeypatch, ttx):
    """SIGTERM in the last moment of a run, while its log is written, no longer throws the
    finished run away: the signal waits until the log is in place, then stops ttx."""
    from simulator.engine import records

    real = records.write_log

    def write_log(events, handle):
        # arrives half-way through the writing; sent to this thread, as to ttx's only one
        # (the test process may have other threads, which a signal to the process could reach)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)
        return real(events, handle)

    monkeypatch.setattr(records, "write_log", write_log)
    out = tmp_path / "run.jsonl"
    result = ttx("run", str(MINIMAL), "--log", str(out))
    assert result.code == 143
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[-1])["kind"] == "run.ended"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.jsonl"]


def test_a_folder_that_cannot_be_read_is_bad_input(tmp_path, monkeypatch, ttx):
    """``ttx validate DIR`` on a folder it may not list: exit 2 with the reason."""
    def iterdir(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = ttx("validate", str(tmp_path))
    assert result.code == 2
    assert result.err == f"ttx: {tmp_path}: cannot read the folder: Permission denied\n"


def test_terminal_controls_in_file_names_are_shown_not_obeyed(tmp_path):
    """A folder can hold a file whose name sets the window title: every line that names a
    file (validate's ok, score's warnings, report's wrote) shows the controls as escapes."""
    name = "evil\x1b]0;PWNED\x07\x1b[31m"
    scenario = tmp_path / f"{name}.yaml"
    scenario.write_bytes(MINIMAL.read_bytes())
    log = tmp_path / f"{name}.jsonl"
    assert run_ttx("run", str(MINIMAL), "--log", str(log)).returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")  # no run.started: a warning
    results = [
        run_ttx("validate", str(tmp_path)),
        run_ttx("score", str(log), "--scenario", str(scenario)),
        run_ttx("report", str(log), "--scenario", str(scenario), "--out",
                str(tmp_path / f"{name}.html")),
    ]
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout + result.stderr
        assert "evil\\x1b]0;PWNED\\x07" in result.stdout + result.stderr
