"""The one error type a user ever sees.

Every problem with input (a scenario, a command-line value) becomes a ``TtxError`` carrying
diagnostics; the CLI prints them and exits with code 2. Anything else escaping is a bug.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from .text import visible


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
        text = f"{where}: {self.location}: {self.message}" if self.location else (
            f"{where}: {self.message}"
        )
        # a file name or a quoted value can carry terminal controls: they are shown, not obeyed
        return visible(text)


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


class Interrupted(BaseException):
    """A signal (Ctrl-C, SIGTERM, SIGHUP) asked the command to stop.

    Not an ``Exception``, so no handler meant for errors swallows it, and not a
    ``KeyboardInterrupt``, which Click would turn into "Aborted!" and exit code 1: the command
    that is stopped tidies up (``ttx run`` closes its log with a ``run.interrupted`` record),
    and ``ttx`` exits with 128 + the signal's number, as shells expect.
    """

    def __init__(self, signum: int) -> None:
        # the number is the only argument: SimPy re-raises a failed process's exception as
        # ``type(exc)(*exc.args)``, which must make the same exception again
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class OutputClosed(BaseException):
    """Standard output was closed by its reader (``ttx run ... | head -1``): the command
    stops quietly, as Unix tools do; files it was writing are complete or untouched."""
