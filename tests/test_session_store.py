"""The session store: what people did in an exercise is kept, whole and in order, through closed
processes, second terminals, killed drivers and files that are not what they seem.

``python tests/test_session_store.py`` regenerates ``tests/data/sessions-v1.sqlite3``, the
store of schema version 1 that later versions must keep opening (run it only with the
version-1 code: the file's point is to be old).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import TtxError
from simulator.sessions import store as store_module
from simulator.sessions.store import SessionRecord, SessionStore

ROOT = Path(__file__).resolve().parent.parent
V1_STORE = ROOT / "tests" / "data" / "sessions-v1.sqlite3"

#: what tests/data/sessions-v1.sqlite3 holds (see ``make_v1_store``)
V1_SESSION = {
    "name": "hospitals drill 'Q3'",
    "scenario_id": "ransomware-hospitals",
    "scenario_path": "scenarios/ransomware-hospitals.yaml",
    "scenario_text": b"metadata:\n  id: ransomware-hospitals\n# \xc3\xa9t\xc3\xa9\n",
    "sha256": "0" * 64,
    "seed": 7,
    "live_roles": ("cyclone_officers", "be_authority"),
    "version": "0.1.0",
}
V1_JOURNAL: list[tuple[str, float, dict[str, Any]]] = [
    ("advance", 30.0, {"to": 30.0}),
    ("decide", 30.0, {"point": "dp1", "option": "isolate", "by": "players",
                      "rationale": "Robert'); DROP TABLE journal;--\n\x00\x1b[31m"}),
    ("note", 45.5, {"text": "ça va \u202e", "by": "evaluator", "kind": None,
                    "objective": None}),
    ("pause", 45.5, {}),
]


def make_v1_store(path: Path) -> None:
    """Write the version-1 store the migration test reads (one session, four entries)."""
    path.unlink(missing_ok=True)
    with SessionStore(path) as store:
        record = store.create(**V1_SESSION)  # type: ignore[arg-type]
        for action, sim_time, data in V1_JOURNAL:
            store.append(record.id, action, sim_time, data)


def new_session(store: SessionStore, name: str = "drill", **changes: Any) -> SessionRecord:
    fields: dict[str, Any] = {**V1_SESSION, "name": name, **changes}
    return store.create(**fields)


def child(code: str, *args: str, **popen: Any) -> subprocess.Popen[str]:
    """Python ``code`` in a new process (``sys.argv[1:]`` = ``args``), as a second ttx is."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, text=True, **popen
    )


def fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def store(tmp_path: Path):
    with SessionStore(tmp_path / "sessions.sqlite3") as opened:
        yield opened


# -- finding sessions ----------------------------------------------------------------------------


def test_find_by_id_prefix_and_name(store: SessionStore) -> None:
    """A session is found by its id, by four or more leading characters of it, or by its name."""
    record = new_session(store, "morning drill")
    other = new_session(store, "afternoon drill")
    assert len(record.id) == 12 and set(record.id) <= set("0123456789abcdef")
    assert record.status == "active" and record.sim_time == 0.0
    assert store.find(record.id) == record
    assert store.find(record.id.upper()) == record
    assert store.find(record.id[:6]) == record  # (four characters: see the next tests)
    assert store.find(record.id[:11]) == record
    assert store.find("morning drill") == record
    assert store.find("afternoon drill") == other
    assert record.scenario_text == V1_SESSION["scenario_text"]
    assert record.live_roles == V1_SESSION["live_roles"]


def test_an_unknown_reference_lists_the_sessions(store: SessionStore) -> None:
    """A reference that matches nothing is refused with the store's sessions, ids and names."""
    with pytest.raises(TtxError, match="holds no sessions"):
        store.find("drill")
    records = [new_session(store, f"drill {n}") for n in range(12)]
    with pytest.raises(TtxError) as caught:
        store.find("nothing like it")
    message = str(caught.value)
    assert str(store.path) in message and "'nothing like it'" in message
    newest = records[-1]
    assert f"{newest.id} (drill 11)" in message
    assert f"{records[0].id} (drill 0)" not in message  # at most ten are listed...
    assert "and 2 more" in message  # ...and the rest are counted


