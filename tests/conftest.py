"""Shared fixtures: the repository's paths, an in-process ``ttx`` runner, and the real
``ttx`` command as a subprocess for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from simulator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden"

#: the console script installed beside the running interpreter, as a user runs it
TTX = Path(sys.executable).with_name("ttx")


def run_ttx(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``ttx ARGS`` as a separate process with a bare environment and a fixed width."""
    return subprocess.run(
        [str(TTX), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"},
    )


settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def ttx(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``ttx ARGS`` in this process from the repository root; return code and output."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def assert_golden(result: Result, expected_file: Path) -> None:
    """Bad input exits 2 and prints exactly the expected errors (no traceback, nothing on
    stdout); ``TTX_UPDATE_GOLDEN=1`` rewrites the expectation instead, to review as a diff."""
    if os.environ.get("TTX_UPDATE_GOLDEN"):
        expected_file.write_text(result.err, encoding="utf-8")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.out == ""
    assert result.err == expected_file.read_text(encoding="utf-8")
