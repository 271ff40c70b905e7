"""The facilitator console, driven as a facilitator drives it (Textual's pilot).

Each test runs the real ``ConsoleApp`` headless on a real session store; what the console
did is then read back from the journal, the truth a resumed session is rebuilt from.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from simulator.sessions.session import Session, read_scenario, start_session
from simulator.sessions.store import SessionStore
from tui.app import ConsoleApp
from tui.driver import Settings
from tui.screens.console import ConsoleScreen
from tui.screens.dialogs import (
    Briefing,
    Chooser,
    DecisionDialog,
    Help,
    InjectCard,
    NoteDialog,
)
from tui.screens.room import RoomScreen
from tui.screens.start import StartScreen

from .conftest import ROOT

HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"
LIVE = ("presidency_crisis_cell",)


def new_session(store: SessionStore, seed: int = 3, live: tuple[str, ...] = LIVE,
                path: Path = HOSPITALS) -> Session:
    loaded, raw = read_scenario(path)
    session = start_session(store, loaded, raw, seed=seed, live_roles=live)
    return session


def play(test: Callable[..., Awaitable[None]], *args: Any, size: tuple[int, int] = (160, 50),
         **app_args: Any) -> None:
    """Run ``test(app, pilot)`` on a console app built from ``app_args``."""
    async def main() -> None:
        app = ConsoleApp(*args, **app_args)
        async with app.run_test(size=size) as pilot:
            await test(app, pilot)

    asyncio.run(main())


async def until(pilot: Any, condition: Callable[[], object], what: str,
                timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.05)


def console(app: ConsoleApp) -> ConsoleScreen:
    return next(s for s in app.screen_stack if isinstance(s, ConsoleScreen))


def journal(store: SessionStore, session: Session) -> list[tuple[str, dict[str, Any]]]:
    return [(e.action, e.data) for e in store.journal(session.record.id)]


async def dismiss_cards(app: ConsoleApp, pilot: Any) -> int:
    """Close every inject card on screen; how many there were."""
    closed = 0
    await pilot.pause(0.1)
    while isinstance(app.screen, InjectCard):
        await pilot.press("escape")
        await pilot.pause(0.1)
        closed += 1
    return closed


async def started(app: ConsoleApp, pilot: Any) -> ConsoleScreen:
    """The console with its first frame drawn and the briefing closed."""
    screen = console(app)
    await until(pilot, lambda: screen.frame is not None, "the first frame")
    await until(pilot, lambda: isinstance(app.screen, Briefing), "the briefing")
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, Briefing), "the briefing closed")
    return screen


# -- the clock ------------------------------------------------------------------------------


def test_a_new_session_opens_paused_at_d0_with_its_briefing_and_space_runs_the_clock(
        tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = console(app)
        await until(pilot, lambda: screen.frame is not None, "the first frame")
        assert isinstance(app.screen, Briefing), "the briefing comes first"
        briefing = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Council Presidency: Poland (PL)" in briefing
        assert "Law in force: NIS2 reporting" in briefing  # a 2026 scenario: today's law
        assert screen.frame is not None
        assert screen.frame.state == "paused" and screen.frame.clock == "D+0 07:00"
        await pilot.press("escape")
        await pilot.press("plus", "plus", "plus")  # 10 -> 15 -> 30 -> 60 min/s
        await until(pilot, lambda: screen.frame and screen.frame.speed == 60.0, "60 min/s")
        await pilot.press("space")
        await until(pilot, lambda: screen.frame and screen.frame.state == "running",
                    "the clock running")
        await until(pilot, lambda: session.now >= 60, "an hour of simulated time")
        await dismiss_cards(app, pilot)
        await pilot.press("space")
        await until(pilot, lambda: screen.frame and screen.frame.state == "paused",
                    "the clock paused")
        stopped = session.now
        await pilot.pause(1.2)
        assert session.now == stopped, "a paused clock does not move"
        await pilot.press("minus")
        await until(pilot, lambda: screen.frame and screen.frame.speed == 30.0, "30 min/s")

    play(test, store, session, settings=Settings())
    actions = [action for action, _ in journal(store, session)]
    assert actions[:3] == ["speed", "speed", "speed"]
    assert "resume" in actions and "pause" in actions and actions[-1] == "speed"
    assert "advance" in actions[actions.index("resume"):]
    store.close()


def test_quit_and_resume_show_the_same_session(tmp_path: Path) -> None:
    """Quitting keeps everything; reopened, the console stands at the same time, with the
    same log, paused, without the cards of injects already read out."""
    path = tmp_path / "s.sqlite3"
    store = SessionStore(path)
    session = new_session(store)
    seen: dict[str, Any] = {}

    async def first(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("i")  # run to the first inject
        await until(pilot, lambda: isinstance(app.screen, InjectCard), "the inject card")
        await dismiss_cards(app, pilot)
        seen["now"], seen["events"] = session.now, len(session.events)
        seen["clock"] = screen.frame.clock if screen.frame else None
        await pilot.press("q")

    play(first, store, session)
    store.close()
    with SessionStore(path) as again:
        reopened = Session(again, again.find(session.record.id))
        assert reopened.now == seen["now"] and len(reopened.events) == seen["events"]

        async def second(app: ConsoleApp, pilot: Any) -> None:
            screen = await started(app, pilot)
            assert screen.frame is not None
            assert screen.frame.clock == seen["clock"] and screen.frame.state == "paused"
            assert not isinstance(app.screen, InjectCard), "no card read out twice"

        play(second, again, reopened)


# -- decisions, notes, injects ---------------------------------------------------------------


def test_a_decision_waits_for_players_and_lands_in_the_journal_with_who_and_why(
        tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        for _ in range(12):  # run from decision to decision until one waits for players
            if isinstance(app.screen, DecisionDialog):
                break
            await dismiss_cards(app, pilot)
            if isinstance(app.screen, DecisionDialog):
                break
            await pilot.press("d")
            await until(pilot, lambda: screen.frame and screen.frame.state == "paused",
                        "the jump to end")
            await pilot.pause(0.3)
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog), "the decision opened its dialog"
        assert dialog.pending.point.id == "DP-IPCR"
        assert session.pending_decisions(), "the clock stopped with the decision open"
        await pilot.press("down")  # the option after the default
        dialog.query_one("#decision-by").value = "Presidency cell"  # type: ignore[attr-defined]
        dialog.query_one("#decision-rationale").text = "A roundtable first; 'quoted'"  # type: ignore
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not session.pending_decisions(), "the decision recorded")

    play(test, store, session)
    decided = [data for action, data in journal(store, session) if action == "decide"]
    assert len(decided) == 1
    assert decided[0]["point"] == "DP-IPCR" and decided[0]["by"] == "Presidency cell"
    assert decided[0]["rationale"] == "A roundtable first; 'quoted'"
    made = [e for e in session.events if e.kind == "decision.made" and e.subject == "DP-IPCR"]
    assert made[0].payload["by"] == "Presidency cell"
    store.close()


def test_the_clock_stops_at_a_waiting_decisions_deadline(tmp_path: Path) -> None:
    """Running on with a decision open, the clock stops at its deadline's last moment with the
    decision still open; only running on from there lets the default fall."""
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        for _ in range(12):
            await dismiss_cards(app, pilot)
            if isinstance(app.screen, DecisionDialog):
                break
            await pilot.press("d")
            await until(pilot, lambda: screen.frame and screen.frame.state == "paused",
                        "the jump")
            await pilot.pause(0.3)
        assert isinstance(app.screen, DecisionDialog)
        deadline = app.screen.pending.deadline
        await pilot.press("escape")  # not now
        while session.now < deadline:  # run on, jump after jump: none passes the deadline
            await dismiss_cards(app, pilot)
            await pilot.press("i")
            await until(pilot, lambda: screen.frame and screen.frame.state == "paused"
                        and screen.frame.now == session.now, "the jump")
        await until(pilot, lambda: screen.frame and screen.frame.deadline == "DP-IPCR",
                    "the deadline")
        assert session.now == deadline and session.pending_decisions()
        await dismiss_cards(app, pilot)
        await pilot.press("space")
        await until(pilot, lambda: not session.pending_decisions(), "the default to fall")

    play(test, store, session)
    made = [e for e in session.events if e.kind == "decision.made" and e.subject == "DP-IPCR"]
    assert made[0].payload["by"] == "deadline"
    store.close()


def test_a_note_is_saved_with_its_objective_tags(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Slow to share")
        dialog = app.screen
        tags = dialog.query_one("#note-objectives")
        tags.select("OBJ-1")  # type: ignore[attr-defined]
        tags.select("OBJ-3")  # type: ignore[attr-defined]
        dialog.query_one("#note-by").value = "Evaluator 2"  # type: ignore[attr-defined]
        dialog.query_one("#note-kind").value = "improvement"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any(e.kind == "observation.noted" for e in session.events),
                    "the note")

    play(test, store, session)
    [data] = [d for a, d in journal(store, session) if a == "note"]
    assert data == {"text": "Slow to share", "by": "Evaluator 2", "kind": "improvement",
                    "objectives": ["OBJ-1", "OBJ-3"]}
    store.close()


def test_an_empty_note_is_refused_and_nothing_is_journaled(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await pilot.press("n")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NoteDialog), "the dialog stays open"
        await pilot.press("escape")
        assert isinstance(app.screen, ConsoleScreen)

    play(test, store, session)
    assert [a for a, _ in journal(store, session) if a == "note"] == []
    store.close()


def test_a_contingency_inject_is_delivered_and_shown_as_a_card(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await pilot.press("c")
        assert isinstance(app.screen, Chooser)
        await pilot.press("enter")  # the first one left to play
        await until(pilot, lambda: isinstance(app.screen, InjectCard), "its card")
        assert app.screen.inject.id == "CON-01"
        await pilot.press("escape")
        await pilot.press("c")
        chooser = app.screen
        assert isinstance(chooser, Chooser)
        assert [key for key, _ in chooser.choices] == ["CON-02"], "played once only"

    play(test, store, session)
    assert [d["inject"] for a, d in journal(store, session) if a == "deliver"] == ["CON-01"]
    store.close()


def test_jump_to_the_next_decision_stops_there(tmp_path: Path) -> None:
    """``d`` runs the machinery to the next decision point that opens, policy or people."""
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store, live=())

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("d")
        await until(pilot, lambda: any(e.kind == "decision.pending" for e in session.events),
                    "a decision")
        await until(pilot, lambda: screen.frame and screen.frame.state == "paused", "pause")
        opened = [e for e in session.events if e.kind == "decision.pending"]
        assert session.now == opened[0].t, "it stopped at the instant the decision opened"

    play(test, store, session)
    store.close()


#: how the help writes a key, and Textual's name for it
KEY_NAMES = {"+": "plus", "-": "minus", "?": "question_mark", "/": "slash"}


def test_the_help_and_the_bindings_list_the_same_keys() -> None:
    """Every key the help (and the briefing) lists is bound, and every binding but the
    palette's own is in the help: a facilitator never meets a key nobody told them about."""
    from tui.screens.console import BINDINGS, KEYS

    bound = {k for b in BINDINGS for k in b.key.split(",")}
    helped: set[str] = set()
    for keys, _what in KEYS:
        for key in keys.replace("…", "").split():
            if key == "/" and keys != "/":
                continue  # the separator in "+ / -"
            helped.add(KEY_NAMES.get(key, key))
    helped |= {"2", "3", "4"} if "1" in helped else set()  # "1 … 5"
    helped.discard("ctrl+p")  # Textual's command palette, not a binding of the console
    assert helped <= bound, helped - bound
    primary = {b.key.split(",")[0] for b in BINDINGS}
    assert primary <= helped, primary - helped