def test_an_ambiguous_prefix_lists_the_candidates(
    store: SessionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prefix shared by several ids is refused with each of them, not resolved by guessing."""
    ids = iter(["abcd00000001", "abcd00000002", "ffff00000003"])
    monkeypatch.setattr(store_module, "secrets", SimpleNamespace(token_hex=lambda n: next(ids)))
    one, two, three = (new_session(store, name) for name in ("one", "two", "three"))
    with pytest.raises(TtxError) as caught:
        store.find("abcd")
    assert "abcd00000001 (one)" in str(caught.value)
    assert "abcd00000002 (two)" in str(caught.value)
    assert "ffff" not in str(caught.value)
    assert store.find("abcd00000001") == one and store.find("abcd00000002") == two
    assert store.find("ffff") == three
    with pytest.raises(TtxError):
        store.find("abc")  # three characters are too few to be a prefix


def test_names_are_unique(store: SessionStore) -> None:
    """A second session cannot take a name already in use, so a name always finds one session."""
    first = new_session(store, "drill")
    with pytest.raises(TtxError, match="already exists"):
        new_session(store, "drill")
    assert [r.id for r in store.sessions()] == [first.id]


def test_sessions_lists_latest_activity_first(store: SessionStore) -> None:
    """The session acted on last comes first in the list, even within the same second."""
    a, b, c = (new_session(store, name) for name in "abc")
    assert [r.name for r in store.sessions()] == ["c", "b", "a"]
    store.append(a.id, "note", 5.0, {"text": "x"})
    assert [r.name for r in store.sessions()] == ["a", "c", "b"]
    store.set_status(b.id, "ended")
    assert [(r.name, r.status) for r in store.sessions()] == [
        ("b", "ended"), ("a", "active"), ("c", "active")
    ]
    assert store.find(c.id).status == "active"


# -- the journal ---------------------------------------------------------------------------------


def test_journal_is_numbered_without_gaps_and_survives_reopening(tmp_path: Path) -> None:
    """Entries are numbered 1, 2, 3 ... and read back the same from a newly opened store."""
    path = tmp_path / "s.sqlite3"
    with SessionStore(path) as store:
        record = new_session(store)
        written = [store.append(record.id, "advance", float(n), {"to": float(n)})
                   for n in range(1, 26)]
    assert [e.seq for e in written] == list(range(1, 26))
    with SessionStore(path) as store:
        again = store.journal(record.id)
        assert again == written
        assert store.find(record.id).sim_time == 25.0  # the session's clock moved with them
        assert store.append(record.id, "pause", 25.0, {}).seq == 26


def test_an_appended_entry_is_seen_by_another_process(tmp_path: Path) -> None:
    """What one process appended is read by another as soon as ``append`` has returned."""
    path = tmp_path / "s.sqlite3"
    with SessionStore(path) as store:
        record = new_session(store)
        store.append(record.id, "advance", 10.0, {"to": 10.0})
        code = (
            "import sys\n"
            "from simulator.sessions.store import SessionStore\n"
            "s = SessionStore(sys.argv[1])\n"
            "s.append(sys.argv[2], 'note', 12.5, {'text': 'from the child'})\n"
            "s.append(sys.argv[2], 'decide', 13.0, {'point': 'p', 'option': 'o'})\n"
            "import os; os._exit(0)  # no close: what append returned is already on disk\n"
        )
        assert child(code, str(path), record.id).wait(timeout=30) == 0
        entries = store.journal(record.id)
    assert [(e.seq, e.action, e.sim_time) for e in entries] == [
        (1, "advance", 10.0), (2, "note", 12.5), (3, "decide", 13.0)
    ]
    assert entries[1].data == {"text": "from the child"}


def test_appending_to_an_unknown_session_is_refused(store: SessionStore) -> None:
    """An entry cannot be written for a session the store does not hold."""
    with pytest.raises(TtxError, match="no session"):
        store.append("000000000000", "note", 0.0, {"text": "lost"})
    with pytest.raises(TtxError, match="no session"):
        store.journal("000000000000")


def test_data_that_is_not_json_is_refused_without_an_entry(store: SessionStore) -> None:
    """An action whose data cannot be stored leaves no half-written entry behind."""
    record = new_session(store)
    with pytest.raises(TtxError, match="not JSON"):
        store.append(record.id, "speed", 0.0, {"speed": float("nan")})
    with pytest.raises(TtxError):
        store.append(record.id, "advance", float("inf"), {})
    assert store.journal(record.id) == []
    assert store.append(record.id, "speed", 0.0, {"speed": 2.0}).seq == 1


_VERBATIM = tempfile.TemporaryDirectory()


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60),
    text=st.text(),
    key=st.text(max_size=10),
)
def test_any_text_round_trips(name: str, text: str, key: str) -> None:
    """Whatever people type (quotes, SQL, control characters, any script) comes back as typed."""
    with SessionStore(Path(_VERBATIM.name) / "verbatim.sqlite3") as store:
        record = new_session(store, name)
        data = {key: text, "rationale": text, "nested": [text, {"by": name}]}
        store.append(record.id, "note", 1.0, data)
        assert store.find(name).name == name
        assert store.journal(record.id)[0].data == data
        store.delete(record.id)


def test_long_text_round_trips(store: SessionStore) -> None:
    """A 100 KB note full of quotes and SQL is stored whole."""
    record = new_session(store, "x'; DROP TABLE sessions; --")
    note = ("'\"; DELETE FROM journal; --\x00\r\n" * 4000)[:100_000]
    store.append(record.id, "note", 0.0, {"text": note})
    assert store.journal(record.id)[0].data["text"] == note
    assert store.find("x'; DROP TABLE sessions; --").id == record.id


def test_delete_removes_the_session_and_its_journal(store: SessionStore) -> None:
    """A deleted session is gone with every entry of its journal; other sessions stay."""
    gone, kept = new_session(store, "gone"), new_session(store, "kept")
    for n in range(3):
        store.append(gone.id, "note", float(n), {"text": str(n)})
    store.append(kept.id, "note", 0.0, {"text": "stay"})
    with store.hold(gone.id):
        pass
    store.delete(gone.id)
    with pytest.raises(TtxError, match="no session"):
        store.find(gone.id)
    raw = sqlite3.connect(store.path)
    assert raw.execute("SELECT count(*) FROM journal WHERE session_id = ?",
                       (gone.id,)).fetchone() == (0,)
    raw.close()
    assert [e.data for e in store.journal(kept.id)] == [{"text": "stay"}]
    assert [r.id for r in store.sessions()] == [kept.id]


# -- driving -------------------------------------------------------------------------------------

_HOLDER = (
    "import sys, time\n"
    "from simulator.sessions.store import SessionStore\n"
    "s = SessionStore(sys.argv[1])\n"
    "with s.hold(sys.argv[2]):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(60)\n"
)


def test_a_driven_session_is_refused_to_another_process_until_its_driver_dies(
    store: SessionStore,
) -> None:
    """While one process drives a session another cannot; once the driver is killed, it can."""
    record = new_session(store)
    holder = child(_HOLDER, str(store.path), record.id, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(TtxError) as caught, store.hold(record.id):
            pass
        assert f"being driven by process {holder.pid} on " in str(caught.value)
        store.append(record.id, "note", 0.0, {"text": "readers and writers need no lock"})
        assert len(store.journal(record.id)) == 1
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    with (
        store.hold(record.id),
        pytest.raises(TtxError, match="already being driven here"),
        store.hold(record.id),
    ):
        pass
    with store.hold(record.id):  # released on leaving the block
        pass


def test_the_lock_is_released_when_driving_fails(store: SessionStore) -> None:
    """An error while driving does not leave the session locked."""
    record = new_session(store)
    with pytest.raises(RuntimeError), store.hold(record.id):
        raise RuntimeError("the driver crashed")
    holder = child(_HOLDER, str(store.path), record.id, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_lock_of_another_machine_is_refused_with_what_to_do(store: SessionStore) -> None:
    """A driver on another host cannot be checked, so it is refused naming it and the way out."""
    record = new_session(store)
    raw = sqlite3.connect(store.path)
    raw.execute("INSERT INTO drivers (session_id, pid, host, since) VALUES (?, 4242, "
                "'laptop-7', '2026-12-02T12:00:00Z')", (record.id,))
    raw.commit()
    raw.close()
    with pytest.raises(TtxError) as caught, store.hold(record.id):
        pass
    assert "process 4242 on laptop-7 since 2026-12-02T12:00:00Z" in str(caught.value)
    assert f"ttx sessions unlock {record.id}" in str(caught.value)
    assert store.unlock(record.id) == "process 4242 on laptop-7 since 2026-12-02T12:00:00Z"
    with store.hold(record.id):  # cleared: this process drives it now
        pass
    assert store.unlock(record.id) is None


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_reused_pid_does_not_keep_the_lock(store: SessionStore) -> None:
    """A lock whose pid now belongs to another process (after a crash or reboot) is taken over."""
    record = new_session(store)
    raw = sqlite3.connect(store.path)
    raw.execute("INSERT INTO drivers VALUES (?, ?, ?, '2026-12-02T12:00:00Z', 'old-boot:1')",
                (record.id, os.getppid(), store_module.socket.gethostname()))
    raw.commit()
    raw.close()
    with store.hold(record.id):
        pass


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_driver_not_yet_reaped_does_not_keep_the_lock(store: SessionStore) -> None:
    """A driver killed while its parent has not collected it yet (a zombie) holds nothing."""
    record = new_session(store)
    holder = child(_HOLDER, str(store.path), record.id, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        holder.send_signal(signal.SIGKILL)
        stat_file = Path(f"/proc/{holder.pid}/stat")
        deadline = time.monotonic() + 10
        while ") Z " not in stat_file.read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        with store.hold(record.id):
            pass
    finally:
        holder.kill()
        holder.wait(timeout=30)


# -- files that are not stores -------------------------------------------------------------------


def _text_file(path: Path) -> None:
    path.write_text("sessions:\n  - drill\n")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(8192))


def _foreign_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    db.execute("INSERT INTO contacts VALUES ('ENISA', '+30')")
    db.commit()
    db.close()


def _foreign_wal_database(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()


def _newer_store(path: Path) -> None:
    shutil.copy(V1_STORE, path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


def _damaged_store(path: Path) -> None:
    with SessionStore(path) as store:
        record = new_session(store, scenario_text=bytes(20_000))
        for n in range(200):
            store.append(record.id, "note", float(n), {"text": "x" * 100})
    size = path.stat().st_size
    with path.open("r+b") as file:  # a torn write in the middle of the b-tree pages
        file.seek(size // 2 - 100)
        file.write(random.Random(2).randbytes(400))


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_text_file, "not a ttx session store (not an SQLite database)"),
        (_random_bytes, "not a ttx session store (not an SQLite database)"),
        (_foreign_database, "an SQLite database, but not a ttx session store"),
        (_foreign_wal_database, "an SQLite database, but not a ttx session store"),
        (_newer_store, "written by a newer ttx (schema 99)"),
        (_damaged_store, "a damaged session store"),
    ],
)
def test_a_file_that_is_not_a_readable_store_is_refused_untouched(
    tmp_path: Path, make: Any, reason: str
) -> None:
    """A wrong, newer or damaged file is refused naming it and why, and is left as it was;
    beside a file that is no store of ours, or a newer one, nothing is written either (no
    -wal or -shm file: a damaged store of ours is read as SQLite reads a live one)."""
    path = tmp_path / "sessions.sqlite3"
    make(path)
    beside = sorted(tmp_path.iterdir())
    before = fingerprint(path)
    time.sleep(0.01)
    with pytest.raises(TtxError) as caught:
        SessionStore(path)
    assert str(caught.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(caught.value)
    assert fingerprint(path) == before
    if make is not _damaged_store:
        assert sorted(tmp_path.iterdir()) == beside


def test_a_folder_is_refused(tmp_path: Path) -> None:
    """A folder given as the store is refused, not created in or deleted."""
    with pytest.raises(TtxError, match="is a folder"):
        SessionStore(tmp_path)
    in_a_file = tmp_path / "plain-file"
    in_a_file.write_text("x")
    with pytest.raises(TtxError, match="cannot create the session store"):
        SessionStore(in_a_file / "sub" / "sessions.sqlite3")
    assert in_a_file.read_text() == "x"


def test_a_missing_or_empty_file_becomes_a_store(tmp_path: Path) -> None:
    """A new path (its folders too) or an empty file is a new, empty store."""
    deep = tmp_path / "a" / "b" / "sessions.sqlite3"
    with SessionStore(deep) as store:
        assert store.sessions() == []
        new_session(store)
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with SessionStore(empty) as store:
        assert store.sessions() == []
    with SessionStore(deep) as store:
        assert [r.name for r in store.sessions()] == ["drill"]


# -- versions ------------------------------------------------------------------------------------


def test_a_version_1_store_opens_and_reads(tmp_path: Path) -> None:
    """A store written by ttx's first session schema still opens, with every entry intact."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_STORE, path)
    with SessionStore(path) as store:
        [record] = store.sessions()
        for field, value in V1_SESSION.items():
            assert getattr(record, field) == value, field
        assert store.find(V1_SESSION["name"]) == record
        entries = store.journal(record.id)
        assert [(e.seq, e.action, e.sim_time, e.data) for e in entries] == [
            (n, *entry) for n, entry in enumerate(V1_JOURNAL, 1)
        ]
        assert record.sim_time == V1_JOURNAL[-1][1]
        assert store.append(record.id, "resume", 45.5, {}).seq == len(V1_JOURNAL) + 1


@pytest.mark.parametrize("seed", [0, 2**63 - 1, 2**63, 2**64 - 1, -(2**63), -1])
def test_a_session_keeps_every_seed_ttx_run_takes(tmp_path: Path, seed: int) -> None:
    """Seeds from -2**63 to 2**64 - 1 come back exactly (SQLite's integers stop at 2**63)."""
    with SessionStore(tmp_path / "s.sqlite3") as store:
        record = store.create(name="n", scenario_id="x", scenario_path="x", scenario_text=b"x",
                              sha256="x", seed=seed, live_roles=(), version="x")
        assert store.find("n").seed == seed == record.seed
    with pytest.raises(TtxError, match="a seed is from"), \
            SessionStore(tmp_path / "s.sqlite3") as store:
        new_session(store, name="m", seed=2**64)


def test_migrations_run_forward_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older store is migrated step by step; a step that fails leaves the file readable."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(V1_STORE, path)
    current = store_module.SCHEMA_VERSION

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(store_module._MIGRATIONS, current, broken)
    with pytest.raises(RuntimeError, match="migration bug"):
        SessionStore(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (1,), "as it was, every step undone"
    assert "seed_unsigned" not in {row[1] for row in raw.execute("PRAGMA table_info(sessions)")}
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                       ).fetchone() == (0,)
    raw.close()

    def step(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE added (x)")

    monkeypatch.setitem(store_module._MIGRATIONS, current, step)
    with SessionStore(path) as store:
        assert [e.action for e in store.journal(store.sessions()[0].id)] == [
            action for action, _, _ in V1_JOURNAL
        ]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone() == (current + 1,)
    raw.close()


# -- concurrency ---------------------------------------------------------------------------------

_APPENDER = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from simulator.sessions.store import SessionStore\n"
    "path, shared, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])\n"
    "while not go.exists(): time.sleep(0.005)\n"
    "s = SessionStore(path)\n"
    "own = s.create(name=sys.argv[4], scenario_id='x', scenario_path='x', scenario_text=b'x',\n"
    "               sha256='x', seed=1, live_roles=(), version='x')\n"
    "for n in range(40):\n"
    "    s.append(own.id, 'note', float(n), {'n': n})\n"
    "    s.append(shared, 'note', float(n), {'by': sys.argv[4], 'n': n})\n"
    "s.close()\n"
)


def test_two_processes_appending_at_once_keep_the_store_whole(tmp_path: Path) -> None:
    """Two processes writing at the same moment lose nothing, number without gaps, and leave a
    store that passes SQLite's full integrity check."""
    path, go = tmp_path / "s.sqlite3", tmp_path / "go"
    with SessionStore(path) as store:
        shared = new_session(store, "shared")
    writers = [child(_APPENDER, str(path), shared.id, str(go), name) for name in ("a", "b")]
    go.touch()
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    with SessionStore(path) as store:
        entries = store.journal(shared.id)
        assert [e.seq for e in entries] == list(range(1, 81))
        for name in ("a", "b"):
            assert [e.data["n"] for e in entries if e.data["by"] == name] == list(range(40))
            assert [e.data["n"] for e in store.journal(store.find(name).id)] == list(range(40))
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    raw.close()


def test_two_processes_creating_the_same_store_at_once_both_succeed(tmp_path: Path) -> None:
    """Two ttx started at once on a store that does not exist yet share one new store."""
    path, go = tmp_path / "new" / "s.sqlite3", tmp_path / "go"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from simulator.sessions.store import SessionStore\n"
        "while not Path(sys.argv[2]).exists(): time.sleep(0.002)\n"
        "with SessionStore(sys.argv[1]) as s:\n"
        "    s.create(name=sys.argv[3], scenario_id='x', scenario_path='x',\n"
        "             scenario_text=b'x', sha256='x', seed=1, live_roles=(), version='x')\n"
    )
    makers = [child(code, str(path), str(go), name) for name in ("a", "b", "c")]
    time.sleep(0.3)  # let them all reach the starting line
    go.touch()
    assert [m.wait(timeout=60) for m in makers] == [0, 0, 0]
    with SessionStore(path) as store:
        assert sorted(r.name for r in store.sessions()) == ["a", "b", "c"]


# -- where the store is --------------------------------------------------------------------------


def test_default_path_honours_ttx_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``TTX_STORE`` chooses the store; without it, the user's data folder holds it."""
    monkeypatch.setenv("TTX_STORE", str(tmp_path / "team.sqlite3"))
    assert SessionStore.default_path() == tmp_path / "team.sqlite3"
    monkeypatch.delenv("TTX_STORE")
    default = SessionStore.default_path()
    assert default.name == "sessions.sqlite3" and default.parent.name == "eu-cyber-ttx"
    assert default.is_absolute()


def test_a_new_store_is_private(tmp_path: Path) -> None:
    """A new store file is readable by its owner only: it holds what players wrote."""
    with SessionStore(tmp_path / "s.sqlite3") as store:
        new_session(store)
    assert (tmp_path / "s.sqlite3").stat().st_mode & 0o077 == 0


if __name__ == "__main__":
    make_v1_store(V1_STORE)
    print(f"wrote {V1_STORE}")
