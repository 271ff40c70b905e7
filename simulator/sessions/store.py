"""The session store: every exercise session and its journal in one SQLite file.

A live exercise must survive what happens in a room: the laptop's battery dies, a second
terminal opens the same session, someone points ``--store`` at the wrong file. So:

* An acknowledged action is on disk: each ``append`` is its own transaction, committed with
  ``synchronous=FULL`` in WAL mode before it returns (WAL also lets readers, such as a
  ``ttx sessions`` in another terminal, read while a driver writes). A killed process loses
  at most the action it had not yet been told was saved.
* Journal numbers have no gaps and no duplicates: the next ``seq`` is read and written inside
  one ``BEGIN IMMEDIATE`` transaction, so two writers are serialised by SQLite itself.
* A file that is not ours is refused *before anything is written to it*: it is first looked at
  through a read-only connection (which never checkpoints, rolls back or rewrites a header),
  and only a store of ours, of a schema this version reads and passing ``quick_check``, is
  opened for writing. An empty or missing file becomes a new store.
* The schema is versioned (``PRAGMA user_version``) and marked (``PRAGMA application_id``);
  a store of an older version is migrated forward one step at a time, all steps in one
  transaction, so a failed migration leaves the file as it was.
* People's text (names, notes, rationales) goes in through bound parameters only and comes
  back verbatim, whatever it holds.
* One process drives a session at a time (``hold``); readers never wait for the driver.

``sessions()`` returns complete records, scenario text included: a scenario is bounded (at
most ``TTX_MAX_SCENARIO_MB``, typically 10-50 KB) and a store holds tens of sessions, so a
lighter summary type would save little and give callers two shapes to handle.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import socket
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, TtxError
from ..kinds import SEEDS

SCHEMA_VERSION = 2  # PRAGMA user_version of the current schema
APPLICATION_ID = 0x54545831  # PRAGMA application_id ("TTX1"): marks a file as a ttx store

#: how long a reader or a writer waits for another process's write to finish, in seconds
BUSY_TIMEOUT = 5.0

_SQLITE_MAGIC = b"SQLite format 3\x00"
_TABLES = frozenset({"sessions", "journal", "drivers"})
_ID = re.compile(r"[0-9a-f]{12}")
_PREFIX = re.compile(r"[0-9a-f]{4,11}")
_STATUSES = ("active", "ended")
#: how many sessions an error message lists when a reference matches none
_LISTED = 10


@dataclass(frozen=True)
class SessionRecord:
    """One session as stored: what is needed to rebuild it (scenario bytes, seed, live roles)
    and what a person needs to recognise it (name, times, status)."""

    id: str  # 12 lowercase hex characters, random (secrets.token_hex(6))
    name: str
    scenario_id: str
    scenario_path: str  # where the scenario was read from, for information only
    scenario_text: bytes  # the scenario file's bytes as they were when the session began
    sha256: str  # of scenario_text
    seed: int
    live_roles: tuple[str, ...]
    version: str  # the ttx package version that created it
    created: str  # UTC ISO timestamp, e.g. 2026-12-02T12:00:00Z
    status: str  # "active" | "ended"
    sim_time: float  # simulated minutes reached (updated by the session layer)
    updated: str  # UTC ISO timestamp of the last action


@dataclass(frozen=True)
class JournalEntry:
    """One action people took, in the order it was taken: replaying the entries of a session
    in ``seq`` order rebuilds its event log."""

    seq: int  # 1, 2, 3 ... per session, no gaps
    action: str  # e.g. "advance", "decide", "deliver", "note", "pause", "resume", "speed", "end"
    sim_time: float  # simulated minutes when it was taken
    wall_time: str  # UTC ISO timestamp when it was committed
    data: dict[str, Any]  # the action's parameters, stored as JSON text (sort_keys)


# -- the schema, one function per version step ------------------------------------------------


def _create_v1(db: sqlite3.Connection) -> None:
    """Version 0 (an empty file) to 1: sessions, their journals and their drivers.

    Plain (not STRICT) tables so that any SQLite Python ships with reads them; the CHECKs hold
    what the code relies on. ``touched`` orders sessions by their latest activity: timestamps
    have one-second resolution, a counter never ties. ``drivers.started`` identifies the
    holding process beyond its pid (boot id and start time, where the system tells them), so
    a pid reused after a crash or a reboot is not mistaken for the driver.
    """
    for statement in (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 12),
            name TEXT NOT NULL UNIQUE,
            scenario_id TEXT NOT NULL,
            scenario_path TEXT NOT NULL,
            scenario_text BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            seed INTEGER NOT NULL,
            live_roles TEXT NOT NULL,
            version TEXT NOT NULL,
            created TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'ended')),
            sim_time REAL NOT NULL,
            updated TEXT NOT NULL,
            touched INTEGER NOT NULL
        )""",
        "CREATE INDEX sessions_touched ON sessions (touched)",
        """CREATE TABLE journal (
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            action TEXT NOT NULL,
            sim_time REAL NOT NULL,
            wall_time TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        ) WITHOUT ROWID""",
        """CREATE TABLE drivers (
            session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            since TEXT NOT NULL,
            started TEXT NOT NULL DEFAULT ''
        )""",
    ):
        db.execute(statement)


