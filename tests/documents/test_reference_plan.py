"""The shipped plan regenerates the 2022 PAO on cocaine trafficking, word for word.

Everything here is checked against the seed (the text of the official
document) or against values a reader of the original can see in it.
"""
from __future__ import annotations

import io
import json
import re

import docx
import pypandoc
import pytest
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from tests import seed
from tests.docx_reader import attribute, body_text, child, document_body, footnotes, normalise, part, tables, text_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def reference():
    return seed.read()


def test_every_sentence_of_the_seed_appears_in_the_seed_order(pao_docx, reference):
    document = re.sub(r"\[\^\d+\]", "", body_text(pao_docx))
    document = normalise(document)
    position, missing = 0, []
    for sentence in seed.sentences(reference.body):
        found = document.find(sentence, position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found + len(sentence)
    assert missing == []
    assert len(seed.sentences(reference.body)) > 200


def test_the_document_has_the_17_footnotes_of_the_seed_with_their_text(pao_docx, reference):
    assert footnotes(pao_docx) == reference.footnotes
    assert sorted(reference.footnotes) == list(range(1, 18))


def test_each_footnote_mark_follows_the_same_words_as_in_the_seed(pao_docx, reference):
    document = body_text(pao_docx)
    for number in range(1, 18):
        expected = _words_before(reference.body, number)
        assert _words_before(document, number) == expected, f"footnote {number}"


def _words_before(text: str, number: int) -> str:
    before = text[: text.index(f"[^{number}]")]
    before = re.sub(r"\[\^\d+\]", "", before)
    return normalise(before)[-40:]


def test_footnote_marks_are_numbered_1_to_17_in_document_order(pao_docx):
    marks = [int(n) for n in re.findall(r"\[\^(\d+)\]", body_text(pao_docx))]
    assert marks == list(range(1, 18))


def test_footnote_9_has_two_paragraphs_and_footnote_7_a_real_hyperlink(pao_docx):
    notes = {note.get(f"{W}id"): note for note in part(pao_docx, "word/footnotes.xml").findall(f"{W}footnote")}
    assert len(notes["9"].findall(f"{W}p")) == 2
    assert text_of(notes["9"].findall(f"{W}p")[1]).startswith("A su vez, si bien es cierto")
    link = child(notes["7"], f".//{W}hyperlink")
    assert text_of(link) == "https://www.unodc.org/doc/wdr2016/WDR_2016_Chapter_1_Cocaine.pdf"
    rels = part(pao_docx, "word/_rels/footnotes.xml.rels")
    rel = next(r for r in rels if r.get("Id") == link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))
    assert rel.get("Target") == "https://www.unodc.org/doc/wdr2016/WDR_2016_Chapter_1_Cocaine.pdf"
    assert rel.get("TargetMode") == "External"


HEADER_BLOCK = [
    ["Origen", ""],
    ["Destinatario(s)", "Países miembros de CLASI y EL PAcCTO"],
    ["Referencia", "Nº 06/2022/TID"],
    ["Objeto", "Plan de acción operativo (PAO) – 1. Tráfico de cocaína."],
    ["País líder", "Argentina"],
    ["País(es) colíder(es)", "Ecuador, El Salvador"],
    ["Países participantes", "Bolivia, Chile, Costa Rica, Panamá, Perú, República Dominicana, Uruguay."],
    ["Fecha", "06/2022"],
    ["Idioma(s)", "Español."],
]


def test_the_header_block_is_a_table_of_labels_and_values(pao_docx):
    assert tables(pao_docx)[0] == HEADER_BLOCK


def test_the_strategic_objectives_table_lists_the_five_oe(pao_docx):
    rows = tables(pao_docx)[1]
    assert [row[0] for row in rows] == [f"Objetivo estratégico {n}" for n in range(1, 6)]
    assert rows[1][1] == (
        "Investigaciones, intercambios operacionales y respuesta judicial: Creación de un Grupo de Trabajo "
        "Operativo birregional de respuesta judicial e investigación criminal."
    )
    assert rows[4][1] == "Cooperación internacional."


