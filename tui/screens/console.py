"""The facilitator's screen: the clock, the machinery, the MSEL, decisions, notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from simulator.engine.control import PendingDecision
from simulator.engine.records import Event
from simulator.engine.summary import clock as format_at
from simulator.sessions.session import Session
from simulator.text import visible

from ..driver import Driver, Settings
from ..frames import Frame, Runner
from ..widgets.board import Board
from ..widgets.chart import Chart
from ..widgets.feed import Feed
from ..widgets.ladder import Ladder
from ..widgets.msel import Msel
from ..widgets.objectives import Objectives
from ..widgets.status import StatusBar
from .dialogs import (
    Briefing,
    Chooser,
    Confirm,
    DecisionDialog,
    DecisionEntry,
    Help,
    InjectCard,
    NoteDialog,
    NoteEntry,
)

#: every key of the console, as the footer, the help and the briefing list them
BINDINGS = [
    Binding("space", "toggle_clock", "Start/pause"),
    Binding("plus,equals_sign", "faster", "Faster"),
    Binding("minus", "slower", "Slower"),
    Binding("i", "jump('inject')", "Next inject"),
    Binding("d", "jump('decision')", "Next decision"),
    Binding("m", "jump('move')", "Next move"),
    Binding("M", "moves", "Run to a move", show=False),
    Binding("p", "decisions", "Decisions"),
    Binding("n", "note", "Note"),
    Binding("c", "contingency", "Contingency"),
    Binding("r", "report", "Report"),
    Binding("question_mark", "help", "Help"),
    Binding("slash", "search", "Search events", show=False),
    Binding("1", "tab('board')", "Member States", show=False),
    Binding("2", "tab('msel')", "MSEL", show=False),
    Binding("3", "tab('feed')", "Events", show=False),
    Binding("4", "tab('objectives')", "Objectives", show=False),
    Binding("5", "tab('chart')", "Chart", show=False),
    Binding("a", "toggle_pause_on_decision", "Pause on decisions", show=False),
    Binding("ctrl+t", "light", "Light/dark theme", show=False),
    Binding("ctrl+e", "end_session", "End session", show=False),
    Binding("q", "quit_console", "Quit"),
]

KEYS = [
    ("space", "start or pause the clock (a new session opens paused)"),
    ("+ / -", "run faster / slower (simulated minutes per second)"),
    ("i / d / m", "run to the next inject / decision / move (nothing is skipped)"),
    ("M", "run to a move of the scenario, chosen from a list"),
    ("p", "decisions waiting for players: record one"),
    ("n", "note an observation at the current time, tagged with objectives"),
    ("c", "play a contingency inject"),
    ("r", "write the After-Action Report of the session so far"),
    ("1 … 5", "Member States, MSEL, events, objectives, chart"),
    ("/", "search the events"),
    ("a", "pause the clock when a decision opens (on by default)"),
    ("ctrl+t", "light theme (projectors) or dark"),
    ("ctrl+e", "end the session"),
    ("ctrl+p", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit (nothing is lost: ttx play --resume SESSION)"),
]


class FrameReady(Message):
    def __init__(self, frame: Frame) -> None:
        super().__init__()
        self.frame = frame


class ConsoleScreen(Screen[None]):
    BINDINGS = BINDINGS  # type: ignore[assignment]

    def __init__(self, session: Session, *, speed: float | None = None,
                 settings: Settings | None = None, briefing: bool = True,
                 reports: Path = Path("reports")) -> None:
        super().__init__()
        self.session = session
        self.driver = Driver(session, speed=speed, settings=settings)
        self.runner = Runner(self.driver, self._send)
        self.runner.picture.take_cards()  # what was delivered before this console opened
        self.scenario = session.simulation.scenario
        self.briefing = briefing
        self.reports = reports
        self.frame: Frame | None = None
        self.objectives: tuple[Any, ...] = ()
        self.cards: list[Event] = []  # delivered injects whose card is still to come up
        self.asked: set[str] = set()  # decisions whose dialog opened by itself once
        self.author = "evaluator"
        self.closing = False  # quitting: no more keys, no more dialogs

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="⚑")
        yield StatusBar(id="status")
        with Horizontal(id="top"):
            yield Ladder(self.clock, id="ladder")
            yield Static(id="pending")
        with TabbedContent(id="tabs", initial="board"):
            with TabPane("Member States [1]", id="board"):
                yield Board(id="board-table")
            with TabPane("MSEL [2]", id="msel"):
                yield Msel(self.clock, id="msel-table")
            with TabPane("Events [3]", id="feed"):
                yield Feed(self.clock, id="feed-panel")
            with TabPane("Objectives [4]", id="objectives"):
                yield Objectives(id="objectives-panel")
            with TabPane("Chart [5]", id="chart"):
                yield Chart(self.scenario, id="chart-panel")
        yield Footer()

    def clock(self, t: float) -> str:
        return format_at(t, self.scenario.metadata.start)

    def on_mount(self) -> None:
        record = self.session.record
        self.title = self.scenario.metadata.title
        self.sub_title = visible(f"session {record.name} ({record.id}) · seed {record.seed}")
        self._engine()
        if self.briefing:
            resumed = self.clock(self.session.now) if self.session.seq else None
            self._over(Briefing(self.scenario, record.name, record.seed,
                                          record.live_roles, KEYS, resumed))

    # -- the worker ---------------------------------------------------------------------------

    def _send(self, frame: Frame) -> None:
        self.post_message(FrameReady(frame))

    @work(thread=True, exclusive=True, group="engine", exit_on_error=True)
    def _engine(self) -> None:
        worker = get_current_worker()
        self.runner.run(lambda: worker.is_cancelled)

    def on_frame_ready(self, message: FrameReady) -> None:
        frame = message.frame
        self.frame = frame
        self.query_one(StatusBar).show(frame)
        self.query_one(Ladder).show(frame)
        self.query_one(Feed).add(frame)
        self.query_one(Chart).add(frame.events, frame.now)
        if frame.objectives is not None:
            self.objectives = frame.objectives
        self._show_tab(self.query_one(TabbedContent).active)
        self._pending(frame.pending)
        if frame.error:
            self.notify(visible(frame.error), severity="error", timeout=8, markup=False)
        if frame.notice:
            self.notify(visible(frame.notice), timeout=6, markup=False)
        self.cards.extend(frame.cards)
        self._prompt()

    def _show_tab(self, tab: str, force: bool = False) -> None:
        """Draw the tab on view; the others are drawn when they come into view (a fast
        clock then costs the drawing of one tab, not five)."""
        if self.frame is None:
            return
        if tab == "board":
            self.query_one(Board).show(self.frame)
        elif tab == "msel":
            self.query_one(Msel).show(self.frame)
        elif tab == "feed":
            self.query_one(Feed).show()
        elif tab == "objectives":
            self.query_one(Objectives).show(self.objectives)
        elif tab == "chart":
            self.query_one(Chart).show(force)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "tabs":
            self._show_tab(event.tabbed_content.active, force=True)

    def _pending(self, pending: tuple[PendingDecision, ...]) -> None:
        panel = self.query_one("#pending", Static)
        panel.border_title = f"Decisions waiting for players: {len(pending)} (key p)"
        if not pending:
            panel.update(Text("none: decisions of roles played by policy are taken by it",
                              "dim"))
            return
        text = Text()
        for p in pending:
            due = "no deadline" if p.deadline is None else f"default at {self.clock(p.deadline)}"
            text.append(f"{p.point.id} ", "bold red")
            text.append(f"{self._role(p)} · {due}\n", "bold")
            text.append(f"  {visible(' '.join(p.point.prompt.split()))}\n")
        panel.update(text)

    def _role(self, pending: PendingDecision) -> str:
        decided_by = pending.point.decided_by
        role = next((r for r in self.scenario.roles if r.id == decided_by), None)
        return visible(role.name if role else decided_by)

    # -- cards and decisions, one at a time, over the console only -------------------------

    def on_screen_resume(self) -> None:
        """Back on top (the briefing, a card, a dialog or the help closed): what waits to be
        shown comes up now, one at a time."""
        self._prompt()

    def _prompt(self) -> None:
        """The next inject card, else a decision just opened for people; never over another
        dialog (the briefing, a note being written), where a key meant for it would land."""
        if self.app.screen is not self:  # (``is_current`` is true behind a modal too)
            return
        if self.cards:
            self._card(self.cards.pop(0))
        elif self.frame is not None:
            for pending in self.frame.pending:
                if pending.point.id not in self.asked:
                    self.asked.add(pending.point.id)
                    self._decide(pending)
                    return

    def _over(self, screen: Screen[Any], callback: Any = None) -> None:
        """Put a dialog over the console; until the console is back on top, nothing else
        comes up by itself (a key meant for one dialog would land on another)."""
        if not self.closing:
            self.app.push_screen(screen, callback)

    def _card(self, event: Event) -> None:
        inject = self.runner.picture.inject(str(event.subject))
        if inject is None:
            return

        def closed(close_all: bool | None) -> None:
            if close_all:
                self.cards.clear()

        self._over(InjectCard(inject, self.clock(event.t),
                                        str(event.payload.get("by") or ""),
                                        more=len(self.cards)), closed)

    def _decide(self, pending: PendingDecision) -> None:
        def done(entry: DecisionEntry | None) -> None:
            if entry is not None:
                self.runner.submit(
                    lambda d: d.session.decide(entry.point, entry.option, entry.by,
                                               entry.rationale),
                    f"{entry.point}: {entry.option} recorded (by {entry.by})",
                )

        role = self._role(pending)
        self._over(DecisionDialog(pending, self.clock, role, role), done)

    # -- actions ------------------------------------------------------------------------------

    def action_toggle_clock(self) -> None:
        self.runner.submit(lambda d: d.toggle())

    def action_faster(self) -> None:
        self.runner.submit(lambda d: d.faster(1))

    def action_slower(self) -> None:
        self.runner.submit(lambda d: d.faster(-1))

    def action_jump(self, to: str) -> None:
        def jump(d: Driver) -> str:
            d.pause()
            d.jump(to)
            return d.session.simulation.scenario.metadata.id

        self.runner.submit(jump, f"ran to the next {to}")

    def action_moves(self) -> None:
        now = self.session.now
        later = [m for m in self.scenario.msel.moves if m.start > now]
        choices = [(m.id, f"{self.clock(m.start)}  {m.name}") for m in later]

        def chosen(move: str | None) -> None:
            match = next((m for m in later if m.id == move), None)
            if match is not None:
                def run(d: Driver) -> None:
                    d.pause()
                    d.run_to(match.start)

                self.runner.submit(run, f"ran to the move {match.name}")

        self._over(Chooser("Run to a move (the machinery runs there; nothing is skipped)",
                           choices, "No move starts after now."), chosen)

    def action_decisions(self) -> None:
        pending = self.frame.pending if self.frame else ()
        if len(pending) == 1:
            self._decide(pending[0])
            return

        def chosen(point: str | None) -> None:
            match = next((p for p in pending if p.point.id == point), None)
            if match is not None:
                self._decide(match)

        choices = [(p.point.id, f"{p.point.id} · {self._role(p)}: "
                                f"{' '.join(p.point.prompt.split())}") for p in pending]
        self._over(Chooser("Decisions waiting for players", choices,
                                     "No decision is waiting for players."), chosen)

    def action_note(self) -> None:
        at = self.clock(self.session.now)

        def done(entry: NoteEntry | None) -> None:
            if entry is None:
                return
            self.author = entry.by
            self.runner.submit(
                lambda d: d.session.note(entry.text, entry.by, entry.kind, entry.objectives),
                f"note saved at {at}",
            )

        self._over(NoteDialog(at, self.scenario.objectives, self.author), done)

    def action_contingency(self) -> None:
        delivered = {r.inject.id for r in (self.frame.msel if self.frame else ())
                     if r.contingency and r.status == "delivered"}
        choices = [(i.id, f"{i.id}: {' '.join(i.synopsis.split())}")
                   for i in self.scenario.msel.contingency_injects if i.id not in delivered]

        def chosen(inject: str | None) -> None:
            if inject is not None:
                self.runner.submit(lambda d: d.session.deliver(inject), f"{inject} delivered")

        self._over(Chooser("Play a contingency inject", choices,
                                     "No contingency inject is left to play."), chosen)

    def action_report(self) -> None:
        folder = self.reports
        name = self.session.record.id

        def write(d: Driver) -> str:
            from simulator.report import write_report
            from simulator.scoring import score_run

            events = list(d.session.events)
            card = score_run(events, d.session.simulation.scenario)
            at = self.clock(d.session.now).replace("+", "").replace(" ", "-").replace(":", "")
            folder.mkdir(parents=True, exist_ok=True)
            written = write_report(card, events, "html", folder / f"{name}-{at}.html")
            return str(written[0])

        self.runner.submit(write, lambda path: f"After-Action Report written: {path}")

    def action_help(self) -> None:
        self._over(Help(KEYS))

    def action_search(self) -> None:
        self.query_one(TabbedContent).active = "feed"
        self.query_one("#feed-search", Input).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_toggle_pause_on_decision(self) -> None:
        settings = self.driver.settings
        settings.pause_on_decision = not settings.pause_on_decision
        self.notify("the clock pauses when a decision opens" if settings.pause_on_decision
                    else "the clock runs on when a decision opens (its default falls at "
                         "the deadline)")

    def action_light(self) -> None:
        self.app.theme = "textual-dark" if self.app.theme == "textual-light" else "textual-light"

    def action_end_session(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.runner.submit(lambda d: d.session.end(), "the session has ended")

        self._over(Confirm("End the session here? Decisions still open are logged "
                                     "as unresolved; it can be reported on, not resumed."),
                             answered)

    def action_quit_console(self) -> None:
        self.closing = True
        self.stop_engine()
        self.app.exit(self.session.record.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once quitting, keys typed meanwhile do nothing (a dialog opened while the app
        closes would fail on its way in)."""
        return not self.closing

    def stop_engine(self) -> None:
        """Stop the worker once it has carried out every command already given (a decision
        entered just before quitting is journaled), and wait for it: the store is closed
        after the console, never under a write."""
        self.runner.stop()
        if not self.runner.wait(60.0):
            self.notify("the engine did not stop within a minute", severity="error")

    def on_unmount(self) -> None:
        self.stop_engine()

