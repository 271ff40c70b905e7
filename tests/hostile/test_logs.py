"""A forged or damaged event log never crashes ``ttx score`` or ``ttx report``.

A log is read back by people who did not write it: shared after an exercise, edited by hand,
cut short by a full disk, or made to attack the tool. Every record is held to its kind's
declared types as it is read, and a log that breaks them is refused at its line with exit 2;
text in it is shown, never obeyed; the reading itself is bounded. Each test below is one way
the reader used to fail with an internal error (exit 1), or to read outside the scenario
library, and the property at the end throws random damage at real logs.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.engine import Simulation
from simulator.engine.records import END_KINDS, Event
from simulator.errors import TtxError
from simulator.kinds import EVENT_KINDS, ID, ID_PATTERN, PAYLOADS, FieldType, nullable
from simulator.scenario.countries import THIRD_COUNTRIES
from simulator.scenario.loader import load_scenario
from simulator.scenario.reference import IPCR_MODES, MEMBER_STATES, SECTORS, TIERS
from simulator.scenario.units import MAX_DURATION
from simulator.scoring import find_scenario

from ..conftest import ROOT, Result

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
STATE_ACTOR = ROOT / "scenarios" / "supply-chain-state-actor.yaml"
HOSPITALS = ROOT / "scenarios" / "ransomware-hospitals.yaml"

Records = list[dict[str, Any]]


def _records(scenario: Path, seed: int) -> Records:
    events = Simulation(load_scenario(scenario), seed).run().events
    return [json.loads(e.to_json()) for e in events]


@pytest.fixture(scope="module")
def minimal() -> Records:
    """The minimal scenario's log, made once: the base of most broken logs."""
    return _records(MINIMAL, 1)


@pytest.fixture(scope="module")
def state_actor() -> Records:
    """A log with EU INTCEN's assessments, partners' attributions and a proportionality
    metric, which fold attribution grades and partners into the state while scoring (seed 3:
    one whose run also adopts a measure)."""
    records = _records(STATE_ACTOR, 3)
    kinds = {r["kind"] for r in records}
    assert {"intcen.assessment", "partner.attribution", "measure.adopted"} <= kinds
    return records


def write(path: Path, records: Records, lines: dict[int, str] | None = None) -> str:
    """The records as a log; ``lines`` replaces whole lines (0-based) by raw text."""
    text = [json.dumps(r) for r in records]
    for index, line in (lines or {}).items():
        text[index] = line
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return str(path)


def edited(path: Path, records: Records, index: int, change: Callable[[dict[str, Any]], Any]
           ) -> str:
    records = json.loads(json.dumps(records))
    change(records[index])
    return write(path, records)


def first(records: Records, kind: str) -> int:
    return next(i for i, r in enumerate(records) if r["kind"] == kind)


def refused(ttx: Callable[..., Result], log: str, line: int, reason: str,
            scenario: Path = MINIMAL) -> None:
    """Both commands refuse the log with exit 2, at its line, saying why; no traceback."""
    out = Path(log).with_suffix(".html")
    for args in (["score", log], ["report", log, "--out", str(out)]):
        result = ttx(*args, "--scenario", str(scenario))
        assert result.code == 2, (args[0], result.err)
        assert f"{log}:{line}:" in result.err, result.err
        assert reason in result.err, result.err
        assert "Traceback" not in result.err and "internal error" not in result.err
        assert not out.exists()


# --------------------------------------------------------------------------------------------
# each way a log crashed the tools (exit 1), or got past the reader unchecked


def test_a_blocked_measure_without_its_reason(ttx, tmp_path, minimal):
    records = [*minimal]
    records.insert(-1, {**records[-1], "kind": "measure.blocked", "subject": "hr_declaration",
                        "payload": {}})
    log = write(tmp_path / "log.jsonl", records)
    refused(ttx, log, len(records) - 1, "measure.blocked needs 'reason' (text)")


def test_a_failed_run_without_its_error(ttx, tmp_path, minimal):
    failed = {**minimal[-1], "kind": "run.failed",
              "payload": {"t": minimal[-1]["t"], "events": len(minimal)}}
    log = write(tmp_path / "log.jsonl", [*minimal[:-1], failed])
    refused(ttx, log, len(minimal), "run.failed needs 'error' (text)")


