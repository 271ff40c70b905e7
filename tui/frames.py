"""The engine's side of the console: a worker that owns the session and sends pictures.

No Textual here either: ``Runner`` runs in the console's worker thread. It takes commands
(callables on the ``Driver``) from a queue, moves the clock while it runs, and hands the screen
a ``Frame``: an immutable copy of what to show, sent once per move of the clock (``TICK``)
however fast it runs, and at once after a command, so a key press is answered without waiting.
"""

from __future__ import annotations

import contextlib
import copy
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.engine.control import PendingDecision
from simulator.engine.records import Event
from simulator.errors import TtxError
from simulator.scoring import score_run
from simulator.sessions.session import MachineryFailed

from .driver import Driver
from .picture import MemberStateRow, MselRow, Picture, Rung

#: how often the running clock moves, in wall-clock seconds: each move is a journal entry
#: and a frame, so the screen is redrawn at most 1 / TICK times a second, however fast the
#: clock runs (what happened in between comes in one frame)
TICK = 0.25
#: how long the worker waits for a key while the clock is stopped, in seconds
IDLE = 0.5
#: how often objectives are scored again while the clock runs, in wall-clock seconds
SCORE_EVERY = 1.0


#: what the screen says when a command is done: a text, or one made from the command's result
Notice = str | Callable[[Any], str] | None


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
    presidency: str = ""  # the Member State holding the Council Presidency now


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
        self.commands: queue.Queue[tuple[Callable[[Driver], Any], Notice] | None] = (
            queue.Queue()
        )
        self.picture = Picture(driver.session.simulation.scenario)
        self.picture.add(driver.session.events)
        self.picture.advance_to(driver.session.now)
        self._sent = 0  # events already sent to the screen
        self._scored_at = -1.0
        self._scored_events = -1
        self.started = False
        self.finished = threading.Event()  # set when the loop has ended, its queue done

    def submit(self, command: Callable[[Driver], Any], notice: Notice = None) -> None:
        """Queue ``command`` (a callable taking the driver); ``notice`` is shown when it is
        done (a callable makes it from the command's result)."""
        self.commands.put((command, notice))

    def stop(self) -> None:
        """End the loop once every command already queued is carried out."""
        self.commands.put(None)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait for the loop to end (at once if it never started); False on timeout."""
        return not self.started or self.finished.wait(timeout)

    def frame(self, error: str | None = None, notice: str | None = None,
              score: bool = False) -> Frame:
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
            notice=notice, presidency=picture.presidency,
        )

    def _absorb(self, start: int) -> None:
        session = self.driver.session
        self.picture.add(session.events[start:])
        self.picture.advance_to(session.now)

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """The worker's loop, until ``stop`` or ``cancelled``.

        While the clock runs it moves every ``TICK`` of wall time, and each move sends a frame;
        a clock that starts moves one tick at once, so the screen answers the key at once and
        the highest speed plays a whole scenario without waiting. A command (a key) is carried
        out as soon as it arrives and answered with a frame of its own.

        Whatever way it ends, every command already queued is carried out first: a decision
        entered just before quitting is journaled, not dropped."""
        self.started = True
        try:
            self._loop(cancelled)
        finally:
            self._drain()
            self.finished.set()

    def _drain(self) -> None:
        while True:
            try:
                item = self.commands.get_nowait()
            except queue.Empty:
                return
            if item:
                with contextlib.suppress(TtxError, MachineryFailed):
                    item[0](self.driver)

    def _loop(self, cancelled: Callable[[], bool]) -> None:
        self.send(self.frame(score=True))
        last_tick: float | None = None  # when the running clock last moved
        while True:
            if self.driver.running and last_tick is not None:
                timeout = max(0.0, last_tick + TICK - time.monotonic())
            else:
                timeout = 0.0 if self.driver.running else IDLE
            try:
                item = self.commands.get(timeout=timeout)
            except queue.Empty:
                if cancelled():
                    return
                item = ()  # type: ignore[assignment]
            if item is None:
                return
            answer = False
            error = notice = None
            start = len(self.driver.session.events)
            if item:
                command, told = item
                try:
                    result = command(self.driver)
                    notice = told(result) if callable(told) else told
                except (TtxError, MachineryFailed) as exc:
                    error = str(exc)
                answer = True
            if not self.driver.running:
                last_tick = None
            else:
                now = time.monotonic()
                if last_tick is None:
                    last_tick = now - TICK  # just started: one tick now
                if now - last_tick >= TICK:
                    try:
                        self.driver.tick(now - last_tick)
                    except (TtxError, MachineryFailed) as exc:
                        error = str(exc)
                        self._pause_quietly()
                    last_tick = now
                    answer = True
            self._absorb(start)
            if answer or error:
                self.send(self.frame(error=error, notice=notice, score=bool(item)))

    def _pause_quietly(self) -> None:
        with contextlib.suppress(TtxError, MachineryFailed):
            self.driver.pause()
