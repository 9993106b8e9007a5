"""Writes the starting Word templates of pao (``make templates``).

The .docx files in this folder are the templates: the secretariat opens them in
Word to restyle them, and what they save is what pao uses.  This script is how
the first versions were made, kept so that a reviewer can read the layout as
text and so that a template can be started over.  It records the sha256 of
what it writes in ``generated.json`` and refuses to overwrite a template whose
bytes differ (it was changed in Word) unless given ``--force``
(``make templates FORCE=1``).

Tags are docxtpl's (Jinja2): ``{{ x }}`` text, ``{{p x }}`` paragraphs of
Markdown prose, ``{{r x }}`` runs of Markdown text, ``{%p %}``/``{%tr %}``
loops over paragraphs and table rows.  ``l`` holds the layout's labels in the
document's language.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository
from generator.files import write_atomically  # after the path: a script run from the repository

CLASI_BLUE = RGBColor(0x1F, 0x3A, 0x68)
LABEL_FILL = "DCE3EE"
ARROW_NUM_ID = 90  # numbering used by the ➤ paragraphs


def base_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        _plain_font(style, "Arial")
        style.font.size = Pt(size)
        style.font.color.rgb = CLASI_BLUE
        style.font.bold = True
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain_font(styles["TOC Heading"], "Arial")
    styles["TOC Heading"].font.color.rgb = CLASI_BLUE
    footnote_text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    footnote_text.base_style = normal
    footnote_text.font.size = Pt(8.5)
    footnote_text.paragraph_format.space_after = Pt(0)
    # a long footnote may then start at the foot of its page and go on to the next
    footnote_text.paragraph_format.widow_control = False
    footnote_reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    footnote_reference.font.superscript = True
    hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hyperlink.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    hyperlink.font.underline = True
    _arrow_numbering(doc)
    arrow = styles.add_style("Arrow Heading", WD_STYLE_TYPE.PARAGRAPH)
    arrow.base_style = styles["Heading 2"]
    _arrow(arrow)
    label = styles.add_style("Arrow Label", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.paragraph_format.space_before = Pt(6)
    label.paragraph_format.keep_with_next = True  # never alone at a page's foot: with the table it names
    _arrow(label)
    target = styles.add_style("KPI Target", WD_STYLE_TYPE.PARAGRAPH)
    target.base_style = normal
    target.paragraph_format.left_indent = Cm(0.75)
    cell_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell_text.base_style = normal
    cell_text.paragraph_format.space_after = Pt(3)
    # no hyphenation in tables: columns are widened to their longest word instead (pao's ooxml.columns)
    cell_text.element.get_or_add_pPr().append(parse_xml(f'<w:suppressAutoHyphens {nsdecls("w")}/>'))
    for name in ("Heading 1", "Heading 2", "Heading 3"):  # a heading stays with what it heads
        styles[name].paragraph_format.keep_with_next = True
    return doc


def _plain_font(style, name: str) -> None:
    """A named font instead of the theme's (which would win over it)."""
    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _arrow(owner) -> None:
    """The ➤ bullet of CLASI documents, as real list numbering, on a style or a paragraph.

    LibreOffice shows a style's numbering only on heading styles: the label paragraphs
    carry it themselves too.
    """
    element = owner.element if hasattr(owner, "element") else owner
    numbering = element.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = ARROW_NUM_ID


def _arrow_numbering(doc: Document) -> None:
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{ARROW_NUM_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="➤"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr>'
        '<w:rPr><w:rFonts w:ascii="DejaVu Sans" w:hAnsi="DejaVu Sans" w:cs="DejaVu Sans"/></w:rPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(abstract)
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{ARROW_NUM_ID}"><w:abstractNumId w:val="{ARROW_NUM_ID}"/></w:num>')
    )


