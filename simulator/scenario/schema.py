"""The JSON Schema of the scenario format, generated from the very models the loader uses, so
an editor's completion can never disagree with ``ttx validate``."""

from __future__ import annotations

import json
from typing import Any

from .models import SCHEMA_VERSION, Scenario

SCHEMA_ID = "urn:eu-cyber-ttx:schema:scenario:v1"


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"EU cyber crisis TTX scenario, schema_version {SCHEMA_VERSION}",
        **schema,
    }


def schema_text() -> str:
    """The schema as committed in ``scenarios/schema.json``: stable, indented, one newline."""
    return json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n"
