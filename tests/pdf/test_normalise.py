"""Normalisation: a PDF converted at any time, in any time zone, gives the same bytes (no LibreOffice needed)."""
from __future__ import annotations

import datetime
import hashlib
import io
import re
import zlib
from typing import Any

import pytest
from pypdf import PdfReader

from generator.pdf.normalise import UnexpectedPdf, normalise

DAY = datetime.date(2022, 6, 1)
IDENTITY = hashlib.sha256(b"the .docx").digest()[:16]


def libreoffice_pdf(when: datetime.datetime, document_id: bytes, xref_stream: bool = False) -> bytes:
    """A one-page PDF laid out as LibreOffice 7 writes it, stamped at ``when`` (its time zone too) with ``document_id``."""
    offset = when.strftime("%z")
    xmp_date = when.strftime("%Y-%m-%dT%H:%M:%S") + (f"{offset[:3]}:{offset[3:]}" if offset != "+0000" else "Z")
    info_date = when.strftime("D:%Y%m%d%H%M%S") + (f"{offset[:3]}'{offset[3:]}'" if offset != "+0000" else "Z'")
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        f"<xmp:CreateDate>{xmp_date}</xmp:CreateDate>\n<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n"
        '</x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()
    icc_date = b"".join(n.to_bytes(2, "big") for n in (when.year, when.month, when.day, when.hour, when.minute, when.second))
    icc = zlib.compress(bytes(range(24)) + icc_date + bytes(92), 6)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R/Metadata 4 0 R/OutputIntents[5 0 R]/MarkInfo<</Marked true>>/Lang(es-ES)>>\nendobj",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>\nendobj",
        b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n%s\nendstream\nendobj" % (len(xmp), xmp),
        b"<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier(sRGB)/DestOutputProfile 6 0 R>>\nendobj",
        b"<</N 3/Length 7 0 R/Filter/FlateDecode>>\nstream\n%s\nendstream\nendobj" % icc,
        b"%d\nendobj" % len(icc),
        b"<</Producer(LibreOffice 7.4)/CreationDate(%s)>>\nendobj" % info_date.encode(),
    ]
    out = bytearray(b"%PDF-1.6\n%\xc3\xa4\xc3\xbc\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\n\n" % (number, body)
    table_at = len(out)
    hex_id = document_id.hex().upper().encode()
    if xref_stream:  # as PDF 1.5 writers other than LibreOffice do: no table to rebuild
        out += b"9 0 obj\n<</Type/XRef/Size 9/Root 1 0 R/ID [ <%s> <%s> ]>>\nstream\n\nendstream\nendobj\n" % (hex_id, hex_id)
    else:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<</Size %d/Root 1 0 R\n/Info 8 0 R\n/ID [ <%s>\n<%s> ]\n/DocChecksum /%s\n>>\n" % (
            len(objects) + 1, hex_id, hex_id, hashlib.md5(document_id).hexdigest().upper().encode())
    out += b"startxref\n%d\n%%%%EOF\n" % table_at
    return bytes(out)


BOGOTA = datetime.timezone(datetime.timedelta(hours=-5))
MADRID = datetime.timezone(datetime.timedelta(hours=1))
IN_MADRID = libreoffice_pdf(datetime.datetime(2026, 3, 2, 9, 30, 5, tzinfo=MADRID), bytes(range(16)))
IN_BOGOTA = libreoffice_pdf(datetime.datetime(2026, 11, 28, 22, 36, 33, tzinfo=BOGOTA), bytes(range(16, 32)))
IN_UTC = libreoffice_pdf(datetime.datetime(2025, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc), bytes(range(32, 48)))


def test_the_same_document_stamped_at_different_times_and_places_gives_identical_bytes():
    normalised = {normalise(pdf, DAY, IDENTITY) for pdf in (IN_MADRID, IN_BOGOTA, IN_UTC)}
    assert len({IN_MADRID, IN_BOGOTA, IN_UTC}) == 3 and len(normalised) == 1


def test_normalising_a_normalised_pdf_changes_nothing():
    once = normalise(IN_BOGOTA, DAY, IDENTITY)
    assert normalise(once, DAY, IDENTITY) == once


def test_every_stamp_becomes_the_sources_date_and_the_id_comes_from_the_docx():
    reader = PdfReader(io.BytesIO(normalise(IN_BOGOTA, DAY, IDENTITY)), strict=True)
    info: Any = reader.metadata
    assert info["/CreationDate"] == "D:20220601000000Z"
    root: Any = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()  # its /Length follows the shorter date
    assert b"<xmp:CreateDate>2022-06-01T00:00:00Z</xmp:CreateDate>\n<pdfaid:part>2</pdfaid:part>" in xmp
    assert xmp.endswith(b'<?xpacket end="w"?>')
    profile = root["/OutputIntents"][0]["/DestOutputProfile"].get_object().get_data()
    assert profile[24:36] == bytes([0x07, 0xE6, 0, 6, 0, 1]) + bytes(6)
    ids: Any = reader.trailer["/ID"]
    assert [part.original_bytes for part in ids] == [IDENTITY, IDENTITY]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "es-ES"


def test_the_cross_reference_table_points_at_every_object():
    data = normalise(IN_MADRID, DAY, IDENTITY)
    table = re.search(rb"\nxref\n0 (\d+)\n", data)
    start = re.search(rb"startxref\n(\d+)", data)
    assert table and start
    rows = data[table.end() : table.end() + 20 * int(table[1])]
    for number in range(1, int(table[1])):
        assert data[int(rows[20 * number : 20 * number + 10]) :].startswith(b"%d 0 obj" % number), number
    assert data[int(start[1]) :].startswith(b"xref\n")
    assert b"/DocChecksum /" + hashlib.md5(IDENTITY).hexdigest().upper().encode() in data


WITH_XREF_STREAM = libreoffice_pdf(datetime.datetime(2025, 1, 1, tzinfo=BOGOTA), bytes(16), xref_stream=True)


@pytest.mark.parametrize(
    "pdf, why",
    [
        (IN_UTC.replace(b"/ID [ <", b"/NoID [ <"), "its trailer has no document id (/ID)"),
        (WITH_XREF_STREAM, "it has no single cross-reference table"),
        (IN_UTC.replace(b"0000000000 65535 f", b"000000000X 65535 f"), "its cross-reference table is cut short or garbled"),
        (IN_UTC.replace(b"/Filter/FlateDecode", b"/Filter/LZWDecode  "), "stream 6 is not compressed with Flate alone"),
        (IN_UTC.replace(b"\n4 0 obj", b"\n4 9 obj"), "object 4 is not where the cross-reference table says"),
        (b"%PDF-1.6\nnot a PDF at all", "it has no single cross-reference table"),
    ],
)
def test_a_pdf_not_laid_out_as_libreoffice_writes_it_is_refused_with_what_is_missing(pdf, why):
    with pytest.raises(UnexpectedPdf) as refused:
        normalise(pdf, DAY, IDENTITY)
    assert str(refused.value) == f"the PDF LibreOffice wrote cannot be made reproducible: {why}"
