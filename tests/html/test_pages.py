"""The HTML pages of the shipped plan say what its Word documents say: every line, cell and footnote."""
from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import docx
import pytest

from generator import pipeline
from generator.diagnostics import Diagnostics, Location
from generator.documents.kinds import documents
from generator.html.pages import document_page, index_page
from generator.html.prose import HtmlText
from generator.model.prose import Block, Prose, Span
from generator.ooxml.reader import docx_text
from generator.sources.markdown import parse
from tests.conftest import PAO, PLAN_ID, ROOT, Project
from tests.html.reading import found, page_text, sentences


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    """Every document of the shipped plan as a page, by the path of its .docx."""
    editions = pipeline.localize(pipeline.load(ROOT / "source"))
    return {d.path: document_page(d) for e in editions for d in documents(e)}


def test_there_is_a_page_for_every_document_the_build_makes(pages, built):
    made = {str(p.relative_to(built)) for p in built.rglob("*.docx")}
    assert set(pages) == made and len(made) == 24


def test_the_spanish_pao_page_shows_every_sentence_of_the_document(pages, built):
    lines = sentences(docx_text((built / PAO).read_bytes()))
    text = page_text(pages[PAO])
    assert len(lines) > 200
    assert [line for line in lines if line not in text] == []
    assert "Las delegaciones encontrarán a continuación el Plan de Acción Operativo 2022-2023" in text


def test_every_page_shows_every_line_and_cell_of_its_document(pages, built):
    for path, html in pages.items():
        text = page_text(html)
        missing = [line for line in sentences(docx_text((built / path).read_bytes())) if line not in text]
        assert missing == [], path


def test_the_pao_page_has_the_documents_tables_with_header_cells(pages, built):
    html = pages[PAO]
    assert html.count("<table") == len(docx.Document(str(built / PAO)).tables) == 7
    assert html.count('<th scope="row">Objetivo estratégico ') == 5
    for label in ("Origen", "Destinatario(s)", "Referencia", "Objeto", "País líder", "País(es) colíder(es)", "Fecha", "Idioma(s)"):
        assert f'<th scope="row">{label}</th>' in html
    assert html.count('<th scope="col">Calendario</th>') == 5


@pytest.mark.parametrize("name", [f"es/pao-{PLAN_ID}-es", f"es/ficha-{PLAN_ID}-AO-3.1-es", f"pt/anexo-{PLAN_ID}-2023-S1-pt"])
def test_every_paragraph_of_every_table_cell_is_on_the_page(pages, built, name):
    path = f"{PLAN_ID}/{name}.docx"
    text = page_text(pages[path])
    cells = [
        re.sub(r"\s+", " ", paragraph).strip()
        for table in docx.Document(str(built / path)).tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.text.split("\n")
    ]
    assert len([c for c in cells if c]) > 30
    assert [cell for cell in cells if cell not in text] == []


def test_headings_are_html_headings_in_the_documents_order(pages):
    headings = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", pages[PAO])
    assert headings[0] == ("1", "Plan de acción operativo 2022-2024")
    assert [level for level, _ in headings].count("1") == 1
    top = [re.sub(r"<[^>]+>", "", text) for level, text in headings if level == "2"]
    assert top == ["Índice", "1. Objetivos", "2. Contexto", "3. Prioridades de trabajo"]
    assert ("3", "Cocaína") in headings  # a ## heading of context.md (Word: Heading 2), under "2. Contexto"


def test_the_contents_link_to_every_heading(pages):
    html = pages[PAO]
    contents = found(r'<nav class="contents".*?</nav>', html)
    targets = re.findall(r'href="#(section-\d+)"', contents)
    after = html.split(contents, 1)[1]
    assert len(targets) == len(re.findall(r"<h[2-4]", after)) == 16  # as Word's TOC: headings 1 to 3
    assert all(f'id="{target}"' in html for target in targets)
    assert ">Objetivo estratégico 5: Fortalecer la Cooperación internacional.</a>" in contents


