"""Table columns as wide as their longest word: amounts and headers stay whole, prose wraps, the table keeps its width."""
from __future__ import annotations

from lxml import etree

from generator.ooxml.columns import fit_columns
from generator.ooxml.names import W, w

STYLES = etree.fromstring(
    f'<w:styles xmlns:w="{W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Small"><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="12"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)


def _cell(text: str, width: int, bold: bool = False, style: str = "", span: int = 1) -> str:
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "")
    paragraph = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    run = f"<w:rPr>{'<w:b/>' if bold else ''}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t>"
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p>{paragraph}<w:r>{run}</w:r></w:p></w:tc>"


def _table(widths: list[int], rows: list[str], look: str = "") -> etree._Element:
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    body = "".join(f"<w:tr>{row}</w:tr>" for row in rows)
    return etree.fromstring(
        f'<w:body xmlns:w="{W}"><w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>{look}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl></w:body>"
    )


def _grid(body: etree._Element) -> list[int]:
    return [int(column.get(w("w"), "")) for column in body.iter(w("gridCol"))]


def _cell_widths(body: etree._Element) -> list[list[int]]:
    return [[int(width.get(w("w"), "")) for width in row.iter(w("tcW"))] for row in body.iter(w("tr"))]


PROSE = "Número de reuniones de coordinación e intercambio de información operacional con los países participantes"


def test_a_column_too_narrow_for_its_amount_is_widened_from_the_prose_column_and_the_table_keeps_its_width():
    body = _table([1000, 6000], [_cell("12.500.000\u00a0BRL", 1000) + _cell(PROSE, 6000)])
    fit_columns(body, STYLES)
    amount, prose = _grid(body)
    # "12.500.000 BRL" in Arial 10.5 pt is 77 pt wide (1540 twips), plus 216 twips of margins
    assert 1756 < amount < 1900
    assert amount + prose == 7000
    assert _cell_widths(body) == [[amount, prose]]


def test_a_bold_header_counts_in_bold_and_the_widest_cell_of_a_column_decides():
    plain = _table([900, 6000], [_cell("Cumplimiento", 900) + _cell(PROSE, 6000), _cell("100 %", 900) + _cell("x", 6000)])
    bold = _table([900, 6000], [_cell("Cumplimiento", 900, bold=True) + _cell(PROSE, 6000), _cell("100 %", 900) + _cell("x", 6000)])
    fit_columns(plain, STYLES)
    fit_columns(bold, STYLES)
    assert _grid(plain)[0] < _grid(bold)[0]
    assert _grid(bold)[0] > 1400  # "Cumplimiento" in Arial Bold 10.5 pt: 66 pt


def test_the_size_comes_from_the_paragraph_style_and_what_it_is_based_on():
    body = _table([500, 6000], [_cell("Cumplimiento", 500, style="Small") + _cell(PROSE, 6000)])
    fit_columns(body, STYLES)
    assert 800 < _grid(body)[0] < 1000  # 6 pt: 35 pt wide, plus margins


def test_a_table_whose_words_fit_is_left_as_the_template_made_it():
    body = _table([2000, 5000], [_cell("AO 1.1", 2000) + _cell(PROSE, 5000)])
    before = etree.tostring(body)
    fit_columns(body, STYLES)
    assert etree.tostring(body) == before


def test_room_is_taken_from_each_column_only_beyond_its_longest_word():
    """The middle column's one long word needs 2401 twips: the room comes from beyond that, most from the prose."""
    body = _table([800, 2600, 5000], [_cell("Acumulado", 800, bold=True) + _cell("Interinstitucionalmente", 2600) + _cell(PROSE, 5000)])
    fit_columns(body, STYLES)
    first, middle, last = _grid(body)
    assert first > 800 and 2401 <= middle < 2600 and 5000 - last > 2600 - middle
    assert first + middle + last == 8400


def test_a_cell_spanning_several_columns_takes_their_new_widths():
    body = _table(
        [1000, 6000],
        [_cell("12.500.000\u00a0BRL", 1000) + _cell(PROSE, 6000), _cell("A title over both columns", 7000, span=2)],
    )
    fit_columns(body, STYLES)
    assert _cell_widths(body)[1] == [7000]
    assert sum(_cell_widths(body)[0]) == 7000


def test_when_the_words_cannot_all_fit_the_margins_narrow_and_the_columns_share_the_width_by_their_words():
    words = ["Cumplimiento", "Acumulado", "12.500.000\u00a0BRL", "Interinstitucional"]
    body = _table([1000] * 4, ["".join(_cell(word, 1000, bold=True) for word in words)], look='<w:tblLook w:val="04A0"/>')
    fit_columns(body, STYLES)
    margins = body.find(f"{w('tbl')}/{w('tblPr')}/{w('tblCellMar')}")
    assert margins is not None and [m.get(w("w")) for m in margins] == ["57", "57"]
    following = margins.getnext()
    assert following is not None and following.tag == w("tblLook")  # the schema's order: Word opens it
    grid = _grid(body)
    assert sum(grid) == 4000
    assert grid[1] < grid[0] < grid[3]  # "Acumulado" < "Cumplimiento" < "Interinstitucional"


def test_the_same_table_gives_the_same_widths_every_time():
    rows = [_cell("800.000\u00a0EUR", 700) + _cell(PROSE, 6000)]
    first, second = _table([700, 6000], rows), _table([700, 6000], rows)
    fit_columns(first, STYLES)
    fit_columns(second, STYLES)
    assert etree.tostring(first) == etree.tostring(second)


def test_a_header_row_bold_by_its_table_style_counts_in_bold_and_only_when_the_table_shows_its_first_row():
    bold_first_row = etree.fromstring(
        f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:rFonts w:ascii="Arial"/>'
        '<w:sz w:val="21"/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"/>'
        '<w:style w:type="table" w:styleId="ProseTable"><w:basedOn w:val="TableGrid"/>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr></w:tblStylePr></w:style></w:styles>'
    )

    def fitted(look: str, bold: bool = False, style: str = "ProseTable") -> int:
        rows = [_cell("Cumplimiento", 900, bold=bold) + _cell(PROSE, 6000), _cell("100 %", 900) + _cell("x", 6000)]
        body = _table([900, 6000], rows, look)
        next(body.iter(w("tblStyle"))).set(w("val"), style)
        fit_columns(body, bold_first_row)
        return _grid(body)[0]

    shows_first_row, hides_it = '<w:tblLook w:val="0620" w:firstRow="1"/>', '<w:tblLook w:val="0400" w:firstRow="0"/>'
    plain, bold = fitted(hides_it, style="TableGrid"), fitted(hides_it, bold=True, style="TableGrid")
    assert bold > plain
    assert fitted(shows_first_row) == bold  # as wide as if its run were bold
    assert fitted(hides_it) == plain
    assert fitted('<w:tblLook w:val="0020"/>') == bold  # Word 2007 says it in the bits of w:val alone
