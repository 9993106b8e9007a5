"""LibreOffice converts a lighter copy of each .docx (ooxml.pdf_copy): the PDF a person reads is the same."""
from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from generator.ooxml.pdf_copy import for_pdf
from generator.pdf import office as pdf
from tests.conftest import PLAN_ID


def _looks(data: bytes, folder: Path) -> tuple[list[bytes], str]:
    """Each page as pixels, and the text in the order LibreOffice wrote it."""
    folder.mkdir()
    path = folder / "document.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(path), str(folder / "page")], check=True)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page.read_bytes() for page in sorted(folder.glob("page-*.png"))], text


@pytest.mark.parametrize("pattern", ["ficha-*-AO-1.1-es.docx", "pao-*-es.docx"])
def test_the_pdf_of_the_lighter_copy_looks_the_same_page_for_page_and_has_the_same_bytes(built_pdf, tmp_path, pattern):
    docx = next(built_pdf.glob(f"{PLAN_ID}/es/{pattern}")).read_bytes()
    assert len(for_pdf(docx).docx) != len(docx)  # the template's unused table styles are left out
    job = pdf.Job("document", docx, datetime.date(2022, 6, 1))
    office = pdf.Office.find()
    whole = pdf.convert(office, [job], 120)[job.name]
    lighter = pdf.convert(office, [job], 120, prepare=for_pdf)[job.name]
    assert isinstance(whole, bytes) and isinstance(lighter, bytes)
    pages, text = _looks(lighter, tmp_path / "lighter")
    assert len(pages) >= 2 and "Página 1 de" in text
    assert (pages, text) == _looks(whole, tmp_path / "whole")
    assert lighter == whole  # its ID made from the .docx, not from the copy
