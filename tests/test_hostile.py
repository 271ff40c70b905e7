"""Hostile and random input: the loader answers with its own error, quickly, always."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from simulator.errors import ScenarioError
from simulator.scenario import parse_scenario
from simulator.scenario.yamlread import Limits, read_yaml

from .conftest import ROOT
from .strategies import scenarios

BASE = (ROOT / "tests" / "data" / "minimal.yaml").read_bytes()


def load_or_error(raw: bytes) -> None:
    try:
        parse_scenario(raw, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.diagnostics, "an error must say what is wrong"
        for d in exc.diagnostics:
            assert d.message and d.file == "fuzz.yaml"


@given(st.binary(max_size=2000))
def test_random_bytes_give_only_scenario_errors(raw):
    """Any bytes at all: a scenario or a ScenarioError, never another exception."""
    load_or_error(raw)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(yaml_values)
def test_random_yaml_gives_only_scenario_errors(value):
    """Any YAML document: a scenario or a ScenarioError."""
    load_or_error(yaml.safe_dump(value).encode())


@given(scenarios(), st.data())
def test_mutated_scenarios_give_only_scenario_errors(data, draw):
    """A valid scenario with one value replaced by junk still fails politely."""
    section = draw.draw(st.sampled_from(sorted(data)))
    junk = draw.draw(yaml_values)
    data[section] = (
        junk
        if not isinstance(data[section], dict)
        else {**data[section], draw.draw(st.text(max_size=8)): junk}
    )
    load_or_error(yaml.safe_dump(data, allow_unicode=True).encode())


@given(st.integers(0, len(BASE) - 1), st.binary(min_size=1, max_size=8))
def test_corrupted_bytes_of_a_real_scenario(position, noise):
    """Bytes overwritten in the middle of a valid file: still only ScenarioError."""
    load_or_error(BASE[:position] + noise + BASE[position + len(noise) :])


def billion_laughs(levels: int, fanout: int) -> bytes:
    lines = [f"l0: &l0 [{', '.join(['lol'] * fanout)}]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * fanout)}]")
    return ("\n".join(lines) + "\n").encode()


HOSTILE = {
    "alias bomb": billion_laughs(12, 10),
    "wide alias bomb": billion_laughs(4, 400),
    "deep nesting": b"a: " + b"[" * 100_000 + b"]" * 100_000,
    "deep mappings": b"".join(b"  " * i + b"k:\n" for i in range(300)),
    "huge scalar": b"a: " + b"x" * 200_000,
    "many keys": b"".join(b"k%d: 1\n" % i for i in range(300_000)),
    "python object": b"!!python/object/apply:os.system ['true']",
    "recursive alias": b"a: &a [*a]",
}

#: the reason each hostile case must be refused for (not merely some error further on)
REASONS = {
    "alias bomb": "expands to more than",
    "wide alias bomb": "expands to more than",
    "deep nesting": "nesting is deeper than",
    "deep mappings": "nesting is deeper than",
    "huge scalar": "characters long",
    "many keys": "expands to more than",
    "python object": "is not allowed",
    "recursive alias": "a cycle",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_refused_for_its_own_reason(name):
    """Each hostile case stops at the bound meant for it (how fast: benchmarks/loader.py)."""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(HOSTILE[name], "hostile.yaml")
    assert REASONS[name] in str(caught.value)


def test_file_size_is_bounded():
    """A file over the size limit is refused before it is parsed."""
    with pytest.raises(ScenarioError, match="at most"):
        read_yaml(b"a: 1\n" * 100, "big.yaml", Limits(max_bytes=100))


def test_alias_expansion_is_bounded_but_ordinary_aliases_work():
    """Anchors and aliases are fine for reuse; only their expansion is bounded."""
    doc = read_yaml(b"a: &x {k: [1, 2]}\nb: *x\n", "ok.yaml")
    assert doc.data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}
    with pytest.raises(ScenarioError, match="expands to more than"):
        read_yaml(billion_laughs(4, 10), "bomb.yaml", Limits(max_nodes=1000))


def test_yaml_1_2_scalars():
    """Only true/false are booleans; 'no', 'on' and '12:30' stay text (no Norway problem)."""
    doc = read_yaml(b"a: no\nb: on\nc: 12:30\nd: true\ne: 0x10\nf: 1.5e3\ng: ~\nh: NO\n", "s")
    assert doc.data == {
        "a": "no",
        "b": "on",
        "c": "12:30",
        "d": True,
        "e": 16,
        "f": 1500.0,
        "g": None,
        "h": "NO",
    }


def test_marks_are_one_based_line_and_column():
    """Positions are counted as editors count them."""
    doc = read_yaml(b"a:\n  b: [1, 22]\n", "m.yaml")
    assert doc.marks[("a", "b", 1)] == (2, 10)
    assert doc.key_marks[("a", "b")] == (2, 3)
