"""Hostile scenarios: what ``ttx validate`` accepts, ``ttx run`` runs on a laptop in seconds;
and scenario text stays text.

Each scenario here once passed validation and then ran for minutes, took gigabytes or crashed
(a datetime overflow, "total of weights must be finite", an int too long to print), or carried
terminal escapes and invisible characters into every report. Each is now refused when the
scenario is validated, at its ``file:line:col``, with the limit it breaks.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from simulator.engine import Simulation
from simulator.errors import ScenarioError
from simulator.scenario.checks import (
    MAX_CONDITION_TESTS,
    MAX_ENTITIES,
    MAX_REPETITIONS,
    MAX_SPREAD_ATTEMPTS,
)
from simulator.scenario.loader import load_scenario, parse_scenario
from simulator.scenario.reference import MEMBER_STATES, SECTORS
from simulator.text import UNSAFE

from ..conftest import ROOT, run_ttx

MINIMAL = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")


def at(text: str, before: str) -> tuple[int, int]:
    """Line and column (1-based) of what follows the first ``before`` in ``text``: where a
    diagnostic about that value must point."""
    index = text.index(before) + len(before)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


#: where minimal.yaml keeps the values the property below changes
TITLE = at(MINIMAL, "title: ")
SYNOPSIS = at(MINIMAL, "synopsis: ")

D1_END = "    default: no_alert\n"
#: a Presidency for each six-month term of five years from minimal.yaml's start: the Council's
#: order to 2030 (Decision (EU) 2016/1316); from 2031 it is not set yet, so DE stands in
FIVE_YEARS = ("presidency: CY", "presidency: [CY, IE, LT, GR, IT, LV, LU, NL, SK, MT, DE]")


def edited(*changes: tuple[str, str]) -> str:
    """minimal.yaml with each ``(old, new)`` replaced once; an ``old`` that is not there is
    a broken test, not a passing one."""
    text = MINIMAL
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write(tmp_path: Path, text: str, name: str = "hostile.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def refused(ttx, path: str, where: tuple[int, int] | None, *reasons: str) -> str:
    """``ttx validate`` exits 2 with the reasons, at ``where`` (line, column), no traceback."""
    result = ttx("validate", path)
    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    if where is not None:
        assert f"{path}:{where[0]}:{where[1]}: " in result.err, result.err
    for reason in reasons:
        assert reason in result.err, result.err
    return result.err


def wave(extra: str) -> tuple[str, str]:
    """Give minimal.yaml's wave more fields (``extra`` is the inside of a flow mapping)."""
    old = "targets: {member_states: [CY], sectors: [public_administration]}}"
    return old, old[:-1] + ", " + extra + "}"


# --------------------------------------------------------------------------------------------
# A. what validates runs on a laptop


@pytest.mark.parametrize(
    ("duration", "shown"),
    [
        ("1000000w", "'1000000w'"),
        ("1" + "0" * 299 + "d", "(301 characters)"),  # finite as a float: 1.44e+303 minutes
        ("1" + "0" * 399 + "d", "(401 characters)"),  # beyond a float: inf minutes
        ("61mo", "'61mo'"),
        ("1826d", "'1826d'"),
    ],
)
def test_a_scenario_lasts_at_most_five_years(ttx, tmp_path, duration, shown):
    """A run lasts as long as its scenario: a million weeks ran for minutes into gigabytes."""
    text = edited(("duration: 2d", f"duration: {duration}"))
    err = refused(ttx, write(tmp_path, text), at(text, "duration: "), shown, "at most 1825d")
    assert len(err) < 400, "a 300-digit value is shortened in the message"


def test_five_years_exactly_is_allowed(ttx, tmp_path):
    path = write(tmp_path, edited(("duration: 2d", "duration: 1825d"), FIVE_YEARS))
    assert ttx("validate", path).code == 0


