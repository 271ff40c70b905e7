"""The engine's side of the console: a worker that owns the session and sends pictures.

No Textual here either: ``Runner`` runs in the console's worker thread. It takes commands
(callables on the ``Driver``) from a queue, moves the clock while it runs, and hands the screen
a ``Frame``: an immutable copy of what to show, sent at most ``FRAMES_PER_SECOND`` times a second
however fast the clock runs (events that arrive in between are gathered into the next frame),
and at once after a command, so a key press is answered without waiting.
"""

from __future__ import annotations

import contextlib
import copy
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.control import PendingDecision
from simulator.engine.records import Event
from simulator.errors import TtxError
from simulator.scoring import score_run
from simulator.sessions.session import MachineryFailed

from .driver import Driver
from .picture import MemberStateRow, MselRow, Picture, Rung

#: how often the running clock moves, in wall-clock seconds (each move is a journal entry)
TICK = 0.5
#: the most frames a second the screen is sent
FRAMES_PER_SECOND = 4
#: how often objectives are scored again while the clock runs, in wall-clock seconds
SCORE_EVERY = 1.0


@dataclass(frozen=True)
class ObjectiveLine:
    id: str
    capability: str
    text: str
    score: float | None
    rating: str  # P, S, M, U, or "not yet due"
    metrics: tuple[tuple[str, float | None, str], ...]  # description, score, summary
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Frame:
    """What the screen shows at one moment, copied out of the worker."""

    now: float
    clock: str
    date: str
    speed: float
    state: str  # running, paused, at the end, ended, failed
    move: str | None
    next_move: tuple[str, float] | None
    ladder: tuple[Rung, ...]
    tier: str
    board: tuple[MemberStateRow, ...]
    msel: tuple[MselRow, ...]
    events: tuple[Event, ...]  # new since the previous frame
    cards: tuple[Event, ...]  # injects delivered since the previous frame
    pending: tuple[PendingDecision, ...]
    objectives: tuple[ObjectiveLine, ...] | None  # None: as in the previous frame
    journal: int
    total_events: int
    deadline: str | None = None  # the waiting decision whose deadline the clock stands at
    error: str | None = None
    notice: str | None = None
    result: Any = field(default=None, compare=False)


def objective_lines(picture: Picture) -> tuple[ObjectiveLine, ...]:
    card = score_run(picture.events, picture.scenario)
    lines = []
    for o in card.objectives:
        rating = o.rating or "not yet due"
        lines.append(ObjectiveLine(
            o.objective.id, o.objective.capability, o.objective.text, o.score, rating,
            tuple((m.description, m.score, m.summary) for m in o.metrics),
            tuple(f"{picture.clock(ev.t) if ev.t is not None else '':>9}  {ev.note}"
                  for m in o.metrics for ev in m.evidence[:8]),
        ))
    return tuple(lines)


class Runner:
    """The session's driver and picture, behind a queue of commands."""

    def __init__(self, driver: Driver, send: Callable[[Frame], None]) -> None:
        self.driver = driver
        self.send = send
        self.commands: queue.Queue[tuple[Callable[[Driver], Any], str | None] | None] = (
            queue.Queue()
        )
        self.picture = Picture(driver.session.simulation.scenario)
        self.picture.add(driver.session.events)
        self.picture.advance_to(driver.session.now)
        self._sent = 0  # events already sent to the screen
        self._scored_at = -1.0
        self._scored_events = -1
        self.stopped = False

    def submit(self, command: Callable[[Driver], Any], notice: str | None = None) -> None:
        """Queue ``command`` (a callable taking the driver); ``notice`` is shown when done."""
        self.commands.put((command, notice))

    def stop(self) -> None:
        self.commands.put(None)

    def frame(self, error: str | None = None, notice: str | None = None,
              result: Any = None, score: bool = False) -> Frame:
        session = self.driver.session
        picture = self.picture
        fresh = picture.events[self._sent:]
        self._sent = len(picture.events)
        objectives = None
        now = time.monotonic()
        if score or (len(picture.events) != self._scored_events
                     and now - self._scored_at >= SCORE_EVERY):
            objectives = objective_lines(picture)
            self._scored_at, self._scored_events = now, len(picture.events)
        if session.ended:
            state = "ended"
        elif session.failed is not None:
            state = "failed"
        elif session.now >= session.simulation.end:
            state = "at the end"
        else:
            state = "running" if self.driver.running else "paused"
        return Frame(
            now=session.now, clock=picture.clock(), date=picture.date(),
            speed=self.driver.speed, state=state, move=picture.current_move(),
            next_move=picture.next_move(), ladder=tuple(picture.ladder()), tier=picture.tier,
            board=tuple(copy.deepcopy(picture.board())), msel=tuple(picture.msel()),
            events=tuple(fresh), cards=tuple(picture.take_cards()),
            pending=tuple(session.pending_decisions()), objectives=objectives,
            journal=session.seq, total_events=len(picture.events),
            deadline=self.driver.at_deadline(), error=error,
            notice=notice, result=result,
        )

    def _absorb(self, start: int) -> None:
        session = self.driver.session
        self.picture.add(session.events[start:])
        self.picture.advance_to(session.now)

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """The worker's loop, until ``stop`` or ``cancelled``."""
        self.send(self.frame(score=True))
        last_tick = time.monotonic()
        last_frame = 0.0
        while not self.stopped and not cancelled():
            timeout = TICK if self.driver.running else 0.5
            try:
                item = self.commands.get(timeout=timeout)
            except queue.Empty:
                item = ()  # type: ignore[assignment]
            if item is None:
                break
            frame_now = False
            error = notice = result = None
            start = len(self.driver.session.events)
            if item:
                command, notice = item
                was_running = self.driver.running
                try:
                    result = command(self.driver)
                except TtxError as exc:
                    error, notice = str(exc), None
                except MachineryFailed as exc:
                    error, notice = str(exc), None
                if self.driver.running and not was_running:
                    last_tick = time.monotonic()  # the clock starts now, not when it stopped
                frame_now = True
            now = time.monotonic()
            if self.driver.running and now - last_tick >= TICK:
                try:
                    self.driver.tick(now - last_tick)
                except (TtxError, MachineryFailed) as exc:
                    error = str(exc)
                    self._pause_quietly()
                last_tick = now
            elif not self.driver.running:
                last_tick = now
            self._absorb(start)
            if frame_now or error or now - last_frame >= 1 / FRAMES_PER_SECOND:
                self.send(self.frame(error=error, notice=notice, result=result,
                                     score=frame_now))
                last_frame = now
        self.stopped = True

    def _pause_quietly(self) -> None:
        with contextlib.suppress(TtxError, MachineryFailed):
            self.driver.pause()