def test_a_time_of_400_digits(ttx, tmp_path, minimal):
    line = json.dumps(minimal[3]).replace(f'"t": {minimal[3]["t"]}', '"t": ' + "9" * 400)
    log = write(tmp_path / "log.jsonl", minimal, {3: line})
    refused(ttx, log, 4, "'t' must be a number of simulated minutes from 0 to 2,628,000 "
                         "(5 years, the longest run), not a number of 400 digits")


@pytest.mark.parametrize("value", ["9" * 400, "9" * 5000, "1e400", "NaN", "-Infinity"])
def test_a_payload_number_beyond_any_float(ttx, tmp_path, minimal, value):
    index = first(minimal, "adversary.impact")
    record = json.loads(json.dumps(minimal[index]))
    record["payload"]["loss_eur"] = "@"
    line = json.dumps(record).replace('"@"', value)
    log = write(tmp_path / "log.jsonl", minimal, {index: line})
    reason = ("a number too long to read" if len(value) > 4300
              else "adversary.impact needs 'loss_eur' to be a number from 0 to 1e+15")
    refused(ttx, log, index + 1, reason)


@pytest.mark.parametrize("depth", [100_000, 500])
def test_a_payload_nested_deeper_than_declared(ttx, tmp_path, minimal, depth):
    index = first(minimal, "inject.delivered")
    record = json.loads(json.dumps(minimal[index]))
    record["payload"]["synopsis"] = "@"
    line = json.dumps(record).replace('"@"', "[" * depth + "]" * depth)
    log = write(tmp_path / "log.jsonl", minimal, {index: line})
    reason = ("nested too deeply" if depth > 1000
              else "inject.delivered needs 'synopsis' to be text, not a list of 1 item")
    refused(ttx, log, index + 1, reason)


def test_lone_surrogates_and_terminal_controls_are_shown_not_obeyed(ttx, tmp_path, minimal):
    """A lone surrogate cannot be written as UTF-8 and an ESC sequence acts on the terminal:
    as they are read, both become visible escapes, and the commands go on."""
    unsafe = "\ud800 \x1b]0;owned\x07 \u202e"
    records = json.loads(json.dumps(minimal))
    records[0]["payload"]["version"] = unsafe
    failed = {**records[-1], "kind": "run.failed",
              "payload": {"error": unsafe, "t": records[-1]["t"], "events": len(records)}}
    log = write(tmp_path / "log.jsonl", [*records[:-1], failed])
    shown = "\\ud800 \\x1b]0;owned\\x07 \\u202e"
    for args in (["score", log, "--json"], ["score", log],
                 ["report", log, "--out", str(tmp_path / "r.html")]):
        result = ttx(*args, "--scenario", str(MINIMAL))
        assert result.code == 0, result.err
        assert "\x1b" not in result.out + result.err and "\ud800" not in result.out + result.err
    card = json.loads(ttx("score", log, "--json", "--scenario", str(MINIMAL)).out)
    assert card["run"]["version"] == shown
    assert "\\x1b]0;owned\\x07" in ttx("score", log, "--scenario", str(MINIMAL)).out.replace(
        "\n", "")
    report = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "\x1b" not in report and "\\x1b]0;owned" in report


def test_a_null_grade_where_the_engine_always_gives_one(ttx, tmp_path, state_actor):
    """EU INTCEN always grades its assessment; a null there crashed the attribution basis."""
    index = first(state_actor, "intcen.assessment")
    log = edited(tmp_path / "log.jsonl", state_actor, index,
                 lambda r: r["payload"].update(attribution_grade=None))
    refused(ttx, log, index + 1, "intcen.assessment needs 'attribution_grade' to be a whole "
                                 "number from 0 to 4, not null", STATE_ACTOR)


def test_a_null_grade_where_the_engine_gives_one_is_read(ttx, tmp_path, state_actor):
    """Where the engine does write null (a measure whose language attributes nothing), the
    log is read and scored."""
    index = first(state_actor, "measure.adopted")
    log = edited(tmp_path / "log.jsonl", state_actor, index,
                 lambda r: r["payload"].update(attribution_grade=None))
    result = ttx("score", log, "--scenario", str(STATE_ACTOR))
    assert result.code == 0, result.err


def test_a_partner_that_is_a_list(ttx, tmp_path, state_actor):
    index = first(state_actor, "partner.attribution")
    log = edited(tmp_path / "log.jsonl", state_actor, index,
                 lambda r: r["payload"].update(partner=["US"]))
    refused(ttx, log, index + 1, "partner.attribution needs 'partner' to be an id", STATE_ACTOR)