def test_light_theme_and_no_pause_from_the_command_line(tmp_path: Path) -> None:
    """``--light`` opens in the light theme; ``--no-pause-on-decisions`` reaches the clock."""
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        assert app.theme == "textual-light"
        assert not screen.driver.settings.pause_on_decision

    play(test, store, session, light=True, settings=Settings(pause_on_decision=False))
    store.close()


def test_help_tabs_theme_and_search_keys(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, Help)
        await pilot.press("escape")
        for key, tab in (("2", "msel"), ("3", "feed"), ("4", "objectives"), ("5", "chart"),
                         ("1", "board")):
            await pilot.press(key)
            assert screen.query_one("#tabs").active == tab  # type: ignore[attr-defined]
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("slash")
        assert app.focused is not None and app.focused.id == "feed-search"

    play(test, store, session)
    store.close()


def test_r_writes_the_report_so_far(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store, live=())
    reports = tmp_path / "reports"

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await pilot.press("i")
        await dismiss_cards(app, pilot)
        await pilot.press("r")
        await until(pilot, lambda: reports.is_dir() and any(reports.iterdir()), "the report")

    play(test, store, session, reports=reports)
    [written] = list(reports.iterdir())
    assert written.name.startswith(session.record.id) and written.suffix == ".html"
    assert "After-Action Report" in written.read_text(encoding="utf-8")
    store.close()