# What the seed's AO tables show: (lead, co-leads, participants, first words of each
# summary paragraph, KPIs as (text, target phrase), activities as (text, calendar)).
ACTIONS = {
    "AO 1.1": (
        "", "", "República Dominicana",
        ["Coordinar los esfuerzos", "Fortalecer los intercambios", "Mantener actualizada"],
        [
            ("Número de reuniones de intercambio de inteligencia criminal.", "Al menos 2 reuniones."),
            ("Número de intercambios de inteligencia criminal realizados.", "Al menos 5 intercambios."),
            ("Productos de inteligencia elaborados conjuntamente.", "2 productos."),
        ],
        [
            ("Organizar 1 reunión estratégica entre expertos contra el narcotráfico – vector aéreo.", "S2/2022 y 2023"),
            ("Organizar 1 reunión estratégica entre expertos contra el narcotráfico – vector marítimo.", "S2/2022 y 2023"),
            ("Intercambios de información, análisis de datos y redacción de un reporte de inteligencia sobre nuevas rutas.", "S2/2022 y 2023"),
            ("Contribuciones al IDEAL 2.0", "S2/2022 y 2023"),
        ],
    ),
    "AO 2.1": (
        "Ecuador", "Panamá", "Chile, República Dominicana",
        ["Esta AO busca fortalecer la coordinación"],
        [
            ("Número de reuniones de coordinación e intercambio de información operacional.", "Al menos 2 reuniones con la presencia de los países participantes."),
            ("Identificación de objetivos de gran valor estratégico.", "2 objetivo identificado."),
            ("Número de planes operacionales elaborados.", "Al menos 1 plan operacional elaborado."),
            ("Número de operaciones realizadas con éxito.", "Al menos 1 operación ejecutada satisfactoriamente."),
            ("Cantidad de bienes incautados por la Fuerza Tarea regional.", "Al menos 2 M USD incautados por operación."),
        ],
        [
            ("Reunión de creación de la Grupo de Trabajo", "S2/2022"),
            ("Webinars de trabajo de la Grupo de Trabajo", "S2/2022"),
            ("Desarrollo de planes operacionales conjuntos.", "S2/2022"),
            ("Apoyo a las acciones operativas", "2022 y 2023"),
        ],
    ),
    "AO 3.1": (
        "", "", "",
        ["El aumento exponencial del comercio ilícito", "El Instrumento de Documentación", "Consecuentemente, el desarrollo", "Esta AO tiene como objetivo principal"],
        [
            ("Número de reuniones preparatorias y formaciones realizadas.", "Al menos 2 reuniones y formaciones ejecutadas."),
            ("Número de reuniones de coordinación e intercambio de información operacional.", "Al menos 2 reuniones con la presencia de los países participantes."),
            ("Identificación de objetivos de gran valor estratégico.", "2 objetivo identificado."),
            ("Número de planes operacionales elaborados.", "Al menos 1 plan operacional elaborado."),
            ("Número de operaciones realizadas con éxito.", "Al menos 1 operación ejecutada satisfactoriamente."),
        ],
        [
            ("Desarrollo de una guía regional de investigación en internet y con fuentes abiertas[^17].", "S2/2023"),
            ("Especialización en ciber patrullaje y fuentes abiertas.", "S2/2023"),
            ("Especialización en investigación del narcotráfico en el darkweb y darknet.", "S2/2023"),
            ("Semana del ciber patrullaje.", "S2/2023"),
            ("Especialización en análisis e investigación de criptoactivos", "S2/2023"),
        ],
    ),
    "AO 4.1": (
        "", "", "",
        ["Combatir las finanzas criminales", "Se trabajará en proveer"],
        [
            ("Número de reuniones preparatorias y formaciones realizadas.", "Al menos 2 reuniones y formaciones ejecutadas."),
            ("Número de reuniones de coordinación e intercambio de información operacional con otras AO.", "Al menos 3 reuniones con la presencia de los países participantes."),
            ("Productos de inteligencia elaborados conjuntamente.", "1 producto."),
        ],
        [
            ("Actualización y armonización de procedimientos en un manual regional de investigación, localización y recuperación de bienes procedentes del delito.", "S1/2023"),
            ("Análisis de tendencias y datos sobre delitos financieros y lavado de activos en el narcotráfico.", "S1/2023"),
            ("Especializaciones online y presenciales sobre investigaciones financieras y patrimoniales.", "S1/2023"),
            ("Formaciones y desarrollo de capacidades de investigación, localización y recuperación de bienes procedentes del delito.", "S2/2023"),
        ],
    ),
    "AO 5.1": (
        "", "", "",
        ["Fortalecer y expandir la cooperación", "Esta AO estará enfocada"],
        [
            ("Creación de una Red especializada.", "Red creada."),
            ("Número de reuniones de coordinación e intercambio de información y buenas experiencias.", "Al menos 4 reuniones virtuales o presenciales."),
            ("Número de acciones operativas desarrolladas y coordinadas en el marco de la Red.", "Al menos 3 acciones operativas desarrolladas."),
        ],
        [
            ("Preparación del lanzamiento de la Red de policías especializados en la lucha contra el narcotráfico.", "S2/2023"),
            ("Reunión para la creación y lanzamiento de una Red.", "S2/2023"),
            ("Reuniones virtuales y presenciales de la Red.", "S2/2023"),
            ("Apoyos operacionales de la Red.", "S2/2023"),
        ],
    ),
}


