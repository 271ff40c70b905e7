"""``ttx kinds`` end to end: the catalogue of event kinds as scenario authors and log readers
see it, always in step with ``simulator.kinds`` (tests/test_kinds.py holds the catalogue itself
to the engine and the log reader)."""

from __future__ import annotations

import json
import re

import pytest

from simulator.kinds import EVENT_KINDS, PAYLOADS, namespace

from .conftest import run_ttx

#: the bodies in the order their first kind is listed, and the kinds grouped by them
BODIES = list(dict.fromkeys(namespace(kind) for kind in EVENT_KINDS))
GROUPED = sorted(EVENT_KINDS, key=lambda kind: BODIES.index(namespace(kind)))


def _json(*args: str) -> list[dict]:
    result = run_ttx("kinds", "--json", *args)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_json_lists_every_kind_with_exactly_its_declared_fields():
    listed = _json()
    assert [entry["kind"] for entry in listed] == GROUPED
    for entry in listed:
        kind = entry["kind"]
        assert set(entry) == {"kind", "description", "body", "fields"}
        assert entry["description"] == EVENT_KINDS[kind]
        assert entry["body"] == namespace(kind)
        declared = PAYLOADS[kind]
        assert list(entry["fields"]) == list(declared), kind
        for name, field in entry["fields"].items():
            assert set(field) == {"type", "optional"}
            assert field["optional"] is declared[name].optional, (kind, name)
            words = field["type"]
            assert words.strip() and "FieldType" not in words, (kind, name, words)
            assert words.endswith(" or null") == declared[name].nullable, (kind, name, words)


def test_types_are_said_in_plain_words():
    """The values a condition can compare against are spelled out; lists, nulls and the
    optional fields are said as such."""
    for entry in _json():
        for name, field in entry["fields"].items():
            declared = PAYLOADS[entry["kind"]][name]
            if declared.base == "one_of" and len(declared.values) > 1:
                assert field["type"].startswith("one of " + ", ".join(declared.values))
            if declared.base == "list" and declared.item.base == "member_state":
                assert field["type"] == "list of Member State codes"
            if declared.base in ("time", "due"):
                assert "minutes" in field["type"]
    by_kind = {entry["kind"]: entry["fields"] for entry in _json()}
    assert by_kind["decision.pending"]["deadline"]["type"].endswith("(minutes, may lie past "
                                                                    "the end) or null")
    assert by_kind["classification.tier"]["tier"]["type"] == (
        "one of below_threshold, significant, large_scale, cyber_crisis"
    )


def test_the_table_shows_every_kind_by_body_and_marks_optional_fields():
    result = run_ttx("kinds")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    places = [out.find(f"│ {kind} ") for kind in GROUPED]
    assert -1 not in places, [k for k, p in zip(GROUPED, places, strict=True) if p == -1]
    assert places == sorted(places), "kinds out of their body's order"
    optional = [(kind, name) for kind, fields in PAYLOADS.items()
                for name, field in fields.items() if field.optional]
    assert optional and out.count("(optional)") == len(optional)
    assert "list of Member State codes" in out
    assert f"{len(EVENT_KINDS)} kinds" in out


@pytest.mark.parametrize(("pattern", "expected"), [
    ("cyclone.*", [k for k in GROUPED if k.startswith("cyclone.")]),
    ("measure", [k for k in GROUPED if namespace(k) == "measure"]),
    ("*.agreed", [k for k in GROUPED if k.endswith(".agreed")]),
    ("incident_", [k for k in GROUPED if k.startswith("incident_")]),
    ("csirt", [k for k in GROUPED if namespace(k) == "csirt"]),  # the body, not a prefix
    ("run.ended", ["run.ended"]),
    ("Cyclone", [k for k in GROUPED if namespace(k) == "cyclone"]),
])
def test_a_pattern_chooses_the_kinds(pattern, expected):
    assert expected
    assert [entry["kind"] for entry in _json(pattern)] == expected


def test_a_pattern_filters_the_table():
    result = run_ttx("kinds", "cyclone")
    assert result.returncode == 0, result.stderr
    assert "cyclone.activated" in result.stdout and "cyclone.assessment" in result.stdout
    others = [kind for kind in EVENT_KINDS if namespace(kind) != "cyclone"]
    assert not [kind for kind in others if f"│ {kind} " in result.stdout]


@pytest.mark.parametrize("pattern", ["cyclon.activated", "nope*", "[/x]\x1b[2J"])
def test_an_unknown_pattern_exits_2_naming_the_bodies(pattern):
    result = run_ttx("kinds", pattern)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "no event kind matches" in result.stderr
    assert result.stderr.rstrip().endswith(", ".join(BODIES))
    assert "\x1b" not in result.stderr


def _cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |"), line
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line[1:-1])]


@pytest.mark.parametrize("pattern", [None, "entity"])
def test_markdown_is_one_table_with_a_row_per_kind(pattern):
    result = run_ttx("kinds", "--markdown", *([pattern] if pattern else []))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert result.stdout.endswith("\n") and "" not in lines
    assert _cells(lines[0]) == ["kind", "meaning", "fields"]
    assert re.fullmatch(r"\|(---\|){3}", lines[1])
    rows = [_cells(line) for line in lines[2:]]
    assert all(len(row) == 3 for row in rows)
    expected = [k for k in GROUPED if pattern is None or namespace(k) == pattern]
    assert [row[0] for row in rows] == [f"`{kind}`" for kind in expected]
    for row, kind in zip(rows, expected, strict=True):
        assert row[1] == " ".join(EVENT_KINDS[kind].split()).replace("|", "\\|")
        names = re.findall(r"(?:^|<br>)`([a-z0-9_]+)`:", row[2])
        assert names == list(PAYLOADS[kind]) or (not PAYLOADS[kind] and row[2] == "(none)")


def test_json_and_markdown_together_is_a_usage_error():
    result = run_ttx("kinds", "--json", "--markdown")
    assert result.returncode == 2
    assert "--json and --markdown" in result.stderr and result.stdout == ""
