"""`ttx run` end to end, through the installed command: output, log, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from simulator import __version__

from .conftest import GOLDEN, ROOT, SCENARIOS, run_ttx

DEFAULT = "scenarios/ransomware-hospitals.yaml"
FIELDS = ["t", "kind", "actor", "subject", "member_state", "payload"]


ttx = run_ttx


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seed3(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One run of the default scenario with seed 3, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("run") / "seed3.jsonl"
    return ttx("run", DEFAULT, "--seed", "3", "--log", str(out)), out


def test_run_prints_the_milestones(seed3):
    """A run exits 0 and prints its identity, its milestones and its totals."""
    result, out = seed3
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = result.stdout
    assert "ransomware-hospitals · seed 3 · until 5d" in text
    for milestone in (
        "first compromise",
        "EU-CyCLONe activated",
        "tier large_scale reached",
        "Member States affected:",
        "NIS2 reports on time:",
        "decisions:",
    ):
        assert milestone in text, milestone
    lines = len(out.read_text(encoding="utf-8").splitlines())
    assert f"log: {out} ({lines} events)" in text


def test_run_writes_a_json_lines_log_from_start_to_end(seed3):
    """The log opens with run.started (scenario id, file's sha256, seed, version) and closes
    with run.ended; one JSON object a line, fields in a fixed order, time never going back."""
    _, out = seed3
    log = records(out)
    first, last = log[0], log[-1]
    assert first["kind"] == "run.started" and first["t"] == 0
    digest = hashlib.sha256((ROOT / DEFAULT).read_bytes()).hexdigest()
    payload = first["payload"]
    assert payload["scenario"] == "ransomware-hospitals"
    assert payload["sha256"] == digest
    assert payload["seed"] == 3
    assert payload["version"] == __version__
    assert last["kind"] == "run.ended" and last["t"] == 7200
    assert last["payload"]["status"] == "completed"
    assert last["payload"]["events"] == len(log)
    assert all(list(r) == FIELDS for r in log)
    times = [r["t"] for r in log]
    assert times == sorted(times)
    assert sum(r["kind"] in ("run.started", "run.ended") for r in log) == 2


def test_the_same_run_twice_gives_the_same_bytes(seed3, tmp_path):
    """Same scenario, same seed: the same log, byte for byte."""
    _, out = seed3
    again = tmp_path / "again.jsonl"
    result = ttx("run", DEFAULT, "--seed", "3", "--log", str(again))
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == out.read_bytes()


def test_another_seed_gives_another_log(seed3, tmp_path):
    """A different seed gives a different run."""
    _, out = seed3
    other = tmp_path / "seed4.jsonl"
    result = ttx("run", DEFAULT, "--seed", "4", "--log", str(other))
    assert result.returncode == 0, result.stderr
    assert other.read_bytes() != out.read_bytes()
    assert records(other)[0]["payload"]["seed"] == 4


def test_until_stops_the_run_early(seed3, tmp_path):
    """--until 1d: nothing happens after 1440 minutes and the run ends there."""
    out = tmp_path / "day.jsonl"
    result = ttx("run", DEFAULT, "--seed", "3", "--until", "1d", "--log", str(out))
    assert result.returncode == 0, result.stderr
    assert "until 1d" in result.stdout
    log = records(out)
    assert max(r["t"] for r in log) == 1440
    assert log[-1]["kind"] == "run.ended" and log[-1]["t"] == 1440
    assert log[0]["payload"]["end"] == 1440
    whole = records(seed3[1])
    before = [r for r in log[1:] if r["t"] < 1440]
    assert before == [r for r in whole[1:] if r["t"] < 1440], "the same run, cut short"
    assert {r["kind"] for r in log if r["t"] == 1440} == {"inject.skipped", "run.ended"}


def test_until_past_the_end_stops_at_the_end(tmp_path):
    """--until beyond the scenario's duration runs to the end, and says so."""
    out = tmp_path / "long.jsonl"
    result = ttx("run", DEFAULT, "--until", "30d", "--log", str(out))
    assert result.returncode == 0, result.stderr
    assert "past the scenario's end" in result.stdout
    assert records(out)[-1]["t"] == 7200


@pytest.mark.parametrize("until", ["soon", "0m", "-3h", "12", ""])
def test_a_bad_until_is_bad_input(tmp_path, until):
    """A bad --until exits 2 with a message naming --until, no traceback and no log."""
    out = tmp_path / "never.jsonl"
    result = ttx("run", DEFAULT, "--until", until, "--log", str(out))
    assert result.returncode == 2
    assert "--until" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_missing_scenario_is_bad_input(tmp_path):
    """A scenario file that does not exist exits 2 saying so, without a traceback."""
    result = ttx("run", "no/such/scenario.yaml", "--log", str(tmp_path / "x.jsonl"))
    assert result.returncode == 2
    assert "no/such/scenario.yaml: no such file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["references", "typos", "units"])
def test_an_invalid_scenario_shows_its_errors_and_does_not_run(tmp_path, case):
    """An invalid scenario exits 2 with the file:line:col diagnostics `ttx validate` gives."""
    relative = f"tests/golden/{case}.yaml"
    out = tmp_path / "x.jsonl"
    result = ttx("run", relative, "--log", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    expected = (GOLDEN / f"{case}.expected").read_text(encoding="utf-8").splitlines()[:-1]
    assert result.stderr.splitlines() == expected
    assert all(
        line.startswith(f"{relative}:")
        and line.split(":")[1].isdigit()
        and line.split(":")[2].isdigit()
        for line in expected
    )
    assert not out.exists() and result.stdout == ""


@pytest.mark.parametrize(("where", "why"), [
    ("missing-folder", "the folder {parent} does not exist"),
    ("a-folder", "is a directory; give a file name"),
])
def test_an_unwritable_log_is_bad_input(tmp_path, where, why):
    """A --log that cannot be written exits 2 with a message naming it, no traceback."""
    out = tmp_path / "no" / "such" / "run.jsonl" if where == "missing-folder" else tmp_path
    result = ttx("run", DEFAULT, "--log", str(out))
    assert result.returncode == 2
    assert f"--log {out}: {why.format(parent=out.parent)}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", ["same path", "hard link"])
def test_a_log_over_the_scenario_is_refused(tmp_path, how):
    """--log naming the scenario itself (by another path, or a hard link to it) exits 2 and
    leaves the scenario as it was."""
    scenario = tmp_path / "mine.yaml"
    text = (ROOT / DEFAULT).read_text(encoding="utf-8")
    scenario.write_text(text, encoding="utf-8")
    log = tmp_path / "." / "mine.yaml"
    if how == "hard link":
        log = tmp_path / "run.jsonl"
        os.link(scenario, log)
    result = ttx("run", str(scenario), "--log", str(log))
    assert result.returncode == 2
    assert "that is the scenario file" in result.stderr and "Traceback" not in result.stderr
    assert scenario.read_text(encoding="utf-8") == text


def test_without_log_the_run_goes_to_runs_in_the_working_directory(tmp_path):
    """Without --log the log is runs/<scenario id>-seed<N>.jsonl under the working directory."""
    result = ttx("run", str(ROOT / DEFAULT), "--seed", "4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "runs" / "ransomware-hospitals-seed4.jsonl"
    assert written.is_file()
    assert "log: runs/ransomware-hospitals-seed4.jsonl (" in result.stdout
    assert records(written)[-1]["kind"] == "run.ended"
    assert [p.name for p in tmp_path.iterdir()] == ["runs"]


def test_without_log_a_runs_file_in_the_way_is_bad_input(tmp_path):
    """If runs/ cannot be made (a file has the name), the run exits 2 with a message."""
    (tmp_path / "runs").write_text("not a folder", encoding="utf-8")
    result = ttx("run", str(ROOT / DEFAULT), cwd=tmp_path)
    assert result.returncode == 2
    assert "runs" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_library_scenario_runs(tmp_path, path):
    """Every scenario of the library runs to its end with exit 0."""
    out = tmp_path / f"{path.stem}.jsonl"
    result = ttx("run", str(path.relative_to(ROOT)), "--seed", "7", "--log", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    log = records(out)
    assert log[0]["kind"] == "run.started" and log[0]["payload"]["scenario"] == path.stem
    assert log[-1]["kind"] == "run.ended" and log[-1]["payload"]["status"] == "completed"
    assert not [r for r in log if r["kind"] == "run.failed"]


@pytest.mark.parametrize(("seed", "code"), [
    ("18446744073709551615", 0), ("-9223372036854775808", 0), ("18446744073709551616", 2),
    ("1e3", 2),
])
def test_a_seed_is_64_bits_so_every_log_can_be_scored(tmp_path, seed, code):
    """A seed the log reader would refuse is refused by ``ttx run`` itself, before the run."""
    log = tmp_path / "run.jsonl"
    result = ttx("run", "tests/data/minimal.yaml", "--seed", seed, "--log", str(log))
    assert result.returncode == code, result.stderr
    if code == 0:
        assert ttx("score", str(log), "--scenario", "tests/data/minimal.yaml").returncode == 0
    else:
        assert "--seed" in result.stderr and not log.exists()