@pytest.mark.parametrize("reference", list(ACTIONS))
def test_each_action_table_has_the_seed_rows_and_values(pao_docx, reference):
    lead, co_leads, participants, summary, kpis, activities = ACTIONS[reference]
    table = next(t for t in tables(pao_docx)[2:] if t[0][0] == f"Referencia: {reference}")
    assert table[0] == [f"Referencia: {reference}", f"País líder: {lead}".strip()]
    assert table[1] == ["", f"País(es) colíder(es): {co_leads}".strip()]
    assert table[2] == ["", f"Países, socios y organismos participantes: {participants}".strip()]
    assert table[3] == ["Resumen de los objetivos de la acción operativa"]
    paragraphs = table[4][0].split("\n")
    assert [p[: len(start)] for p, start in zip(paragraphs, summary)] == summary
    assert len(paragraphs) == len(summary)
    assert table[5] == ["Indicadores principales de rendimiento"]
    expected_kpis = []
    for index, (text, target) in enumerate(kpis):
        letter = "abcde"[index]
        expected_kpis += [f"{letter}) {text}", f"{letter}.1) Objetivo. {target}"]
    # CLDR keeps "2 M" together with a no-break space; a reader sees the seed's words
    assert [normalise(line) for line in table[6][0].split("\n")] == expected_kpis
    assert table[7] == ["Actividades", "Calendario"]
    assert table[8:] == [[f"{n}. {text}", calendar] for n, (text, calendar) in enumerate(activities, start=1)]


def test_empty_fields_stay_empty_and_never_read_none(pao_docx):
    everything = body_text(pao_docx)
    assert "None" not in everything
    ao_11 = next(t for t in tables(pao_docx) if t[0][0] == "Referencia: AO 1.1")
    assert ao_11[0][1] == "País líder:"


def _style(paragraph: Paragraph) -> ParagraphStyle:
    """A paragraph's style (python-docx types it optional; a paragraph of a document always has one)."""
    assert paragraph.style is not None, paragraph.text
    return paragraph.style


def test_headings_are_real_word_headings(pao_docx):
    headings: dict[str, list[str]] = {}
    for paragraph in document_body(pao_docx).iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and attribute(style, f"{W}val").startswith("Heading"):
            headings.setdefault(attribute(style, f"{W}val"), []).append(text_of(paragraph))
    assert headings["Heading1"] == ["1. Objetivos", "2. Contexto", "3. Prioridades de trabajo"]
    assert headings["Heading2"] == ["Cocaína", "Cannabis", "Precusores químicos.", "Principales amenazas:", "Localizaciones clave:"]
    assert headings["Heading3"] == [
        "Los socios más importantes fuera de América Latina:",
        "Sinergias potenciales con otras prioridades",
        "Áreas clave a las que dirigirse:",
    ]