def test_every_delay_is_bounded_too(ttx, tmp_path):
    """Not only the duration: a delay, a cap or an interval beyond 5 years is refused too."""
    text = edited(
        wave("impact: {recovery: {kind: lognormal, median: 1d, sigma: 1, cap: 2000d}}"),
        (D1_END, D1_END + "    deadline: 100000w\n"),
    )
    where = at(text, "cap: ")
    err = refused(ttx, write(tmp_path, text), where, "recovery.cap: '2000d' is longer than 5 years")
    assert "decision_points[0].deadline: '100000w' is longer than 5 years" in err


def test_a_refused_duration_never_starts_a_run(tmp_path):
    """``ttx run`` itself refuses it at once (it used to run until killed)."""
    path = write(tmp_path, edited(("duration: 2d", "duration: 1000000w")))
    started = time.monotonic()
    result = run_ttx("run", path, "--log", str(tmp_path / "run.jsonl"))
    assert result.returncode == 2, result.stderr
    assert "may be at most 1825d" in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("start", "year"),
    [
        ("9999-12-31T20:00:00Z", "9999"),  # start + duration overflowed: run and score exit 1
        ("9999-12-31T23:00:00-05:00", "9999"),  # beyond the last date once in UTC: validate crashed
        ('"0001-01-01T00:00:00+05:00"', "1"),  # before the first date once in UTC: validate crashed
        ("3000-01-01T00:00:00Z", "3000"),
        ("1969-12-31T23:59:00Z", "1969"),
    ],
)
def test_the_start_is_a_year_from_1970_to_2999(ttx, tmp_path, start, year):
    text = edited(("2026-01-05T08:00:00Z", start))
    where = at(text, "start: ")
    refused(ttx, write(tmp_path, text), where, f"the year {year} is out", "between 1970 and 2999")


def test_the_latest_start_and_the_longest_duration_still_make_a_report(tmp_path):
    """2999 plus 5 years plus the Improvement Plan's 90 days is a date: run and report work."""
    failing = "scoring:\n  - objective: O1\n    metrics: [{kind: absent, event: entity.detected}]\n"
    text = edited(
        ("2026-01-05T08:00:00Z", "2999-12-31T23:59:00Z"),
        ("duration: 2d", "duration: 1825d"),
        ("presidency: CY", f"presidency: [{', '.join(['CY', 'IE'] * 5 + ['CY'])}]"),
        (D1_END, D1_END + failing),  # an area for improvement, so the plan has a due date
    )
    path = write(tmp_path, text)
    log = tmp_path / "late.jsonl"
    result = run_ttx("run", path, "--log", str(log))
    assert result.returncode == 0, result.stderr
    result = run_ttx("report", str(log), "--scenario", path, "--out", str(tmp_path / "r.md"))
    assert result.returncode == 0, result.stderr
    assert "3005-" in (tmp_path / "r.md").read_text(encoding="utf-8")  # the plan's due dates


def test_ten_thousand_entities_per_member_state_are_refused(ttx, tmp_path):
    """10,000 entities in each of 27 Member States took a minute and a gigabyte to run."""
    text = edited(wave("impact: {entities_per_member_state: 10000}, spread: {probability: 1}"))
    refused(
        ttx,
        write(tmp_path, text),
        at(text, "entities_per_member_state: "),
        f"up to 270,000 entities, more than the limit of {MAX_ENTITIES:,}",
        "10,000 per Member State, in up to 27 Member States",
    )


