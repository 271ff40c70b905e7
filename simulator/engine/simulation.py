"""One run of a scenario: build, check the wiring, run; and the stepping API for the console.

A run is a pure function of (scenario, seed, the ordered decisions taken in it): the same
inputs give the same event log, byte for byte (docs/design.md, "Determinism"). It never dies without
its result: an exception inside the machinery ends the run with a ``run.failed`` record holding
the error, and the log up to that point is kept.
"""

from __future__ import annotations

import gc
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import TtxError
from ..safeio import atomic_output
from ..scenario.loader import LoadedScenario
from ..scenario.models import Scenario
from .control import ExerciseControl, PendingDecision, effect_topics
from .kernel import Actor, Kernel, WiringError
from .records import Event, write_log

#: event kinds at which ``run_until_stop`` hands control back to the facilitator
STOP_KINDS = frozenset({"inject.delivered", "decision.pending"})


def _in_simpy(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and f"{os.sep}simpy{os.sep}" in frames[-1].filename


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the machinery runs: a run allocates many small
    objects that reference counting frees, and full collections over them cost a fifth of the
    run's time. Collection resumes as soon as control returns to the caller."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class RunResult:
    """What a run leaves behind: its identity, its outcome and its log."""

    scenario_id: str
    sha256: str
    seed: int
    version: str
    status: str  # completed | failed | interrupted
    end: float
    events: list[Event] = field(repr=False)
    error: str | None = None

    def write(self, path: str | Path) -> None:
        """Write the log whole, or leave ``path`` as it was (``safeio.atomic_output``)."""
        with atomic_output(path) as out:
            write_log(self.events, out)


class Simulation:
    """A scenario's world, built and wired, ready to run or to step."""

    def __init__(
        self,
        scenario: Scenario | LoadedScenario,
        seed: int,
        *,
        until: float | None = None,
        interactive: bool = False,
        sha256: str = "",
        live_roles: Iterable[str] | None = None,
    ) -> None:
        """``live_roles``: the roles (or bodies) whose decisions wait for people, as in a
        session; given, the run is interactive exactly when it names any."""
        if isinstance(scenario, LoadedScenario):
            sha256 = sha256 or scenario.sha256
            scenario = scenario.scenario
        duration = scenario.metadata.duration
        self.end = duration if until is None else min(until, duration)
        self.scenario = scenario
        self.seed = seed
        self.sha256 = sha256
        self.kernel = Kernel(scenario, seed, self.end)
        live = None if live_roles is None else frozenset(live_roles)
        if live is not None:
            interactive = bool(live)
        self.control = ExerciseControl(self.kernel, interactive, live)
        from actors import build  # the bodies; imported late to keep ``simulator`` light

        self.status = "running"
        self.error: str | None = None
        self.actors: list[Actor] = [self.control]

        def build_world() -> None:
            self.actors += build(self.kernel)
            for actor in self.actors:
                actor.wire()
            self.check_wiring()

        built = self._guard(build_world, record=False)
        self.kernel.stop_kinds = STOP_KINDS
        meta = scenario.metadata
        self.kernel.emit(
            "run.started",
            "exercise_control",
            payload={
                "scenario": meta.id,
                "title": meta.title,
                "sha256": sha256,
                "seed": seed,
                "version": __version__,
                "start": meta.start.isoformat().replace("+00:00", "Z"),
                "duration": duration,
                "end": self.end,
                "presidency": meta.presidency_at(0),  # in office at the start
                "interactive": interactive,
                # who decides live: the roles (or bodies) named, else in an interactive run
                # every role the scenario gives to players; none in a headless run
                "live_roles": sorted(live) if live is not None else sorted(
                    r.id for r in scenario.roles if r.played_by == "players"
                ) if interactive else [],
            },
        )
        if not built:
            self._failed()  # the world could not be built: the log says why, and nothing ran
            return
        self._guard(lambda: [actor.start() for actor in self.actors])

    # -- wiring -----------------------------------------------------------------------------

    def check_wiring(self) -> None:
        """Every message an actor sends, and every effect a decision can have, must reach some
        actor; found here, before the first event, not in the middle of an exercise."""
        kernel = self.kernel
        problems = [
            f"{actor.scope} sends {topic!r}, which no actor receives"
            for actor in self.actors
            for topic in actor.outgoing()
            if not kernel.receivers(topic)
        ]
        problems += [
            f"no actor applies {topic!r}"
            for topic in effect_topics()
            if not kernel.receivers(topic)
        ]
        if problems:
            raise WiringError("; ".join(problems))

    # -- running ----------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return float(self.kernel.env.now)

    @property
    def events(self) -> list[Event]:
        return self.kernel.log

    @property
    def finished(self) -> bool:
        return self.status != "running"

    def _guard(self, step: Callable[[], Any], record: bool = True) -> bool:
        """Run ``step``; on an error in the machinery, end the run as failed, keeping the log
        (``record``: with its ``run.failed`` record now)."""
        try:
            step()
        except TtxError:
            raise
        except Exception as exc:  # the run's result must record any failure
            # SimPy re-raises a failed process's error as a copy; the cause says where it was
            origin: BaseException = exc
            while origin.__cause__ is not None and _in_simpy(origin):
                origin = origin.__cause__
            frame = traceback.extract_tb(origin.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            self.error = f"{type(exc).__name__}: {exc} (at {where})"
            self.status = "failed"
            if record:
                self._failed()
            return False
        return True

    def _failed(self) -> None:
        self.kernel.emit(
            "run.failed",
            "exercise_control",
            payload={"error": self.error, "t": self.now, "events": len(self.events) + 1},
        )

    def advance(self, to: float, *, through: bool = False) -> list[Event]:
        """Run the machinery until simulated time ``to`` (bounded by the end); return the new
        events. Nothing scheduled at ``to`` itself has happened yet, unless ``through``: then
        the whole instant ``to`` has happened too, as after :meth:`run_until_stop` (a session
        replaying a move taken at a stop advances ``through`` its time)."""
        start = len(self.events)
        to = min(to, self.end)
        env = self.kernel.env

        def steps() -> None:
            if to > env.now:
                env.run(until=to)
            if through:
                while env.peek() == env.now < self.end:
                    env.step()

        if not self.finished and (to > self.now or through):
            with _no_gc():
                self._guard(steps)
        return self.events[start:]

    def run_until_stop(self, limit: float | None = None) -> list[Event]:
        """Run until an inject is delivered or a decision opens, or until ``limit`` (default:
        the end); return the new events. The stop comes after the whole instant that caused it,
        so the facilitator sees the world as it is at that moment."""
        start = len(self.events)
        limit = self.end if limit is None else min(limit, self.end)
        kernel = self.kernel
        env = kernel.env
        kernel.stopped = False

        def steps() -> None:
            while not kernel.stopped:
                upcoming = env.peek()
                if upcoming >= limit:
                    if limit > env.now:
                        env.run(until=limit)
                    return
                env.step()
            # finish the instant, so simultaneous events are not split by a pause
            while env.peek() == env.now < self.end:
                env.step()

        if not self.finished:
            with _no_gc():
                self._guard(steps)
        return self.events[start:]

    def pending_decisions(self) -> list[PendingDecision]:
        return self.control.pending_decisions()

    def decide(
        self, point: str, option: str, by: str = "players", rationale: str | None = None
    ) -> list[Event]:
        """Apply a players' decision now; return the events it caused at once."""
        start = len(self.events)
        self._live()
        self._guard(lambda: self.control.decide(point, option, by, rationale))
        return self.events[start:]

    def deliver(self, inject: str, by: str = "facilitator") -> list[Event]:
        """Deliver an inject now (a contingency inject, typically)."""
        start = len(self.events)
        self._live()
        self._guard(lambda: self.control.deliver(inject, by))
        return self.events[start:]

    def note(self, text: str, by: str = "evaluator", kind: str | None = None,
             objectives: Sequence[str] = ()) -> list[Event]:
        """Note an observation now (``observation.noted``) about ``objectives`` (none: the
        exercise as a whole); return the events it caused."""
        start = len(self.events)
        self._live()
        self._guard(lambda: self.control.note(text, by, kind, tuple(objectives)))
        return self.events[start:]

    def _live(self) -> None:
        if self.finished:
            raise TtxError("the run has ended")

    def finish(self) -> RunResult:
        """End the run at the current time (after ``advance(end)``, at the end)."""
        if self.status == "running":
            ok = self._guard(self._close)
            if ok:
                self.status = "completed"
                self.kernel.emit(
                    "run.ended",
                    "exercise_control",
                    payload={"status": "completed", "events": len(self.events) + 1,
                             "reached_end": self.now >= self.end},
                )
        return self._result()

    def _close(self) -> None:
        """What is still open at the end: each actor's (``Actor.close``), then exercise
        control's undelivered injects and undecided points."""
        for actor in self.actors:
            if actor is not self.control:
                actor.close()
        self.control.close()

    def interrupt(self, signal: str) -> RunResult:
        """End the run where a signal stopped it: the log so far, closed by a
        ``run.interrupted`` record, so that no reader takes it for a finished run."""
        if self.status == "running":
            self.status = "interrupted"
            self.kernel.emit(
                "run.interrupted",
                "exercise_control",
                payload={"signal": signal, "events": len(self.events) + 1},
            )
        return self._result()

    def _result(self) -> RunResult:
        return RunResult(
            self.scenario.metadata.id,
            self.sha256,
            self.seed,
            __version__,
            self.status,
            self.now,
            self.events,
            self.error,
        )

    def run(self) -> RunResult:
        """The headless run: to the end, then the result."""
        self.advance(self.end)
        return self.finish()


def run_scenario(
    scenario: Scenario | LoadedScenario, seed: int, until: float | None = None
) -> RunResult:
    return Simulation(scenario, seed, until=until).run()
