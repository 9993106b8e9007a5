"""The JSON Schemas editors use are generated from the models and accept the shipped plan."""
import json

import jsonschema
import pytest
import yaml

from generator.sources.schema import schemas
from tests.conftest import ROOT

SCHEMA_DIR = ROOT / "docs" / "schema"


def test_the_committed_schemas_are_up_to_date_with_the_models():
    for name, content in schemas().items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == content, f"run `pao schema` to refresh docs/schema/{name}"


@pytest.mark.parametrize("source, schema", [("source/cocaina-2022/plan.yaml", "plan.schema.json"), ("source/organisations.yaml", "organisations.schema.json")])
def test_the_shipped_sources_are_valid_against_their_schema_and_point_to_it(source, schema):
    text = (ROOT / source).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and text.split("\n")[0].endswith(f"docs/schema/{schema}")
    jsonschema.validate(yaml.safe_load(text), json.loads((SCHEMA_DIR / schema).read_text(encoding="utf-8")))


def test_the_plan_schema_rejects_what_validation_rejects():
    plan = yaml.safe_load((ROOT / "source/cocaina-2022/plan.yaml").read_text(encoding="utf-8"))
    plan["actions"][0]["kpis"][0]["target"]["value"] = "dos"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(plan, json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8")))
    plan["actions"][0]["kpis"][0]["target"]["value"] = 2
    plan["actions"][0]["refernce"] = "AO 1.1"
    with pytest.raises(jsonschema.ValidationError, match="refernce"):
        jsonschema.validate(plan, json.loads((SCHEMA_DIR / "plan.schema.json").read_text(encoding="utf-8")))
