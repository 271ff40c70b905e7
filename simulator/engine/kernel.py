"""The kernel every actor runs on: clock, bus, event log, state, random streams, triggers.

Actors never import each other. They talk in two ways, both through the kernel:
- **events**: facts written to the log (``emit``) that any actor may subscribe to by kind;
- **messages**: requests sent to a topic (``send``), delivered after a latency.
Both are dispatched breadth-first from one queue, so an actor that reacts to an event sees the
world as it was when the event happened, and the order of the log never depends on how deep a
chain of reactions runs.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import simpy
from simpy.events import NORMAL as _NORMAL

from ..kinds import EVENT_KINDS
from ..scenario.models import MemberStateProfile, Scenario
from ..scenario.units import format_duration
from .records import EMPTY, Event
from .state import State
from .streams import Streams
from .triggers import Compiled, compile_condition

Handler = Callable[[Any], None]
_new_event = tuple.__new__  # builds an Event without the named tuple's keyword wrapper


class WiringError(Exception):
    """The world was assembled wrongly: a message with no receiver, an unknown kind. This is
    a defect of the engine or of an actor, found before the run starts."""


class NoReceiver(WiringError):
    pass


@dataclass(eq=False)
class _Watcher:
    compiled: Compiled
    callback: Callable[[], None]
    done: bool = False


class Message(NamedTuple):
    """A request between actors: a topic and a body, with who sent it."""

    topic: str
    sender: str
    body: dict[str, Any]

    @property
    def source(self) -> str:
        """What an effect comes from, as a reason reads it: ``decision DP-1`` or
        ``inject INJ-01``."""
        inject = self.body.get("inject")
        if inject is not None:
            return f"inject {inject}"
        return f"decision {self.body.get('decision')}"


class Kernel:
    """The shared environment of one run (desmod's ``SimEnvironment``, typed)."""

    def __init__(self, scenario: Scenario, seed: int, end: float) -> None:
        self.env = simpy.Environment(initial_time=0.0)
        self.scenario = scenario
        self.seed = seed
        self.end = end
        self.streams = Streams(seed)
        self.state = State(count_subjects=False)
        self.log: list[Event] = []
        #: called with every event as it is logged (a console's feed)
        self.listeners: list[Callable[[Event], None]] = []
        #: kinds that set ``stopped``, for stepping to the next inject or decision
        self.stop_kinds: frozenset[str] = frozenset()
        self.stopped = False
        self._subscribers: dict[str, list[Handler]] = defaultdict(list)
        self._watchers: dict[str, list[_Watcher]] = defaultdict(list)
        self._queue: deque[tuple[str, Any]] = deque()
        self._dispatching = False
        self._profiles: dict[str, MemberStateProfile] = {}
        self._schedule = self.env.schedule

    # -- the world as the scenario describes it ------------------------------------------

    def profile(self, member_state: str) -> MemberStateProfile:
        """A Member State's profile: what the scenario states for it over ``default_profile``."""
        cached = self._profiles.get(member_state)
        if cached is None:
            world = self.scenario.world
            own = world.member_states.get(member_state)
            base = world.default_profile
            if own is None:
                cached = base
            else:
                merged = base.model_dump()
                merged.update({name: getattr(own, name) for name in own.model_fields_set})
                merged["sectors"] = {**base.sectors, **own.sectors}
                cached = MemberStateProfile.model_validate(merged, strict=False)
            self._profiles[member_state] = cached
        return cached

    def criticality(self, member_state: str, sector: str) -> str:
        own = self.profile(member_state).sectors.get(sector)  # type: ignore[call-overload]
        return own or self.scenario.world.sector_criticality.get(sector, "medium")  # type: ignore[call-overload]

    # -- the log ----------------------------------------------------------------------------

    def emit(
        self,
        kind: str,
        actor: str,
        subject: str | None = None,
        member_state: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Event:
        if kind not in EVENT_KINDS:
            raise WiringError(f"{actor} emitted {kind!r}, which simulator/kinds.py does not list")
        event = _new_event(
            Event,
            (
                self.env._now,
                kind,
                actor,
                subject,
                member_state,
                MappingProxyType(payload) if payload else EMPTY,
            ),
        )
        self.log.append(event)
        self.state.apply(event)
        if kind in self.stop_kinds:
            self.stopped = True
        if self.listeners:
            for listener in self.listeners:
                listener(event)
        # most records (an entity's reports ...) have no audience: do not dispatch those
        if kind in self._subscribers or self._watchers.get(kind):
            self._enqueue(kind, event)
        return event

    # -- the bus ----------------------------------------------------------------------------

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Receive events of kind ``topic``, or messages sent to ``topic``."""
        self._subscribers[topic].append(handler)

    def receivers(self, topic: str) -> int:
        return len(self._subscribers.get(topic, ()))

    def send(self, topic: str, sender: str, latency: float = 0.0, **body: Any) -> None:
        """Deliver a message to every subscriber of ``topic`` after ``latency`` minutes."""
        if topic not in self._subscribers:
            raise NoReceiver(f"{sender} sent {topic!r}, which no actor receives")
        message = Message(topic, sender, body)
        if latency > 0:
            self.later(latency, self._enqueue, topic, message)
        else:
            self._enqueue(topic, message)

    def _enqueue(self, topic: str, item: Any) -> None:
        if self._dispatching:
            self._queue.append((topic, item))
            return
        # idle: dispatch this item at once, then whatever its handlers queued, in order
        self._dispatching = True
        subscribers, watchers, queue = self._subscribers, self._watchers, self._queue
        try:
            while True:
                handlers = subscribers.get(topic)
                if handlers:
                    for handler in handlers:
                        handler(item)
                waiting = watchers.get(topic)
                if waiting:
                    self._test(waiting)
                if not queue:
                    break
                topic, item = queue.popleft()
        except BaseException:
            queue.clear()  # the run fails here; nothing half-dispatched may leak into a later step
            raise
        finally:
            self._dispatching = False

    # -- time -------------------------------------------------------------------------------

    def later(self, delay: float, fn: Callable[..., None], *args: Any) -> None:
        """Call ``fn(*args)`` after ``delay`` simulated minutes: one entry in SimPy's schedule,
        no process and no Timeout object (most of what actors wait for is a plain delay)."""
        self._schedule(_Call(fn, args), _NORMAL, delay if delay > 0 else 0.0)

    def process(self, generator: Any) -> simpy.Process:
        return self.env.process(generator)

    # -- triggers ---------------------------------------------------------------------------

    def when(self, condition: object, callback: Callable[[], None]) -> None:
        """Call ``callback`` once, as soon as ``condition`` holds (now, if it already does)."""
        compiled = condition if isinstance(condition, Compiled) else compile_condition(condition)
        for kind in compiled.by_subject:
            self.state.track_subjects(kind, self.log)
        for match in compiled.filters:
            self.state.track_where(match, self.log)
        self.state.t = self.env._now
        if compiled.test(self.state):
            callback()
            return
        watcher = _Watcher(compiled, callback)
        for kind in compiled.kinds:
            self._watchers[kind].append(watcher)
        for moment in compiled.times:
            if moment > self.env.now:
                self.later(moment - self.env.now, self._test, [watcher])

    def at_or_when(self, at: float | None, when: object | None, callback: Callable[[], None]):
        """The ``at:``/``when:`` trigger of waves, injects, events and decision points."""
        if at is not None:
            self.later(at - self.env.now, callback)
        elif when is not None:
            self.when(when, callback)

    def _test(self, watchers: list[_Watcher]) -> None:
        self.state.t = self.env._now  # an ``after:`` may come due between two events
        fired = False
        for watcher in list(watchers):
            if watcher.done:
                fired = True
                continue
            if watcher.compiled.test(self.state):
                watcher.done = fired = True
                watcher.callback()
        if fired:
            watchers[:] = [w for w in watchers if not w.done]


def _fire(call: _Call) -> None:
    call.fn(*call.args)


#: every scheduled call shares this list (SimPy only reads it), so a call that never fires
#: holds no reference to itself and reference counting frees it
_FIRE = (_fire,)


class _Call:
    """The least SimPy needs to step a scheduled entry: ``callbacks`` and ``_ok``."""

    __slots__ = ("_ok", "args", "callbacks", "fn")

    def __init__(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        self.fn = fn
        self.args = args
        self._ok = True
        self.callbacks = _FIRE


class Actor:
    """A body of the EU machinery (or the adversary, a partner ...).

    ``scope`` names it in every record and names its random stream. ``sends`` lists the message
    topics it may send; the simulation checks before it runs that each has a receiver.
    """

    scope: ClassVar[str]
    sends: ClassVar[tuple[str, ...]] = ()

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.env = kernel.env
        self.scenario = kernel.scenario
        self.state = kernel.state
        self.rng: random.Random = kernel.streams(self.scope)
        self.later = kernel.later  # type: ignore[method-assign]  # hot path: no wrapper

    def outgoing(self) -> tuple[str, ...]:
        """The message topics this actor sends (checked for receivers before the run)."""
        return self.sends

    def close(self) -> None:
        """At the end of a run: record what is still open (a request still queued, say).
        Nothing by default."""

    def wire(self) -> None:
        """Subscribe to events and messages. Called for every actor before any starts."""

    def start(self) -> None:
        """Start processes and timers. Called once the whole world is wired."""

    def emit(
        self,
        kind: str,
        subject: str | None = None,
        member_state: str | None = None,
        actor: str | None = None,
        **payload: Any,
    ) -> Event:
        return self.kernel.emit(kind, actor or self.scope, subject, member_state, payload)

    def send(self, topic: str, latency: float = 0.0, **body: Any) -> None:
        self.kernel.send(topic, self.scope, latency, **body)

    def on(self, topic: str, handler: Handler) -> None:
        self.kernel.subscribe(topic, handler)

    def later(self, delay: float, fn: Callable[..., None], *args: Any) -> None:
        self.kernel.later(delay, fn, *args)

    def sample(self, distribution: Any) -> float:
        return distribution.sample(self.rng)  # type: ignore[no-any-return]

    @property
    def now(self) -> float:
        return self.env._now  # type: ignore[no-any-return]

    def clock(self, minutes: float) -> str:
        return format_duration(minutes)
