"""The scenario format (issue 1): models, the safe loader and its diagnostics."""

from .loader import LoadedScenario, dump_scenario, load_scenario, parse_scenario
from .models import SCHEMA_VERSION, Scenario

__all__ = [
    "SCHEMA_VERSION",
    "LoadedScenario",
    "Scenario",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
]
