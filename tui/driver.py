"""The facilitator's clock over a session: start, pause, speed, ticks, jumps.

No Textual here. The console's worker thread owns a ``Driver`` and calls it; every change
goes through the session (``simulator.sessions.Session``), which journals it before it returns,
so the console holds nothing the journal does not: quitting or crashing loses no action, and a
resumed session opens where it was. The clock's own moves (a tick of the running clock) are
journaled as advances like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.records import Event
from simulator.errors import TtxError
from simulator.sessions.session import Session

#: the speeds ``+`` and ``-`` step through, in simulated minutes per wall-clock second
SPEEDS = (0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0)
DEFAULT_SPEED = 10.0
#: the highest speed ``--speed`` accepts: a simulated year per second
MAX_SPEED = 525_600.0


def check_speed(speed: float) -> float:
    if not (0 < speed <= MAX_SPEED):  # also refuses NaN
        raise TtxError(f"--speed {speed:g}: simulated minutes per second, above 0 and at "
                       f"most {MAX_SPEED:g}")
    return float(speed)


@dataclass
class Settings:
    """What the facilitator chose about the clock (not journaled: a console preference)."""

    pause_on_decision: bool = True  # a decision for a live role stops the clock
    pause_on_inject: bool = False  # every delivered inject stops the clock


class Driver:
    """A session and the clock that moves it."""

    def __init__(self, session: Session, speed: float | None = None,
                 settings: Settings | None = None) -> None:
        self.session = session
        self.settings = settings or Settings()
        if not session.ended and not session.failed:
            # a console opens with the clock stopped; a journal that says it was running
            # (the console was closed or crashed while it ran) gets the pause it implies
            if not session.paused:
                session.clock("pause")
            if speed is not None and speed != session.speed:
                session.clock("speed", check_speed(speed))

    # -- the clock ----------------------------------------------------------------------------

    @property
    def speed(self) -> float:
        return self.session.speed or DEFAULT_SPEED

    @property
    def running(self) -> bool:
        return not self.session.paused and not self.closed

    @property
    def closed(self) -> bool:
        """Nothing more can happen: ended, failed, or at the scenario's end."""
        s = self.session
        return s.ended or s.failed is not None or s.now >= s.simulation.end

    def start(self) -> None:
        if self.closed:
            raise TtxError(self._why_closed())
        if self.session.paused:
            self.session.clock("resume")

    def pause(self) -> None:
        if not self.session.paused and not self.session.ended:
            self.session.clock("pause")

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def set_speed(self, speed: float) -> None:
        speed = check_speed(speed)
        if speed != self.speed and not self.session.ended:
            self.session.clock("speed", speed)

    def faster(self, steps: int = 1) -> None:
        """The next speed up (``steps`` > 0) or down (< 0) of ``SPEEDS``."""
        now = self.speed
        if steps > 0:
            higher = [s for s in SPEEDS if s > now]
            self.set_speed(higher[min(steps, len(higher)) - 1] if higher else now)
        else:
            lower = [s for s in SPEEDS if s < now]
            self.set_speed(lower[max(steps, -len(lower))] if lower else now)

    def tick(self, wall_seconds: float) -> list[Event]:
        """The running clock moves ``wall_seconds`` of wall time at its speed. It stops (and
        pauses) where a decision waits for a live role, when the settings say so, and at the
        scenario's end; with ``pause_on_inject``, at every inject."""
        if not self.running or wall_seconds <= 0:
            return []
        s = self.session
        target = self._guard(min(s.now + self.speed * wall_seconds, s.simulation.end))
        stop = "inject" if self.settings.pause_on_inject else "live"
        events = s.advance(target, stop=stop)
        if (self._should_pause(events) or s.now >= s.simulation.end
                or self.at_deadline() is not None):
            self.pause()
        return events

    def _guard(self, target: float) -> float:
        """With ``pause_on_decision``, the clock never runs past the deadline of a decision
        that waits for people: it stops at the deadline's last moment, the decision still
        open, and only a clock started again from there lets its default fall."""
        if not self.settings.pause_on_decision:
            return target
        now = self.session.now
        later = [p.deadline for p in self.session.pending_decisions()
                 if p.deadline is not None and p.deadline > now]
        return min([target, *later])

    def at_deadline(self) -> str | None:
        """The waiting decision whose deadline the clock stands at, if any."""
        now = self.session.now
        return next((p.point.id for p in self.session.pending_decisions()
                     if p.deadline is not None and p.deadline == now), None)

    def _should_pause(self, events: list[Event]) -> bool:
        waiting = {p.point.id for p in self.session.pending_decisions()}
        if self.settings.pause_on_decision and any(
            e.kind == "decision.pending" and e.subject in waiting for e in events
        ):
            return True
        return self.settings.pause_on_inject and any(e.kind == "inject.delivered"
                                                     for e in events)

    # -- jumps: the machinery runs there, nothing is skipped ----------------------------------

    def jump(self, to: str) -> list[Event]:
        """Run to the next ``inject``, the next ``decision`` (any decision point opening) or
        the next ``move``; it stops early where a decision waits for a live role, and at the
        deadline of one that waits (``_guard``)."""
        if self.closed:
            raise TtxError(self._why_closed())
        s = self.session
        end = s.simulation.end
        if to == "move":
            later = [m for m in s.simulation.scenario.msel.moves if m.start > s.now]
            if not later:
                raise TtxError("no move starts after now")
            return self.run_to(later[0].start)
        if to not in ("inject", "decision"):
            raise TtxError(f"jump to {to!r}: one of inject, decision, move")
        return s.advance(self._guard(end), stop=to)

    def run_to(self, minutes: float) -> list[Event]:
        """Run the machinery to simulated time ``minutes`` (a move's start, say); it stops
        early where a decision waits for a live role, and at the deadline of one that waits."""
        if self.closed:
            raise TtxError(self._why_closed())
        s = self.session
        if minutes <= s.now:
            raise TtxError(f"{minutes:g} minutes is not after now")
        target = self._guard(min(minutes, s.simulation.end))
        events = s.advance(target, stop="live")
        waiting = {p.point.id for p in s.pending_decisions()}
        stopped = any(e.kind == "decision.pending" and e.subject in waiting for e in events)
        if s.now == target == minutes and not stopped and not self.closed:
            events += s.advance(target)  # the instant itself: the move has begun
        return events

    def _why_closed(self) -> str:
        s = self.session
        if s.ended:
            return "the session has ended"
        if s.failed is not None:
            return f"the machinery failed ({s.failed}); the session can only be ended"
        return "the scenario's end is reached; end the session to close it"
