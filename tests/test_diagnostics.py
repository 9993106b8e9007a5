"""Located problems: lines and columns, spreadsheet cells, template paragraphs; no command line needed."""
from __future__ import annotations

from generator.diagnostics import Diagnostics, Location, SourceError


def test_a_location_names_a_line_and_column_a_cell_or_a_template_paragraph():
    assert str(Location("source/p/plan.yaml", 12, 5)) == "source/p/plan.yaml:12:5"
    assert str(Location("source/p/plan.yaml", 12)) == "source/p/plan.yaml:12"
    assert str(Location("source/p/plan.yaml")) == "source/p/plan.yaml"
    assert str(Location.cell("forms/AO-1.1.xlsx", "AO-1.1", "C7")) == "forms/AO-1.1.xlsx:AO-1.1!C7"
    assert str(Location.paragraph("templates/pao.docx", 12)) == "templates/pao.docx:paragraph 12"
    assert str(Location.paragraph("templates/pao.docx", 3, "table 2")) == "templates/pao.docx:table 2, paragraph 3"


def test_problems_print_grouped_by_file_in_reading_order():
    diagnostics = Diagnostics()
    diagnostics.error(Location("b.yaml", 3, 1), "third", "x.y")
    diagnostics.warning(Location("a.yaml", 9, 2), "second", "x.y")
    diagnostics.error(Location("a.yaml", 2, 7), "first", "x.y")
    assert [d.message for d in diagnostics.sorted()] == ["first", "second", "third"]
    assert str(diagnostics.sorted()[1]) == "a.yaml:9:2: WARNING: second [x.y]"
    assert diagnostics.failed() and not Diagnostics().failed()
    warned = Diagnostics()
    warned.warning(Location("a.yaml", 1, 1), "only a warning", "x.y")
    assert not warned.failed() and warned.failed(strict=True)


def test_a_source_error_is_a_plain_exception_carrying_its_problems():
    diagnostics = Diagnostics()
    diagnostics.error(Location("a.yaml", 2, 7), "wrong", "x.y")
    error = SourceError(diagnostics)
    assert type(error).__mro__[1] is Exception
    assert error.diagnostics == diagnostics.sorted()
    assert str(error) == "a.yaml:2:7: ERROR: wrong [x.y]"


def test_errors_come_before_warnings_and_are_counted():
    from generator.diagnostics import count

    diagnostics = Diagnostics()
    diagnostics.warning(Location("a.yaml", 1, 1), "first in the file", "x.y")
    diagnostics.error(Location("b.yaml", 9, 1), "the error", "x.y")
    error = SourceError(diagnostics)
    assert [d.message for d in error.diagnostics] == ["the error", "first in the file"]
    assert (error.errors, error.warnings) == (1, 1)
    assert [count(1, 1), count(2, 58), count(0, 1), count(3, 0)] == ["1 error, 1 warning", "2 errors, 58 warnings", "1 warning", "3 errors"]


def test_problems_in_spreadsheet_cells_read_row_by_row():
    diagnostics = Diagnostics()
    for cell in ("AO-1.1!E13", "AO-1.1!AA7", "AO-1.1!E7", "AO-1.1!F13", "AO-2.1!B2", "pao!B2"):
        diagnostics.error(Location.cell("form.xlsx", *cell.split("!")), "problem", "form.x")
    assert [d.location.place for d in diagnostics.sorted()] == ["AO-1.1!E7", "AO-1.1!AA7", "AO-1.1!E13", "AO-1.1!F13", "AO-2.1!B2", "pao!B2"]
