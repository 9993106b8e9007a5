"""Moves in pao diff (issue 16): what moved and what was only renumbered, in the change report (text, JSON,
HTML) and in the redline as Word's move marks; on the shipped plan and on a Portuguese plan whose actions'
ids carry their numbers."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator.ooxml.names import w
from generator.ooxml.reader import docx_text
from generator.ooxml.tracked import resolve_all
from generator.review import moves
from tests.conftest import PLAN_ID, Project, second_plan
from tests.ooxml.trees import one, words

ARMAS = "armas-2024"
MARKS = ("ins", "del", "moveFrom", "moveTo")


# ---------------------------------------------------------------- pairing and places


def _item(key: str, where: str, number: str, text: str) -> moves.Item:
    return moves.Item(key, where, where, number, number, text)


def test_of_two_swapped_items_the_shorter_moved_and_the_other_was_renumbered():
    old = [_item("a", "L", "1", "Meeting of experts on air routes"), _item("b", "L", "2", "Report")]
    new = [_item("b", "L", "1", "Report"), _item("a", "L", "2", "Meeting of experts on air routes")]
    assert moves.places(moves.match(old, new), {}) == {"b": "moved", "a": "renumbered"}


def test_ids_that_carry_a_position_are_paired_by_their_text():
    old = [_item("AO-3.1", "OE-3", "AO 3.1", "Cyber patrols"), _item("AO-3.2", "OE-3", "AO 3.2", "Crypto assets")]
    new = [_item("AO-2.4", "OE-2", "AO 2.4", "Cyber patrols"), _item("AO-3.1", "OE-3", "AO 3.1", "Crypto assets")]
    matching = moves.match(old, new)
    assert [(a.id, b.id) for a, b in matching.pairs] == [("AO-3.1", "AO-2.4"), ("AO-3.2", "AO-3.1")]
    assert moves.places(matching, {}) == {"AO-2.4": "moved", "AO-3.1": "renumbered"}


def test_an_item_rewritten_under_its_id_is_an_edit_and_nothing_moved_when_items_were_added_or_removed():
    old = [_item("a", "L", "1", "One"), _item("b", "L", "2", "Two"), _item("c", "L", "3", "Three")]
    new = [_item("a", "L", "1", "Entirely different words"), _item("c", "L", "2", "Three"), _item("d", "L", "3", "Four")]
    matching = moves.match(old, new)
    assert [(a.id, b.id) for a, b in matching.pairs] == [("a", "a"), ("c", "c")]
    assert [i.id for i in matching.removed] == ["b"] and [i.id for i in matching.new if matching.old_of(i) is None] == ["d"]
    assert moves.places(matching, {}) == {"c": "renumbered"}  # 3 → 2: its number, not its place
    assert moves.places(moves.match(old, old), {}) == {}


def test_an_item_in_another_list_moved_unless_its_list_was_only_renamed():
    old = [_item("k", "AO-1.1", "a)", "Meetings held")]
    new = [_item("k", "AO-2.1", "a)", "Meetings held")]
    assert moves.places(moves.match(old, new), {}) == {"k": "moved"}
    assert moves.places(moves.match(old, new), {"AO-1.1": "AO-2.1"}) == {}


# ---------------------------------------------------------------- helpers


def _diff(old: Project, new: Project) -> tuple[str, dict, str]:
    result = new.pao("diff", str(old.folder), str(new.folder), "--html")
    assert result.exit_code == 0, result.output
    plan = next(p.name for p in (new.folder / "source").iterdir() if p.is_dir())
    folder = new.path(f"build/diff/{plan}")
    markdown = (folder / f"changes-{plan}.md").read_text(encoding="utf-8")
    assert markdown in result.stdout
    return markdown, json.loads((folder / f"changes-{plan}.json").read_text(encoding="utf-8")), (folder / f"changes-{plan}.html").read_text(encoding="utf-8")


def _body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return one(etree.fromstring(archive.read("word/document.xml")), w("body"))


def _moved_paragraphs(body: etree._Element, side: str) -> list[str]:
    """The words of each paragraph whose mark moved away ("moveFrom") or in ("moveTo")."""
    return [words(p) for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w(side)}") is not None]


def _changes_in(paragraph: etree._Element) -> list[tuple[str, str]]:
    """(mark, words) of each tracked change inside a paragraph, in reading order."""
    return [(etree.QName(m).localname, words(m)) for m in paragraph if etree.QName(m).localname in MARKS]


def _paragraph(body: etree._Element, text: str, side: str | None = None) -> etree._Element:
    found = [
        p for p in body.iter(w("p"))
        if words(p) == text and (side is None or p.find(f"{w('pPr')}/{w('rPr')}/{w(side)}") is not None)
    ]
    assert len(found) == 1, f"{len(found)} paragraphs read {text!r}"
    return found[0]


def _check_redline(old: Project, new: Project, redline: bytes, name: str) -> etree._Element:
    """Accepting every change gives the new document, rejecting them the old one; each move's two ends share a name."""
    old_docx = old.path(f"build/{name}").read_bytes()
    new_docx = new.path(f"build/{name}").read_bytes()
    assert docx_text(resolve_all(redline, accept=True)) == docx_text(new_docx)
    assert docx_text(resolve_all(redline, accept=False)) == docx_text(old_docx)
    docx.Document(io.BytesIO(redline))  # python-docx opens it
    body = _body(redline)
    sources = [s.get(w("name"), "") for s in body.iter(w("moveFromRangeStart"))]
    targets = [s.get(w("name"), "") for s in body.iter(w("moveToRangeStart"))]
    assert sources and sorted(sources) == sorted(targets) and len(set(sources)) == len(sources)
    for kind in ("moveFrom", "moveTo"):  # every range that starts ends
        assert sorted(e.get(w("id"), "") for e in body.iter(w(f"{kind}RangeStart"))) == sorted(e.get(w("id"), "") for e in body.iter(w(f"{kind}RangeEnd")))
    return body


