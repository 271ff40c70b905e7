"""``ttx play``: the console's command. Textual is imported only once the command runs, so
every other ``ttx`` command starts without it, and ``simulator`` never imports it."""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from simulator.console import echo
from simulator.errors import TtxError
from simulator.kinds import SEEDS


def library_folders() -> list[Path]:
    """The folders whose scenarios the start screen lists: the working directory's
    ``scenarios``, then the project's own library."""
    from simulator.scoring import LIBRARY

    return [Path("scenarios"), LIBRARY]


def play(
    scenario: Annotated[Path | None, typer.Argument(
        help="The scenario of a new session; none: the start screen lists the library and "
             "the sessions.", show_default=False)] = None,
    seed: Annotated[int, typer.Option("--seed", help="The new session's random seed.",
                                      min=SEEDS[0], max=SEEDS[1])] = 1,
    live_roles: Annotated[str, typer.Option(
        "--live-roles", help="Roles played by people, comma-separated, or 'none'. Default: "
                             "the roles the scenario gives to players.",
        show_default=False)] = "",
    speed: Annotated[float | None, typer.Option(
        "--speed", help="Simulated minutes per wall-clock second (default 10; + and - "
                        "change it live).", show_default=False)] = None,
    name: Annotated[str | None, typer.Option("--name", help="The new session's name.",
                                             show_default=False)] = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="Reopen a session (id, prefix or name) where it was.",
        show_default=False)] = None,
    room: Annotated[str | None, typer.Option(
        "--room", help="A read-only room view of a session another console drives.",
        show_default=False)] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="The session store (default: $TTX_STORE, or the data folder).",
        show_default=False)] = None,
    light: Annotated[bool, typer.Option("--light", help="The light theme, for projectors.")]
    = False,
    no_pause: Annotated[bool, typer.Option(
        "--no-pause-on-decisions", help="Keep the clock running when a decision opens for "
                                        "a live role.")] = False,
) -> None:
    """Run a live exercise in the facilitator console."""
    from simulator.sessions.commands import _existing, _store_path, parse_roles
    from simulator.sessions.session import Session, read_scenario, start_session
    from simulator.sessions.store import SessionStore

    from .driver import Settings, check_speed

    chosen = [what for what, value in (("SCENARIO", scenario), ("--resume", resume),
                                       ("--room", room)) if value is not None]
    if len(chosen) > 1:
        raise TtxError(f"give one of {', '.join(chosen)}: a new session, one to resume, or "
                       "one to watch")
    if speed is not None:
        check_speed(speed)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise TtxError("ttx play needs a terminal; `ttx serve` opens the console in a browser, "
                       "and `ttx sessions` drives a session from scripts")
    held = contextlib.ExitStack()
    session = watched = None
    path = _existing(store) if (resume or room) else _store_path(store)
    opened = SessionStore(path)
    try:
        if scenario is not None:
            loaded, raw = read_scenario(scenario)
            roles = (parse_roles(live_roles) if live_roles else
                     tuple(r.id for r in loaded.scenario.roles if r.played_by == "players"))
            session = start_session(opened, loaded, raw, seed=seed, name=name,
                                    live_roles=roles)
            held.enter_context(opened.hold(session.record.id))
        elif resume is not None:
            record = opened.find(resume)
            if record.status == "ended":
                raise TtxError(f"session {record.name} ({record.id}) has ended; "
                               f"`ttx report {record.id}` writes its report")
            held.enter_context(opened.hold(record.id))
            session = Session(opened, record)
        elif room is not None:
            watched = Session(opened, opened.find(room))
    except BaseException:
        held.close()
        opened.close()
        raise

    from .app import ConsoleApp

    app = ConsoleApp(opened, session, room=watched, speed=speed,
                     settings=Settings(pause_on_decision=not no_pause),
                     folders=library_folders(), light=light, held=held)
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        # the screen is put back as it was; every action is in the journal already
        previous[signum] = signal.signal(signum, lambda n, _f: app.exit(return_code=128 + n))
    try:
        app.run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        held.close()
        opened.close()
    driven = app.session
    if driven is not None:
        echo(f"session {driven.record.name} ({driven.record.id}) at "
             f"{_at(driven)}, {len(driven.events)} events, all in the journal; "
             f"resume with: ttx play --resume {driven.record.id}")
    if app.return_code:
        raise typer.Exit(app.return_code)


def _at(session: object) -> str:
    from simulator.engine.summary import clock

    s = session  # a Session
    return clock(s.now, s.simulation.scenario.metadata.start)  # type: ignore[attr-defined]
