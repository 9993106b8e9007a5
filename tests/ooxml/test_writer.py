"""Markdown prose becomes real Word formatting: lists, emphasis, links, line breaks."""
from __future__ import annotations

import io
import json
from typing import cast

import docx
from docx.oxml.numbering import CT_NumPr
from docx.oxml.shared import CT_DecimalNumber
from docx.text.paragraph import Paragraph

from tests.conftest import PAO, PLAN_ID
from tests.docx_reader import part, text_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

PROSE = """
Un párrafo con **negrita**, *cursiva*, ***ambas***, un [enlace](https://example.org/a?b=1&c=2)
y un salto  
de línea. {#rt-paragraph}

1. primero {#rt-one}
2. segundo {#rt-two}
   - anidado {#rt-nested}

Entre listas. {#rt-between}

5. quinto {#rt-five}
6. sexto {#rt-six}
"""


def _style_name(paragraph: Paragraph) -> str | None:
    assert paragraph.style is not None, paragraph.text
    return paragraph.style.name


def _list_id(paragraph: Paragraph) -> int:
    """The numbering instance of a list paragraph: its ``w:pPr/w:numPr/w:numId/@w:val``."""
    properties = paragraph._p.pPr
    assert properties is not None, paragraph.text
    # python-docx declares these children as untyped ZeroOrOne descriptors
    numbering = cast("CT_NumPr | None", properties.numPr)
    assert numbering is not None, paragraph.text
    number = cast("CT_DecimalNumber | None", numbering.numId)
    assert number is not None, paragraph.text
    return number.val


def _build_with_prose(project) -> bytes:
    project.edit("source/cocaina-2022/context.md", "## Cocaína {#ctx-cocaine}", PROSE + "\n## Cocaína {#ctx-cocaine}")
    result = project.pao("build", "--format", "docx", "-q")
    assert result.exit_code == 0, result.output
    return project.path(f"build/{PAO}").read_bytes()


def test_markdown_lists_are_real_word_lists_and_each_numbered_list_restarts(project):
    data = _build_with_prose(project)
    document = docx.Document(io.BytesIO(data))
    paragraphs = {p.text: p for p in document.paragraphs}
    assert _style_name(paragraphs["primero"]) == "List Number"
    assert _style_name(paragraphs["anidado"]) == "List Bullet 2"
    first = _list_id(paragraphs["primero"])
    assert _list_id(paragraphs["segundo"]) == first
    second = _list_id(paragraphs["quinto"])
    assert second != first
    numbering = part(data, "word/numbering.xml")
    starts = {
        num.get(f"{W}numId"): start.get(f"{W}val")
        for num in numbering.findall(f"{W}num")
        if (start := num.find(f"{W}lvlOverride/{W}startOverride")) is not None
    }
    assert starts[str(first)] == "1" and starts[str(second)] == "5"


def test_emphasis_links_and_line_breaks_are_real_word_formatting(project):
    data = _build_with_prose(project)
    body = part(data, "word/document.xml")
    paragraph = next(p for p in body.iter(f"{W}p") if text_of(p).startswith("Un párrafo con"))
    assert text_of(paragraph) == "Un párrafo con negrita, cursiva, ambas, un enlace y un salto\nde línea."
    runs = {text_of(r): r for r in paragraph.iter(f"{W}r")}
    assert runs["negrita"].find(f"{W}rPr/{W}b") is not None and runs["negrita"].find(f"{W}rPr/{W}i") is None
    assert runs["cursiva"].find(f"{W}rPr/{W}i") is not None
    assert runs["ambas"].find(f"{W}rPr/{W}b") is not None and runs["ambas"].find(f"{W}rPr/{W}i") is not None
    link = paragraph.find(f"{W}hyperlink")
    assert link is not None, "no w:hyperlink in the paragraph"
    assert text_of(link) == "enlace"
    relationships = part(data, "word/_rels/document.xml.rels")
    target = next(r for r in relationships if r.get("Id") == link.get(f"{R}id"))
    assert target.get("Target") == "https://example.org/a?b=1&c=2" and target.get("TargetMode") == "External"
    shown = project.pao("text", f"build/{PAO}")
    assert "Un párrafo con negrita, cursiva, ambas, un enlace <https://example.org/a?b=1&c=2> y un salto" in shown.stdout


def test_several_plans_side_by_side_each_get_their_documents(project):
    import shutil

    shutil.copytree(project.plan, project.path("source/cocaina-2022-bis"))
    project.edit("source/cocaina-2022-bis/plan.yaml", "reference: Nº 06/2022/TID", "reference: Nº 07/2022/TID")
    result = project.pao("build", "--format", "docx", "--only", "pao", "--lang", "es", "-q")
    assert result.exit_code == 0, result.output
    manifest = json.loads(project.path("build/manifest.json").read_text(encoding="utf-8"))
    assert [entry["path"] for entry in manifest["outputs"]] == [
        "cocaina-2022-bis/es/pao-cocaina-2022-bis-es.docx",
        f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx",
    ]
    bis = docx.Document(project.path("build/cocaina-2022-bis/es/pao-cocaina-2022-bis-es.docx"))
    assert bis.tables[0].rows[2].cells[1].text == "Nº 07/2022/TID"
    result = project.pao("build", "--format", "docx", "--plan", "nope")
    assert result.exit_code == 2 and "no plan named nope" in result.output
