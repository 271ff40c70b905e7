"""Golden files: broken scenarios and the exact diagnostics ``ttx validate`` prints for them.

Each ``tests/golden/NAME.yaml`` has ``NAME.expected`` beside it. To accept new wording after a
deliberate change, run ``TTX_UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import os

import pytest

from .conftest import GOLDEN, ROOT

CASES = sorted(GOLDEN.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_diagnostics_match_golden_file(case, ttx):
    """An invalid scenario exits 2 and prints exactly the expected diagnostics, no traceback."""
    relative = case.relative_to(ROOT).as_posix()
    result = ttx("validate", relative)
    expected_file = case.with_suffix(".expected")
    if os.environ.get("TTX_UPDATE_GOLDEN"):
        expected_file.write_text(result.err, encoding="utf-8")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.out == ""
    assert result.err == expected_file.read_text(encoding="utf-8")


def test_every_golden_case_has_its_expected_file():
    """A golden input without its expectation would silently test nothing."""
    missing = [c.name for c in CASES if not c.with_suffix(".expected").exists()]
    assert not missing
    assert len(CASES) >= 15