def test_entities_add_up_over_waves_and_spread_sectors(ttx, tmp_path):
    """No single wave is over the limit, but together they are: what the adversary really
    creates is entities_per_member_state in each Member State reached, plus one per Member
    State for each sector it spreads into (actors/adversary.py)."""
    waves = "\n".join(
        f"    - {{id: W{i}, at: {i}h, vector: ddos, targets: {{member_states: [CY], sectors: "
        "[health]}, spread: {sectors: [energy, transport]}, "
        "impact: {entities_per_member_state: 60}}"
        for i in range(4)
    )
    old = MINIMAL[MINIMAL.index("    - {id: W1") : MINIMAL.index("msel:")]
    path = write(tmp_path, edited((old, waves + "\n")))
    # (60 + 2 sectors) x 27 Member States = 1,674 a wave; 6,696 in all
    refused(ttx, path, None, "up to 6,696 entities", "wave 'W0' alone up to 1,674")


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("cyclone_assessment_interval", "0m", "EU-CyCLONe's assessments repeat about 2,628,000"),
        ("isaa_report_interval", "1m", "the ISAA reports repeat about 2,628,000"),
        ("isaa_report_interval", "{kind: exponential, mean: 2m}", "repeat about 1,314,000"),
    ],
)
def test_a_periodic_process_repeats_a_bounded_number_of_times(ttx, tmp_path, field, value, what):
    """An assessment every minute for 5 years is millions of events: refused."""
    text = edited(
        ("duration: 2d", "duration: 1825d"),
        FIVE_YEARS,
        ("decision_points:", f"timings:\n  {field}: {value}\ndecision_points:"),
    )
    where = at(text, f"{field}: ")
    refused(ttx, write(tmp_path, text), where, what, f"at most {MAX_REPETITIONS:,} times")


@pytest.mark.parametrize("chance", ["0", "5e-324"])  # the least float: half of it is 0
def test_a_spread_that_cannot_succeed_is_bounded_by_its_interval(ttx, tmp_path, chance):
    """Probability 0: the wave tries every interval until the end, without ever finishing."""
    text = edited(
        ("duration: 2d", "duration: 365d"), wave(f"spread: {{interval: 1m, probability: {chance}}}")
    )
    refused(
        ttx,
        write(tmp_path, text),
        at(text, "interval: "),
        "the spread attempts of wave 'W1' repeat about 525,600",
        f"at most {MAX_SPREAD_ATTEMPTS:,} times",
    )


def test_a_spread_that_finishes_is_not_held_against_a_long_scenario(ttx, tmp_path):
    """Every minute, but certain to succeed: 26 attempts and it has nowhere left to go."""
    text = edited(
        ("duration: 2d", "duration: 1825d"),
        FIVE_YEARS,
        wave("spread: {interval: 1m, probability: 1}"),
    )
    assert ttx("validate", write(tmp_path, text)).code == 0


def test_fimi_rounds_count_each_narrative(ttx, tmp_path):
    narratives = "\n".join(f"      - {{id: N{i}, text: Lie {i}}}" for i in range(10))
    text = edited(
        ("duration: 2d", "duration: 1825d"),
        FIVE_YEARS,
        ("msel:", f"  fimi:\n    at: 0m\n    narratives:\n{narratives}\nmsel:"),
    )
    where = at(text, "narratives:\n      ")  # the list, at its first item
    refused(ttx, write(tmp_path, text), where, "the FIMI track's 12-hourly rounds over 10")


def test_conditions_are_bounded_in_size(ttx, tmp_path):
    """Each test of a condition is made at every event it watches: thousands of them
    multiplied the run's work by thousands."""
    tests = ", ".join(["{event: {kind: csirt.feedback, at_least: 1000}}"] * 201)
    text = edited(("when: {after: 3h}", f"when: {{any: [{tests}]}}"))
    where = at(text, "when: ")
    refused(ttx, write(tmp_path, text), where, "make 201 tests", f"limit of {MAX_CONDITION_TESTS}")


