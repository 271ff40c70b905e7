"""The console application: it composes the screens and routes between them.

``ttx play`` builds a ``ConsoleApp`` once everything that can be refused has been checked at
the command line (the store opens, the scenario validates, the session exists and is not driven
elsewhere), so bad input is an exit-2 message, never a broken screen. The start screen's own
choices are checked here and shown as notifications.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.errors import TtxError
from simulator.sessions.session import Session, read_scenario, start_session
from simulator.sessions.store import SessionStore
from simulator.text import visible

from .driver import Settings
from .screens.console import ConsoleScreen
from .screens.room import RoomScreen
from .screens.start import Chosen, StartScreen, library


class ConsoleApp(App[str | None]):
    """The facilitator console, its start screen, or the room view."""

    CSS_PATH = "console.tcss"
    TITLE = "ttx"
    ENABLE_COMMAND_PALETTE = True
    #: narrow terminals stack the top regions; wide ones put them side by side
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]

    def __init__(
        self,
        store: SessionStore,
        session: Session | None = None,
        *,
        room: Session | None = None,
        speed: float | None = None,
        settings: Settings | None = None,
        folders: Sequence[Path] = (),
        light: bool = False,
        reports: Path = Path("reports"),
        held: contextlib.ExitStack | None = None,
        notice: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.session = session
        self.room = room
        self.speed = speed
        self.settings = settings
        self.folders = tuple(folders)
        self.light = light
        self.reports = reports
        #: the driving locks this console holds, released when it closes
        self.held = held or contextlib.ExitStack()
        self.notice = notice

    def on_mount(self) -> None:
        if self.light:
            self.theme = "textual-light"
        if self.notice:
            self.notify(visible(self.notice), timeout=15, markup=False)
        if self.room is not None:
            self.push_screen(RoomScreen(self.room))
        elif self.session is not None:
            self.push_screen(self._console(self.session))
        else:
            self.push_screen(StartScreen(library(self.folders), self.store.sessions(),
                                         str(self.store.path)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): Textual's own commands, and every key of the
        console by name, so a facilitator who forgot a key finds it by what it does."""
        yield from super().get_system_commands(screen)
        console = next((s for s in self.screen_stack if isinstance(s, ConsoleScreen)), None)
        if console is None or screen is not console:
            return
        for binding in console.BINDINGS:
            assert isinstance(binding, Binding)
            key = binding.key.split(",")[0]
            yield SystemCommand(
                f"{binding.description} ({key})", f"the console's {key!r} key",
                partial(console.run_action, binding.action),
            )

    def _console(self, session: Session) -> ConsoleScreen:
        return ConsoleScreen(session, speed=self.speed, settings=self.settings,
                             reports=self.reports)

    def on_chosen(self, message: Chosen) -> None:
        """A scenario or a session picked on the start screen: open it for driving."""
        try:
            if message.new is not None:
                new = message.new
                loaded, raw = read_scenario(new.entry.path)
                session = start_session(self.store, loaded, raw, seed=new.seed,
                                        name=new.name, live_roles=new.live_roles)
                self.held.enter_context(self.store.hold(session.record.id))
            else:
                assert message.resume is not None
                record = self.store.find(message.resume)
                if record.status == "ended":
                    raise TtxError(f"session {record.name} has ended; `ttx report "
                                   f"{record.id}` writes its report")
                self.held.enter_context(self.store.hold(record.id))
                session = Session(self.store, record)
        except TtxError as exc:
            self.notify(visible(str(exc)), severity="error", timeout=10, markup=False)
            return
        self.session = session
        self.switch_screen(self._console(session))

    def on_unmount(self) -> None:
        self.held.close()


class MessageApp(App[None]):
    """One message and a key to close it: what ``ttx play`` refused, shown where the person
    is (a browser page under ``ttx serve``, where standard error goes nowhere they see)."""

    BINDINGS = [("q,escape,enter", "quit", "Close")]
    CSS = "Static { padding: 1 2; }"

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        from rich.text import Text
        from textual.widgets import Footer, Static

        yield Static(Text(visible(self.message), "bold red"))
        yield Footer()
