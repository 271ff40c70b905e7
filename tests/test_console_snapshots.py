"""What the console looks like: SVG snapshots at a fixed seed and time.

``pytest tests/test_console_snapshots.py --snapshot-update`` rewrites them after a deliberate
change of the screens; look at the report pytest writes before committing new ones.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import pytest

from simulator.sessions import store as store_module
from simulator.sessions.session import Session, read_scenario, start_session
from simulator.sessions.store import SessionStore
from tui.app import ConsoleApp
from tui.screens.console import ConsoleScreen
from tui.screens.dialogs import Briefing, DecisionDialog, InjectCard

from .conftest import ROOT

HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A store whose session ids, timestamps and path are the same on every run."""
    ids = (f"5e55{n:08x}" for n in itertools.count(1))
    monkeypatch.setattr(store_module.secrets, "token_hex", lambda _n: next(ids))
    monkeypatch.setattr(store_module, "_now", lambda: "2026-03-02T09:00:00Z")
    monkeypatch.chdir(tmp_path)
    with SessionStore(Path("s.sqlite3")) as opened:
        yield opened


def session_at(store: SessionStore, minutes: float, live: tuple[str, ...] = ()) -> Session:
    loaded, raw = read_scenario(HOSPITALS)
    session = start_session(store, loaded, raw, seed=3, live_roles=live)
    session.advance(minutes, stop="live")
    return session


async def settled(pilot: Any) -> None:
    """Wait for the console's first frame and its briefing, and close the briefing."""
    screen = next((s for s in pilot.app.screen_stack if isinstance(s, ConsoleScreen)), None)
    assert screen is not None
    deadline = time.monotonic() + 20
    while ((screen.frame is None or not isinstance(pilot.app.screen, Briefing))
           and time.monotonic() < deadline):
        await pilot.pause(0.05)
    assert isinstance(pilot.app.screen, Briefing)
    await pilot.press("escape")
    await pilot.pause(0.3)


def test_start_screen(snap_compare: Any, store: SessionStore) -> None:
    library = Path("scenarios")
    library.mkdir()
    (library / "ransomware-hospitals.yaml").write_bytes(HOSPITALS.read_bytes())
    (library / "broken.yaml").write_text("metadata:\n  id: broken\n  tltp: red\n",
                                         encoding="utf-8")
    session_at(store, 0)
    assert snap_compare(ConsoleApp(store, folders=[library]), terminal_size=(120, 34))


def test_main_screen(snap_compare: Any, store: SessionStore) -> None:
    session = session_at(store, 1800)

    async def main(pilot: Any) -> None:
        await settled(pilot)
        assert isinstance(pilot.app.screen, ConsoleScreen)

    assert snap_compare(ConsoleApp(store, session), terminal_size=(160, 45), run_before=main)


def test_inject_card(snap_compare: Any, store: SessionStore) -> None:
    session = session_at(store, 0)

    async def card(pilot: Any) -> None:
        await settled(pilot)
        await pilot.press("i")
        deadline = time.monotonic() + 20
        while not isinstance(pilot.app.screen, InjectCard) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert isinstance(pilot.app.screen, InjectCard)
        await pilot.pause(0.3)

    assert snap_compare(ConsoleApp(store, session), terminal_size=(120, 34), run_before=card)


def test_decision_dialog(snap_compare: Any, store: SessionStore) -> None:
    session = session_at(store, 5760, live=("presidency_crisis_cell",))
    assert session.pending_decisions(), "DP-IPCR waits for the Presidency's crisis cell"

    async def dialog(pilot: Any) -> None:
        await settled(pilot)
        deadline = time.monotonic() + 20
        while not isinstance(pilot.app.screen, DecisionDialog) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert isinstance(pilot.app.screen, DecisionDialog), "over the console, not the briefing"
        await pilot.pause(0.3)

    assert snap_compare(ConsoleApp(store, session), terminal_size=(120, 40), run_before=dialog)


def test_room_view(snap_compare: Any, store: SessionStore) -> None:
    session = session_at(store, 2000)
    watcher = Session(store, store.find(session.record.id))
    assert snap_compare(ConsoleApp(store, room=watcher), terminal_size=(140, 40),
                        run_before=lambda pilot: pilot.pause(0.5))