@pytest.mark.parametrize(
    ("changes", "before", "reason"),
    [
        (
            ((D1_END, D1_END + "    policy: {yes_alert: 1e308, no_alert: 1e308}\n"),),
            "yes_alert: ",
            "decision_points[0].policy.yes_alert: must be at most 1,000,000, got 1e+308",
        ),
        (
            (wave("impact: {recovery: {kind: empirical, values: [1d], weights: [1e308]}}"),),
            "weights: [",
            "recovery.weights[0]: must be at most 1,000,000",
        ),
        (
            (
                (
                    D1_END,
                    D1_END + "scoring:\n  - objective: O1\n    metrics:\n"
                    "      - {kind: occurs, event: cyclone.activated, weight: 1e308}\n",
                ),
            ),
            "weight: ",
            "scoring[0].metrics[0].weight: must be at most 1,000,000",
        ),
        (
            (wave("impact: {loss_eur_per_entity: 1.7e308}"),),  # the log held 'Infinity'
            "loss_eur_per_entity: ",
            "loss_eur_per_entity: must be at most 1,000,000,000,000",
        ),
    ],
    ids=["policy", "empirical", "metric", "loss"],
)
def test_weights_and_amounts_stay_finite_when_added_up(ttx, tmp_path, changes, before, reason):
    """1e308 is a finite number, but two of them add up to infinity: the weighted draw failed
    in the middle of a run ("total of weights must be finite")."""
    text = edited(*changes)
    refused(ttx, write(tmp_path, text), at(text, before), reason)


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("0x" + "f" * 5000, "the number is too long: at most 30 digits"),  # crashed validate
        ("0o" + "7" * 5000, "the number is too long: at most 30 digits"),
        ("1" + "0" * 400 + ".0", "the number is too large"),
        ("-1" + "0" * 400 + "e5", "the number is too large"),
    ],
)
def test_numbers_of_thousands_of_digits_are_refused(ttx, tmp_path, number, reason):
    text = edited((D1_END, D1_END + f"    policy: {{yes_alert: {number}, no_alert: 1}}\n"))
    where = at(text, "yes_alert: ")
    refused(ttx, write(tmp_path, text), where, reason, "put it in quotes if it is text")


def test_alert_modes_are_at_most_one_per_member_state_count(ttx, tmp_path):
    """Modes above the lowest are raised by 1 to 27 Member States reporting: 28 at most."""
    modes = ", ".join(f"m{i}" for i in range(29))
    network = f"{{alert_modes: [{modes}], escalate_to_cyclone_at: m2}}"
    text = edited(("msel:", f"machinery:\n  csirts_network: {network}\nmsel:"))
    refused(ttx, write(tmp_path, text), at(text, "alert_modes: "), "too many items (at most 28)")


# -- the worst scenario that validates -------------------------------------------------------


