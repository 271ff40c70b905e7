"""Round trips: valid scenario data -> model -> YAML -> load -> the same model."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.scenario import Scenario, dump_scenario, parse_scenario
from simulator.scenario.yamlread import dump_yaml, read_yaml

from .strategies import scenarios


def to_yaml(model: Scenario) -> bytes:
    return dump_scenario(model).encode("utf-8")


@given(scenarios())
def test_generated_scenarios_are_valid(data):
    """Every scenario the strategy builds passes the loader, references included."""
    scenario = parse_scenario(dump_yaml(data).encode(), "gen.yaml")
    assert scenario.metadata.id == data["metadata"]["id"]
    assert len(scenario.msel.injects) == len(data["msel"]["injects"])


@given(scenarios())
def test_model_to_yaml_and_back_is_equal(data):
    """Dumping a loaded scenario and loading the dump gives an equal model."""
    first = Scenario.model_validate(data)
    again = parse_scenario(to_yaml(first), "dump.yaml")
    assert again == first
    assert again.model_dump(mode="json") == first.model_dump(mode="json")


@given(scenarios())
def test_dump_is_a_fixed_point(data):
    """A second dump is byte-identical to the first: serialisation is canonical."""
    first = to_yaml(Scenario.model_validate(data))
    assert to_yaml(parse_scenario(first, "dump.yaml")) == first


@given(st.text(max_size=12))
def test_any_text_survives_a_round_trip(value):
    """Texts YAML 1.2 would read as numbers or booleans ('1e5', '0o7', 'true') are quoted."""
    assert read_yaml(dump_yaml({"k": value}).encode(), "t").data == {"k": value}


def test_yaml_1_2_lookalikes_are_quoted():
    for value in ("1e5", "0o17", "0x1F", ".inf", "-.5", "TRUE", "null", "~", "12:30", "no"):
        assert read_yaml(dump_yaml({"k": value}).encode(), "t").data == {"k": value}