def test_the_objective_headings_of_section_3_are_in_the_navigation_outline(pao_docx):
    document = docx.Document(io.BytesIO(pao_docx))
    arrows = [p for p in document.paragraphs if _style(p).name == "Arrow Heading"]
    assert [p.text[:22] for p in arrows] == [f"Objetivo estratégico {n}" for n in range(1, 6)]
    assert arrows[3].text.endswith("blanqueo de capitales y recuperación de activos.")
    base = _style(arrows[0]).base_style
    assert base is not None and base.name == "Heading 2"  # outline level 2: Word's navigation pane lists it


def test_bullets_are_real_word_lists(pao_docx):
    document = docx.Document(io.BytesIO(pao_docx))
    bullets = [p for p in document.paragraphs if _style(p).name == "List Bullet"]
    assert len(bullets) == 44
    assert bullets[0].text == "El tráfico de cocaína es una de las principales actividades criminales relacionada con esta prioridad."
    numbering = _style(bullets[0]).element.find(f"{W}pPr/{W}numPr")
    assert numbering is not None  # the style carries Word list numbering


def test_emphasis_is_real_italic(pao_docx):
    body = part(pao_docx, "word/document.xml")
    italic = [text_of(run) for run in body.iter(f"{W}r") if run.find(f"{W}rPr/{W}i") is not None]
    assert italic == ["Global Financial Integrity", "crime as a service", "deepweb", "darknet", "darkweb", "darkweb", "darknet"]


def test_the_page_header_has_the_reference_and_the_footer_page_n_of_m(pao_docx):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pao_docx)) as archive:
        headers = [archive.read(n).decode() for n in archive.namelist() if re.match(r"word/header\d*\.xml", n)]
        footers = [archive.read(n).decode() for n in archive.namelist() if re.match(r"word/footer\d*\.xml", n)]
    assert any("Nº 06/2022/TID" in h for h in headers)
    footer = next(f for f in footers if "PAGE" in f)
    assert re.search(r'w:instr=" PAGE [^"]*"', footer) and re.search(r'w:instr=" NUMPAGES [^"]*"', footer)
    footer_text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", footer))
    assert footer_text == "Página 1 de 1"  # field results are placeholders until Word/LibreOffice lays out pages


def test_document_properties_come_from_the_sources(pao_docx):
    properties = docx.Document(io.BytesIO(pao_docx)).core_properties
    assert properties.title == "Plan de acción operativo 2022-2024"
    assert properties.subject == "Plan de acción operativo (PAO) – 1. Tráfico de cocaína."
    assert properties.language == "es-ES"
    assert properties.created.date().isoformat() == "2022-06-01"
    assert properties.modified == properties.created
    default_language = child(part(pao_docx, "word/styles.xml"), f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default_language.get(f"{W}val") == "es-ES"


def test_the_document_opens_in_python_docx(pao_docx):
    document = docx.Document(io.BytesIO(pao_docx))
    assert len(document.tables) == 7
    assert document.paragraphs[0].text == "Plan de acción operativo 2022-2024"


def test_pandoc_reads_the_document_back_with_its_17_footnotes(built):
    from tests.conftest import PAO

    document = json.loads(pypandoc.convert_file(str(built / PAO), "json"))
    notes = list(_pandoc_elements(document, "Note"))
    assert len(notes) == 17
    assert _pandoc_text(notes[6]).startswith("World Drug Report (2016)")
    assert _pandoc_text(notes[16]).startswith("Sería recomendable que incluya")


def _pandoc_elements(node, kind):
    if isinstance(node, dict):
        if node.get("t") == kind:
            yield node
        for value in node.values():
            yield from _pandoc_elements(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _pandoc_elements(value, kind)


def _pandoc_text(node) -> str:
    words = [n["c"] if n["t"] == "Str" else " " for n in _pandoc_words(node)]
    return normalise("".join(words))


def _pandoc_words(node):
    if isinstance(node, dict):
        if node.get("t") in ("Str", "Space", "SoftBreak"):
            yield node
        for value in node.values():
            yield from _pandoc_words(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pandoc_words(value)
