"""``ttx sessions ...``: recorded exercise sessions from the command line, scriptable.

Every command that changes a session drives it: it holds the session's driver lock (one
process at a time), replays the journal, takes the action, and acknowledges it only once the
journal entry is committed. Reading commands (``list``, ``show``, ``export``) need no lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..console import TYPER_SETTINGS, console, echo, plain
from ..errors import TtxError
from ..kinds import SEEDS

if TYPE_CHECKING:
    from .session import Session

sessions_app = typer.Typer(
    name="sessions",
    help="Recorded exercise sessions: a scenario, a seed and the journal of what people did.",
    **TYPER_SETTINGS,
)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="The session store (default: $TTX_STORE, else the user's "
                 "data folder).", show_default=False),
]
SessionArgument = Annotated[
    str, typer.Argument(help="The session: its id, a unique prefix of it, or its name.",
                        show_default=False, metavar="SESSION"),
]


def _store_path(store: Path | None) -> Path:
    from .store import SessionStore

    return store if store is not None else SessionStore.default_path()


def _existing(store: Path | None) -> Path:
    """The store a reading command reads: never made anew at a mistyped path."""
    path = _store_path(store)
    if not path.exists():
        raise TtxError(f"{path}: no session store there (give --store, or set TTX_STORE)")
    return path


@contextmanager
def _driving(store: Path | None, ref: str) -> Iterator[Session]:
    """The session, opened for driving: its lock held and its journal replayed."""
    from .session import Session
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        record = opened.find(ref)
        with opened.hold(record.id):
            yield Session(opened, record)


def parse_roles(live_roles: str) -> tuple[str, ...]:
    """``--live-roles``: comma-separated role ids, or ``none``."""
    roles = tuple(r.strip() for r in live_roles.split(",") if r.strip())
    return () if roles == ("none",) else roles


def _say(text: str) -> None:
    echo(text)


def _at(session: Session, t: float) -> str:
    from ..engine.summary import clock

    return clock(t, session.simulation.scenario.metadata.start)


def _waiting(session: Session) -> list[str]:
    return [
        f"decision {p.point.id} waits for {p.point.decided_by}: {' '.join(p.point.prompt.split())}"
        f" (options: {', '.join(o.id for o in p.point.options)}"
        + (f"; default {p.point.default} at {_at(session, p.deadline)})" if p.deadline is not None
           else ")")
        for p in session.pending_decisions()
    ]


@sessions_app.command("new")
def new(
    scenario: Annotated[Path, typer.Argument(help="The scenario file.", show_default=False)],
    seed: Annotated[int, typer.Option("--seed", help="The session's random seed (64 bits).",
                                      min=SEEDS[0], max=SEEDS[1])] = 1,
    name: Annotated[str | None, typer.Option("--name", help="A name to find it by.",
                                             show_default=False)] = None,
    live_roles: Annotated[
        str, typer.Option("--live-roles", help="Roles played by people, comma-separated, or "
                          "'none': every decision follows the scenario's policies.")
    ] = "none",
    store: StoreOption = None,
) -> None:
    """Begin a session; its id is the last line printed."""
    from .session import read_scenario, start_session
    from .store import SessionStore

    loaded, raw = read_scenario(scenario)
    roles = parse_roles(live_roles)
    with SessionStore(_store_path(store)) as opened:
        session = start_session(opened, loaded, raw, seed=seed, name=name, live_roles=roles)
        meta = loaded.scenario.metadata
        _say(f"session {session.record.name}: {meta.title} ({meta.id}), seed {seed}, "
             f"live roles: {', '.join(roles) or 'none'}; store {opened.path}")
        _say(session.record.id)


@sessions_app.command("list")
def list_(store: StoreOption = None) -> None:
    """The sessions in the store, the most recently active first."""
    from rich.table import Table

    from ..scenario.units import format_duration
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        records = opened.sessions()
    if not records:
        _say(f"no sessions in {_store_path(store)}")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("id", "name", "scenario", "seed", "elapsed", "status", "last activity"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(r.id, plain(r.name), plain(r.scenario_id), str(r.seed),
                      format_duration(round(r.sim_time)), r.status, r.updated)
    console().print(table)


@sessions_app.command("show")
def show(session_ref: SessionArgument, store: StoreOption = None) -> None:
    """Where a session stands: its time, the decisions waiting, the next injects."""
    from .session import Session
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        record = opened.find(session_ref)
        session = Session(opened, record)
        journal = opened.journal(record.id)
    scenario = session.simulation.scenario
    delivered = {e.subject for e in session.events if e.kind == "inject.delivered"}
    upcoming = sorted((i for i in scenario.msel.injects
                       if i.at is not None and i.id not in delivered), key=lambda i: i.at or 0)
    _say(f"session {record.id} ({record.name}): {scenario.metadata.title}, seed {record.seed}, "
         f"{record.status}")
    _say(f"at {_at(session, session.now)}, {len(session.events)} events, "
         f"{len(journal)} journal actions; live roles: {', '.join(record.live_roles) or 'none'}")
    if session.failed:
        _say(f"  the machinery failed: {session.failed}; only `end` is left to do")
    for line in _waiting(session) or ["no decision waits"]:
        _say(f"  {line}")
    for inject in upcoming[:5]:
        _say(f"  next inject {inject.id} at {_at(session, inject.at or 0)}: "
             f"{' '.join(inject.synopsis.split())}")


@sessions_app.command("advance")
def advance(
    session_ref: SessionArgument,
    to: Annotated[str | None, typer.Option("--to", help="A time such as 2d12h, or 'end'.",
                                           show_default=False)] = None,
    next_: Annotated[str | None, typer.Option("--next", help="inject or decision: run until "
                                              "the next one.", show_default=False)] = None,
    store: StoreOption = None,
) -> None:
    """Move the clock on; it stops early where a decision waits for a live role."""
    from ..scenario.units import parse_duration

    if (to is None) == (next_ is None):
        raise TtxError("give one of --to TIME (or --to end) and --next inject|decision")
    if next_ is not None and next_ not in ("inject", "decision"):
        raise TtxError(f"--next {next_}: one of inject, decision")
    with _driving(store, session_ref) as session:
        end = session.simulation.end
        target = end
        if to not in (None, "end"):
            try:
                target = min(parse_duration(to), end)
            except ValueError as exc:
                raise TtxError(f"--to: {exc}") from None
            if target < session.now:
                raise TtxError(f"--to {to}: the session is already at "
                               f"{_at(session, session.now)}; give a later time")
        if session.now >= end:
            raise TtxError(f"session {session.record.id} is at the scenario's end "
                           f"({_at(session, end)}); close it with `ttx sessions end`")
        shown = session.advance(target, stop=next_ or "live")
        _say(f"at {_at(session, session.now)} ({len(session.events)} events)")
        for e in shown:
            if e.kind == "inject.delivered":
                _say(f"  inject {e.subject} delivered: {e.payload.get('synopsis')}")
        for line in _waiting(session):
            _say(f"  {line}")
        if session.now >= end:
            _say("  the scenario's end is reached: `ttx sessions end` closes the session")


@sessions_app.command("decide")
def decide(
    session_ref: SessionArgument,
    point: Annotated[str, typer.Argument(help="The decision point.", show_default=False)],
    option: Annotated[str, typer.Argument(help="The option taken.", show_default=False)],
    by: Annotated[str, typer.Option("--by", help="Who decided.")] = "players",
    rationale: Annotated[str | None, typer.Option("--rationale", help="Why.",
                                                  show_default=False)] = None,
    store: StoreOption = None,
) -> None:
    """Take a decision for players; it is in the journal before this command returns."""
    with _driving(store, session_ref) as session:
        events = session.decide(point, option, by=by, rationale=rationale)
        _say(f"decided {point}: {option}, at {_at(session, session.now)}; "
             f"{len(events)} events followed at once")


@sessions_app.command("deliver")
def deliver(session_ref: SessionArgument,
            inject: Annotated[str, typer.Argument(help="A contingency inject.",
                                                  show_default=False)],
            store: StoreOption = None) -> None:
    """Play a contingency inject now."""
    with _driving(store, session_ref) as session:
        session.deliver(inject)
        _say(f"delivered {inject} at {_at(session, session.now)}")


@sessions_app.command("note")
def note(
    session_ref: SessionArgument,
    text: Annotated[str, typer.Argument(help="The observation.", show_default=False)],
    author: Annotated[str, typer.Option("--author", help="Who noted it.")] = "evaluator",
    objective: Annotated[list[str] | None, typer.Option(
        "--objective", help="An objective it is about (repeat for several).",
        show_default=False)] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="strength, improvement or note.",
                                             show_default=False)] = None,
    store: StoreOption = None,
) -> None:
    """Note an observation; scoring and the report read it."""
    if kind is not None and kind not in ("strength", "improvement", "note"):
        raise TtxError(f"--kind {kind}: one of strength, improvement, note")
    if not text.strip():
        raise TtxError("the observation is empty")
    with _driving(store, session_ref) as session:
        session.note(text, by=author, kind=kind, objectives=objective or ())
        _say(f"noted at {_at(session, session.now)}")


@sessions_app.command("export")
def export(
    session_ref: SessionArgument,
    out: Annotated[Path | None, typer.Option("--out", help="Write the event log (as ttx run "
                                             "--log does); - for standard output.",
                                             show_default=False)] = None,
    journal: Annotated[Path | None, typer.Option("--journal", help="Write the journal as "
                                                 "JSON Lines; - for standard output.",
                                                 show_default=False)] = None,
    store: StoreOption = None,
) -> None:
    """Export a session's event log or its journal."""
    import json

    from .session import Session
    from .store import SessionStore

    if (out is None) == (journal is None):
        raise TtxError("give one of --out FILE (the event log) and --journal FILE")
    target = out or journal
    assert target is not None
    option = "--out" if out is not None else "--journal"
    if str(target) != "-":
        from ..safeio import check_output, refuse_inputs

        check_output(option, target)
        refuse_inputs(option, target, [("the session store", _store_path(store))])
    with SessionStore(_existing(store)) as opened:
        record = opened.find(session_ref)
        if out is not None:
            events = Session(opened, record).events
            _write_lines(target, (e.to_json() for e in events))
            _said(target, f"{len(events)} events")
            return
        entries = opened.journal(record.id)
        _write_lines(target, (
            json.dumps({"seq": e.seq, "action": e.action, "t": e.sim_time,
                        "wall_time": e.wall_time, "data": e.data},
                       ensure_ascii=False, sort_keys=True)
            for e in entries
        ))
        _said(target, f"{len(entries)} journal actions")