def table_of_contents(doc: Document, title: str, placeholder: str) -> None:
    """A real TOC field (headings 1-3): Word and pao's PDF step fill it in.

    The field needs a result for LibreOffice to see it: until it is updated, a
    line that says how to update it.
    """
    paragraph(doc, title, "TOC Heading")
    doc.element.body.sectPr.addprevious(  # the body's end, before its section properties
        parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent><w:p>"
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t xml:space="preserve">{placeholder}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "</w:p></w:sdtContent></w:sdt>"
        )
    )
    # Word then offers to update fields (the TOC, page numbers) when the document opens
    settings = doc.settings.element
    settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def header_footer(doc: Document, header_text: str) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = header.add_run(header_text)
    run.font.size = Pt(8.5)
    run.font.color.rgb = CLASI_BLUE
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ l.page }} ")
    footer._p.append(_field("PAGE"))
    footer.add_run(" {{ l.of }} ")
    footer._p.append(_field("NUMPAGES"))


def _field(instruction: str):
    return parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )


def paragraph(container, text: str = "", style: str | None = None, bold: bool = False):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if bold:  # else the style decides
            run.bold = True
    return p


def label_value(cell, label: str, value: str) -> None:
    """"Label: value" in one cell, the label bold."""
    p = cell.paragraphs[0]
    p.style = "Table Text"
    p.add_run(label).bold = True
    p.add_run(value)


def set_cell(cell, text: str, bold: bool = False, fill: str | None = None, style: str = "Table Text", keep: bool = False) -> None:
    """``keep``: the cell is a label that stays on the page of the row after it."""
    p = cell.paragraphs[0]
    p.style = style
    p.paragraph_format.keep_with_next = keep or None
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
    if fill:
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def labels_table(doc: Document, rows: list[tuple[str, str]], widths: list[float]):
    """A two-column table: a shaded label (the key of a layout label, or a tag) and its value."""
    table = new_table(doc, len(rows), widths)
    for row, (label, value) in zip(table.rows, rows):
        set_cell(row.cells[0], label if label.startswith("{{") else "{{ l.%s }}" % label, bold=True, fill=LABEL_FILL)
        set_cell(row.cells[1], value)
    return table


def conditional_rows(table, after: int, condition: str, cells: list[list[tuple[str, bool, str | None]]]) -> list:
    """Rows shown only when ``condition`` holds (``{%tr if %}`` … ``{%tr endif %}``), put after row ``after``
    (-1: at the table's end); ``cells``: each row's (text, bold, fill) per column.  The rows made, tag rows included."""
    made = [table.add_row() for _ in range(len(cells) + 2)]
    for row in made:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    set_cell(made[0].cells[0], "{%%tr if %s %%}" % condition)
    for row, columns in zip(made[1:], cells):
        for cell, (text, bold, fill) in zip(row.cells, columns):
            set_cell(cell, text, bold=bold, fill=fill)
    set_cell(made[-1].cells[0], "{%tr endif %}")
    if after >= 0:
        anchor = table.rows[after]._tr
        for row in reversed(made):
            anchor.addnext(row._tr)
    return made


def budget_rows(table, owner: str) -> None:
    """An action table's budget, at its end, only when the action has one (three columns: the label and each
    source of funding across the first two, the amount in the third; a total per currency with several lines)."""
    made = conditional_rows(table, -1, f"{owner}.budget", [
        [("{{ l.budget }}", True, LABEL_FILL), ("", True, LABEL_FILL), ("{{ l.amount }}", True, LABEL_FILL)],
        [("{%%tr for line in %s.budget %%}" % owner, False, None), ("", False, None), ("", False, None)],
        [("{{ line.source }}", False, None), ("", False, None), ("{{ line.amount }}", False, None)],
        [("{%tr endfor %}", False, None), ("", False, None), ("", False, None)],
    ])
    # the total, inside the budget's condition: after its loop, before its endif
    total = conditional_rows(table, len(table.rows) - 2, f"{owner}.budget_total", [
        [("{{ l.total }}", True, None), ("", False, None), ("{{ %s.budget_total }}" % owner, True, None)],
    ])
    for cell in made[1].cells:  # the titles stay on the page of the first line, as the activities' do
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True
    for row in (made[1], made[3], total[1]):
        row.cells[0].merge(row.cells[1])


