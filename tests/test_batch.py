"""ttx batch: the same rows whatever --jobs, rows as `ttx run` sees the run, a summary that is
what the rows say, CSV and Parquet alike, bad input refused before any work."""

from __future__ import annotations

import io
import json
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.batch.rows import columns, derived_seed, row_from_events
from simulator.batch.runner import Progress, read_rows
from simulator.engine.records import read_log
from simulator.engine.summary import milestones, totals
from simulator.kinds import SEEDS
from simulator.scenario import load_scenario
from simulator.text import spreadsheet_safe, spreadsheet_text

from .conftest import ROOT, run_ttx

SCENARIO = "scenarios/ransomware-hospitals.yaml"
RUNS = 6


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One batch per (format, jobs), run once for the module, through the real command."""
    folder = tmp_path_factory.mktemp("batch")
    made = {}
    for name, jobs in (("one.csv", "1"), ("two.csv", "2"), ("two.parquet", "2")):
        out = folder / name
        done = run_ttx("batch", SCENARIO, "--runs", str(RUNS), "--jobs", jobs, "--out",
                       str(out), "--json")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        made[name] = out
        made[name + ".json"] = json.loads(done.stdout)
    return made


def _rows(path: Path) -> list[dict]:
    return sorted(read_rows(path), key=lambda r: r["run_id"])


def test_seeds_are_stable_and_in_range() -> None:
    seeds = [derived_seed(0, i) for i in range(100)]
    assert len(set(seeds)) == 100
    assert all(0 <= s <= SEEDS[1] for s in seeds)
    assert derived_seed(0, 5) == derived_seed(0, 5) != derived_seed(1, 5)


def test_the_same_rows_whatever_the_jobs(results: dict) -> None:
    one, two = _rows(results["one.csv"]), _rows(results["two.csv"])
    assert [r["run_id"] for r in one] == list(range(RUNS))
    assert one == two
    # rows are written in run order, so the files are the same bytes
    assert results["one.csv"].read_bytes() == results["two.csv"].read_bytes()
    assert [r["seed"] for r in one] == [derived_seed(0, i) for i in range(RUNS)]
    assert all(r["status"] == "completed" and r["error"] == "" for r in one)


def test_csv_and_parquet_hold_the_same_rows(results: dict) -> None:
    assert _rows(results["two.csv"]) == _rows(results["two.parquet"])


def test_every_row_has_the_scenario_columns(results: dict) -> None:
    scenario = load_scenario(ROOT / SCENARIO).scenario
    cols = columns(scenario)
    for row in _rows(results["two.parquet"]):
        assert list(row) == cols
    assert {f"decision.{p.id}" for p in scenario.decision_points} <= set(cols)
    assert {f"rating.{o.id}" for o in scenario.objectives} <= set(cols)


def test_run_0_is_what_ttx_run_logs(results: dict, tmp_path: Path) -> None:
    seed = derived_seed(0, 0)
    log = tmp_path / "run.jsonl"
    done = run_ttx("run", SCENARIO, "--seed", str(seed), "--log", str(log))
    assert done.returncode == 0, done.stderr
    events = read_log(log)
    loaded = load_scenario(ROOT / SCENARIO)
    status = "completed" if any(e.kind == "run.ended" for e in events) else "failed"
    expected = row_from_events(events, loaded, columns(loaded.scenario), 0, seed, status, None)
    row = _rows(results["one.csv"])[0]
    assert row == expected
    # and the figures are those `ttx run` prints
    stones = {m.what: m.t for m in milestones(events)}
    assert row["t_first_detection"] == stones["first detection"]
    assert row["t_tier_significant"] == stones["tier significant reached"]
    printed = dict(totals(events))
    assert printed["Member States affected"].split(":")[0] == str(row["member_states_affected"])
    assert printed["events"] == str(row["events"])
    assert f"{row['nis2_on_time']} of {row['nis2_reports_sent']} sent" in (
        printed["NIS2 reports on time"])


def test_the_summary_is_what_the_rows_say(results: dict) -> None:
    rows = _rows(results["one.csv"])
    summary = results["one.csv.json"]
    assert summary["runs"] == RUNS and summary["failed"] == 0
    for column in ("t_tier_significant", "t_first_notification"):
        reached = [r[column] for r in rows if r[column] is not None]
        figures = summary["milestones_minutes"][column]
        assert figures["p50"] == pytest.approx(statistics.median(reached))
        assert figures["reached"] == _share(len(reached))
    for tier, share in summary["peak_tier"].items():
        assert share == _share(sum(r["peak_tier"] == tier for r in rows))
    assert summary["veto"] == _share(sum(bool(r["vetoes"]) for r in rows))
    for objective, shares in summary["ratings"].items():
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
        assert shares["P"] == _share(sum(r[f"rating.{objective}"] == "P" for r in rows))


def _share(count: int) -> float:
    """A share as the summary gives it: rounded to 1e-4."""
    return round(count / RUNS, 4)


def test_batch_summary_reads_the_file_again(results: dict, ttx) -> None:
    batch = dict(results["two.csv.json"])
    for key in ("scenario", "sha256", "seed"):
        batch.pop(key)
    for name in ("two.csv", "two.parquet"):
        done = ttx("batch", "summary", str(results[name]), "--json")
        assert done.code == 0, done.err
        assert json.loads(done.out) == batch
    table = ttx("batch", "summary", str(results["two.csv"]))
    assert table.code == 0
    assert "peak tier:" in table.out and "ratings per objective" in table.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "--runs 0: give a number of runs of 1 or more"),
        (["--runs", "-2"], "--runs -2: give a number of runs of 1 or more"),
        (["--runs", "2", "--jobs", "0"], "--jobs 0: give a number of worker processes"),
        ([], "--runs N: give the number of runs"),
        (["--runs", "2", "--out", "results.txt"], "name the file *.csv or *.parquet"),
    ],
)
def test_bad_input_exits_2(ttx, args: list[str], message: str) -> None:
    done = ttx("batch", SCENARIO, *args)
    assert done.code == 2
    assert message in done.err
    assert "Traceback" not in done.err
    assert done.out == ""


def test_an_unknown_scenario_exits_2(tmp_path: Path) -> None:
    done = run_ttx("batch", str(tmp_path / "nope.yaml"), "--runs", "2")
    assert done.returncode == 2
    assert "nope.yaml" in done.stderr and "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_existing_out_is_never_truncated(ttx, tmp_path: Path) -> None:
    for name in ("old.csv", "old.parquet"):
        out = tmp_path / name
        out.write_text("precious\n")
        done = ttx("batch", SCENARIO, "--runs", "2", "--jobs", "1", "--out", str(out))
        assert done.code == 2
        assert "never overwritten" in done.err and "--resume" in done.err
        assert out.read_text() == "precious\n"


def test_a_failing_run_is_recorded_and_the_batch_goes_on(
    ttx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from simulator.engine import Simulation

    real = Simulation.run

    def flaky(self):  # every run of an odd seed breaks
        if self.seed % 2:
            raise RuntimeError("boom")
        return real(self)

    monkeypatch.setattr(Simulation, "run", flaky)
    out = tmp_path / "flaky.csv"
    done = ttx("batch", SCENARIO, "--runs", "4", "--jobs", "1", "--out", str(out), "--json")
    rows = _rows(out)
    odd = [r for r in rows if r["seed"] % 2]
    assert done.code == 1
    assert f"{len(odd)} of 4 runs failed" in done.err
    assert len(rows) == 4
    assert all(r["status"] == "failed" and r["error"] == "RuntimeError: boom" for r in odd)
    assert json.loads(done.out)["failed"] == len(odd)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    Progress(2, quiet)({"status": "completed"})
    assert quiet.getvalue() == ""
    shown = _Tty()
    progress = Progress(2, shown)
    progress({"status": "failed"})
    progress({"status": "completed"})
    assert "2/2 runs" in shown.getvalue() and "1 failed" in shown.getvalue()


@given(st.text(max_size=20).filter(lambda t: not t.startswith("'")))
def test_a_cell_guarded_against_formulas_reads_back_as_written(text: str) -> None:
    """An error text written to the CSV with its formula guard (leading white space and
    full-width signs included) reads back as it was, whatever the guard added."""
    assert spreadsheet_text(spreadsheet_safe(text)) == text