def test_end_session_asks_then_ends(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("ctrl+e")
        await pilot.press("y")
        await until(pilot, lambda: screen.frame and screen.frame.state == "ended", "the end")

    play(test, store, session)
    assert journal(store, session)[-1][0] == "end"
    assert store.find(session.record.id).status == "ended"
    store.close()


# -- the start screen ------------------------------------------------------------------------


def test_the_start_screen_lists_the_library_and_shows_a_broken_files_errors(
        tmp_path: Path) -> None:
    library = tmp_path / "scenarios"
    library.mkdir()
    (library / "good.yaml").write_bytes(HOSPITALS.read_bytes())
    broken = HOSPITALS.read_text(encoding="utf-8").replace("member_states: [BE, NL]",
                                                           "member_states: [BE, XX]", 1)
    assert broken != HOSPITALS.read_text(encoding="utf-8")
    (library / "broken.yaml").write_text(broken, encoding="utf-8")
    store = SessionStore(tmp_path / "s.sqlite3")

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert [e.path.name for e in screen.entries] == ["broken.yaml", "good.yaml"]
        detail = str(screen.query_one("#library-detail").render())
        assert "broken.yaml:" in detail and "unknown Member State 'XX'" in detail
        await pilot.press("enter")  # a broken scenario does not start
        assert isinstance(app.screen, StartScreen)
        await pilot.press("down", "enter")
        await pilot.press("ctrl+s")  # start with the dialog's defaults
        await until(pilot, lambda: isinstance(app.screen, Briefing | ConsoleScreen),
                    "the console")

    play(test, store, folders=[library])
    [record] = store.sessions()
    assert record.scenario_id == "ransomware-hospitals" and record.seed == 1
    store.close()


# -- the room view -----------------------------------------------------------------------------


def test_the_room_view_follows_a_session_driven_by_another_process(tmp_path: Path) -> None:
    import subprocess

    from .conftest import TTX

    path = tmp_path / "s.sqlite3"
    store = SessionStore(path)
    session = new_session(store, live=())
    ident = session.record.id

    async def test(app: ConsoleApp, pilot: Any) -> None:
        room = app.screen
        assert isinstance(room, RoomScreen)
        driven = subprocess.run([str(TTX), "sessions", "advance", ident, "--next", "inject",
                                 "--store", str(path)], capture_output=True, text=True,
                                timeout=120)
        assert driven.returncode == 0, driven.stderr
        await until(pilot, lambda: "INJ-" in str(room.query_one("#room-card").render()),
                    "the delivered inject on the room's card", timeout=10)
        text = str(room.query_one("#room-card").render())
        assert "TLP:" in text
        noted = subprocess.run([str(TTX), "sessions", "note", ident, "facilitator's secret",
                                "--store", str(path)], capture_output=True, text=True,
                               timeout=120)
        assert noted.returncode == 0
        await pilot.pause(1.2)
        shown = " ".join(str(w.render()) for w in room.query("Static"))
        assert "secret" not in shown, "no facilitator notes in the room"

    watcher = Session(store, store.find(ident))
    play(test, store, room=watcher)
    store.close()


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_console_fits_small_and_large_terminals(tmp_path: Path, size: tuple[int, int]
                                                    ) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        status = screen.query_one("#status")
        ladder = screen.query_one("#ladder")
        tabs = screen.query_one("#tabs")
        for widget in (status, ladder, tabs):
            assert widget.region.height > 0 and widget.region.right <= size[0]
        assert tabs.region.height >= 6, "room for the board, the MSEL and the feed"

    play(test, store, session, size=size)
    store.close()


def test_a_fast_clock_queues_cards_that_x_closes_at_once(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store, live=())

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, InjectCard), "the first card")
        await pilot.press("escape")
        done: list[int] = []
        for n in range(3):  # three more injects delivered while the first cards wait
            screen.runner.submit(lambda d, n=n: (d.jump("inject"), done.append(n)))
        # every jump carried out and its frame on screen, so no card is still on its way
        await until(pilot, lambda: len(done) == 3 and screen.frame is not None
                    and screen.frame.total_events == len(session.events)
                    and len(screen.cards) >= 2, "cards waiting")
        assert isinstance(app.screen, InjectCard)
        await pilot.press("x")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, InjectCard) and not screen.cards

    play(test, store, session)
    store.close()


