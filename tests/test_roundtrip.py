"""Round trips: valid scenario data -> model -> YAML -> load -> the same model."""

from __future__ import annotations

import yaml
from hypothesis import given

from simulator.scenario import Scenario, parse_scenario

from .strategies import scenarios


def to_yaml(model: Scenario) -> bytes:
    return yaml.safe_dump(
        model.model_dump(mode="json"), sort_keys=False, allow_unicode=True
    ).encode("utf-8")


@given(scenarios())
def test_generated_scenarios_are_valid(data):
    """Every scenario the strategy builds passes the loader, references included."""
    scenario = parse_scenario(yaml.safe_dump(data, allow_unicode=True).encode(), "gen.yaml")
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
