"""JSON Schemas of the source format, generated from the models.

The docstring under a field of a model describes it in the schema.  The models
do not read them as they are made (pydantic's ``use_attribute_docstrings``
parses each class's source, 70 ms of every command): the schema reads them
here, as pydantic would, and rebuilds the models with them.
"""
from __future__ import annotations

import ast
import inspect
import json
import textwrap

from pydantic import BaseModel

from . import format
from .format import Organisations, Plan, ProgressReport


def schemas() -> dict[str, str]:
    """File name → JSON text, stable across runs."""
    _described()
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


def _described() -> None:
    """Every model of the format with the docstrings of its fields as their descriptions (a description given
    with ``Field`` wins), rebuilt in the order they are defined: a model's schema then holds those of the models it uses."""
    for model in vars(format).values():  # in the order they are defined
        if not (isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == format.__name__):
            continue
        documented = _docstrings(model)
        for field_name, field in model.model_fields.items():
            if field.description is None and field_name in documented:
                field.description = documented[field_name]
        model.model_rebuild(force=True)  # even without docstrings of its own: the models it holds may have some


def _docstrings(model: type) -> dict[str, str]:
    """The docstring written under each field of ``model``'s own body, by field name (none for a class made by
    pydantic, like ``RootModel[…]``, which has no source)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(model)))
    except OSError:
        return {}
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    found = {}
    for field, after in zip(body, body[1:]):
        if (
            isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)
        ):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found