def _write_lines(target: Path, lines: Iterable[str]) -> None:
    """JSON Lines to a file (whole or not at all) or, for ``-``, to standard output; to a
    terminal, every character beyond ASCII is written as a JSON escape (the same values),
    so text from people cannot reorder or hide what the terminal shows."""
    import sys

    from ..safeio import atomic_output

    if str(target) != "-":
        with atomic_output(target) as handle:
            for line in lines:
                handle.write(line + "\n")
        return
    terminal = sys.stdout.isatty()
    for line in lines:
        if terminal:  # outside strings a JSON line is ASCII already
            line = "".join(c if c < "\x80" else _json_escape(c) for c in line)
        sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _json_escape(char: str) -> str:
    units = char.encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(units[i:i + 2], 'big'):04x}"
                   for i in range(0, len(units), 2))


def _said(target: Path, what: str) -> None:
    """What an export wrote; on standard error when the export itself is on standard output."""
    if str(target) == "-":
        from ..console import err

        err(f"wrote {what}")
    else:
        _say(f"wrote {target} ({what})")


@sessions_app.command("end")
def end(session_ref: SessionArgument, store: StoreOption = None) -> None:
    """End a session where it stands: decisions still open are logged as unresolved."""
    with _driving(store, session_ref) as session:
        session.end()
        _say(f"ended at {_at(session, session.now)} ({len(session.events)} events)")