def budget_table(doc: Document, owner: str) -> None:
    """A fact sheet's budget: a heading and a table of the action's sources of funding, only when it has one."""
    paragraph(doc, "{%%p if %s.budget %%}" % owner)
    paragraph(doc, "{{ l.budget }}", "Heading 2")
    table = new_table(doc, 4, [11.0, 5.0])  # a few lines: its titles stay with the first, not repeated on each page
    set_cell(table.rows[0].cells[0], "{{ l.funding_source }}", bold=True, fill=LABEL_FILL, keep=True)
    set_cell(table.rows[0].cells[1], "{{ l.amount }}", bold=True, fill=LABEL_FILL, keep=True)
    set_cell(table.rows[1].cells[0], "{%%tr for line in %s.budget %%}" % owner)
    set_cell(table.rows[2].cells[0], "{{ line.source }}")
    set_cell(table.rows[2].cells[1], "{{ line.amount }}")
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    conditional_rows(table, -1, f"{owner}.budget_total", [[("{{ l.total }}", True, None), ("{{ %s.budget_total }}" % owner, True, None)]])
    paragraph(doc, "{%p endif %}")


def objective_budget(doc: Document) -> None:
    """A strategic objective's budget (the total of each currency), after its actions, only when it has one."""
    paragraph(doc, "{%p if oe.budget %}")
    p = paragraph(doc, style="Table Text")
    p.add_run("{{ l.objective_budget }} {{ oe.number }}{{ l.colon }}").bold = True
    p.add_run("{{ oe.budget }}")
    paragraph(doc, "{%p endif %}")


def header_extras(table, after_participants: int) -> None:
    """The PAO header's partner organisations (apart from the countries) and total budget, each only when the plan has them."""
    conditional_rows(table, after_participants, "plan.partner_organisations", [
        [("{{ l.partner_organisations }}", True, LABEL_FILL), ("{{ plan.partner_organisations }}.", False, None)],
    ])
    conditional_rows(table, -1, "plan.budget", [[("{{ l.budget_total }}", True, LABEL_FILL), ("{{ plan.budget }}", False, None)]])