def test_a_run_that_ends_two_million_years_on(ttx, tmp_path, minimal):
    log = edited(tmp_path / "log.jsonl", minimal, -1, lambda r: r.update(t=1e12))
    refused(ttx, log, len(minimal), "'t' must be a number of simulated minutes from 0 to "
                                    "2,628,000 (5 years, the longest run), not 1e+12")


def test_a_record_after_the_end_its_run_started_record_gives(ttx, tmp_path, minimal):
    end = minimal[0]["payload"]["end"]
    log = edited(tmp_path / "log.jsonl", minimal, -1, lambda r: r.update(t=end + 60))
    refused(ttx, log, len(minimal), f"after the run's end ({end:g}, in its run.started record)")


def test_a_truncated_log_cannot_pass_for_a_completed_run(ttx, tmp_path, minimal):
    """A run.ended moved up to make a cut-off log look finished: nothing may follow the
    record that ends a run."""
    records = [minimal[0], minimal[-1], *minimal[1:-1]]
    log = write(tmp_path / "log.jsonl", [{**r, "t": 0.0} for r in records])
    refused(ttx, log, 3, "after the run's run.ended record; nothing follows the end of a run")


def test_two_logs_put_together_are_refused(ttx, tmp_path, minimal):
    """A second run.started (two logs concatenated, or a forged start) is refused at its
    line, as is anything before the first."""
    log = write(tmp_path / "log.jsonl", [*minimal[:-1], {**minimal[0], "t": minimal[-2]["t"]}])
    refused(ttx, log, len(minimal), "run.started must be the first record of a log")
    log = write(tmp_path / "late.jsonl", [minimal[1], {**minimal[0], "t": minimal[1]["t"]}])
    refused(ttx, log, 2, "run.started must be the first record of a log")


@pytest.mark.parametrize("name", ["/etc/passwd", "../tests/data/minimal", "..", "a/../../x"])
def test_the_scenario_of_a_log_is_an_id_never_a_path(ttx, tmp_path, minimal, name):
    """Without --scenario, the scenario is looked up by the id run.started gives; a path
    there would read any YAML file the user can read, so it is refused at line 1."""
    log = edited(tmp_path / "log.jsonl", minimal, 0, lambda r: r["payload"].update(scenario=name))
    for args in (["score", log], ["report", log, "--out", str(tmp_path / "r.html")]):
        result = ttx(*args)
        assert result.code == 2
        assert f"{log}:1: run.started needs 'scenario' to be an id" in result.err, result.err
        assert "Traceback" not in result.err


def test_find_scenario_looks_only_in_the_scenario_folders(tmp_path):
    """Events made in-process are not read through the log's checks: the lookup refuses a
    scenario that is not an id by itself."""
    started = Event(0.0, "run.started", "exercise_control",
                    payload={"scenario": "../tests/data/minimal"})
    with pytest.raises(TtxError, match=r"log\.jsonl: the run names scenario '\.\./tests/data/"
                                       r"minimal', which is not a scenario id"):
        find_scenario([started], tmp_path / "log.jsonl")


# --------------------------------------------------------------------------------------------
# bounded reading


def test_a_log_over_the_size_limit_is_refused_before_it_is_read(ttx, tmp_path, minimal,
                                                               monkeypatch):
    log = write(tmp_path / "log.jsonl", minimal)
    monkeypatch.setenv("TTX_MAX_LOG_MB", "0.001")
    result = ttx("score", log, "--scenario", str(MINIMAL))
    assert result.code == 2
    assert "an event log may be at most 0.001 MB" in result.err
    assert "TTX_MAX_LOG_MB=0.002" in result.err


def test_a_line_over_a_megabyte(ttx, tmp_path, minimal):
    record = json.loads(json.dumps(minimal[2]))
    record["payload"]["synopsis"] = "x" * 1_000_001
    log = write(tmp_path / "log.jsonl", [*minimal[:2], record, *minimal[3:]])
    refused(ttx, log, 3, "the line is longer than 1 MB")


def test_more_records_than_a_log_may_hold(ttx, tmp_path, minimal, monkeypatch):
    monkeypatch.setattr("simulator.engine.records.MAX_RECORDS", 10)
    log = write(tmp_path / "log.jsonl", minimal)
    refused(ttx, log, 11, "more than 10 records")