def test_each_tab_shows_the_session_so_far_when_it_comes_into_view(tmp_path: Path) -> None:
    """Tabs not on view are drawn when they come into view, with everything up to now."""
    from textual.widgets import DataTable

    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store, live=())
    session.advance(2000)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        board = screen.query_one("#board-table", DataTable)
        assert board.row_count == len({e.member_state for e in session.events
                                       if e.kind == "entity.compromised"})
        await pilot.press("2")
        msel = screen.query_one("#msel-table", DataTable)
        scenario = session.simulation.scenario
        assert msel.row_count == (len(scenario.msel.injects)
                                  + len(scenario.msel.contingency_injects))
        await pilot.press("3")
        await pilot.pause(0.1)
        feed = screen.query_one("#feed-table", DataTable)
        assert feed.row_count == min(len(session.events), 400)
        search = screen.query_one("#feed-search")
        search.value = "csirts_network.informed"  # type: ignore[attr-defined]
        await pilot.pause(0.2)
        assert feed.row_count == sum(e.kind == "csirts_network.informed"
                                     for e in session.events) > 0
        await pilot.press("4")
        objectives = screen.query_one("#objectives-table", DataTable)
        assert objectives.row_count == len(scenario.objectives)
        await pilot.press("5")
        await pilot.pause(0.2)
        chart = screen.query_one("#chart-panel")
        assert len(chart.events) == len(session.events) and not chart._dirty  # type: ignore

    play(test, store, session)
    store.close()


