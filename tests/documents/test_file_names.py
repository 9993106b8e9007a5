"""File-name parts: safe on every file system, and different for different ids wherever they can be."""
from __future__ import annotations

import re

import pytest

from generator.documents.kinds import safe_name

TEXTS = ["AO-1.1", "AO-1.1.", ".hidden", "hidden", "a_b", "a__b", "x" * 80 + "1", "x" * 80 + "2", "x" * 80, ".", "..", "../x", "con", "plan de prueba"]


@pytest.mark.parametrize("text", TEXTS)
def test_a_name_is_safe_on_every_file_system(text):
    name = safe_name(text)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name)  # no separator, nothing a file system refuses
    assert not name.startswith(".") and not name.endswith(".")  # not hidden, not trimmed by Windows
    assert ".." not in name and len(name) <= 80


@pytest.mark.parametrize(
    "one, other",
    [("AO-1.1", "AO-1.1."), (".hidden", "hidden"), ("a_b", "a__b"), ("x" * 80 + "1", "x" * 80 + "2"), ("x" * 80, "x" * 81)],
)
def test_ids_that_differ_get_names_that_differ(one, other):
    assert safe_name(one) != safe_name(other)


@pytest.mark.parametrize("text", ["AO-2.1", "cocaina-2022", "2023-S1", "OE_1.a", "x" * 80])
def test_a_name_that_is_already_safe_is_kept_as_it_is(text):
    assert safe_name(text) == text


def test_a_long_name_keeps_its_beginning_and_ends_with_a_digest_of_the_whole_text():
    name = safe_name("plan-" + "a" * 100)
    assert len(name) == 80
    assert re.fullmatch("plan-a{66}-[0-9a-f]{8}", name)