def _notes(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", n).strip() for n in re.findall(r"^\[\^\d+\]: (.*?)(?=^\[\^|\Z)", text, re.DOTALL | re.MULTILINE)]


def test_every_footnote_is_numbered_in_order_and_linked_both_ways(pages, built):
    html = pages[PAO]
    expected = _notes(docx_text((built / PAO).read_bytes()))
    assert len(expected) == 17
    marks = re.findall(r'<sup class="note-ref"><a id="mark-(\d+)" href="#note-(\d+)"[^>]*>(\d+)</a></sup>', html)
    assert marks == [(str(n), str(n), str(n)) for n in range(1, 18)]
    notes = re.findall(r'<li id="note-(\d+)">(.*?)<a class="note-back" href="#mark-(\d+)"', html, re.DOTALL)
    assert [(a, b) for a, _, b in notes] == [(str(n), str(n)) for n in range(1, 18)]
    assert [page_text(body).strip() for _, body, _ in notes] == expected
    assert '<section class="footnotes" role="doc-endnotes"' in html


def test_each_language_is_marked_on_its_pages(pages):
    for language in ("es", "en", "pt"):
        assert pages[f"{PLAN_ID}/{language}/pao-{PLAN_ID}-{language}.docx"].startswith(f'<!DOCTYPE html>\n<html lang="{language}">')


def test_the_annex_shows_the_same_chart_pngs_as_the_word_annex_with_their_alt_text(pages, built):
    path = f"{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S1-es.docx"
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', pages[path])
    with zipfile.ZipFile(built / path) as package:
        media = sorted(package.read(n) for n in package.namelist() if n.startswith("word/media/"))
        document = package.read("word/document.xml").decode()
    assert sorted(base64.b64decode(data) for data, _ in images) == media and len(media) == 2
    for _, alt in images:
        assert alt.startswith(("AO 1.1", "Cumplimiento", "Actividades")) or "AO 1.1" in alt
        assert f'descr="{alt}"' in document  # the very alt text of the Word picture


def test_pages_load_nothing_from_elsewhere(pages):
    for html in pages.values():
        assert not re.search(r"<link|<script[^>]*src|@import|url\(", html)
        assert re.findall(r'\ssrc="([a-z]+):', html) == ["data"] * len(re.findall(r"\ssrc=", html))


def test_the_index_links_every_document_page_and_download():
    editions = pipeline.localize(pipeline.load(ROOT / "source"))
    html = index_page(editions)
    for document in (d for e in editions for d in documents(e)):
        stem = "/" + document.path.removesuffix(".docx")
        assert all(f'href="{stem}{suffix}"' in html for suffix in (".html", ".docx", ".pdf"))
    assert ">Ficha de acción operativa: AO 3.1</a>" in html and ">Annex " not in html


def _html(markdown: str) -> tuple[str, HtmlText]:
    diagnostics = Diagnostics()
    prose: Prose = parse(markdown, Location("t.md", 1, 1), diagnostics, ids="t", block_scalar=False)
    assert not diagnostics.items
    text = HtmlText(prose.footnotes)
    return str(text.paragraphs(prose)), text


def test_lists_nest_and_numbered_lists_keep_their_first_number():
    html, _ = _html("- a\n  1. b\n  2. c\n- d\n\n3. e\n4. f\n")
    assert html == '<ul><li>a<ol><li>b</li><li>c</li></ol></li><li>d</li></ul><ol start="3"><li>e</li><li>f</li></ol>'


def test_a_link_that_could_run_a_script_keeps_its_words_and_loses_its_address():
    html, _ = _html("[site](https://example.org/?a=1&b=2) [up](../x.html) [mail](mailto:a@b.org)")
    assert '<a href="https://example.org/?a=1&amp;b=2">site</a> <a href="../x.html">up</a> <a href="mailto:a@b.org">mail</a>' in html
    block = Block("paragraph", "p", (Span("see", link="javascript:alert(1)"), Span(" it", bold=True, link="data:text/html,x")), Location("t.md"))
    assert HtmlText({}).paragraphs(Prose((block,), {})) == "<p>see<strong> it</strong></p>"


def test_what_a_person_types_reaches_the_page_verbatim(tmp_path: Path):
    typed = 'Tom & Jerry <script>alert("x")</script> \'quoted\' “curly” 🚀 ñandú Donaudampfschifffahrtsgesellschaftskapitän'
    project = Project(tmp_path)
    project.edit(f"source/{PLAN_ID}/plan.yaml", "text: Número de reuniones de intercambio de inteligencia criminal.", f"text: {_yaml(typed)}")
    project.edit(f"source/{PLAN_ID}/context.md", "La ley de la oferta y la demanda", typed.replace("<", "\\<") + " La ley de la oferta y la demanda")
    editions = pipeline.localize(pipeline.load(project.folder / "source"), pipeline.Selection(languages=("es",)))
    html = next(document_page(d) for d in documents(editions[0]) if d.kind.name == "pao")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert page_text(html).count(typed) == 2


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_the_page_and_the_word_document_of_a_plan_with_such_text_agree(tmp_path: Path):
    project = Project(tmp_path)
    project.edit(f"source/{PLAN_ID}/plan.yaml", "text: Número de reuniones de intercambio de inteligencia criminal.", 'text: "A & B <c> \\"d\\" 🚀"')
    sources = pipeline.load(project.folder / "source")
    edition = pipeline.localize(sources, pipeline.Selection(languages=("es",)))[0]
    [word] = pipeline.render([edition], ROOT / "templates", ("pao",))
    html = document_page(next(d for d in documents(edition) if d.kind.name == "pao"))
    assert 'A & B <c> "d" 🚀' in docx_text(word.data)
    assert [line for line in sentences(docx_text(word.data)) if line not in page_text(html)] == []



def test_a_kind_of_document_without_a_page_says_so():
    import dataclasses

    from generator.documents import kinds

    edition = pipeline.localize(pipeline.load(ROOT / "source"), pipeline.Selection(languages=("es",)))[0]
    pao = next(d for d in documents(edition) if d.kind.name == "pao")
    html = document_page(dataclasses.replace(pao, kind=dataclasses.replace(kinds.kind("pao"), name="brief")))
    assert "Documents of the kind &#39;brief&#39; have no page yet: add generator/html/templates/brief.html." in html