MARKUP = "[/x] [bold red]loud[/] [link=http://evil]x[/link] :warning: {0}"


def test_text_that_looks_like_markup_is_shown_as_itself_everywhere(tmp_path: Path) -> None:
    """A title, a role, an inject, a decision's options and a person's words that look like
    Rich markup, emoji codes or format fields are shown as written, on every screen."""
    text = HOSPITALS.read_text(encoding="utf-8")
    for old in ('"Cold Ward: ransomware against hospitals across the Union"',
                "Polish Presidency crisis cell",
                "A Brussels hospital reports encrypted imaging servers and a ransom note.",
                "Monitoring only"):
        assert old in text
        text = text.replace(old, repr(MARKUP).replace("'", '"') if old.startswith('"')
                            else f'"{MARKUP}"', 1)
    library = tmp_path / "scenarios"
    library.mkdir()
    hostile = library / "hostile.yaml"
    hostile.write_text(text, encoding="utf-8")
    store = SessionStore(tmp_path / "s.sqlite3")

    async def test(app: ConsoleApp, pilot: Any) -> None:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        app.screen.query_one("#new-name").value = MARKUP  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Briefing), "the briefing")
        await pilot.pause(0.2)
        screen = console(app)
        await until(pilot, lambda: screen.frame is not None, "a frame")
        await pilot.press("escape", "i")
        await until(pilot, lambda: isinstance(app.screen, InjectCard), "the card")
        assert MARKUP in str(app.screen.query_one("#card-synopsis").render())
        await dismiss_cards(app, pilot)
        for _ in range(16):
            await dismiss_cards(app, pilot)
            if isinstance(app.screen, DecisionDialog):
                if app.screen.pending.point.id == "DP-IPCR":
                    break
                await pilot.press("ctrl+s")  # another live decision: its default option
                await pilot.pause(0.3)
                continue
            await pilot.press("d")
            await until(pilot, lambda: screen.frame and screen.frame.state == "paused", "jump")
            await pilot.pause(0.3)
        assert isinstance(app.screen, DecisionDialog)
        dialog_text = " ".join(str(b.label) for b in app.screen.query("RadioButton"))
        assert MARKUP in dialog_text
        app.screen.query_one("#decision-by").value = MARKUP  # type: ignore[attr-defined]
        app.screen.query_one("#decision-rationale").text = MARKUP  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not screen.session.pending_decisions(), "the decision")
        await pilot.pause(0.3)  # its notice, with the decider's name, is shown
        for tab in "12345":
            await pilot.press(tab)
            await pilot.pause(0.1)
        await pilot.press("n", *"x", "ctrl+s")
        await pilot.pause(0.3)

    play(test, store, folders=[library])
    [record] = store.sessions()
    assert record.name == MARKUP
    decided = [e.data for e in store.journal(record.id) if e.action == "decide"
               and e.data["point"] == "DP-IPCR"]
    assert decided[0]["by"] == MARKUP and decided[0]["rationale"] == MARKUP
    store.close()