def _unsigned_seeds_v2(db: sqlite3.Connection) -> None:
    """Version 1 to 2: a session takes every seed ``ttx run`` takes, up to 2**64 - 1.

    SQLite's integers are signed 64-bit, and a larger one given to an INTEGER column turns
    into an inexact REAL. A seed of 2**63 or more is kept as its 64 bits read as signed (the
    seed minus 2**64) with ``seed_unsigned`` set; every version-1 seed is below 2**63, so the
    column's default is right for each of them and the step rewrites no row."""
    db.execute("ALTER TABLE sessions ADD COLUMN seed_unsigned INTEGER NOT NULL DEFAULT 0 "
               "CHECK (seed_unsigned IN (0, 1))")


#: ``_MIGRATIONS[n]`` takes a store from version n to n + 1
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _create_v1, 1: _unsigned_seeds_v2,
}

_WRAP = 2**64  # a seed of 2**63 or more is kept as seed - _WRAP (``_unsigned_seeds_v2``)


# -- small helpers ------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _to_json(data: dict[str, Any]) -> str:
    """The journal's text for ``data``: readable UTF-8 where it can be, ASCII escapes where the
    text holds lone surrogates (which UTF-8 cannot carry); both read back identically."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, sort_keys=True, ensure_ascii=True, allow_nan=False)
    return text


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _process_started(pid: int) -> str:
    """``boot:start-ticks`` of process ``pid``, or "" where the system does not tell (not
    Linux): together with the pid it names one process, never a later one with the same pid."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = raw[raw.rfind(")") + 2 :].split()  # the command name may hold spaces and ")"
    if len(fields) < 20:
        return ""
    boot = _boot_id()
    return f"{boot}:{fields[19]}" if boot else ""


