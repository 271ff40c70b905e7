"""End-to-end through the ``ttx`` command: exit codes, output, no tracebacks."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from .conftest import ROOT, SCENARIOS, run_ttx

DEFAULT = "scenarios/ransomware-hospitals.yaml"


run = run_ttx


def test_validate_the_whole_library():
    """`ttx validate scenarios/*.yaml` is what `make run` starts with."""
    result = run("validate", *(str(p.relative_to(ROOT)) for p in SCENARIOS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok (") == len(SCENARIOS)
    assert result.stderr == ""


def test_validate_reports_every_bad_file_and_still_checks_good_ones():
    result = run(
        "validate",
        "tests/golden/typos.yaml",
        DEFAULT,
        "tests/golden/units.yaml",
        "no/such/file.yaml",
    )
    assert result.returncode == 2
    assert f"{DEFAULT}: ok (" in result.stdout
    assert "tests/golden/typos.yaml:9:3: metadata.tlpp: unknown field 'tlpp'" in result.stderr
    assert "tests/golden/units.yaml:7:13: metadata.duration:" in result.stderr
    assert "no/such/file.yaml: no such file" in result.stderr
    assert result.stderr.rstrip().endswith("3 of 4 files invalid")
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2_without_traceback():
    for args in (["validate"], ["frobnicate"], ["msel"], ["validate", "--nope", DEFAULT]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_schema_prints_the_committed_schema():
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "scenarios" / "schema.json").read_text(encoding="utf-8")


def test_msel_handout_as_csv_file(tmp_path):
    out = tmp_path / "msel.csv"
    result = run("msel", DEFAULT, "--out", str(out))
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM so spreadsheet programs read UTF-8"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == ["time", "move", "inject", "from", "to", "mode", "synopsis",
                             "effects", "expected actions", "objectives", "tlp", "content"]
    assert rows[0]["tlp"] == "TLP:AMBER"
    assert rows[0]["time"] == "D+0 08:00" and rows[0]["inject"] == "INJ-01"
    assert rows[-1]["time"] == "contingency"
    assert any(r["time"].startswith("when ") for r in rows)


def test_msel_table_and_csv_on_stdout():
    table = run("msel", DEFAULT)
    assert table.returncode == 0
    assert "INJ-12" in table.stdout and "CON-01" in table.stdout
    plain = run("msel", DEFAULT, "--csv")
    assert plain.stdout.splitlines()[0].startswith("time,move,inject,from,to")


def test_msel_refuses_an_output_that_is_not_csv(tmp_path):
    result = run("msel", DEFAULT, "--out", str(tmp_path / "msel.xlsx"))
    assert result.returncode == 2
    assert "name the file *.csv" in result.stderr


def test_msel_of_an_invalid_scenario_shows_its_errors():
    result = run("msel", "tests/golden/references.yaml")
    assert result.returncode == 2
    assert "tests/golden/references.yaml:20:30: msel.injects[0].move: unknown move" in (
        result.stderr
    )


def test_overview_of_the_default_scenario():
    result = run("overview", DEFAULT)
    assert result.returncode == 0, result.stderr
    assert "Cold Ward" in result.stdout and "Poland (PL)" in result.stdout
    assert "OBJ-4" in result.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("ttx ")


def test_commands_that_open_no_console_do_not_import_textual():
    """Start-up time matters: Textual is for `ttx play` only."""
    code = (
        "import sys; from simulator.cli import main; "
        f"main(['validate', '-q', {DEFAULT!r}]); main(['msel', '--csv', {DEFAULT!r}]); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_internal_errors_exit_1_without_traceback_unless_debug(ttx, monkeypatch):
    import simulator.scenario as scenario_module

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(scenario_module, "load_scenario", broken)
    result = ttx("validate", DEFAULT)
    assert result.code == 1
    assert "internal error: RuntimeError: boom" in result.err
    assert "Traceback" not in result.err
    with pytest.raises(RuntimeError):
        ttx("--debug", "validate", DEFAULT)


def test_schema_written_to_a_file(tmp_path):
    out = tmp_path / "schema.json"
    result = run("schema", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "scenarios/schema.json").read_text(
        encoding="utf-8"
    )


def test_an_unwritable_output_is_bad_input_not_a_crash(tmp_path):
    result = run("schema", "--out", str(tmp_path / "no" / "such" / "dir" / "schema.json"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_overview_of_an_invalid_scenario_shows_its_errors():
    result = run("overview", "tests/golden/typos.yaml")
    assert result.returncode == 2
    assert "tests/golden/typos.yaml:9:3: metadata.tlpp: unknown field 'tlpp'" in result.stderr
