"""The start screen: the scenario library with each file's validation, and the sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, SelectionList, Static

from simulator.errors import TtxError
from simulator.scenario.loader import LoadedScenario, load_scenario
from simulator.sessions.store import SessionRecord
from simulator.text import visible

from ..widgets import cell


@dataclass(frozen=True)
class LibraryEntry:
    path: Path
    loaded: LoadedScenario | None
    problems: tuple[str, ...]  # file:line:col messages, when it does not validate


def library(folders: Sequence[Path]) -> list[LibraryEntry]:
    """Every ``*.yaml`` / ``*.yml`` file of ``folders`` (each file once), validated."""
    entries: list[LibraryEntry] = []
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            try:
                entries.append(LibraryEntry(path, load_scenario(path), ()))
            except TtxError as exc:  # ScenarioError too: every problem, file:line:col
                entries.append(LibraryEntry(path, None, tuple(str(d) for d in exc.diagnostics)))
    return entries


@dataclass(frozen=True)
class NewSession:
    entry: LibraryEntry
    seed: int
    name: str | None
    live_roles: tuple[str, ...]


class Chosen(Message):
    """The start screen's answer: a new session to start or a session to resume."""

    def __init__(self, new: NewSession | None = None, resume: str | None = None) -> None:
        super().__init__()
        self.new = new
        self.resume = resume


class NewSessionDialog(ModalScreen[NewSession | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "start", "Start")]

    def __init__(self, entry: LibraryEntry) -> None:
        super().__init__(classes="dialog-screen")
        self.entry = entry

    def compose(self) -> ComposeResult:
        assert self.entry.loaded is not None
        scenario = self.entry.loaded.scenario
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text(f"New session: {visible(scenario.metadata.title)}", "bold"))
            yield Label("Seed")
            yield Input("1", id="new-seed", type="integer")
            yield Label("Name (optional: the scenario and seed by default)")
            yield Input(id="new-name")
            yield Label("Roles played live (the others follow the scenario's policies)")
            yield SelectionList[str](
                *[(cell(f"{r.name} ({r.id})"), r.id, r.played_by == "players")
                  for r in scenario.roles],
                id="new-roles",
            )
            with Horizontal(classes="buttons"):
                yield Button("Start (ctrl+s)", variant="primary", id="new-start")
                yield Button("Cancel (esc)", id="new-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new-start":
            self.action_start()
        else:
            self.action_cancel()

    def action_start(self) -> None:
        from simulator.kinds import SEEDS

        raw = self.query_one("#new-seed", Input).value.strip() or "1"
        try:
            seed = int(raw)
        except ValueError:
            self.notify(visible(f"seed {raw!r}: a whole number"), severity="error",
                        markup=False)
            return
        if not SEEDS[0] <= seed <= SEEDS[1]:
            self.notify(f"seed {seed}: from {SEEDS[0]} to {SEEDS[1]}", severity="error")
            return
        name = self.query_one("#new-name", Input).value.strip() or None
        roles = tuple(self.query_one("#new-roles", SelectionList).selected)
        self.dismiss(NewSession(self.entry, seed, name, roles))

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "choose", "Open", show=True),
        Binding("tab", "focus_next", "Switch list", show=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, entries: list[LibraryEntry], sessions: list[SessionRecord],
                 store: str) -> None:
        super().__init__()
        self.entries = entries
        self.sessions = sessions
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="⚑")
        with Horizontal(id="start"):
            with Vertical(id="start-library"):
                yield Static(Text("Scenarios: Enter starts a new session", "bold"))
                yield DataTable(id="library", cursor_type="row")
                yield VerticalScroll(Static(id="library-detail"), id="library-detail-box")
            with Vertical(id="start-sessions"):
                yield Static(Text("Sessions: Enter resumes", "bold"))
                yield DataTable(id="sessions", cursor_type="row")
                yield Static(Text(f"store: {visible(self.store)}", "dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.title = "ttx: EU cyber crisis tabletop exercises"
        self.sub_title = "choose a scenario or a session"
        table = self.query_one("#library", DataTable)
        table.add_columns("file", "status", "title")
        for entry in self.entries:
            if entry.loaded is not None:
                status = Text("✓ valid", "green")
                title = cell(entry.loaded.scenario.metadata.title)
            else:
                n = len(entry.problems)
                status = Text(f"✗ {n} error{'s' if n != 1 else ''}", "bold red")
                title = cell(entry.problems[0] if entry.problems else "")
            table.add_row(cell(entry.path.name), status, title, key=str(entry.path))
        sessions = self.query_one("#sessions", DataTable)
        sessions.add_columns("name", "scenario", "seed", "status", "last activity")
        for record in self.sessions:
            sessions.add_row(cell(record.name), cell(record.scenario_id), cell(record.seed),
                             cell(record.status), cell(record.updated), key=record.id)
        table.focus()
        self._detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "library":
            self._detail(event.cursor_row)

    def _detail(self, row: int) -> None:
        panel = self.query_one("#library-detail", Static)
        if not 0 <= row < len(self.entries):
            panel.update("")
            return
        entry = self.entries[row]
        if entry.loaded is None:
            text = Text(f"{visible(str(entry.path))} does not validate:\n", "bold red")
            for problem in entry.problems:
                text.append(f"{visible(problem)}\n")
        else:
            s = entry.loaded.scenario
            text = Text(f"{visible(s.metadata.title)}\n", "bold")
            text.append(visible(" ".join(s.metadata.description.split())) + "\n", "")
            text.append(f"{len(s.objectives)} objectives · {len(s.roles)} roles · "
                        f"{len(s.msel.injects)} injects · "
                        f"{len(s.decision_points)} decision points", "dim")
        panel.update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.data_table.id or "", event.cursor_row)

    def action_choose(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable):
            self._open(focused.id or "", focused.cursor_row)

    def _open(self, table: str, row: int) -> None:
        if table == "sessions" and 0 <= row < len(self.sessions):
            self.post_message(Chosen(resume=self.sessions[row].id))
            return
        if table != "library" or not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        if entry.loaded is None:
            self.notify(visible(f"{entry.path.name} does not validate; its errors are listed"),
                        severity="error", markup=False)
            return

        def answered(new: NewSession | None) -> None:
            if new is not None:
                self.post_message(Chosen(new=new))

        self.app.push_screen(NewSessionDialog(entry), answered)