def _alive(pid: int, started: str) -> bool:
    """Whether process ``pid`` of this host, which started as ``started``, still runs."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        pass
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # not Linux, or hidden: the pid is all there is to go by
    if raw[raw.rfind(")") + 2 :].startswith("Z"):
        return False  # killed, and not yet reaped by its parent
    now = _process_started(pid)
    # a different start (or boot) is another process that was given the same pid later
    return not (started and now and now != started)


def _record(row: sqlite3.Row) -> SessionRecord:
    """A row as a record; a row damaged by hand (or a failing disk) is a ``TtxError``."""
    try:
        record = _record_of(row)
        if not all(isinstance(r, str) for r in record.live_roles):
            raise ValueError("live roles are not text")
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise TtxError(f"session {row['id']!r} is damaged in the store ({exc}); export its "
                       "journal if it can be read, or delete it") from None
    return record


def _record_of(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        name=row["name"],
        scenario_id=row["scenario_id"],
        scenario_path=row["scenario_path"],
        scenario_text=bytes(row["scenario_text"]),
        sha256=row["sha256"],
        seed=int(row["seed"]) + (_WRAP if row["seed_unsigned"] else 0),
        live_roles=tuple(json.loads(row["live_roles"])),
        version=row["version"],
        created=row["created"],
        status=row["status"],
        sim_time=float(row["sim_time"]),
        updated=row["updated"],
    )


_RECORD_COLUMNS = (
    "id, name, scenario_id, scenario_path, scenario_text, sha256, seed, seed_unsigned, "
    "live_roles, version, created, status, sim_time, updated"
)


class SessionBusy(TtxError):
    """Another process drives the session (``SessionStore.hold``)."""


# -- the store ----------------------------------------------------------------------------------


class SessionStore:
    """All sessions of one user (or one team's shared folder), in one SQLite file.

    Safe to use from several processes at once (SQLite serialises writers; readers never
    wait for them) and from several threads of one process (one lock around the
    connection). Methods raise ``TtxError`` for anything a user can cause: a wrong file, an
    unknown session, a store busy for longer than ``BUSY_TIMEOUT``, a full disk.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._held: set[str] = set()
        new = self._inspect()
        self._db = self._connect()
        try:
            self._prepare(new)
        except BaseException:
            self._db.close()
            raise

    # -- opening ----------------------------------------------------------------------------

    def _error(self, message: str) -> TtxError:
        return TtxError(Diagnostic(str(self.path), 0, 0, "", message))

    def _busy(self, message: str) -> SessionBusy:
        return SessionBusy(Diagnostic(str(self.path), 0, 0, "", message))

    def _inspect(self) -> bool:
        """Refuse a file that is not a readable store of ours, touching nothing; True when the
        file is missing or empty (a new store), after making sure its folder exists."""
        try:
            info = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            info = None
        except OSError as exc:
            raise self._error(f"cannot open the session store: {exc.strerror}") from None
        if info is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._error(
                    f"cannot create the session store: its folder cannot be created "
                    f"({exc.strerror or exc}: {exc.filename or self.path.parent})"
                ) from None
            try:
                # sessions hold what an exercise's players wrote: readable by its owner only
                # (SQLite gives its -wal and -shm files the same permissions)
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            except OSError as exc:
                raise self._error(
                    f"cannot create the session store: {exc.strerror or exc}"
                ) from None
            return True
        if stat.S_ISDIR(info.st_mode):
            raise self._error("is a folder; give the path of a session store file")
        if not stat.S_ISREG(info.st_mode):
            raise self._error("is not a regular file, so it cannot be a session store")
        if info.st_size == 0:
            return True
        try:
            with open(self.path, "rb") as file:
                header = file.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise self._error(f"cannot read the session store: {exc.strerror}") from None
        if header != _SQLITE_MAGIC:
            raise self._error("not a ttx session store (not an SQLite database)")
        return self._probe()

    def _glance(self) -> None:
        """Refuse a foreign database or a newer store from its main file alone, opened as
        immutable: SQLite then makes no ``-wal`` or ``-shm`` file beside it, as even a
        read-only connection to a database in WAL mode would. What is still in a write-ahead
        log is not seen here, so this refuses only what no ttx store can look like (tables
        without our mark, another application's mark, a newer schema); the rest is for
        ``_probe``."""
        uri = self.path.resolve().as_uri() + "?immutable=1"
        try:
            glance = sqlite3.connect(uri, uri=True)
        except sqlite3.Error:
            return
        try:
            app = glance.execute("PRAGMA application_id").fetchone()[0]
            version = glance.execute("PRAGMA user_version").fetchone()[0]
            tables = glance.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError:
            return  # damaged, or a header only the log completes: _probe says which
        finally:
            glance.close()
        if app != APPLICATION_ID and (app != 0 or tables):
            raise self._error("an SQLite database, but not a ttx session store")
        if app == APPLICATION_ID and version > SCHEMA_VERSION:
            raise self._error(self._newer(version))

    def _newer(self, version: int) -> str:
        return (f"written by a newer ttx (schema {version}); this ttx reads up to "
                f"{SCHEMA_VERSION}. Use the newer ttx, or another store (--store)")

    def _probe(self) -> bool:
        """Look at an SQLite file through a read-only connection, which never writes to it:
        True when it is an empty database (it may become a store), False for a store of
        ours this version reads, ``TtxError`` for anything else."""
        self._glance()
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            probe = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)
        except sqlite3.Error as exc:
            raise self._error(f"cannot read the session store: {exc}") from None
        try:
            app = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                row[0]
                for row in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if app != APPLICATION_ID:
                if app == 0 and version == 0 and not tables:
                    return True  # an empty database: nothing in it to lose
                raise self._error("an SQLite database, but not a ttx session store")
            if version > SCHEMA_VERSION:
                raise self._error(self._newer(version))
            # a page-level check of every page: a few ms for a store of hundreds of sessions
            # (measured; see tests), and what makes a damaged store fail here, not mid-exercise
            problems = [" ".join(str(row[0]).split()) for row in probe.execute(
                "PRAGMA quick_check(3)"
            )]
            if problems != ["ok"]:
                raise self._error(f"a damaged session store ({'; '.join(problems)})")
            if version >= 1 and _TABLES - tables:
                missing = ", ".join(sorted(_TABLES - tables))
                raise self._error(f"a damaged session store (no table {missing})")
            return False
        except sqlite3.DatabaseError as exc:
            raise self._error(self._explain(exc)) from None
        finally:
            probe.close()

    @staticmethod
    def _explain(exc: sqlite3.Error) -> str:
        text = str(exc)
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return f"a damaged session store (SQLite: {text})"
        if "locked" in text or "busy" in text:
            return (
                f"the session store stayed busy for {BUSY_TIMEOUT:g} s (another ttx is "
                "writing to it); try again"
            )
        if "readonly" in text or "read-only" in text:
            return "the session store cannot be written (read-only file or folder)"
        if "disk is full" in text or "disk I/O" in text:
            return f"the session store cannot be written: {text}"
        return f"the session store failed: {text}"

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
                check_same_thread=False,  # guarded by self._lock instead
            )
        except sqlite3.Error as exc:
            raise self._error(f"cannot open the session store: {exc}") from None
        db.row_factory = sqlite3.Row
        return db

    def _prepare(self, new: bool) -> None:
        with self._translated():
            db = self._db
            db.execute("PRAGMA foreign_keys = ON")
            # a crafted store of ours cannot make the schema call functions with side effects
            db.execute("PRAGMA trusted_schema = OFF")
            db.execute("PRAGMA synchronous = FULL")
            # persistent in the file once set; setting it needs a moment alone with the file,
            # which a store being created by two processes at once may not give at first
            for _ in range(int(BUSY_TIMEOUT / 0.05)):
                with contextlib.suppress(sqlite3.OperationalError):
                    if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                        break
                    if db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                        break
                time.sleep(0.05)
            else:
                raise self._error(
                    f"the session store stayed busy for {BUSY_TIMEOUT:g} s (another ttx is "
                    "writing to it); try again"
                )
            db.execute("PRAGMA synchronous = FULL")  # (reset by the mode change on some builds)
            if new or db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                self._migrate()

    def _migrate(self) -> None:
        """Bring the store to ``SCHEMA_VERSION``, each step in the same transaction: a crash or
        an error on the way leaves the file at the version it had. The version is read again
        inside the transaction, so two processes creating the same store at once both work."""
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # a newer ttx got there between our look and now
                raise self._error(self._newer(version))
            while version < SCHEMA_VERSION:
                _MIGRATIONS[version](db)
                version += 1
                db.execute(f"PRAGMA user_version = {int(version)}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    @staticmethod
    def default_path() -> Path:
        """``$TTX_STORE`` if set, else ``sessions.sqlite3`` in the user's data folder: where
        a user's sessions are found from any working directory."""
        override = os.environ.get("TTX_STORE", "")
        if override:
            return Path(override).expanduser()
        try:
            from platformdirs import user_data_dir
        except ImportError:
            folder = Path.home() / ".local" / "share" / "eu-cyber-ttx"
        else:
            folder = Path(user_data_dir("eu-cyber-ttx", appauthor=False))
        return folder / "sessions.sqlite3"

    def close(self) -> None:
        """Close the connection (the last one to close folds the WAL back into the file)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _translated(self) -> Iterator[None]:
        """SQLite's errors as a user's: what happened to which file, never a traceback."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._error(self._explain(exc)) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``BEGIN IMMEDIATE``: no deadlock between two
        writers that both read first), committed when the block ends and rolled back on any
        exception, including an interrupting signal."""
        with self._lock, self._translated():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # (a COMMIT that failed, busy or disk full, too)
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._translated():
            yield self._db

    # -- sessions ---------------------------------------------------------------------------

    def create(
        self,
        *,
        name: str,
        scenario_id: str,
        scenario_path: str,
        scenario_text: bytes,
        sha256: str,
        seed: int,
        live_roles: Sequence[str],
        version: str,
    ) -> SessionRecord:
        """A new active session at simulated minute 0 with an empty journal; its name must be
        new, so that a person can always find it by name."""
        if not name:
            raise TtxError("a session needs a name")
        if not SEEDS[0] <= seed <= SEEDS[1]:
            raise TtxError(f"seed {seed}: a seed is from {SEEDS[0]} to {SEEDS[1]}")
        for what, text in (("name", name), ("scenario path", scenario_path)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise TtxError(f"the session's {what} {text!r} is not valid text") from None
        now = _now()
        with self._write() as db:
            clash = db.execute("SELECT id FROM sessions WHERE name = ?", (name,)).fetchone()
            if clash is not None:
                raise self._error(
                    f"a session named {name!r} already exists ({clash['id']}); choose another "
                    "name, or open that one"
                )
            while True:
                session_id = secrets.token_hex(6)
                if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                    continue  # one chance in 2**48 per session
                break
            db.execute(
                "INSERT INTO sessions (id, name, scenario_id, scenario_path, scenario_text, "
                "sha256, seed, seed_unsigned, live_roles, version, created, status, sim_time, "
                "updated, touched) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 0.0, ?, "
                "(SELECT coalesce(max(touched), 0) + 1 FROM sessions))",
                (
                    session_id, name, scenario_id, scenario_path, bytes(scenario_text), sha256,
                    int(seed) - _WRAP if seed >= _WRAP // 2 else int(seed),
                    int(seed >= _WRAP // 2), json.dumps(list(live_roles)), version, now, now,
                ),
            )
        return self._get(session_id)

    def _get(self, session_id: str) -> SessionRecord:
        with self._read() as db:
            row = db.execute(
                f"SELECT {_RECORD_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if row is None:
            raise self._error(f"no session {session_id!r}")
        return _record(row)

    def find(self, ref: str) -> SessionRecord:
        """The session ``ref`` names: its exact id, else its exact name, else a unique prefix
        of its id (at least 4 characters). An exact id or name wins over a prefix, so a
        session can always be reached, whatever the other sessions are called."""
        with self._read() as db:
            row = db.execute(
                f"SELECT {_RECORD_COLUMNS} FROM sessions WHERE id = ?", (ref.lower(),)
            ).fetchone() if _ID.fullmatch(ref.lower()) else None
            if row is None:
                row = db.execute(
                    f"SELECT {_RECORD_COLUMNS} FROM sessions WHERE name = ?", (ref,)
                ).fetchone()
            if row is not None:
                return _record(row)
            prefix = ref.lower()
            if _PREFIX.fullmatch(prefix):
                # ids are lowercase hex, so the ids starting with the prefix sort between it
                # and the prefix followed by "g": an index range, not a scan
                rows = db.execute(
                    f"SELECT {_RECORD_COLUMNS} FROM sessions WHERE id >= ? AND id < ? "
                    "ORDER BY touched DESC",
                    (prefix, prefix + "g"),
                ).fetchall()
                if len(rows) == 1:
                    return _record(rows[0])
                if rows:
                    listed = ", ".join(f"{r['id']} ({r['name']})" for r in rows[:_LISTED])
                    more = f" and {len(rows) - _LISTED} more" if len(rows) > _LISTED else ""
                    raise self._error(
                        f"{ref!r} could be any of {len(rows)} sessions: {listed}{more}; give "
                        "more of the id"
                    )
            everything = db.execute(
                "SELECT id, name FROM sessions ORDER BY touched DESC"
            ).fetchall()
        if not everything:
            raise self._error(f"no session {ref!r}; the store holds no sessions yet")
        listed = ", ".join(f"{r['id']} ({r['name']})" for r in everything[:_LISTED])
        more = f" and {len(everything) - _LISTED} more" if len(everything) > _LISTED else ""
        raise self._error(f"no session {ref!r}; sessions: {listed}{more}")

    def sessions(self) -> list[SessionRecord]:
        """Every session, the one with the latest activity first (complete records)."""
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_RECORD_COLUMNS} FROM sessions ORDER BY touched DESC"
            ).fetchall()
        return [_record(row) for row in rows]

    def set_status(self, session_id: str, status: str) -> None:
        """Mark a session ``active`` or ``ended`` (the session layer ends it; the store keeps
        what it is told)."""
        if status not in _STATUSES:
            raise ValueError(f"status must be one of {_STATUSES}, not {status!r}")
        with self._write() as db:
            changed = db.execute(
                "UPDATE sessions SET status = ?, updated = ?, "
                "touched = (SELECT max(touched) + 1 FROM sessions) WHERE id = ?",
                (status, _now(), session_id),
            ).rowcount
            if not changed:
                raise self._error(f"no session {session_id!r}")

    def delete(self, session_id: str) -> None:
        """Remove a session with its journal and its lock, for good."""
        with self._write() as db:
            db.execute("DELETE FROM journal WHERE session_id = ?", (session_id,))
            db.execute("DELETE FROM drivers WHERE session_id = ?", (session_id,))
            if not db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount:
                raise self._error(f"no session {session_id!r}")

    # -- the journal ------------------------------------------------------------------------

    def append(
        self, session_id: str, action: str, sim_time: float, data: dict[str, Any]
    ) -> JournalEntry:
        """Add the next entry to a session's journal, and move the session's clock and
        last-activity time with it; on disk (fsynced) before this returns."""
        if not math.isfinite(sim_time):
            raise TtxError(f"cannot journal {action!r} at simulated time {sim_time!r}")
        try:
            text = _to_json(data)
        except (TypeError, ValueError) as exc:
            raise TtxError(f"cannot journal {action!r}: its data is not JSON ({exc})") from None
        wall = _now()
        with self._write() as db:
            changed = db.execute(
                "UPDATE sessions SET sim_time = ?, updated = ?, "
                "touched = (SELECT max(touched) + 1 FROM sessions) WHERE id = ?",
                (float(sim_time), wall, session_id),
            ).rowcount
            if not changed:
                raise self._error(f"no session {session_id!r}")
            seq = db.execute(
                "SELECT coalesce(max(seq), 0) + 1 FROM journal WHERE session_id = ?",
                (session_id,),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO journal (session_id, seq, action, sim_time, wall_time, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, seq, action, float(sim_time), wall, text),
            )
        return JournalEntry(seq, action, float(sim_time), wall, json.loads(text))

    def journal(self, session_id: str, after: int = 0) -> list[JournalEntry]:
        """A session's entries in the order they were taken, those after entry ``after``
        (an unknown session is an error, an empty journal is not)."""
        with self._read() as db:
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise self._error(f"no session {session_id!r}")
            rows = db.execute(
                "SELECT seq, action, sim_time, wall_time, data FROM journal "
                "WHERE session_id = ? AND seq > ? ORDER BY seq",
                (session_id, after),
            ).fetchall()
        entries = []
        for row in rows:
            try:
                data = json.loads(row["data"])
            except ValueError:
                data = None
            if not isinstance(data, dict):
                raise self._error(
                    f"a damaged session store: session {session_id}, journal entry "
                    f"{row['seq']} holds no readable data"
                )
            entries.append(
                JournalEntry(
                    int(row["seq"]), row["action"], float(row["sim_time"]), row["wall_time"],
                    data,
                )
            )
        return entries

    # -- driving ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def hold(self, session_id: str) -> Iterator[None]:
        """Be the one process driving ``session_id`` for the duration of the block.

        The lock is a row in the store, not an OS lock on the file, so it is seen from any
        process that reads the store and outlives nothing but its process: a row whose process
        is gone (killed, crashed, the machine rebooted) is taken over. A row of another
        machine cannot be checked from here, so it is refused with what to do about it.
        """
        pid, host, started = os.getpid(), socket.gethostname(), _process_started(os.getpid())
        with self._write() as db:
            if session_id in self._held:
                raise self._error(f"session {session_id} is already being driven here")
            if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
                raise self._error(f"no session {session_id!r}")
            row = db.execute(
                "SELECT pid, host, since, started FROM drivers WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            if row is not None and not (row["host"] == host and row["pid"] == pid):
                holder = f"process {row['pid']} on {row['host']} since {row['since']}"
                if row["host"] != host:
                    raise self._busy(
                        f"session {session_id} is being driven by {holder}, another machine "
                        "(or this one under another name), which cannot be checked from here; "
                        "close it there, or, if that process is gone, "
                        f"`ttx sessions unlock {session_id}`"
                    )
                if _alive(int(row["pid"]), row["started"]):
                    raise self._busy(
                        f"session {session_id} is being driven by {holder}; close it there, "
                        "or wait"
                    )
            db.execute(
                "INSERT OR REPLACE INTO drivers (session_id, pid, host, since, started) "
                "VALUES (?, ?, ?, ?, ?)",
                (session_id, pid, host, _now(), started),
            )
            self._held.add(session_id)
        try:
            yield
        except BaseException:
            with contextlib.suppress(TtxError, sqlite3.Error):
                self._release(session_id, pid, host)  # a row left behind is taken over later
            raise
        else:
            self._release(session_id, pid, host)

    def unlock(self, session_id: str) -> str | None:
        """Remove whatever driver lock ``session_id`` has, and say whose it was: for a lock
        that cannot be checked (another machine, a host name that changed after a power cut).
        The caller makes sure a person asked for it."""
        with self._write() as db:
            row = db.execute("SELECT pid, host, since FROM drivers WHERE session_id = ?",
                             (session_id,)).fetchone()
            db.execute("DELETE FROM drivers WHERE session_id = ?", (session_id,))
        if row is None:
            return None
        return f"process {row['pid']} on {row['host']} since {row['since']}"

    def _release(self, session_id: str, pid: int, host: str) -> None:
        self._held.discard(session_id)
        with self._write() as db:
            db.execute(
                "DELETE FROM drivers WHERE session_id = ? AND pid = ? AND host = ?",
                (session_id, pid, host),
            )
