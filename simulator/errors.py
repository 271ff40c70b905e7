"""The one error type a user ever sees.

Every problem with input (a scenario, a command-line value) becomes a ``TtxError`` carrying
diagnostics; the CLI prints them and exits with code 2. Anything else escaping is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place: ``file:line:col: location: message``.

    ``line`` and ``col`` are 1-based, as editors count; 0 means the place is unknown.
    ``location`` is the dotted path inside the scenario (``campaign.waves[2].targets``).
    """

    file: str
    line: int
    col: int
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        if self.location:
            return f"{where}: {self.location}: {self.message}"
        return f"{where}: {self.message}"


class TtxError(Exception):
    """Bad input: carries the diagnostics to show; never a traceback."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("ttx", 0, 0, "", diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class ScenarioError(TtxError):
    """A scenario file could not be read or is invalid."""
