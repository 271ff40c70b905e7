"""The JSON Schema editors use is the one the loader validates with, and it stays committed."""

from __future__ import annotations

import json

import jsonschema
import pytest

from simulator.scenario.schema import schema_text
from simulator.scenario.yamlread import read_yaml

from .conftest import ROOT, SCENARIOS

COMMITTED = ROOT / "scenarios" / "schema.json"


def test_committed_schema_matches_the_models():
    """scenarios/schema.json is regenerated whenever the models change (`ttx schema -o ...`)."""
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "the committed schema drifted: run `.venv/bin/ttx schema --out scenarios/schema.json`"
    )


@pytest.mark.parametrize(
    "path", [*SCENARIOS, ROOT / "tests/data/minimal.yaml"], ids=lambda p: p.name
)
def test_valid_scenarios_satisfy_the_schema(path):
    """An editor checking against the schema accepts every scenario the loader accepts."""
    data = read_yaml(path.read_bytes(), str(path)).data
    data = json.loads(json.dumps(data, default=lambda d: d.isoformat().replace("+00:00", "Z")))
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(data)


def test_schema_rejects_an_unknown_field():
    """extra='forbid' reaches the schema too, so editors flag typos."""
    schema = json.loads(schema_text())
    data = read_yaml((ROOT / "tests/data/minimal.yaml").read_bytes(), "m").data
    data = json.loads(json.dumps(data, default=str))
    data["metadata"]["tlpp"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_library_scenarios_point_editors_at_the_schema(path):
    """Each library file starts with the yaml-language-server line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./schema.json"
