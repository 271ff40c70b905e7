"""The row of one run: a pure function of (scenario file bytes, seed).

The columns are fixed for a scenario (its decision points, objectives and Toolbox measures),
so that every row of a batch has the same ones, failed runs included. A column's type is told
by its name alone (``column_type``), so a results file is read back without the scenario.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..engine.records import Event
from ..engine.summary import REPORT_KINDS, milestones
from ..kinds import SEEDS
from ..scenario.loader import LoadedScenario
from ..scenario.models import Scenario

#: the incident's tiers, lowest first
TIERS = ("below_threshold", "significant", "large_scale", "cyber_crisis")

#: milestone columns (minutes since the start) and the ``ttx run`` milestone each one reads:
#: its label and, for IPCR modes, how its detail begins
MILESTONES: tuple[tuple[str, str, str], ...] = (
    ("t_first_compromise", "first compromise", ""),
    ("t_first_detection", "first detection", ""),
    ("t_first_early_warning", "first early warning", ""),
    ("t_first_notification", "first notification", ""),
    ("t_cross_border", "cross-border information (SPoC)", ""),
    ("t_tier_significant", "tier significant reached", ""),
    ("t_tier_large_scale", "tier large_scale reached", ""),
    ("t_tier_cyber_crisis", "tier cyber_crisis reached", ""),
    ("t_cyclone_activated", "EU-CyCLONe activated", ""),
    ("t_first_assessment", "first EU-CyCLONe assessment", ""),
    ("t_ipcr_information_sharing", "IPCR mode", "information_sharing"),
    ("t_ipcr_full_activation", "IPCR mode", "full_activation"),
    ("t_first_measure_adopted", "measure adopted", ""),
    ("t_first_measure_blocked", "measure blocked", ""),
    ("t_peak_impact", "peak impact", ""),
)

INT_COLUMNS = (
    "run_id", "seed", "events", "member_states_affected", "entities_compromised",
    "nis2_reports_sent", "nis2_on_time", "nis2_deadlines_missed", "measures_proposed",
    "measures_adopted", "measures_blocked", "vetoes",
)
COUNTS = INT_COLUMNS[3:]


def derived_seed(base: int, run_id: int) -> int:
    """Run ``run_id``'s seed: SHA-256 of ``"{base}:{run_id}"``, its first 8 bytes folded into
    0 .. 2**63 - 1 (a seed ``ttx run --seed`` takes, and a signed 64-bit column holds).
    It depends on nothing else, so the order of runs and the number of workers never matter."""
    digest = hashlib.sha256(f"{base}:{run_id}".encode()).digest()
    seed = int.from_bytes(digest[:8], "big") & (2**63 - 1)
    assert SEEDS[0] <= seed <= SEEDS[1]
    return seed


def columns(scenario: Scenario) -> list[str]:
    """The columns of every row of a batch of ``scenario``, in order."""
    cols = ["run_id", "seed", "status", "error", "events"]
    cols += [name for name, _, _ in MILESTONES]
    cols += ["peak_tier", "peak_impact", *COUNTS]
    cols += [f"adopted.{m}" for m in sorted(scenario.toolbox.catalogue())]
    cols += [f"decision.{p.id}" for p in scenario.decision_points]
    for objective in scenario.objectives:
        cols += [f"score.{objective.id}", f"rating.{objective.id}"]
    return cols


def column_type(name: str) -> type:
    """int, float or str: told by the name, so a file is read back without its scenario."""
    if name in INT_COLUMNS or name.startswith("adopted."):
        return int
    if name.startswith(("t_", "score.")) or name == "peak_impact":
        return float
    return str


def empty_row(cols: Sequence[str], run_id: int, seed: int) -> dict[str, Any]:
    """A row with nothing in it: numbers None, text empty."""
    row: dict[str, Any] = {c: ("" if column_type(c) is str else None) for c in cols}
    row.update(run_id=run_id, seed=seed)
    return row


def row_from_events(
    events: Sequence[Event], loaded: LoadedScenario, cols: Sequence[str], run_id: int, seed: int,
    status: str, error: str | None,
) -> dict[str, Any]:
    """The row of a run from its event log and its scenario (what a worker and a test that
    reads ``ttx run``'s log both call)."""
    from ..scoring import score_run

    row = empty_row(cols, run_id, seed)
    row.update(status="completed" if status == "completed" else "failed", error=error or "",
               events=len(events))
    if status != "completed" and not error:
        row["error"] = f"the run ended {status}"
    stones = milestones(events)
    for name, what, detail in MILESTONES:
        found = next((m for m in stones if m.what == what and m.t is not None
                      and m.detail.startswith(detail)), None)
        row[name] = None if found is None else round(float(found.t), 4)
    kinds = Counter(e.kind for e in events)
    reached = {e.payload["tier"] for e in events if e.kind == "classification.tier"}
    row["peak_tier"] = max(reached | {"below_threshold"}, key=TIERS.index)
    row["peak_impact"] = max((float(e.payload["level"]) for e in events
                              if e.kind == "adversary.impact" and e.member_state), default=0.0)
    # as ``engine.summary.totals`` counts them
    row["member_states_affected"] = len({e.member_state for e in events
                                         if e.kind == "entity.compromised" and e.member_state})
    row["entities_compromised"] = kinds["entity.compromised"]
    reports = [e for e in events if e.kind in REPORT_KINDS and e.member_state
               and e.payload.get("on_time") is not None]
    row["nis2_reports_sent"] = len(reports)
    row["nis2_on_time"] = sum(1 for e in reports if e.payload.get("on_time"))
    row["nis2_deadlines_missed"] = sum(1 for e in events if e.kind == "entity.deadline_missed"
                                       and e.member_state)
    row["measures_proposed"] = kinds["measure.proposed"]
    row["measures_adopted"] = kinds["measure.adopted"]
    row["measures_blocked"] = kinds["measure.blocked"]
    row["vetoes"] = kinds["member_state.veto"]
    adopted = {e.subject for e in events if e.kind == "measure.adopted"}
    for col in cols:
        if col.startswith("adopted."):
            row[col] = int(col.removeprefix("adopted.") in adopted)
    for event in events:
        if event.kind == "decision.made" and f"decision.{event.subject}" in row:
            row[f"decision.{event.subject}"] = str(event.payload["option"])
    card = score_run(events, loaded.scenario)
    for result in card.objectives:
        if f"score.{result.objective.id}" in row:
            row[f"score.{result.objective.id}"] = result.score
            row[f"rating.{result.objective.id}"] = result.final_rating or ""
    return row


class Worker:
    """What one worker process holds: the scenario, parsed once, and the columns."""

    def __init__(self, raw: bytes, name: str) -> None:
        self.loaded = loaded_from_bytes(raw, name)
        self.cols = columns(self.loaded.scenario)

    def row(self, run_id: int, seed: int) -> dict[str, Any]:
        """Run ``seed`` and make its row; an error anywhere is recorded in the row."""
        from ..engine import Simulation

        try:
            result = Simulation(self.loaded, seed).run()
            return row_from_events(result.events, self.loaded, self.cols, run_id, seed,
                                   result.status, result.error)
        except Exception as exc:  # a bug in one run must not stop the batch: it is its row
            row = empty_row(self.cols, run_id, seed)
            row.update(status="failed", error=f"{type(exc).__name__}: {exc}")
            return row


def loaded_from_bytes(raw: bytes, name: str) -> LoadedScenario:
    """The scenario from its file's bytes, as ``load_scenario`` makes it from the file."""
    from ..safeio import SCENARIO_LIMIT
    from ..scenario.loader import parse_scenario
    from ..scenario.yamlread import DEFAULT_LIMITS

    limits = replace(DEFAULT_LIMITS, max_bytes=SCENARIO_LIMIT.bytes)
    return LoadedScenario(parse_scenario(raw, name, limits), name,
                          hashlib.sha256(raw).hexdigest())
