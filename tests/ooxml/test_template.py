"""A template's mistakes are named as its author typed them, wherever Word put the text."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.diagnostics import SourceError
from generator.ooxml.names import w
from generator.ooxml.package import Package, Properties
from generator.ooxml.reader import paragraph_texts
from generator.ooxml.template import Template
from tests.conftest import ROOT
from tests.ooxml.trees import one

PROPERTIES = Properties("Title", "Subject", "Author", "", "en-GB", datetime.date(2022, 6, 1))
# Word often splits what one types into several runs: here a tag of the page header
SPLIT_TAG = "{{ plan.</w:t></w:r><w:r><w:t>referense }}</w:t></w:r>"


def _template(folder: Path) -> Path:
    """The fact-sheet template with one plain paragraph as its body and a mistyped tag in its header."""
    package = Package((ROOT / "templates" / "ficha.docx").read_bytes())
    header = package.parts["word/header1.xml"].decode()
    package.parts["word/header1.xml"] = header.replace("{{ plan.reference }} · {{ ao.reference }}</w:t></w:r>", SPLIT_TAG).encode()
    document = package.xml("word/document.xml")
    assert document is not None
    body = one(document, w("body"))
    for child in list(body)[1:]:
        if child.tag != w("sectPr"):
            body.remove(child)
    for run in body[0].findall(w("r")):
        body[0].remove(run)
    package.set_xml("word/document.xml", document)
    path = folder / "ficha.docx"
    path.write_bytes(package.to_bytes())
    return path


def test_the_text_of_a_template_joins_the_runs_of_each_paragraph_and_reads_the_headers(tmp_path):
    data = _template(tmp_path).read_bytes()
    assert b"{{ plan.referense }}" not in Package(data).parts["word/header1.xml"]
    assert "{{ plan.referense }}" in paragraph_texts(data)


def test_an_undefined_name_in_a_header_split_across_runs_is_named_whole(tmp_path):
    context = {"plan": {"title": "T", "reference": "R"}, "l": {"page": "Page", "of": "of"}}
    with pytest.raises(SourceError) as raised:
        Template(_template(tmp_path)).render({}, lambda text: context, PROPERTIES)
    message = str(raised.value)
    assert "the template uses '{{ plan.referense }}', but 'referense' does not exist (available: reference, title)" in message
    assert "[template.undefined]" in message
