"""Markdown pipe tables → table cells of the prose tree: ids, alignment, escaped bars, rows for the writers."""
from __future__ import annotations

from generator.diagnostics import Diagnostics, Location
from generator.model.prose import Block, grouped
from generator.sources.markdown import parse, parse_inline, to_markdown

TEXT = """Antes. {#before}

| Item | Valor | Nota |
| --- | --- | :--- |
| a \\| b | R$ 2.000 | 48 h |
| **c** | 12,5 % | 2023 |
{#t}

Depois. {#after}
"""


def cells(text: str = TEXT) -> list[Block]:
    diagnostics = Diagnostics()
    prose = parse(text, Location("context.md", 1, 1), diagnostics)
    assert diagnostics.errors == []
    return list(prose.blocks)


def test_each_cell_is_a_block_named_after_its_table_row_and_column_where_it_is_written():
    blocks = cells()
    assert [b.id for b in blocks] == ["before", *(f"t.r{r}.c{c}" for r in (1, 2, 3) for c in (1, 2, 3)), "after"]
    second_row = [b for b in blocks if b.row == 2]
    assert [(b.kind, b.table, b.column, str(b.location)) for b in second_row] == [
        ("cell", "t", 1, "context.md:5:3"), ("cell", "t", 2, "context.md:5:12"), ("cell", "t", 3, "context.md:5:23"),
    ]


def test_numbers_amounts_and_percentages_are_right_aligned_unless_the_column_says_otherwise():
    aligns = {b.id: b.align for b in cells() if b.kind == "cell"}
    # a column of amounts: its header too; "48 h" is no number; the third column is left as written
    assert aligns == {
        "t.r1.c1": "", "t.r1.c2": "right", "t.r1.c3": "left",
        "t.r2.c1": "", "t.r2.c2": "right", "t.r2.c3": "left",
        "t.r3.c1": "", "t.r3.c2": "right", "t.r3.c3": "left",
    }


def test_an_escaped_bar_stays_in_its_cell_and_the_translators_message_escapes_it_again():
    cell = next(b for b in cells() if b.id == "t.r2.c1")
    assert cell.text == "a | b"
    message = to_markdown(cell.inlines, cell=True)
    assert message == "a \\| b"
    assert parse_inline(message, Location("es.po"), Diagnostics(), set()) == cell.inlines
    assert to_markdown(cell.inlines) == "a | b"  # a paragraph's message is unchanged


def test_grouped_gives_each_table_back_as_rows_between_the_other_blocks():
    parts = list(grouped(cells()))
    assert [p.id if isinstance(p, Block) else [[c.text for c in row] for row in p] for p in parts] == [
        "before",
        [["Item", "Valor", "Nota"], ["a | b", "R$ 2.000", "48 h"], ["c", "12,5 %", "2023"]],
        "after",
    ]


def test_two_tables_one_after_the_other_stay_two():
    text = "| a |\n| - |\n| 1 |\n{#one}\n\n| b |\n| - |\n| 2 |\n{#two}\n"
    tables = [p for p in grouped(cells(text)) if isinstance(p, list)]
    assert [[[c.id for c in row] for row in table] for table in tables] == [[["one.r1.c1"], ["one.r2.c1"]], [["two.r1.c1"], ["two.r2.c1"]]]
