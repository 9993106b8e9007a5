"""JSON Schemas of the source format, generated from the models."""
from __future__ import annotations

import json

from .format import Organisations, Plan, ProgressReport


def schemas() -> dict[str, str]:
    """File name → JSON text, stable across runs."""
    result = {}
    for name, model_class in (
        ("plan.schema.json", Plan),
        ("organisations.schema.json", Organisations),
        ("progress.schema.json", ProgressReport),
    ):
        schema = model_class.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        result[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return result