def test_a_line_that_is_not_utf8(ttx, tmp_path, minimal):
    path = tmp_path / "log.jsonl"
    write(path, minimal)
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b'"actor": "', b'"actor": "\xff\xfe', 1)
    assert b"\xff" in lines[4]
    path.write_bytes(b"\n".join(lines))
    refused(ttx, str(path), 5, "not UTF-8 text")


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: Path("/dev/zero"), "is a character device (such as /dev/zero)"),
    (lambda p: (os.mkfifo(p / "pipe"), p / "pipe")[1], "is a named pipe"),
    (lambda p: p, "is a directory"),
])
def test_a_log_that_is_not_a_regular_file_is_refused_at_once(ttx, tmp_path, make, reason):
    """A pipe with no writer, a device that never ends: refused before any read, at once."""
    path = make(tmp_path)
    started = time.monotonic()
    result = ttx("score", str(path), "--scenario", str(MINIMAL))
    assert time.monotonic() - started < 5
    assert result.code == 2 and reason in result.err, result.err


# --------------------------------------------------------------------------------------------
# random damage


@functools.cache
def library_logs() -> list[tuple[Path, list[str]]]:
    """Two library runs as their log lines, made once: the base that the property damages
    (not a fixture, which Hypothesis would print in full with a failing example)."""
    return [(scenario, [json.dumps(r) for r in _records(scenario, seed)])
            for scenario, seed in ((HOSPITALS, 1), (STATE_ACTOR, 2))]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("damaged")


#: JSON text of junk values: any JSON value, numbers no float holds, nesting far deeper than
#: any record, text with lone surrogates, terminal controls and console markup
_text = st.text(st.characters(codec=None), max_size=12) | st.sampled_from([
    "\ud800", "\udfff x", "\x1b[2J\x1b]0;t\x07", "[/red]", "[link=file:///etc/passwd]x",
    "\u202egnp.exe", "\x00", "../../etc/passwd", "", "DE", "hr_declaration",
])
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
JUNK = st.one_of(
    _values.map(json.dumps),
    st.integers(300, 5000).map(lambda n: "9" * n),
    st.integers(2, 200_000).map(lambda n: "[" * n + "]" * n),
    st.integers(2, 5000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(["NaN", "Infinity", "-1e400", "1e12", "2628000.0001", "-0.0", "4", "-1"]),
    st.sampled_from(sorted(EVENT_KINDS)).map(json.dumps),
)
_FIELDS = ["t", "kind", "actor", "subject", "member_state", "payload"]
MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["replace", "delete", "add", "swap", "truncate", "duplicate", "kind"]),
        st.integers(0, 10**6),  # a line
        st.integers(0, 10**6),  # a field, or another line
        JUNK,
    ),
    min_size=1,
    max_size=3,
)


def _damage(lines: list[str], mutations: list[tuple[str, int, int, str]]) -> list[str]:
    lines = list(lines)
    for what, at, other, junk in mutations:
        index = at % len(lines)
        try:
            record = json.loads(lines[index])
        except (ValueError, RecursionError):
            record = None
        payload = record.get("payload") if isinstance(record, dict) else None
        if not isinstance(record, dict) or not isinstance(payload, dict):  # damaged already
            what = "duplicate" if what in ("replace", "delete", "add", "kind") else what
            record, payload = {}, {}
        names = _FIELDS + [f"payload.{k}" for k in payload]
        name = names[other % len(names)]
        place, key = (payload, name[8:]) if name.startswith("payload.") else (record, name)
        if what == "replace":
            place[key] = "\x00junk\x00"
            lines[index] = json.dumps(record).replace('"\\u0000junk\\u0000"', junk)
        elif what == "delete":
            place.pop(key, None)
            lines[index] = json.dumps(record)
        elif what == "add":
            lines[index] = json.dumps(record)[:-1] + f', "extra{other % 3}": {junk}}}'
        elif what == "swap":
            j = other % len(lines)
            lines[index], lines[j] = lines[j], lines[index]
        elif what == "truncate":
            lines[index] = lines[index][: other % (len(lines[index]) + 1)]
        elif what == "duplicate":
            lines.insert(index, lines[index])
        else:
            record["kind"] = sorted(EVENT_KINDS)[other % len(EVENT_KINDS)]
            lines[index] = json.dumps(record)
    return lines


def _run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


