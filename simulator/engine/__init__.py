"""The engine: a SimPy kernel that plays a scenario through the bodies in ``actors/``.

Build the world from a validated scenario, check its wiring, then run (the desmod pattern).
Everything the engine does is an event record in one log (docs/design.md, "The spine").
"""

from .records import Event, read_log, write_log
from .simulation import RunResult, Simulation, run_scenario

__all__ = ["Event", "RunResult", "Simulation", "read_log", "run_scenario", "write_log"]