def _libreoffice_opens(path: Path, folder: Path) -> str:
    """LibreOffice converts the redline to PDF and to ODT; the ODT's text (its tracked changes included)."""
    from generator.pdf.office import Office, OfficeMissing

    try:
        office = Office.find()
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    for fmt in ("odt", "pdf"):
        subprocess.run(
            [office.soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", fmt, "--outdir", str(folder), str(path)],
            check=True, capture_output=True, timeout=180,
        )
    assert (folder / path.with_suffix(".pdf").name).read_bytes()[:5] == b"%PDF-"
    with zipfile.ZipFile(folder / path.with_suffix(".odt").name) as archive:
        return archive.read("content.xml").decode("utf-8")


# ---------------------------------------------------------------- the shipped plan


def _yaml_block(text: str, start: str, end: str) -> tuple[int, int]:
    a = text.index(start)
    return a, text.index(end, a + 1)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped plan, and a copy with two activities of AO 3.1 swapped, its last KPI made first, and a list
    item of the context (with a footnote) moved to the top of its list and edited."""
    root = tmp_path_factory.mktemp("moves")
    old, new = Project(root / "v1"), Project(root / "v2")
    plan = new.path(f"source/{PLAN_ID}/plan.yaml")
    whole = plan.read_text(encoding="utf-8")
    start, end = _yaml_block(whole, "  - id: AO-3.1\n", "  - id: AO-4.1\n")
    text = whole[start:end]
    a, b = _yaml_block(text, "      - id: cyber-patrolling-osint", "      - id: darkweb-investigation")
    c = text.index("      - id: cyber-patrolling-week", b)
    text = text[:a] + text[b:c] + text[a:b] + text[c:]
    a, b = _yaml_block(text, "      - id: successful-operations", "    activities:")
    first = text.index("      - id: preparatory-meetings-trainings")
    text = text[:first] + text[a:b] + text[first:a] + text[b:]
    plan.write_text(whole[:start] + text + whole[end:], encoding="utf-8")
    context = f"source/{PLAN_ID}/context.md"
    line = next(x for x in new.path(context).read_text(encoding="utf-8").split("\n") if x.endswith("{#ctx-cocaine-networks}"))
    new.edit(context, line + "\n", "")
    new.edit(context, "## Cocaína {#ctx-cocaine}\n\n", "## Cocaína {#ctx-cocaine}\n\n" + line.replace("El 50%", "El 55%") + "\n")
    markdown, report, html = _diff(old, new)
    for project in (old, new):
        assert project.pao("build", "--format", "docx", "--only", "pao", "--lang", "es", "-q").exit_code == 0
    return old, new, markdown, report, html


def test_the_report_says_what_moved_and_what_was_only_renumbered(shipped):
    *_, markdown, report, _ = shipped
    kpis = [
        "- **AO-3.1/successful-operations** moved: KPI e) in AO 3.1 → KPI a) in AO 3.1",
        "- **AO-3.1/preparatory-meetings-trainings** renumbered: KPI a) → KPI b) in AO 3.1",
        "- **AO-3.1/coordination-meetings** renumbered: KPI b) → KPI c) in AO 3.1",
        "- **AO-3.1/high-value-targets** renumbered: KPI c) → KPI d) in AO 3.1",
        "- **AO-3.1/operational-plans** renumbered: KPI d) → KPI e) in AO 3.1",
    ]
    activities = [
        "- **AO-3.1/darkweb-investigation** renumbered: activity 3 → activity 2 in AO 3.1",
        "- **AO-3.1/cyber-patrolling-osint** moved: activity 2 in AO 3.1 → activity 3 in AO 3.1",
    ]
    prose = [
        "- **ctx-cocaine-networks** moved: item 4 of list 1 in the context → item 1 of list 1 in the context",
        "- **ctx-cocaine-networks** text: El [-50%-]{+55%+} de los grupos pertenece a redes criminales y el 47% recurre al blanqueo de dinero[^ideal-2021-networks].",
    ]
    assert markdown.split("\n") == [
        f"# Changes to {PLAN_ID}: {shipped[0].folder} → {shipped[1].folder}", "", "9 change(s).",
        "", "## KPIs and targets", "", *kpis, "", "## Activities and calendars", "", *activities,
        "", "## Paragraphs, headings and list items", "", *prose, "",
    ]
    moved = next(c for c in report["changes"] if c["change"] == "moved" and c["kind"] == "kpi")
    assert moved == {
        "kind": "kpi", "id": "AO-3.1/successful-operations", "change": "moved", "field": "place",
        "old": {"in": "AO 3.1", "at": "KPI e)"}, "new": {"in": "AO 3.1", "at": "KPI a)"},
    }


def test_the_page_shows_old_and_new_places(shipped):
    html = shipped[-1]
    assert (
        '<span class="change-id">AO-3.1/cyber-patrolling-osint</span><br>moved</th>'
        '<td lang="es">activity 2 in AO 3.1</td><td lang="es">activity 3 in AO 3.1</td>'
    ) in html
    assert '<span class="change-id">AO-3.1/darkweb-investigation</span><br>renumbered</th><td lang="es">activity 3</td><td lang="es">activity 2 in AO 3.1</td>' in html


def test_the_redline_moves_rows_and_paragraphs_and_tracks_only_the_number_of_what_was_renumbered(shipped, tmp_path):
    old, new, *_ = shipped
    name = f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx"
    data = new.path(f"build/diff/{PLAN_ID}/redline-pao-{PLAN_ID}-es.docx").read_bytes()
    body = _check_redline(old, new, data, name)
    # the moved activity: a deleted row whose words moved away, an inserted row whose words moved in
    source = _paragraph(body, "2. Especialización en ciber patrullaje y fuentes abiertas.", "moveFrom")
    target = _paragraph(body, "3. Especialización en ciber patrullaje y fuentes abiertas.", "moveTo")
    assert _changes_in(source) == [("del", "2"), ("moveFrom", ". Especialización en ciber patrullaje y fuentes abiertas.")]
    assert _changes_in(target) == [("ins", "3"), ("moveTo", ". Especialización en ciber patrullaje y fuentes abiertas.")]
    for paragraph, mark in ((source, "del"), (target, "ins")):
        row = next(paragraph.iterancestors(w("tr")))
        assert row.find(f"{w('trPr')}/{w(mark)}") is not None
    # the renumbered activity: its number alone is an edit, its words are untouched
    renumbered = _paragraph(body, "32. Especialización en investigación del narcotráfico en el darkweb y darknet.")
    assert _changes_in(renumbered) == [("del", "3"), ("ins", "2")]
    # the moved KPI (two paragraphs) and the moved list item, edited: its new words inserted where it moved to
    assert "e) Número de operaciones realizadas con éxito." in _moved_paragraphs(body, "moveFrom")
    assert "a) Número de operaciones realizadas con éxito." in _moved_paragraphs(body, "moveTo")
    item = _paragraph(body, "El 55% de los grupos pertenece a redes criminales y el 47% recurre al blanqueo de dinero.", "moveTo")
    assert [change for change in _changes_in(item) if change[0] != "moveTo"] == [("ins", "55")]
    moved_away = _paragraph(body, "El 50% de los grupos pertenece a redes criminales y el 47% recurre al blanqueo de dinero.", "moveFrom")
    assert [change for change in _changes_in(moved_away) if change[0] != "moveFrom"] == [("del", "50")]
    # LibreOffice opens it, tracked changes and all
    path = tmp_path / "redline.docx"
    path.write_bytes(data)
    content = _libreoffice_opens(path, tmp_path)
    assert content.count("<text:changed-region") >= 10
    assert "Especialización en ciber patrullaje y fuentes abiertas." in content


# ---------------------------------------------------------------- a Portuguese plan whose ids carry numbers


def _renumber(project: Project, plan: str, numbers: dict[str, str]) -> None:
    """Give actions new numbers in every file of a plan (ids "AO-1.1" and references "AO 1.1" alike), at once."""
    pattern = re.compile(r"\bAO([- ])(" + "|".join(re.escape(n) for n in numbers) + r")\b")
    for path in sorted(project.path(f"source/{plan}").rglob("*")):
        if path.suffix in (".yaml", ".po", ".md"):
            text = path.read_text(encoding="utf-8")
            path.write_text(pattern.sub(lambda m: f"AO{m[1]}{numbers[m[2]]}", text), encoding="utf-8")


@pytest.fixture(scope="module")
def armas(tmp_path_factory):
    """armas-2024, and a copy where AO 1.1 moved to objective 2 (now AO 2.2, last; AO 1.2 became AO 1.1), AO 2.1's
    two KPIs swapped, the moved action's two activities swapped, one of them edited, and a value it reported changed."""
    root = tmp_path_factory.mktemp("armas-moves")
    old, new = second_plan(root / "v1"), second_plan(root / "v2")
    _renumber(new, ARMAS, {"1.1": "2.2", "1.2": "1.1"})
    plan = new.path(f"source/{ARMAS}/plan.yaml")
    text = plan.read_text(encoding="utf-8")
    a, b = _yaml_block(text, "  - id: AO-2.2\n", "  - id: AO-1.1\n")
    moved = text[a:b].replace("objective: OE-1", "objective: OE-2")
    c, d = _yaml_block(moved, "      - id: tracing-workshop", "      - id: tracing-guide")
    e = moved.index("      - id: tracing-exchange", d)
    moved = moved[:c] + moved[d:e] + moved[c:d].replace("Oficina regional", "Oficina nacional") + moved[e:]
    text = text[:a] + text[b:].rstrip("\n") + "\n" + moved
    e, f = _yaml_block(text, "      - id: answered-share", "      - id: network-created")
    g = text.index("    activities:", f)
    text = text[:e] + text[f:g] + text[e:f] + text[g:]
    plan.write_text(text, encoding="utf-8")
    new.edit(f"source/{ARMAS}/progress/2024-S1.yaml", "traced-share: {value: 45}", "traced-share: {value: 52}")
    markdown, report, html = _diff(old, new)
    for project in (old, new):
        assert project.pao("build", "--format", "docx", "--lang", "pt", "-q").exit_code == 0
    return old, new, markdown, report, html


def test_an_action_moved_to_another_objective_and_the_one_renumbered_after_it(armas):
    *_, markdown, report, html = armas
    assert markdown.split("\n")[2:] == [
        "8 change(s).",
        "", "## Operational actions", "",
        "- **AO-1.1** renumbered: AO 1.2 → AO 1.1 in objective 1 (id AO-1.2 → AO-1.1)",
        "- **AO-2.2** moved: AO 1.1 in objective 1 → AO 2.2 in objective 2 (id AO-1.1 → AO-2.2)",
        "", "## KPIs and targets", "",
        "- **AO-2.1/network-created** moved: KPI b) in AO 2.1 → KPI a) in AO 2.1",
        "- **AO-2.1/answered-share** renumbered: KPI a) → KPI b) in AO 2.1",
        "", "## Activities and calendars", "",
        "- **AO-2.2/tracing-guide** moved: activity 2 in AO 1.1 → activity 1 in AO 2.2",
        "- **AO-2.2/tracing-workshop** renumbered: activity 1 → activity 2 in AO 2.2",
        "- **AO-2.2/tracing-workshop** text: Oficina [-regional-]{+nacional+} de rastreamento.",
        "", "## Progress reports", "",
        "- **2024-S1/AO-2.2/traced-share** value: “45” → “52”",
        "",
    ]
    assert next(c for c in report["changes"] if c["kind"] == "action" and c["change"] == "moved") == {
        "kind": "action", "id": "AO-2.2", "change": "moved", "field": "place",
        "old": {"in": "objective 1", "at": "AO 1.1", "id": "AO-1.1"}, "new": {"in": "objective 2", "at": "AO 2.2"},
    }
    assert '<span class="change-id">AO-2.2</span><br>moved</th><td lang="pt">AO 1.1 in objective 1 (id AO-1.1)</td><td lang="pt">AO 2.2 in objective 2</td>' in html


def test_the_redline_moves_the_action_table_and_a_kpi_in_portuguese(armas, tmp_path):
    old, new, *_ = armas
    name = f"{ARMAS}/pt/pao-{ARMAS}-pt.docx"
    data = new.path(f"build/diff/{ARMAS}/redline-pao-{ARMAS}-pt.docx").read_bytes()
    body = _check_redline(old, new, data, name)
    # the action's table: every row deleted where it was and inserted where it went, its words moved
    source = next(p for p in _moved_paragraphs(body, "moveFrom") if p.startswith("Referência"))
    target = next(p for p in _moved_paragraphs(body, "moveTo") if p.startswith("Referência"))
    assert (source, target) == ("Referência: AO 1.1", "Referência: AO 2.2")
    table = next(_paragraph(body, "Rastrear as armas apreendidas & registrar a origem de cada uma.", "moveTo").iterancestors(w("tbl")))
    assert all(row.find(f"{w('trPr')}/{w('ins')}") is not None for row in table.findall(w("tr")))
    # the action renumbered after it: only its number changed
    renumbered = _paragraph(body, "Referência: AO 1.21")
    assert _changes_in(renumbered) == [("del", "2"), ("ins", "1")]
    # AO 2.1's KPI moved within its cell: its letter is the edit of the move
    assert _changes_in(_paragraph(body, "b) Criação da rede de procuradores.", "moveFrom")) == [("del", "b"), ("moveFrom", ") Criação da rede de procuradores.")]
    assert _changes_in(_paragraph(body, "a) Criação da rede de procuradores.", "moveTo")) == [("ins", "a"), ("moveTo", ") Criação da rede de procuradores.")]
    assert _changes_in(_paragraph(body, "ab) Taxa de pedidos respondidos.")) == [("del", "a"), ("ins", "b")]
    path = tmp_path / "redline.docx"
    path.write_bytes(data)
    assert "Criação da rede de procuradores." in _libreoffice_opens(path, tmp_path)


def test_fact_sheets_and_progress_annexes_are_compared_too(armas):
    old, new, *_ = armas
    result = new.pao("diff", str(old.folder), str(new.folder), "--sheets", "--annexes", "--out", "review", "-q")
    assert result.exit_code == 0, result.output
    folder = new.path(f"review/{ARMAS}")
    # the moved action's fact sheet is compared with its old one (AO 1.1's), not with the new AO 1.1's
    sheet = folder / f"redline-ficha-{ARMAS}-AO-2.2-pt.docx"
    body = _body(sheet.read_bytes())
    assert docx_text(resolve_all(sheet.read_bytes(), accept=True)) == docx_text(new.path(f"build/{ARMAS}/pt/ficha-{ARMAS}-AO-2.2-pt.docx").read_bytes())
    assert docx_text(resolve_all(sheet.read_bytes(), accept=False)) == docx_text(old.path(f"build/{ARMAS}/pt/ficha-{ARMAS}-AO-1.1-pt.docx").read_bytes())
    assert "Guia de rastreamento." in _moved_paragraphs(body, "moveFrom") and "Guia de rastreamento." in _moved_paragraphs(body, "moveTo")
    edited = [p for p in body.iter(w("p")) if words(p) == "Oficina regionalnacional de rastreamento."]  # its plan and its progress
    assert len(edited) == 2 and all(_changes_in(p) == [("del", "regional"), ("ins", "nacional")] for p in edited)
    # the annex of the period whose value changed: the value deleted and inserted, the moved action's table moved
    annex = (folder / f"redline-anexo-{ARMAS}-2024-S1-pt.docx").read_bytes()
    name = f"{ARMAS}/pt/anexo-{ARMAS}-2024-S1-pt.docx"
    assert docx_text(resolve_all(annex, accept=True)) == docx_text(new.path(f"build/{name}").read_bytes())
    assert docx_text(resolve_all(annex, accept=False)) == docx_text(old.path(f"build/{name}").read_bytes())
    body = _body(annex)
    assert ("del", "45") in [c for p in body.iter(w("p")) for c in _changes_in(p)]
    assert ("ins", "52") in [c for p in body.iter(w("p")) for c in _changes_in(p)]
    assert "Porcentagem de armas apreendidas rastreadas." in _moved_paragraphs(body, "moveTo")


def test_a_version_compared_with_itself_shows_no_move(tmp_path):
    project = second_plan(tmp_path / "p")
    shutil.copytree(project.path("source"), tmp_path / "same")
    result = project.pao("diff", str(tmp_path / "same"), "--lang", "pt")
    assert result.exit_code == 0, result.output
    assert "No changes." in result.stdout
    body = _body(project.path(f"build/diff/{ARMAS}/redline-pao-{ARMAS}-pt.docx").read_bytes())
    assert [e for tag in (*MARKS, "moveFromRangeStart", "moveToRangeStart") for e in body.iter(w(tag))] == []


def test_strategic_objectives_swapped_move_with_their_heading_and_actions(tmp_path):
    old, new = second_plan(tmp_path / "v1"), second_plan(tmp_path / "v2")
    plan = new.path(f"source/{ARMAS}/plan.yaml")
    text = plan.read_text(encoding="utf-8")
    a, b = _yaml_block(text, "  - id: OE-1\n", "  - id: OE-2\n")
    c = text.index("\nactions:")
    first, second = text[a:b].replace("number: 1", "number: 2"), text[b:c].replace("number: 2", "number: 1")
    plan.write_text(text[:a] + second.rstrip("\n") + "\n" + first.rstrip("\n") + "\n" + text[c:], encoding="utf-8")
    markdown, _, _ = _diff(old, new)
    assert markdown.split("\n")[2:] == [
        "2 change(s).", "", "## Strategic objectives", "",
        "- **OE-2** moved: objective 2 in the plan → objective 1 in the plan",
        "- **OE-1** renumbered: objective 1 → objective 2 in the plan", "",
    ]
    for project in (old, new):
        assert project.pao("build", "--format", "docx", "--only", "pao", "--lang", "pt", "-q").exit_code == 0
    body = _check_redline(old, new, new.path(f"build/diff/{ARMAS}/redline-pao-{ARMAS}-pt.docx").read_bytes(), f"{ARMAS}/pt/pao-{ARMAS}-pt.docx")
    heading = _paragraph(body, "Objetivo estratégico 1: Cooperação judicial.", "moveTo")
    assert _changes_in(heading) == [("moveTo", "Objetivo estratégico "), ("ins", "1"), ("moveTo", ": Cooperação judicial.")]
    assert _changes_in(_paragraph(body, "Objetivo estratégico 12: Rastreamento de armas apreendidas.")) == [("del", "1"), ("ins", "2")]
    assert "Acelerar os pedidos de cooperação judicial." in _moved_paragraphs(body, "moveTo")


def test_an_item_of_a_numbered_list_moved_and_edited_in_a_portuguese_text(tmp_path):
    old, new = second_plan(tmp_path / "v1"), second_plan(tmp_path / "v2")
    items = ["1. Rotas terrestres pela fronteira seca. {#ctx-land}", "2. Portos do Atlântico Sul. {#ctx-ports}",
             "3. Envios postais de peças de armas. {#ctx-post}"]
    for project, lines in ((old, items), (new, [items[2].replace("3. Envios postais", "1. Envios postais e expressos"),
                                                items[0].replace("1.", "2."), items[1].replace("2.", "3.")])):
        project.edit(f"source/{ARMAS}/context.md", "{#ctx-violence}\n", "{#ctx-violence}\n\n" + "\n".join(lines) + "\n")
    markdown, _, _ = _diff(old, new)
    assert markdown.split("\n")[2:] == [
        "4 change(s).", "", "## Paragraphs, headings and list items", "",
        "- **ctx-post** moved: item 3 of list 1 in the context → item 1 of list 1 in the context",
        "- **ctx-post** text: Envios postais{+ e expressos+} de peças de armas.",
        "- **ctx-land** renumbered: item 1 of list 1 → item 2 of list 1 in the context",
        "- **ctx-ports** renumbered: item 2 of list 1 → item 3 of list 1 in the context", "",
    ]
    for project in (old, new):
        assert project.pao("build", "--format", "docx", "--only", "pao", "--lang", "pt", "-q").exit_code == 0
    body = _check_redline(old, new, new.path(f"build/diff/{ARMAS}/redline-pao-{ARMAS}-pt.docx").read_bytes(), f"{ARMAS}/pt/pao-{ARMAS}-pt.docx")
    moved_in = _paragraph(body, "Envios postais e expressos de peças de armas.", "moveTo")
    assert [c for c in _changes_in(moved_in) if c[0] != "moveTo"] == [("ins", " e expressos")]
    assert _paragraph(body, "Envios postais de peças de armas.", "moveFrom") is not None
    # Word numbers the list itself: the items renumbered are not edited at all
    assert _changes_in(_paragraph(body, "Rotas terrestres pela fronteira seca.")) == []
