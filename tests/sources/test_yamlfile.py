"""A value that a YAML tag (``!!int``, ``!!float``, ``!!bool``) cannot make is a located error, not a traceback.

Found by ``tests/properties/test_readers.py``: ``!!int`` with no value
stopped every command with PyYAML's IndexError; ``!!float e5``, ``!!bool x``
and ``!!timestamp x`` with a ValueError, KeyError or AttributeError.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.sources.yamlfile import load_yaml
from tests.sources.test_validation import PLAN, at, errors


def test_a_number_written_as_an_empty_int_is_reported_where_its_tag_is(project):
    project.edit(PLAN, "    number: 1\n", "    number: !!int\n")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert errors(result) == [(at(project, PLAN, "!!int"), "ERROR", "YAML syntax error: '' is not a whole number", "yaml.syntax")]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("v: !!int _", "'_' is not a whole number"),
        ("v: !!int 0b", "'0b' is not a whole number"),
        ("v: !!float e5", "'e5' is not a number"),
        ("v: !!float", "'' is not a number"),
        ("v: !!bool x", "'x' is not true or false"),
    ],
)
def test_a_value_its_tag_cannot_make_is_a_located_error(tmp_path: Path, written: str, message: str):
    path = tmp_path / "plan.yaml"
    path.write_text(written, encoding="utf-8")
    diagnostics = Diagnostics()
    assert load_yaml(path, diagnostics, inside=tmp_path) is None
    assert [(d.location.line, d.location.col, d.message) for d in diagnostics.items] == [(1, 4, f"YAML syntax error: {message}")]


def test_a_timestamp_tag_on_text_leaves_the_text_for_the_field_to_check(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text("date: !!timestamp junio\n", encoding="utf-8")
    diagnostics = Diagnostics()
    loaded = load_yaml(path, diagnostics, inside=tmp_path)
    assert loaded is not None and loaded.data == {"date": "junio"}
    assert not diagnostics.items


def test_an_integer_of_more_digits_than_python_reads_is_still_beyond_any_bound(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text(f"value: {'9' * 5000}\nother: -{'9' * 5000}\n", encoding="utf-8")
    loaded = load_yaml(path, Diagnostics(), inside=tmp_path)
    assert loaded is not None and loaded.data == {"value": float("inf"), "other": float("-inf")}