def test_the_command_palette_lists_every_key_of_the_console(tmp_path: Path) -> None:
    from tui.screens.console import BINDINGS

    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for binding in BINDINGS:
            assert any(title.startswith(binding.description) for title in titles), binding
        [pause] = [c for c in app.get_system_commands(screen)
                   if c.title.startswith("Start/pause")]
        await pause.callback()  # type: ignore[misc]
        await until(pilot, lambda: screen.frame and screen.frame.state == "running", "run")

    play(test, store, session)
    store.close()


def test_nothing_but_the_console_imports_textual() -> None:
    """``simulator`` and every ttx command but play and serve start without Textual."""
    import subprocess
    import sys

    code = ("import sys, simulator.cli, simulator.sessions.session, simulator.report, "
            "simulator.scoring; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual', 'textual_serve', 'textual_plotext')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_run_to_a_chosen_move(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store, live=())
    moves = session.simulation.scenario.msel.moves
    assert len(moves) >= 3

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("M")
        chooser = app.screen
        assert isinstance(chooser, Chooser)
        assert [key for key, _ in chooser.choices] == [m.id for m in moves if m.start > 0]
        await pilot.press("down", "enter")  # the second move still to come
        target = [m for m in moves if m.start > 0][1]
        await until(pilot, lambda: session.now >= target.start, "the move")
        await dismiss_cards(app, pilot)
        assert session.now == target.start
        assert screen.frame is not None and screen.frame.move == target.name

    play(test, store, session)
    store.close()


def test_p_m_and_a_keys(tmp_path: Path) -> None:
    """``m`` runs to the next move; ``p`` opens the waiting decision; ``a`` lets the clock run
    on when a decision opens (its default then falls at the deadline)."""
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)
    moves = [m for m in session.simulation.scenario.msel.moves if m.start > 0]

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        await pilot.press("p")
        assert isinstance(app.screen, Chooser) and not app.screen.choices, "none waits yet"
        await pilot.press("escape")
        await pilot.press("m")
        await until(pilot, lambda: session.now == moves[0].start, "the next move")
        await dismiss_cards(app, pilot)
        await pilot.press("a")
        assert not screen.driver.settings.pause_on_decision
        await pilot.press("plus", "plus", "plus", "plus", "plus", "plus")
        await pilot.press("space")
        await until(pilot, lambda: any(e.kind == "decision.made" and e.subject == "DP-IPCR"
                                       for e in session.events), "DP-IPCR's default")
        made = next(e for e in session.events
                    if e.kind == "decision.made" and e.subject == "DP-IPCR")
        assert made.payload["by"] == "deadline", "nobody stopped the clock for it"
        while isinstance(app.screen, InjectCard | DecisionDialog):
            await pilot.press("escape")
            await pilot.pause(0.1)
        await pilot.press("space")

    play(test, store, session)
    store.close()


def test_p_opens_the_waiting_decision(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)
    session.advance(5760, stop="live")
    assert session.pending_decisions()

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog), "the dialog")
        await pilot.press("escape")  # not now
        assert not isinstance(app.screen, DecisionDialog)
        await pilot.press("p")
        assert isinstance(app.screen, DecisionDialog)
        assert app.screen.pending.point.id == "DP-IPCR"

    play(test, store, session)
    store.close()


def test_quitting_carries_out_every_action_already_given(tmp_path: Path) -> None:
    """A decision and a note entered just before quitting are journaled, not dropped."""
    from tui.driver import Driver

    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)
    session.advance(5760, stop="live")

    async def test(app: ConsoleApp, pilot: Any) -> None:
        screen = await started(app, pilot)
        screen.runner.submit(lambda d: d.session.note("last words", "E1"))
        screen.runner.submit(lambda d: d.session.decide("DP-IPCR", "monitoring", "Cell"))
        screen.runner.submit(lambda d: Driver.jump(d, "inject"))
        await pilot.press("q")

    play(test, store, session)
    actions = [a for a, _ in journal(store, session)]
    assert actions[-3:] == ["note", "decide", "advance"]
    store.close()


def test_keys_typed_while_quitting_do_nothing(tmp_path: Path) -> None:
    """q then n at once: the console closes cleanly instead of opening a note on its way out."""
    store = SessionStore(tmp_path / "s.sqlite3")
    session = new_session(store)

    async def test(app: ConsoleApp, pilot: Any) -> None:
        await started(app, pilot)
        await pilot.press("q", "n", "c", "question_mark")

    play(test, store, session)
    assert [a for a, _ in journal(store, session) if a == "note"] == []
    store.close()