def worst(entities: int = 0, interval: int = 0, attempts: int = 0, tests: int = 0) -> str:
    """The scenario that uses every bound to the full, for five years; each argument goes one
    step beyond one bound.

    - 4,995 entities: W1 (184 per Member State, less one for each sector it spreads into,
      plus one entity of each of those sectors) x 27 Member States, W2 1 x 27;
    - 24,964 repetitions: assessments and ISAA reports every 247 minutes for 5 years (the
      decision D1 starts both at once; no entity recovers, not even with the Reserve's help,
      so both go on to the end) and a FIMI narrative's 3,650 rounds;
    - 99,680 spread attempts, as the bound counts them (escalation could make them up to 8
      times as frequent): W2 never succeeds and tries every 211 minutes;
    - 200 tests watching the run's most frequent events, half of them with a payload filter.
    """
    states = ", ".join(sorted(MEMBER_STATES))
    first, *others = sorted(SECTORS)
    per_member_state = 184 - len(others)  # (184 x 27) + 27 = 4,995 entities in all
    count = MAX_CONDITION_TESTS + tests
    conditions = ", ".join(
        ["{event: {kind: csirt.feedback, where: {report: final_report}, at_least: 1000000}}"]
        * (count // 2)
        + ["{event: {kind: ipcr.isaa_report, at_least: 1000000}}"] * (count - count // 2)
    )
    return f"""schema_version: 1
metadata:
  id: worst
  title: Every bound to the full
  description: The most a scenario may ask of a run.
  start: 2026-01-05T08:00:00Z
  duration: 1825d
  {FIVE_YEARS[1]}
objectives:
  - {{id: O1, text: Share, capability: Sharing, level: technical}}
campaign:
  threat_actor: {{name: Actor}}
  waves:
    - id: W1
      at: 0m
      vector: ransomware
      targets: {{member_states: [{states}], sectors: [{first}]}}
      spread: {{interval: 1m, sector_probability: 1, sectors: [{", ".join(others)}]}}
      impact: {{entities_per_member_state: {per_member_state + entities}, recovery: 1825d}}
    - id: W2
      at: 0m
      vector: ddos
      targets: {{member_states: [CY], sectors: [{first}]}}
      spread: {{interval: {211 - attempts}m, probability: 0}}
      impact: {{entities_per_member_state: 1, recovery: 1825d}}
  fimi:
    at: 0m
    amplification: 1
    narratives:
      - {{id: N1, text: A lie}}
machinery:
  reserve: {{auto_request: false}}
timings:
  cyclone_assessment_interval: {247 - interval}m
  isaa_report_interval: {247 - interval}m
msel:
  injects:
    - {{id: I1, at: 0m, from: exercise_control, to: [CY.csirt], mode: email, synopsis: Go}}
    - id: I2
      when: {{any: [{conditions}]}}
      from: exercise_control
      to: [CY.csirt]
      mode: email
      synopsis: Never
decision_points:
  - id: D1
    prompt: Go?
    decided_by: presidency
    at: 0m
    options:
      - {{id: go, label: Go, effects: [{{cyclone: activate}}, {{ipcr_mode: information_sharing}}]}}
      - {{id: stay, label: Stay}}
    default: go
"""


@pytest.mark.parametrize(
    ("step", "reason"),
    [
        ({"entities": 1}, "up to 5,022 entities"),
        ({"interval": 1}, "may repeat at most 25,000 times in all (here 25,016)"),
        ({"attempts": 1}, "may attempt to spread at most 100,000 times in all (here 100,154)"),
        ({"tests": 1}, "make 201 tests in all"),
    ],
    ids=["entities", "repetitions", "spread", "tests"],
)
def test_the_worst_scenario_is_at_every_bound(ttx, tmp_path, step, reason):
    """One step beyond any bound is refused, so the run below is the worst there can be."""
    assert ttx("validate", write(tmp_path, worst(), "worst.yaml")).code == 0
    refused(ttx, write(tmp_path, worst(**step)), None, reason)


def test_the_worst_scenario_that_validates_runs_in_seconds(tmp_path):
    """Every bound used to the full, for five years, by the real ``ttx run``: it completes in
    seconds and a few hundred MB (measured: 77,500 events, about 4 s, 91 MB peak)."""
    path = write(tmp_path, worst(), "worst.yaml")
    log = tmp_path / "worst.jsonl"
    started = time.monotonic()
    result = run_ttx("run", path, "--log", str(log))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    kinds = [json.loads(line)["kind"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert kinds[-1] == "run.ended"
    assert kinds.count("entity.compromised") == MAX_ENTITIES - 5 - 26  # W2 never spreads
    assert kinds.count("ipcr.isaa_report") > 10_000  # the periodic work really happened
    # a bound against a run that never ends, far above the measured figure (the figure itself
    # is benchmarks/hardening.py's: machines here are shared, and timings are not asserted)
    assert elapsed < 120, f"{elapsed:.1f} s"
    assert peak_mb < 500, f"{peak_mb:.0f} MB"


# --------------------------------------------------------------------------------------------
# B. scenario text stays text


@pytest.mark.parametrize(
    ("changes", "before", "reason"),
    [
        (
            (("title: Minimal scenario", r'title: "Minimal\e]0;owned\a scenario"'),),
            "title: ",
            "metadata.title: contains U+001B ESC (escape) at character 8",
        ),
        (
            (("description: One wave, two injects, one decision.", r'description: "\u202eevaw"'),),
            "description: ",
            "metadata.description: contains U+202E right-to-left override at character 1",
        ),
        (
            (("description: One wave", "description: One\u2066 wave"),),  # typed as is
            "description: ",
            "contains U+2066 bidirectional control at character 4",
        ),
        (
            (("synopsis: First", r'synopsis: "Fi\u200brst"'),),
            "synopsis: ",
            "msel.injects[0].synopsis: contains U+200B zero-width space at character 3",
        ),
        (
            (("synopsis: First", r'synopsis: "First\r\nline"'),),
            "synopsis: ",
            "contains U+000D carriage return at character 6",
        ),
        (
            (("label: Wait", r'label: "Wait\x9b2J"'),),
            "no_alert, label: ",
            "decision_points[0].options[1].label: contains U+009B control character",
        ),
        (
            (("name: Test actor", r'name: "Test actor", aliases: ["a\ufeffb"]'),),
            "aliases: [",
            "aliases[0]: contains U+FEFF zero-width no-break space (byte-order mark)",
        ),
    ],
    ids=["osc-title", "rlo-escape", "lri-raw", "zwsp", "cr", "csi-c1", "bom"],
)
def test_control_and_invisible_characters_are_refused_in_text(
    ttx, tmp_path, changes, before, reason
):
    text = edited(*changes)
    where = at(text, before)
    refused(ttx, write(tmp_path, text), where, reason, "are not allowed in text")


def test_conditions_refuse_them_in_payload_values_and_fields(ttx, tmp_path):
    """``where`` matches payload fields by name and value: free text too, so checked alike."""
    condition = r'when: {event: {kind: entity.detected, where: {sector: "a\e[2Jb", "x\u202e": 1}}}'
    text = edited(("when: {after: 3h}", condition))
    err = refused(ttx, write(tmp_path, text), at(text, "sector: "), "contains U+001B ESC")
    key_line, key_col = at(text, 'b", ')
    assert f":{key_line}:{key_col}: " in err and "contains U+202E right-to-left override" in err


def test_a_raw_control_character_in_the_file_is_refused_at_its_place(ttx, tmp_path):
    """YAML itself refuses raw C0/C1 controls and DEL: at their line and column, not 0:0."""
    text = edited(("One wave, two", "One wave,\x7f two"))
    refused(ttx, write(tmp_path, text), at(text, "One wave,"), "the file contains U+007F DEL")


@pytest.fixture(scope="module")
def minimal_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("log") / "minimal.jsonl"
    Simulation(load_scenario(ROOT / "tests" / "data" / "minimal.yaml"), 1).run().write(out)
    return out


@pytest.mark.parametrize(
    ("name", "content", "before", "reason"),
    [
        (
            "notes.yaml",
            'overrides:\n  - {objective: O1, rating: S, rationale: "Late\\e]8;;http://x\\a"}\n',
            "rationale: ",
            "contains U+001B ESC (escape) at character 5",
        ),
        (
            "notes.yaml",
            'observations:\n  - {text: Fast, by: "\\u202eEve"}\n',
            "by: ",
            "contains U+202E right-to-left override at character 1",
        ),
        (
            "notes.csv",
            "objective,rating,text\nO1,S,ok\nO1,,Late \x1b[2J report\n",
            "ok\n",  # a CSV row's place is its line
            "contains U+001B ESC (escape) at character 6",
        ),
    ],
    ids=["yaml-escape", "yaml-bidi", "csv-raw"],
)
def test_evaluators_files_refuse_them_too(
    ttx, tmp_path, minimal_log, name, content, before, reason
):
    notes = tmp_path / name
    notes.write_text(content, encoding="utf-8", newline="")
    scenario = str(ROOT / "tests" / "data" / "minimal.yaml")
    result = ttx("score", str(minimal_log), "--scenario", scenario, "--overrides", str(notes))
    assert result.code == 2, result.out + result.err
    line, col = at(content, before)
    assert f"{notes}:{line}:{col}: " in result.err and reason in result.err, result.err


# -- the property -------------------------------------------------------------------------

#: every character the scenario format refuses in text
UNSAFE_CHARS = [chr(c) for c in range(0x110000) if UNSAFE.fullmatch(chr(c))]
#: printable text: letters (accents, CJK), marks, digits, punctuation, symbols (emoji),
#: spaces; control, format, surrogate and separator categories are where the unsafe ones live
SAFE_TEXT = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs")).filter(
        lambda c: not UNSAFE.fullmatch(c)
    ),
    min_size=1,
    max_size=30,
)


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, escaping what is not printable ASCII (so the
    character under test reaches the scenario through YAML's own escapes)."""
    out = []
    for char in text:
        code = ord(char)
        if 0x20 <= code < 0x7F and char not in '"\\':
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


FIELDS = {
    "title": ("title: Minimal scenario", "title: ", TITLE, "metadata.title"),
    "synopsis": ("synopsis: First", "synopsis: ", SYNOPSIS, "msel.injects[0].synopsis"),
}


@given(
    st.sampled_from(sorted(FIELDS)),
    SAFE_TEXT,
    st.sampled_from(UNSAFE_CHARS),
    st.integers(0, 30),
    st.booleans(),
)
@example("title", "Sécurité 网络 🛡", "\x1b", 3, False)
@example("synopsis", "abc", "\u202e", 1, False)
@example("synopsis", "abc", "\ud800", 1, False)
def test_text_with_an_unsafe_character_is_refused_at_its_line(field, text, char, at, raw):
    """Anywhere in a title or a synopsis, written as an escape or as itself where YAML lets
    it be, an unsafe character is refused at the line of that value."""
    old, key, (line, col), location = FIELDS[field]
    at = min(at, len(text))
    value = text[:at] + char + text[at:]
    if raw and char not in "\x00\r\x85\u2028\u2029":  # NUL makes a binary file; the others
        # are line breaks to YAML: these four are written as escapes
        written = quoted(text[:at])[:-1] + char + quoted(text[at:])[1:]
    else:
        written = quoted(value)
    raw_bytes = edited((old, key + written)).encode("utf-8", "surrogatepass")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(raw_bytes, "prop.yaml")
    lines = {d.line for d in caught.value.diagnostics}
    assert lines == {line}, caught.value
    if 0xD800 <= ord(char) <= 0xDFFF:
        return  # not Unicode at all: YAML refuses the escape or the byte itself
    (diagnostic,) = caught.value.diagnostics
    if diagnostic.location:  # the model's refusal, at the value
        assert (diagnostic.location, diagnostic.col) == (location, col)
        assert f"U+{ord(char):04X}" in diagnostic.message
    else:  # YAML's own refusal of a raw control character, at the character
        assert f"U+{ord(char):04X}" in diagnostic.message


@given(st.sampled_from(sorted(FIELDS)), SAFE_TEXT, st.booleans())
@example("title", "Cyber Europe 2026: Sécurité 网络 🛡️ «ransomware»", False)
@example("synopsis", "Ελληνικά, Български, Ąžuolas, 🇪🇺 👩🏽 العربية", True)
def test_printable_text_is_accepted_as_written(field, text, raw):
    """Accents, CJK, Greek, Cyrillic and emoji are text: accepted and kept exactly."""
    old, key, _, _ = FIELDS[field]
    written = json.dumps(text, ensure_ascii=False) if raw else quoted(text)
    scenario = parse_scenario(edited((old, key + written)).encode("utf-8"), "prop.yaml")
    value = scenario.metadata.title if field == "title" else scenario.msel.injects[0].synopsis
    assert value == text


def test_aliases_cannot_multiply_text_past_what_a_log_can_hold():
    """A 1.5 MB file whose 14,000 injects alias one 20,000-character text validated, then
    ran into a 283 MB log that ttx score refused, and a 560 MB MSEL CSV. The text is counted
    after alias expansion, and refused where it passes 8,000,000 characters."""
    head = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    head = head.partition("msel:")[0]
    inject = ("    - {{id: I{i}, at: 1h, from: exercise_control, to: [CY.csirt], mode: email, "
              "synopsis: {text}, content: *big}}\n")
    text = head + "msel:\n  injects:\n" + inject.format(i=0, text='&big "' + "x" * 20_000 + '"')
    text += "".join(inject.format(i=i, text="*big") for i in range(1, 14_001))
    with pytest.raises(ScenarioError, match="expands to more than 8,000,000 characters"):
        parse_scenario(text.encode(), "amplified.yaml")
    # the same text used a few times, as aliases are meant to be, is fine
    few = head + "msel:\n  injects:\n" + inject.format(i=0, text='&big "' + "x" * 20_000 + '"')
    few += "".join(inject.format(i=i, text="*big") for i in range(1, 50))
    assert len(parse_scenario(few.encode(), "reused.yaml").msel.injects) == 50