def new_table(doc: Document, rows: int, widths: list[float], header: bool = False):
    """Rows never split across pages; ``header``: the first row holds column titles, repeated on every page."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for number, row in enumerate(table.rows):
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
        if header and number == 0:
            row_properties.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(int(Cm(width).twips)))
    return table


def prose_table_style(doc: Document) -> None:
    """"Prose Table": the tables written in the plan's Markdown files, framed as Table Grid, the header row
    bold on the labels' shade (pao uses Table Grid where a template lacks it)."""
    style = doc.styles.add_style("Prose Table", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Table Grid"]
    style.element.append(parse_xml(
        f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{LABEL_FILL}"/></w:tcPr></w:tblStylePr>'
    ))


def pao_template() -> Document:
    doc = base_document()
    prose_table_style(doc)  # the only template that prints the plan's Markdown files
    header_footer(doc, "{{ plan.reference }}")
    body = doc
    paragraph(body, "{{ plan.title }}", "Title")

    rows = [
        ("origin", "{{ plan.origin }}"),
        ("recipients", "{{ plan.recipients }}"),
        ("reference", "{{ plan.reference }}"),
        ("subject", "{{ plan.subject }}"),
        ("{{ plan.lead_label }}", "{{ plan.lead }}"),
        ("co_leads", "{{ plan.co_leads }}"),
        ("participants", "{{ plan.participants }}{% if plan.participants %}.{% endif %}"),
        ("date", "{{ plan.date }}"),
        ("languages", "{{ plan.languages }}{% if plan.languages %}.{% endif %}"),
    ]
    header_extras(labels_table(doc, rows, [4.5, 11.5]), after_participants=6)
    paragraph(body)
    table_of_contents(doc, "{{ l.contents }}", "{{ l.update_contents }}")
    paragraph(body, "{{p introduction }}")

    paragraph(body, "1. {{ l.objectives }}", "Heading 1")
    paragraph(body, "{{p objectives_text }}")
    _arrow(paragraph(body, "{{ l.strategic_objectives }}", "Arrow Label")._p)
    table = new_table(doc, 3, [4.5, 11.5])
    set_cell(table.rows[0].cells[0], "{%tr for oe in strategic_objectives %}")
    set_cell(table.rows[1].cells[0], "{{ l.strategic_objective }} {{ oe.number }}", bold=True, fill=LABEL_FILL)
    set_cell(table.rows[1].cells[1], "{{ oe.title }}")
    set_cell(table.rows[2].cells[0], "{%tr endfor %}")
    paragraph(body)

    paragraph(body, "2. {{ l.context }}", "Heading 1")
    paragraph(body, "{{p context }}")

    paragraph(body, "3. {{ l.priorities }}", "Heading 1")
    paragraph(body, "{%p for oe in strategic_objectives %}")
    paragraph(body, "{{ l.strategic_objective }} {{ oe.number }}{{ l.colon }}{{ oe.heading }}", "Arrow Heading")
    paragraph(body, "{%p for ao in oe.actions %}")
    action_table(doc)
    paragraph(body)
    paragraph(body, "{%p endfor %}")
    objective_budget(doc)
    paragraph(body, "{%p endfor %}")
    return doc


def action_table(doc: Document) -> None:
    """The seed's AO table: who, summary, KPIs with targets, activities with calendar."""
    widths = [4.5, 7.0, 4.5]
    table = new_table(doc, 11, widths)
    r = table.rows
    label_value(r[0].cells[0], "{{ l.reference }}{{ l.colon }}", "{{ ao.reference }}")
    label_value(r[0].cells[1], "{{ ao.lead_label }}{{ l.colon }}", "{{ ao.lead }}")
    label_value(r[1].cells[1], "{{ l.co_leads }}{{ l.colon }}", "{{ ao.co_leads }}")
    label_value(r[2].cells[1], "{{ l.action_participants }}{{ l.colon }}", "{{ ao.participants }}")
    for row in r[:3]:  # who leads: stays with the summary
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    set_cell(r[3].cells[0], "{{ l.summary }}", bold=True, fill=LABEL_FILL, keep=True)
    set_cell(r[4].cells[0], "{{p ao.summary }}")
    set_cell(r[5].cells[0], "{{ l.kpis }}", bold=True, fill=LABEL_FILL, keep=True)
    kpis = r[6].cells[0]
    set_cell(kpis, "{%p for kpi in ao.kpis %}")
    p = kpis.add_paragraph(style="Table Text")
    p.add_run("{{ kpi.letter }}) ")
    p.add_run("{{r kpi.text }}")
    kpis.add_paragraph("{{ kpi.letter }}.1) {{ l.target }}. {{ kpi.target }}.", style="KPI Target")
    kpis.add_paragraph("{%p endfor %}", style="Table Text")
    set_cell(r[7].cells[0], "{{ l.activities }}", bold=True, fill=LABEL_FILL, keep=True)
    set_cell(r[7].cells[2], "{{ l.calendar }}", bold=True, fill=LABEL_FILL, keep=True)
    set_cell(r[8].cells[0], "{%tr for act in ao.activities %}")
    p = r[9].cells[0].paragraphs[0]
    p.style = "Table Text"
    p.add_run("{{ act.number }}. ")
    p.add_run("{{r act.text }}")
    set_cell(r[9].cells[2], "{{ act.calendar }}")
    set_cell(r[10].cells[0], "{%tr endfor %}")
    # merges last: python-docx keeps the first cell's content
    r[0].cells[1].merge(r[0].cells[2])
    r[1].cells[1].merge(r[1].cells[2])
    r[2].cells[1].merge(r[2].cells[2])
    table.cell(0, 0).merge(table.cell(2, 0))
    for index in (3, 4, 5, 6):
        r[index].cells[0].merge(r[index].cells[2])
    r[7].cells[0].merge(r[7].cells[1])
    r[9].cells[0].merge(r[9].cells[1])
    budget_rows(table, "ao")


def sheet_template() -> Document:
    """The fact sheet ("ficha") of one operational action: one page, two for a long AO."""
    doc = base_document()
    header_footer(doc, "{{ plan.reference }} · {{ ao.reference }}")
    paragraph(doc, "{{ l.sheet_title }}{{ l.colon }}{{ ao.reference }}", "Title")
    plan_line = paragraph(doc, style="Table Text")
    plan_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    plan_line.add_run("{{ plan.title }} · {{ plan.reference }} · {{ l.period }} {{ plan.period }}")
    _arrow(paragraph(doc, "{{ l.strategic_objective }} {{ objective.number }}{{ l.colon }}{{ objective.heading }}", "Arrow Label")._p)
    rows = [
        ("reference", "{{ ao.reference }}"),
        ("{{ ao.lead_label }}", "{{ ao.lead }}"),
        ("co_leads", "{{ ao.co_leads }}"),
        ("participant_countries", "{{ ao.participant_countries }}"),
        ("participant_organisations", "{{ ao.participant_organisations }}"),
    ]
    labels_table(doc, rows, [5.0, 11.0])
    paragraph(doc, "{{ l.summary }}", "Heading 2")
    paragraph(doc, "{{p ao.summary }}")
    paragraph(doc, "{{ l.kpis }}", "Heading 2")
    table = new_table(doc, 4, [1.0, 9.5, 5.5], header=True)
    set_cell(table.rows[0].cells[1], "{{ l.kpi }}", bold=True, fill=LABEL_FILL)
    set_cell(table.rows[0].cells[2], "{{ l.target }}", bold=True, fill=LABEL_FILL)
    set_cell(table.rows[0].cells[0], "", fill=LABEL_FILL)
    set_cell(table.rows[1].cells[0], "{%tr for kpi in ao.kpis %}")
    set_cell(table.rows[2].cells[0], "{{ kpi.letter }})")
    p = table.rows[2].cells[1].paragraphs[0]
    p.style = "Table Text"
    p.add_run("{{r kpi.text }}")
    set_cell(table.rows[2].cells[2], "{{ kpi.target }}")
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    paragraph(doc, "{{ l.activities }}", "Heading 2")
    table = new_table(doc, 4, [1.0, 10.5, 4.5], header=True)
    set_cell(table.rows[0].cells[0], "", fill=LABEL_FILL)
    set_cell(table.rows[0].cells[1], "{{ l.activity }}", bold=True, fill=LABEL_FILL)
    set_cell(table.rows[0].cells[2], "{{ l.calendar }}", bold=True, fill=LABEL_FILL)
    set_cell(table.rows[1].cells[0], "{%tr for act in ao.activities %}")
    set_cell(table.rows[2].cells[0], "{{ act.number }}.")
    p = table.rows[2].cells[1].paragraphs[0]
    p.style = "Table Text"
    p.add_run("{{r act.text }}")
    set_cell(table.rows[2].cells[2], "{{ act.calendar }}")
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    budget_table(doc, "ao")
    latest_status(doc)
    return doc


def latest_status(doc: Document) -> None:
    """The sheet's "latest status" part: only when the plan has progress data."""
    paragraph(doc, "{%p if status %}")
    paragraph(doc, "{{ l.latest_status }} {{ status.period }}{% if status.sample %} ({{ l.sample_mark }}){% endif %}", "Heading 2")
    kpi_status_table(doc, "status.kpis", with_this_period=False)
    # two tables that touch become one (in Word and LibreOffice): the second's titles would not repeat
    paragraph(doc, style="Table Text")
    activity_status_table(doc, "status.activities", with_action=False)
    paragraph(doc, "{%p endif %}")


def status_cell(cell, value: str, fill: str) -> None:
    """A status word whose cell takes the status colour (docxtpl's cellbg)."""
    set_cell(cell, "{%% cellbg %s %%}%s" % (fill, value))


def kpi_status_table(doc: Document, rows: str, with_this_period: bool) -> None:
    columns = ["", "{{ l.kpi }}", "{{ l.target }}"]
    columns += ["{{ l.this_period }}"] if with_this_period else []
    columns += ["{{ l.cumulative }}", "{{ l.attainment }}", "{{ l.status }}"]
    widths = [0.8, 4.6, 3.0] + ([1.9] if with_this_period else []) + [2.2, 1.6, 2.4]
    if not with_this_period:
        widths[1] += 1.8
    table = new_table(doc, 4, widths, header=True)
    for cell, title in zip(table.rows[0].cells, columns):
        set_cell(cell, title, bold=True, fill=LABEL_FILL)
    set_cell(table.rows[1].cells[0], "{%%tr for kpi in %s %%}" % rows)
    cells = table.rows[2].cells
    set_cell(cells[0], "{{ kpi.letter }})")
    p = cells[1].paragraphs[0]
    p.style = "Table Text"
    p.add_run("{{r kpi.text }}")
    set_cell(cells[2], "{{ kpi.target }}")
    values = (["{{ kpi.this_period }}"] if with_this_period else []) + ["{{ kpi.cumulative }}", "{{ kpi.attainment }}"]
    for cell, value in zip(cells[3:], values):
        set_cell(cell, value)
    status_cell(cells[-1], "{{ kpi.status }}", "kpi.fill")
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")


def activity_status_table(doc: Document, rows: str, with_action: bool) -> None:
    columns = (["{{ l.action }}"] if with_action else []) + ["", "{{ l.activity }}", "{{ l.calendar }}", "{{ l.status }}", "{{ l.delay }}"]
    widths = ([2.2] if with_action else []) + [0.8, 7.6 - (2.2 if with_action else 0), 2.6, 2.4, 2.6]
    table = new_table(doc, 4, widths, header=True)
    for cell, title in zip(table.rows[0].cells, columns):
        set_cell(cell, title, bold=True, fill=LABEL_FILL)
    set_cell(table.rows[1].cells[0], "{%%tr for act in %s %%}" % rows)
    cells = list(table.rows[2].cells)
    if with_action:
        set_cell(cells.pop(0), "{{ act.action }}")
    set_cell(cells[0], "{{ act.number }}.")
    p = cells[1].paragraphs[0]
    p.style = "Table Text"
    p.add_run("{{r act.text }}")
    set_cell(cells[2], "{{ act.calendar }}")
    set_cell(cells[3], "{{ act.status }}")
    set_cell(cells[4], "{{ act.overdue }}", bold=True)
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")


def annex_template() -> Document:
    """The progress annex ("anexo de seguimiento") of one plan and period."""
    doc = base_document()
    header_footer(doc, "{{ plan.reference }} · {{ l.annex_title }} {{ report.period }}{% if report.sample %} · {{ l.sample_mark }}{% endif %}")
    paragraph(doc, "{{ l.annex_title }} {{ report.period }}", "Title")
    paragraph(doc, "{%p if report.sample %}")
    mark = paragraph(doc, style="Table Text")
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = mark.add_run("{{ l.sample_mark }}{{ l.colon }}{{ l.sample_note }}")
    run.bold = True
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    paragraph(doc, "{%p endif %}")
    rows = [("plan", "{{ plan.title }}"), ("reference", "{{ plan.reference }}"), ("period_covered", "{{ report.period }}"), ("report_date", "{{ report.date }}")]
    labels_table(doc, rows, [4.5, 11.5])

    paragraph(doc, "1. {{ l.summary_heading }}", "Heading 1")
    columns = ["{{ l.action }}", "{{ l.kpis_achieved }}", "{{ l.activities_completed }}", "{{ l.overdue }}", "{{ l.status }}"]
    table = new_table(doc, 5, [3.2, 2.8, 3.6, 2.4, 4.0], header=True)
    for cell, title in zip(table.rows[0].cells, columns):
        set_cell(cell, title, bold=True, fill=LABEL_FILL)
    set_cell(table.rows[1].cells[0], "{%tr for row in summary %}")
    for cell, value in zip(table.rows[2].cells, ["{{ row.label }}", "{{ row.kpis }}", "{{ row.activities }}", "{{ row.overdue }}"]):
        set_cell(cell, value)
    status_cell(table.rows[2].cells[4], "{{ row.status }}", "row.fill")
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    for cell, value in zip(table.rows[4].cells, ["{{ total.label }}", "{{ total.kpis }}", "{{ total.activities }}", "{{ total.overdue }}"]):
        set_cell(cell, value, bold=True)
    status_cell(table.rows[4].cells[4], "{{ total.status }}", "total.fill")

    paragraph(doc, "2. {{ l.charts_heading }}", "Heading 1")
    paragraph(doc, "{%p for chart in charts %}")
    paragraph(doc, "{{p chart }}")
    paragraph(doc, "{%p endfor %}")

    paragraph(doc, "3. {{ l.details_heading }}", "Heading 1")
    paragraph(doc, "{%p for ao in actions %}")
    paragraph(doc, "{{ ao.reference }} · {{ ao.status }}", "Heading 2")
    paragraph(doc, "{{ l.kpis }}", "Heading 3")
    kpi_status_table(doc, "ao.kpis", with_this_period=True)
    paragraph(doc, "{{ l.activities }}", "Heading 3")
    activity_status_table(doc, "ao.activities", with_action=False)
    paragraph(doc, "{%p if ao.notes %}")
    paragraph(doc, "{{ l.notes }}", "Heading 3")
    paragraph(doc, "{{p ao.notes }}")
    paragraph(doc, "{%p endif %}")
    paragraph(doc, "{%p endfor %}")

    paragraph(doc, "4. {{ l.overdue_heading }}", "Heading 1")
    paragraph(doc, "{%p if overdue %}")
    paragraph(doc, "{{ overdue_count }}")
    activity_status_table(doc, "overdue", with_action=True)
    paragraph(doc, "{%p else %}")
    paragraph(doc, "{{ l.no_overdue }}")
    paragraph(doc, "{%p endif %}")
    return doc


RECORD = "generated.json"  # the sha256 of each template as this script last wrote it


def generate() -> dict[str, bytes]:
    """The starting templates, as bytes: the same every time (fixed dates, in the document and in the zip)."""
    made = {}
    for name, document in (("pao.docx", pao_template()), ("ficha.docx", sheet_template()), ("anexo.docx", annex_template())):
        document.core_properties.title = ""
        document.core_properties.author = "CLASI – EL PAcCTO"
        document.core_properties.created = document.core_properties.modified = datetime.datetime(2026, 11, 1)
        document.core_properties.revision = 1
        buffer = io.BytesIO()
        document.save(buffer)
        made[name] = _fixed_dates(buffer.getvalue())
    return made


def _fixed_dates(data: bytes) -> bytes:
    """The package with every part dated 1980-01-01, as python-docx otherwise stamps the time it saved."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), source.read(info), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def changed(folder: Path) -> list[str]:
    """The templates of ``folder`` whose bytes are not those this script last wrote (edited in Word, or not made here)."""
    record_path = folder / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    return [
        name
        for name in ("pao.docx", "ficha.docx", "anexo.docx")
        if (folder / name).is_file() and hashlib.sha256((folder / name).read_bytes()).hexdigest() != record.get(name)
    ]


def main(folder: Path, force: bool = False) -> int:
    """Write the templates into ``folder``; refuse (exit status 1, nothing written) to overwrite one changed since."""
    edited = changed(folder)
    if edited and not force:
        for name in edited:
            print(
                f"{folder / name}: ERROR: changed since make templates wrote it (restyled in Word?): it would be overwritten; "
                "keep it, or start it over with make templates FORCE=1 (python templates/make_templates.py --force) [template.changed]",
                file=sys.stderr,
            )
        return 1
    made = generate()
    for name, data in made.items():
        write_atomically(folder / name, data)
    record = {name: hashlib.sha256(data).hexdigest() for name, data in made.items()}
    write_atomically(folder / RECORD, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write pao's starting Word templates (refusing to overwrite one changed in Word).")
    parser.add_argument("folder", nargs="?", type=Path, default=Path(__file__).parent)
    parser.add_argument("--force", action="store_true", help="overwrite templates changed since they were generated")
    arguments = parser.parse_args()
    sys.exit(main(arguments.folder, arguments.force))
