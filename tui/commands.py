"""``ttx play`` and ``ttx serve``: the console's commands. Textual (and textual-serve) are
imported only once a command runs, so every other ``ttx`` command starts without them, and
``simulator`` never imports them."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shlex
import shutil
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from urllib.parse import urlsplit

import typer

from simulator.console import echo
from simulator.errors import TtxError
from simulator.kinds import SEEDS

if TYPE_CHECKING:
    from simulator.scenario.models import Scenario

SeedOption = Annotated[int, typer.Option("--seed", help="The new session's random seed.",
                                         min=SEEDS[0], max=SEEDS[1])]
LiveRolesOption = Annotated[str, typer.Option(
    "--live-roles", help="Roles played by people, comma-separated, or 'none'. Default: the "
                         "roles the scenario gives to players.", show_default=False)]
SpeedOption = Annotated[float | None, typer.Option(
    "--speed", help="Simulated minutes per wall-clock second (default 10; + and - change it "
                    "live).", show_default=False)]
StoreOption = Annotated[Path | None, typer.Option(
    "--store", help="The session store (default: $TTX_STORE, or the data folder).",
    show_default=False)]
LightOption = Annotated[bool, typer.Option("--light", help="The light theme, for projectors.")]


def _one_of(scenario: Path | None, resume: str | None, room: str | None) -> None:
    chosen = [what for what, value in (("SCENARIO", scenario), ("--resume", resume),
                                       ("--room", room)) if value is not None]
    if len(chosen) > 1:
        raise TtxError(f"give one of {', '.join(chosen)}: a new session, one to resume, or "
                       "one to watch")


def _live_roles(live_roles: str, scenario: Scenario) -> tuple[str, ...]:
    """``--live-roles``, or by default the roles the scenario gives to players."""
    from simulator.sessions.commands import parse_roles

    if live_roles:
        return parse_roles(live_roles)
    return tuple(r.id for r in scenario.roles if r.played_by == "players")


def library_folders() -> list[Path]:
    """The folders whose scenarios the start screen lists: the working directory's
    ``scenarios``, then the project's own library."""
    from simulator.scoring import LIBRARY

    return [Path("scenarios"), LIBRARY]


def play(
    scenario: Annotated[Path | None, typer.Argument(
        help="The scenario of a new session; none: the start screen lists the library and "
             "the sessions.", show_default=False)] = None,
    seed: SeedOption = 1,
    live_roles: LiveRolesOption = "",
    speed: SpeedOption = None,
    name: Annotated[str | None, typer.Option("--name", help="The new session's name.",
                                             show_default=False)] = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="Reopen a session (id, prefix or name) where it was.",
        show_default=False)] = None,
    room: Annotated[str | None, typer.Option(
        "--room", help="A read-only room view of a session another console drives.",
        show_default=False)] = None,
    store: StoreOption = None,
    light: LightOption = False,
    no_pause: Annotated[bool, typer.Option(
        "--no-pause-on-decisions", help="Keep the clock running when a decision opens for "
                                        "a live role.")] = False,
) -> None:
    """Run a live exercise in the facilitator console."""
    from simulator.sessions.commands import _existing, _store_path
    from simulator.sessions.session import Session, read_scenario, start_session
    from simulator.sessions.store import SessionBusy, SessionStore

    from .driver import Settings, check_speed

    _one_of(scenario, resume, room)
    if speed is not None:
        check_speed(speed)
    held = contextlib.ExitStack()
    opened = session = watched = record = None
    notice = None
    try:
        # first what only reads, so that bad input is refused before anything is made
        loaded = read_scenario(scenario) if scenario is not None else None
        if resume is not None or room is not None:
            opened = SessionStore(_existing(store))
            record = opened.find(resume if resume is not None else str(room))
            if resume is not None and record.status == "ended":
                raise TtxError(f"session {record.name} ({record.id}) has ended; "
                               f"`ttx report {record.id}` writes its report")
        if not (sys.stdin.isatty() and sys.stdout.isatty()) and not _web_driven():
            raise TtxError("ttx play needs a terminal; `ttx serve` opens the console in a "
                           "browser, and `ttx sessions` drives a session from scripts")
        if opened is None:
            opened = SessionStore(_store_path(store))
        if loaded is not None:
            scenario_, raw = loaded
            roles = _live_roles(live_roles, scenario_.scenario)
            session = start_session(opened, scenario_, raw, seed=seed, name=name,
                                    live_roles=roles)
            held.enter_context(opened.hold(session.record.id))
        elif resume is not None and record is not None:
            try:
                held.enter_context(opened.hold(record.id))
                session = Session(opened, record)
            except SessionBusy as exc:
                if not _web_driven():
                    raise
                # a second browser on a served session: it watches while the first drives
                watched = Session(opened, record)
                notice = f"{exc}: this window shows its room view"
        elif record is not None:
            watched = Session(opened, record)
    except BaseException as exc:
        held.close()
        if opened is not None:
            opened.close()
        if isinstance(exc, TtxError):
            _refused(exc)
        raise
    assert opened is not None

    from .app import ConsoleApp

    app = ConsoleApp(opened, session, room=watched, speed=speed,
                     settings=Settings(pause_on_decision=not no_pause),
                     folders=library_folders(), light=light, held=held, notice=notice)
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


