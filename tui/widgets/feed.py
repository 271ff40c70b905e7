"""The event feed: newest first, filtered by track, body, Member State and kind; searched."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Select

from simulator.engine.records import Event

from ..frames import Frame
from ..picture import TRACKS, describe, matches, track_of
from . import cell

#: the most rows the feed shows (the newest); the log itself keeps everything
SHOWN = 400


class Feed(Vertical):
    """Filters on top, the events below."""

    def __init__(self, clock: Callable[[float], str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.events: list[Event] = []
        self._bodies: set[str] = set()
        self._states: set[str] = set()
        self._kinds: set[str] = set()
        self._shown = -1
        self._dirty = True

    def compose(self) -> ComposeResult:
        with Horizontal(id="feed-filters"):
            yield Select([(cell(t), t) for t in (*TRACKS, "exercise")], prompt="track",
                         id="feed-track")
            yield Select([], prompt="body", id="feed-body")
            yield Select([], prompt="Member State", id="feed-ms")
            yield Select([], prompt="kind", id="feed-kind")
            yield Input(placeholder="search (/)", id="feed-search")
        table: DataTable[str] = DataTable(id="feed-table", cursor_type="row")
        yield table

    def on_mount(self) -> None:
        self.query_one("#feed-table", DataTable).add_columns("time", "track", "MS", "kind",
                                                             "what")
        self.border_title = "Events"

    def add(self, frame: Frame) -> None:
        """Keep a frame's new events; they are drawn when the feed is next shown."""
        if frame.events:
            self.events.extend(frame.events)
            self._options(frame.events)
            self._dirty = True

    def show(self) -> None:
        if self._dirty or self._shown < 0:
            self.refilter()

    def _options(self, events: tuple[Event, ...]) -> None:
        for attribute, widget_id, values in (
            ("_bodies", "#feed-body", {e.kind.split(".", 1)[0] for e in events}),
            ("_states", "#feed-ms", {e.member_state for e in events if e.member_state}),
            ("_kinds", "#feed-kind", {e.kind for e in events}),
        ):
            known: set[str] = getattr(self, attribute)
            if values - known:
                known |= values  # type: ignore[operator]
                select: Select[str] = self.query_one(widget_id, Select)
                chosen = select.value
                select.set_options([(cell(v), v) for v in sorted(known)])
                if chosen in known:
                    select.value = chosen

    def _value(self, widget_id: str) -> str | None:
        value = self.query_one(widget_id, Select).value
        return value if isinstance(value, str) else None

    def refilter(self) -> None:
        track, body = self._value("#feed-track"), self._value("#feed-body")
        state, kind = self._value("#feed-ms"), self._value("#feed-kind")
        search = self.query_one("#feed-search", Input).value.strip()
        table = self.query_one("#feed-table", DataTable)
        table.clear()
        shown = 0
        for event in reversed(self.events):
            if not matches(event, track, body, state, kind, search):
                continue
            table.add_row(cell(self.clock(event.t)), cell(track_of(event.kind)),
                          cell(event.member_state or ""), cell(event.kind),
                          cell(describe(event)))
            shown += 1
            if shown >= SHOWN:
                break
        self._shown = shown
        self._dirty = False
        total = len(self.events)
        self.border_subtitle = (f"{shown} of {total}" if shown < total else f"{total} events")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refilter()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter()