def _confirm(yes: bool, question: str, refusal: str) -> None:
    """Go on only if ``--yes`` was given or a person says yes; with no terminal to ask on
    (a script, stdin closed) that is bad input, not Click's "Aborted!" and exit 1."""
    try:
        confirmed = yes or typer.confirm(question)
    except typer.Abort:
        confirmed = False
    if not confirmed:
        raise TtxError(refusal)


@sessions_app.command("delete")
def delete(session_ref: SessionArgument,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
           store: StoreOption = None) -> None:
    """Delete a session and its journal."""
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        record = opened.find(session_ref)
        _confirm(yes, f"delete session {record.id} ({record.name})?",
                 f"session {record.id} not deleted (give --yes to delete without being asked)")
        with opened.hold(record.id):
            opened.delete(record.id)
        _say(f"deleted session {record.id} ({record.name})")


@sessions_app.command("unlock")
def unlock(session_ref: SessionArgument,
           yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
           store: StoreOption = None) -> None:
    """Clear a driver lock that cannot be checked: one left on another machine, or under a
    host name that changed after a power cut. Only when no process drives the session."""
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        record = opened.find(session_ref)
        _confirm(yes, f"clear the lock of session {record.id}? Only if nothing drives it any "
                 "more", f"session {record.id} not unlocked (give --yes)")
        holder = opened.unlock(record.id)
        _say(f"session {record.id}: " + (f"cleared the lock of {holder}" if holder
                                          else "it had no lock"))


def session_source(store: Path | None, ref: str) -> tuple[list, object]:
    """A session's events and its own scenario, for ``ttx score`` and ``ttx report``: read,
    not driven (no lock), so they can score a session while it is being played."""
    import json

    from ..engine.records import parse_record
    from ..scenario.loader import LoadedScenario
    from .session import Session
    from .store import SessionStore

    with SessionStore(_existing(store)) as opened:
        record = opened.find(ref)
        session = Session(opened, record)
    loaded = LoadedScenario(session.simulation.scenario, f"session {record.id} (its scenario)",
                            record.sha256)
    # as its exported log reads back (times to 1e-4 minute): the same scores either way
    events = [parse_record(json.loads(e.to_json()), f"session {record.id}:{n}")
              for n, e in enumerate(session.events, 1)]
    return events, loaded
