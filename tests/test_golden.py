"""Golden files: broken scenarios and the exact diagnostics ``ttx validate`` prints for them.

Each ``tests/golden/NAME.yaml`` has ``NAME.expected`` beside it. To accept new wording after a
deliberate change, run ``TTX_UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import pytest

from .conftest import GOLDEN, ROOT, assert_golden

CASES = sorted(GOLDEN.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_diagnostics_match_golden_file(case, ttx):
    """An invalid scenario exits 2 and prints exactly the expected diagnostics, no traceback."""
    relative = case.relative_to(ROOT).as_posix()
    result = ttx("validate", relative)
    assert_golden(result, case.with_suffix(".expected"))


def test_every_golden_case_has_its_expected_file():
    """A golden input without its expectation would silently test nothing."""
    missing = [c.name for c in CASES if not c.with_suffix(".expected").exists()]
    assert not missing
    assert len(CASES) >= 15