@given(which=st.integers(0, 1), mutations=MUTATIONS, fmt=st.sampled_from(["html", "md"]))
def test_damaged_logs_are_read_or_refused_never_crash(workdir, which, mutations, fmt):
    """Whatever is done to a real log, ``ttx score`` and ``ttx report`` (HTML, or Markdown
    with its charts) either work or refuse it as bad input (exit 2): never an internal error,
    never a traceback."""
    scenario, lines = library_logs()[which]
    log = workdir / "damaged.jsonl"
    log.write_text("\n".join(_damage(lines, mutations)) + "\n", encoding="utf-8")
    code, err = _run("score", str(log), "--scenario", str(scenario))
    event(f"score exit {code}")
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    code, err = _run("report", str(log), "--scenario", str(scenario),
                     "--out", str(workdir / f"r.{fmt}"))
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err


def _valid(field: FieldType) -> st.SearchStrategy[Any]:
    """Any value a field's declaration allows, extremes included."""
    base = field.base
    strategies: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "text": lambda: _text,
        "id": lambda: st.sampled_from(KNOWN_IDS) | st.from_regex(ID_PATTERN, fullmatch=True),
        "scope": lambda: st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,30}", fullmatch=True),
        "member_state": lambda: st.sampled_from(sorted(MEMBER_STATES)),
        "country": lambda: st.sampled_from(sorted(THIRD_COUNTRIES)),
        "sector": lambda: st.sampled_from(sorted(SECTORS)),
        "tier": lambda: st.sampled_from(TIERS),
        "ipcr_mode": lambda: st.sampled_from(IPCR_MODES),
        "tlp": lambda: st.sampled_from(["clear", "green", "amber", "amber+strict", "red"]),
        "criticality": lambda: st.sampled_from(["low", "medium", "high", "critical"]),
        "technique": lambda: st.from_regex(r"T\d{4}(\.\d{3})?", fullmatch=True),
        "sha256": lambda: st.just("") | st.text("0123456789abcdef", min_size=64, max_size=64),
        "timestamp": lambda: st.just("2026-01-05T08:00:00Z"),
        "time": lambda: st.floats(0, MAX_DURATION),
        "due": lambda: st.floats(0, 2 * MAX_DURATION),
        "number": lambda: st.floats(field.low, field.high),
        "integer": lambda: st.integers(int(field.low or 0), int(field.high or 0)),
        "boolean": st.booleans,
        "one_of": lambda: st.sampled_from(field.values),
        "list": lambda: st.lists(_valid(field.item or FieldType("text")), max_size=3),
    }
    strategy = strategies[base]()
    return st.none() | strategy if field.nullable else strategy


#: ids the library run uses (decision points, measures, injects, partners ...), so that made-up
#: records also name things the scenario knows
KNOWN_IDS = sorted({
    value for line in _records(STATE_ACTOR, 1) for value in (line["subject"], *(
        v for v in line["payload"].values() if isinstance(v, str)))
    if isinstance(value, str) and re.fullmatch(ID_PATTERN, value)
})


@st.composite
def records_as_declared(draw: st.DrawFn) -> dict[str, Any]:
    # the run's first and last records are the real log's own: nothing precedes run.started
    # and nothing follows the record that ends a run
    kind = draw(st.sampled_from(sorted(set(PAYLOADS) - {"run.started"} - END_KINDS)))
    payload = {}
    for name, field in PAYLOADS[kind].items():
        if not field.optional or draw(st.booleans()):
            payload[name] = draw(_valid(field))
    return {
        "kind": kind,
        "actor": draw(_valid(FieldType("scope"))),
        "subject": draw(_valid(nullable(ID))),
        "member_state": draw(_valid(nullable(FieldType("member_state")))),
        "payload": payload,
    }


@settings(max_examples=12)
@given(which=st.integers(0, 1), added=st.lists(records_as_declared(), min_size=1, max_size=20),
       fmt=st.sampled_from(["html", "md"]))
def test_any_record_its_declaration_allows_is_scored_and_reported(workdir, which, added, fmt):
    """The declaration is what consumers may rely on, and all it allows they handle: records
    of any kind with any declared values (nulls, extremes, unknown ids, unsafe text), added to
    a real log, are read, scored and reported."""
    scenario, lines = library_logs()[which]
    *body, ended = lines
    t = json.loads(ended)["t"]
    extra = [json.dumps({"t": t, **record}) for record in added]
    log = workdir / "added.jsonl"
    log.write_text("\n".join([*body, *extra, ended]) + "\n", encoding="utf-8")
    code, err = _run("score", str(log), "--scenario", str(scenario))
    assert code == 0, err
    code, err = _run("report", str(log), "--scenario", str(scenario),
                     "--out", str(workdir / f"r.{fmt}"))
    assert code == 0, err
