"""The room view: what the players may see of a session another process drives.

Read-only: the clock, the current move, the injects delivered (the newest as a large card),
public statements and measures. No facilitator notes, no upcoming injects, no decisions'
options. It follows the session from the store twice a second (``Session.follow`` replays
only the journal entries it has not seen), so it is within a second of every action.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from simulator.engine.records import Event
from simulator.engine.summary import clock as format_at
from simulator.errors import TtxError
from simulator.sessions.session import Session
from simulator.text import visible

from ..picture import PUBLIC_KINDS, Picture, describe
from ..widgets import cell
from ..widgets.status import STATE_STYLES
from .dialogs import TLP_STYLES

#: how often the room view looks for new journal entries, in seconds
FOLLOW_EVERY = 0.5


class Followed(Message):
    def __init__(self, events: list[Event], state: str, error: str | None = None) -> None:
        super().__init__()
        self.events = events
        self.state = state
        self.error = error


class RoomScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.quit", "Quit"),
                Binding("ctrl+t", "light", "Light/dark theme")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.scenario = session.simulation.scenario
        self.picture = Picture(self.scenario)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="⚑")
        yield Static(id="room-clock")
        with Horizontal(id="room"):
            yield VerticalScroll(Static(id="room-card"), id="room-card-box")
            with Vertical(id="room-side"):
                yield DataTable(id="room-injects", cursor_type="none")
                yield DataTable(id="room-public", cursor_type="none")
        yield Footer()

    def clock(self, t: float) -> str:
        return format_at(t, self.scenario.metadata.start)

    def on_mount(self) -> None:
        self.title = self.scenario.metadata.title
        self.sub_title = visible(f"room view · session {self.session.record.name}")
        injects = self.query_one("#room-injects", DataTable)
        injects.add_columns("delivered", "inject", "synopsis")
        injects.border_title = "Injects delivered"
        public = self.query_one("#room-public", DataTable)
        public.add_columns("time", "public statements and measures")
        public.border_title = "Public statements and measures"
        self._show(list(self.session.events), self._state())
        self._follow()

    def _state(self) -> str:
        s = self.session
        if s.ended:
            return "ended"
        if s.failed is not None:
            return "failed"
        return "paused" if s.paused else "running"

    @work(thread=True, exclusive=True, group="follow")
    def _follow(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                events = self.session.follow()
            except TtxError as exc:
                self.post_message(Followed([], "failed", str(exc)))
                return
            self.post_message(Followed(events, self._state()))
            if self.session.ended:
                return
            time.sleep(FOLLOW_EVERY)

    def on_followed(self, message: Followed) -> None:
        if message.error:
            self.notify(visible(message.error), severity="error", timeout=10, markup=False)
        self._show(message.events, message.state)

    def _show(self, events: list[Event], state: str) -> None:
        self.picture.add(events)
        self.picture.advance_to(self.session.now)
        line = Text(no_wrap=True)
        line.append(f" {state.upper()} ", STATE_STYLES.get(state, "reverse"))
        line.append(f"  {self.picture.clock()}  ", "bold")
        line.append(self.picture.date(), "dim")
        move = self.picture.current_move()
        if move:
            line.append(f"   move: {visible(move)}", "italic")
        self.query_one("#room-clock", Static).update(line)
        if not events:
            return
        injects = self.query_one("#room-injects", DataTable)
        public = self.query_one("#room-public", DataTable)
        latest = None
        for event in events:
            if event.kind == "inject.delivered":
                latest = event
                injects.add_row(cell(self.clock(event.t)), cell(event.subject),
                                cell(event.payload.get("synopsis")))
            elif event.kind in PUBLIC_KINDS:
                public.add_row(cell(self.clock(event.t)), cell(describe(event)))
        self.picture.take_cards()
        if latest is not None:
            injects.move_cursor(row=injects.row_count - 1)
            self._card(latest)
        if public.row_count:
            public.move_cursor(row=public.row_count - 1)

    def _card(self, event: Event) -> None:
        inject = self.picture.inject(str(event.subject))
        if inject is None:
            return
        text = Text()
        text.append(f" TLP:{inject.tlp.upper()} ", TLP_STYLES.get(inject.tlp, "reverse"))
        text.append(f"  {inject.id} · {self.clock(event.t)} · {inject.mode}\n\n", "bold")
        text.append(f"From {inject.from_} → to {', '.join(inject.to)}\n\n")
        text.append(visible(" ".join(inject.synopsis.split())) + "\n\n", "bold")
        if inject.content:
            text.append(visible(inject.content.strip()) + "\n")
        self.query_one("#room-card", Static).update(text)

    def action_light(self) -> None:
        self.app.theme = "textual-dark" if self.app.theme == "textual-light" else "textual-light"