def _refused(exc: TtxError) -> None:
    """In a browser (``ttx serve``) nobody reads this process's standard error: the message
    is shown on the page, and the command then exits 2 as it would in a terminal."""
    if _web_driven():
        from .app import MessageApp

        MessageApp(str(exc)).run()


def _web_driven() -> bool:
    """Whether Textual runs this process through its web driver, as textual-serve starts
    ``ttx play`` for each browser connection: its standard input and output are then pipes
    that carry the browser's keys and the screen, not a terminal."""
    driver = os.environ.get("TEXTUAL_DRIVER", "")
    return driver.partition(":")[0] == "textual.drivers.web_driver"


LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(address: str) -> str:
    """The host of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``); "" if it is
    none."""
    try:
        return urlsplit(f"http://{address}").hostname or ""
    except ValueError:
        return ""


def _address(host: str, port: int) -> str:
    """``host:port``, an IPv6 address in brackets."""
    host = host.strip("[]")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _check_port(host: str, port: int) -> None:
    """Refuse a host that does not resolve and a port that is taken, before serving (the
    probe binds as aiohttp will, with SO_REUSEADDR, so a port in TIME_WAIT is not taken)."""
    try:
        addresses = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise TtxError(f"--host {host}: {exc.strerror}") from None
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                raise TtxError(f"cannot serve on {_address(host, port)}: "
                               f"{exc.strerror or exc}") from None


def _ttx_command() -> list[str]:
    """How to run this ``ttx`` from textual-serve's shell: the running executable's
    absolute path, else the one on PATH, else this Python running the CLI module."""
    running = Path(sys.argv[0])
    if running.name == "ttx" and running.exists():
        return [str(running.resolve())]
    found = shutil.which("ttx")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "simulator.cli"]


