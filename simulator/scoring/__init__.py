"""Scoring and evaluation: objectives rated P/S/M/U from the event log and the scenario."""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.records import Event, read_log
from ..errors import TtxError
from ..kinds import ID_PATTERN
from ..scenario.loader import LoadedScenario, load_scenario
from .annotations import Annotations, Observation, Override, load_annotations
from .card import RATING_NAMES, RATINGS, ObjectiveResult, Scorecard, rate, score_run
from .metrics import Evidence, MetricResult

__all__ = [
    "RATINGS",
    "RATING_NAMES",
    "Annotations",
    "Evidence",
    "MetricResult",
    "ObjectiveResult",
    "Observation",
    "Override",
    "Scorecard",
    "find_scenario",
    "rate",
    "score_file",
    "score_log",
    "score_run",
]

#: the project's scenario library, where a log's scenario is looked for by default
LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


def find_scenario(events: list[Event], log: Path) -> LoadedScenario:
    """The scenario a log was made from: ``scenarios/ID.yaml`` in the working directory or in
    the project's library, whose content hash matches the one the run recorded."""
    started = next((e for e in events if e.kind == "run.started"), None)
    if started is None:
        raise TtxError(f"{log}: no run.started record, so the scenario is unknown; "
                       "give --scenario FILE")
    scenario_id = started.payload.get("scenario")
    # a log read from a file has an id here (the reader refuses anything else); events made
    # in-process are checked too, so that a path can never make this read outside the folders
    if not isinstance(scenario_id, str) or not re.fullmatch(ID_PATTERN, scenario_id):
        raise TtxError(f"{log}: the run names scenario {scenario_id!r}, which is not a "
                       "scenario id; give --scenario FILE")
    sha = started.payload.get("sha256")
    candidates = []
    for folder in (Path("scenarios"), LIBRARY):
        path = folder / f"{scenario_id}.yaml"
        if path.is_file() and path.resolve() not in [c.resolve() for c in candidates]:
            candidates.append(path)
    changed = []
    for path in candidates:
        loaded = load_scenario(path)
        if not sha or loaded.sha256 == sha:
            return loaded
        changed.append(str(path))
    if changed:
        raise TtxError(
            f"{log}: the run used scenario {scenario_id} with sha256 {str(sha)[:12]}, but "
            f"{', '.join(changed)} has changed since; give --scenario FILE to score against "
            "it anyway"
        )
    raise TtxError(f"{log}: scenario {scenario_id!r} is not in ./scenarios or the library; "
                   "give --scenario FILE")


def score_file(
    log: str | Path,
    scenario: str | Path | None = None,
    overrides: str | Path | None = None,
) -> Scorecard:
    """Score the log at ``log``; the scenario is found from the log unless given."""
    return score_log(log, scenario, overrides)[0]


def score_log(
    log: str | Path,
    scenario: str | Path | None = None,
    overrides: str | Path | None = None,
    session: tuple[list[Event], LoadedScenario] | None = None,
) -> tuple[Scorecard, list[Event]]:
    """The scorecard of the log at ``log``, and the log's events (for the report); or of a
    ``session``'s events and its own scenario, ``log`` then naming the session."""
    log = Path(log)
    warnings: list[str] = []
    if session is not None:
        if scenario is not None:
            raise TtxError(f"{log}: a session carries its own copy of its scenario; leave out "
                           "--scenario")
        events, loaded = session
    else:
        events = read_log(log)
        loaded = (find_scenario(events, log) if scenario is None
                  else _given_scenario(events, log, Path(scenario), warnings))
    annotations = load_annotations(overrides, loaded.scenario) if overrides else None
    card = score_run(events, loaded.scenario, annotations)
    card.warnings[:0] = warnings
    card.sources = {"log": str(log), "scenario": loaded.path}
    if overrides:
        card.sources["overrides"] = str(overrides)
    return card, events


def _given_scenario(events: list[Event], log: Path, scenario: Path,
                    warnings: list[str]) -> LoadedScenario:
    """The scenario given with ``--scenario``, checked against the one the run recorded."""
    loaded = load_scenario(scenario)
    started = next((e for e in events if e.kind == "run.started"), None)
    if started is None:
        warnings.append(f"{log} has no run.started record: nothing shows it was made from "
                        f"{scenario}")
        return loaded
    recorded = started.payload.get("sha256")
    if started.payload.get("scenario") != loaded.scenario.metadata.id:
        raise TtxError(
            f"{log}: the run is of scenario {started.payload.get('scenario')!r}, "
            f"{scenario} is {loaded.scenario.metadata.id!r}"
        )
    if recorded and recorded != loaded.sha256:
        warnings.append(
            f"{scenario} has changed since the run (sha256 {loaded.sha256[:12]}, the "
            f"run used {str(recorded)[:12]}): scored against the file as it is now"
        )
    return loaded