def serve(
    scenario: Annotated[Path | None, typer.Argument(
        help="The scenario of a new session, made once now and served to every browser; "
             "none: the start screen.", show_default=False)] = None,
    room: Annotated[str | None, typer.Option(
        "--room", help="Serve the read-only room view of a session (id, prefix or name).",
        show_default=False)] = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="Serve the console of a session (id, prefix or name) where it was.",
        show_default=False)] = None,
    seed: SeedOption = 1,
    live_roles: LiveRolesOption = "",
    speed: SpeedOption = None,
    store: StoreOption = None,
    light: LightOption = False,
    host: Annotated[str, typer.Option(
        "--host", help="The address to listen on; anything but loopback lets whoever reaches "
                       "it drive the exercise. Browsers must open it by this address.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.", min=1,
                                      max=65535)] = 8000,
) -> None:
    """Serve the console, or a room view, to web browsers.

    Each browser runs its own ttx play: one browser at a time drives a session, any number
    watch it with --room.
    """
    from simulator.console import err
    from simulator.sessions.commands import _existing, _store_path
    from simulator.sessions.session import read_scenario, start_session
    from simulator.sessions.store import SessionStore

    from .driver import check_speed

    _one_of(scenario, resume, room)
    if speed is not None:
        check_speed(speed)
    loaded = raw = None
    if scenario is not None:
        loaded, raw = read_scenario(scenario)  # ScenarioError, file:line:col
    if not _is_loopback(host):
        err(f"warning: serving on {host}, not on this machine's loopback: anyone who can reach "
            f"{_address(host, port)} can open the console and drive the exercise")
    _check_port(host, port)

    # each browser connection runs this command line through a shell: every part quoted
    args = [*_ttx_command(), "play"]
    title = "ttx console"  # the page's, while it connects
    if scenario is not None or resume is not None or room is not None:
        path = (_store_path(store) if scenario is not None else _existing(store)).resolve()
        with SessionStore(path) as opened:
            if loaded is not None and raw is not None:
                # made once: a new session for every browser would be a new exercise each time
                roles = _live_roles(live_roles, loaded.scenario)
                record = start_session(opened, loaded, raw, seed=seed, live_roles=roles).record
                echo(f"session {record.name} ({record.id}): {loaded.scenario.metadata.title}")
                args += ["--resume", record.id]
                title = f"ttx: session {record.name}"
            else:
                record = opened.find(resume if resume is not None else str(room))
                if resume is not None and record.status == "ended":
                    raise TtxError(f"session {record.name} ({record.id}) has ended; "
                                   f"`ttx report {record.id}` writes its report")
                args += ["--resume" if resume is not None else "--room", record.id]
                title = (f"ttx: session {record.name}" if resume is not None else
                         f"ttx: room view of {record.name}")
        args += ["--store", str(path)]
    elif store is not None:
        args += ["--store", str(store.resolve())]
    if speed is not None:
        args += ["--speed", repr(speed)]
    if light:
        args.append("--light")
    command = " ".join(shlex.quote(arg) for arg in args)

    url = f"http://{_address(host, port)}"
    echo(f"open {url} in a browser (each connection runs: {command}); Ctrl-C stops serving")
    server = _server(command, host, port, title)
    try:
        server.serve()
    except OSError as exc:  # the port taken between the check and now
        raise TtxError(f"cannot serve on {_address(host, port)}: {exc.strerror or exc}") from None


def _server(command: str, host: str, port: int, title: str) -> Any:
    """textual-serve's server, with two guards it lacks.

    Its page's links (the script, the websocket) point at the address the browser used,
    not at the one listened on, so ``--host 0.0.0.0`` works from other machines. And a
    websocket (one keyboard of the console) is opened only from the page itself: a browser
    sends its page's Origin, which must be the address asked for, so another web site open
    in the facilitator's browser cannot drive the exercise; on loopback the address asked
    for must be a loopback one too, so a web site whose name is made to point at 127.0.0.1
    (DNS rebinding) is refused as well.
    """
    import asyncio

    from aiohttp import web
    from textual_serve.server import Server

    loopback = _is_loopback(host)

    class GuardedServer(Server):
        connections: ClassVar[set[asyncio.Task[Any]]] = set()

        def _check(self, request: web.Request) -> None:
            asked = request.host.lower()
            if loopback and not _is_loopback(_host_name(asked)):
                raise web.HTTPForbidden(text=f"ttx serve answers on this machine only, "
                                             f"not as {asked}")

        async def handle_index(self, request: web.Request) -> Any:
            self._check(request)
            # read by the page's template right away (no await in between): per request
            self.public_url = f"http://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> Any:
            self._check(request)
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() != f"http://{request.host.lower()}":
                raise web.HTTPForbidden(text="a console opens from its own page only")
            task = asyncio.current_task()
            assert task is not None
            self.connections.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.connections.discard(task)

        async def on_startup(self, app: web.Application) -> None:
            pass  # ttx serve has said where it serves

        async def on_shutdown(self, app: web.Application) -> None:
            # Ctrl-C: each browser's ttx play is told to quit (its actions are in the journal
            # already) rather than the server waiting for every browser to go away
            for task in list(self.connections):
                task.cancel()

    return GuardedServer(command, host=host.strip("[]"), port=port,
                         public_url=f"http://{_address(host, port)}", title=title)


def _at(session: object) -> str:
    from simulator.engine.summary import clock

    s = session  # a Session
    return clock(s.now, s.simulation.scenario.metadata.start)  # type: ignore[attr-defined]
