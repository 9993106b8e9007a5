"""Reproducible PDFs: the same document gives the same bytes whenever and wherever it is converted.

LibreOffice stamps each PDF with the time of conversion, in the machine's time
zone (document information, XMP metadata, the ICC profile's header), and with a
random document id (trailer ``/ID`` and ``/DocChecksum``).  ``normalise``
replaces them with the sources' date and an id derived from the .docx, by
editing the bytes in place and moving the cross-reference table's offsets to
match: ~3 ms a document, where rewriting the whole PDF with pypdf took ~140 ms.
Every other byte is LibreOffice's, so the PDF stays PDF/A-2b and tagged.

Only PDFs laid out as LibreOffice writes them (one classic cross-reference
table, a trailer id) are handled; any other raises ``UnexpectedPdf``, which
says what was not found.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime
import hashlib
import re
import zlib
from collections.abc import Callable

Edit = tuple[int, int, bytes]  # position, number of bytes replaced, new bytes

_INFO_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)")
_XMP_DATE = re.compile(rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>([^<]*)</xmp:\1>")
_XREF = re.compile(rb"\nxref\r?\n0 (\d+)\r?\n")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+0\s+R)?")
_PROFILE = re.compile(rb"/DestOutputProfile\s+(\d+)\s+0\s+R")
_DICTIONARY = re.compile(rb"\d+ 0 obj\s*<<(.*?)>>\s*(stream\r?\n|endobj)", re.DOTALL)
_NUMBER = re.compile(rb"\d+ 0 obj\s*(\d+)\s*endobj")
_XREF_ROW = 20  # bytes of one cross-reference entry: "0000012345 00000 n \n"
_XREF_ROWS = re.compile(rb"(?:\d{10} \d{5} [fn](?: \r| \n|\r\n))*")


class UnexpectedPdf(Exception):
    """The PDF is not laid out as LibreOffice writes it, so it cannot be made reproducible."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the PDF LibreOffice wrote cannot be made reproducible: {what}")


def normalise(data: bytes, date: datetime.date, identity: bytes) -> bytes:
    """``data`` with the sources' ``date`` (at midnight UTC) for every date and ``identity`` (16 bytes) for its id."""
    pdf = _Pdf(data)
    stamp = f"{date.isoformat()}T00:00:00Z".encode()
    edits: list[Edit] = []
    if info := pdf.referenced(pdf.trailer, b"/Info"):
        at, dictionary = pdf.dictionary(info)
        info_date = f"D:{date:%Y%m%d}000000Z".encode()
        edits += [(at + match.start(1), len(match[1]), info_date) for match in _INFO_DATE.finditer(dictionary)]
    catalog = pdf.referenced(pdf.trailer, b"/Root")
    if catalog is None:
        raise UnexpectedPdf("its trailer names no catalog (/Root)")
    if metadata := pdf.referenced(pdf.dictionary(catalog)[1], b"/Metadata"):
        edits += pdf.edit_stream(metadata, lambda xmp: _XMP_DATE.sub(rb"<xmp:\1>" + stamp + rb"</xmp:\1>", xmp))
    for profile in sorted({int(match[1]) for match in _PROFILE.finditer(data)}):
        edits += pdf.edit_stream(profile, lambda icc: _dated_icc(icc, date), compressed=True)
    edits += _identity_edits(pdf.trailer, pdf.trailer_at, identity)
    return pdf.edited(edits)


def _dated_icc(icc: bytes, date: datetime.date) -> bytes:
    if len(icc) < 36:
        raise UnexpectedPdf("the ICC profile is shorter than its header")
    when = date.year.to_bytes(2, "big") + date.month.to_bytes(2, "big") + date.day.to_bytes(2, "big") + bytes(6)
    return icc[:24] + when + icc[36:]  # header bytes 24-35: creation date and time


def _identity_edits(trailer: bytes, at: int, identity: bytes) -> list[Edit]:
    ids = _ID.search(trailer)
    if ids is None:
        raise UnexpectedPdf("its trailer has no document id (/ID)")
    hex_id = identity.hex().upper().encode()
    edits = [(at + ids.start(1), len(ids[1]), hex_id), (at + ids.start(2), len(ids[2]), hex_id)]
    if checksum := _CHECKSUM.search(trailer):
        edits.append((at + checksum.start(1), len(checksum[1]), hashlib.md5(identity).hexdigest().upper().encode()))
    return edits


@dataclasses.dataclass(frozen=True)
class _Stream:
    start: int  # first byte of the data
    size: int
    length_at: int  # where the number that says ``size`` is written
    length_digits: int
    filters: bytes  # the dictionary's /Filter entry, empty when none


class _Pdf:
    """A PDF with one classic cross-reference table, as LibreOffice writes it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        table = _XREF.search(data)
        start = _STARTXREF.search(data)
        if table is None or start is None or data.count(b"\nxref") != 1 or b"/Prev" in data[table.start() :]:
            raise UnexpectedPdf("it has no single cross-reference table")
        self.table_at = table.end()
        count = int(table[1])
        self.rows = data[self.table_at : self.table_at + _XREF_ROW * count]
        if not _XREF_ROWS.fullmatch(self.rows) or len(self.rows) != _XREF_ROW * count:
            raise UnexpectedPdf("its cross-reference table is cut short or garbled")
        self.startxref = start
        self.trailer_at = data.find(b"trailer", self.table_at + len(self.rows))
        if self.trailer_at < 0:
            raise UnexpectedPdf("it has no trailer")
        self.trailer = data[self.trailer_at : start.start()]

    def offset(self, number: int) -> int:
        """Where object ``number`` starts, checked against what is written there."""
        row = self.rows[_XREF_ROW * number : _XREF_ROW * (number + 1)]
        if row[17:18] != b"n" or not self.data.startswith(b"%d 0 obj" % number, int(row[:10])):
            raise UnexpectedPdf(f"object {number} is not where the cross-reference table says")
        return int(row[:10])

    def referenced(self, dictionary: bytes, key: bytes) -> int | None:
        """The number of the object that ``key`` refers to in ``dictionary`` (``/Info 12 0 R``), if any."""
        found = re.search(re.escape(key) + rb"\s+(\d+)\s+0\s+R", dictionary)
        return int(found[1]) if found else None

    def dictionary(self, number: int) -> tuple[int, bytes]:
        """Where object ``number``'s dictionary starts, and its text (without ``<<`` and ``>>``)."""
        found = _DICTIONARY.match(self.data, self.offset(number))
        if found is None or b"endobj" in found[1]:
            raise UnexpectedPdf(f"object {number} is not a dictionary")
        return found.start(1), found[1]

    def stream(self, number: int) -> _Stream:
        found = _DICTIONARY.match(self.data, self.offset(number))
        length = _LENGTH.search(found[1]) if found and found[2].startswith(b"stream") else None
        if found is None or length is None or b"endobj" in found[1]:
            raise UnexpectedPdf(f"object {number} is not a stream")
        if length[0].endswith(b"R"):  # /Length 13 0 R: the number is in object 13
            value = _NUMBER.match(self.data, self.offset(int(length[1])))
            if value is None:
                raise UnexpectedPdf(f"the length of stream {number} is not a number")
            at, digits = value.start(1), len(value[1])
        else:  # /Length 5498
            at, digits = found.start(1) + length.start(1), len(length[1])
        filters = re.search(rb"/Filter\s*(/\w+|\[[^\]]*\])", found[1])
        return _Stream(found.end(), int(self.data[at : at + digits]), at, digits, filters[1] if filters else b"")

    def edit_stream(self, number: int, change: Callable[[bytes], bytes], compressed: bool = False) -> list[Edit]:
        """The edits that replace stream ``number``'s data by ``change(data)``, its length included."""
        stream = self.stream(number)
        raw = self.data[stream.start : stream.start + stream.size]
        if compressed:
            if stream.filters.strip(b"[] ") != b"/FlateDecode":
                raise UnexpectedPdf(f"stream {number} is not compressed with Flate alone")
            try:
                new = zlib.compress(change(zlib.decompress(raw)), 9)
            except zlib.error as exc:
                raise UnexpectedPdf(f"stream {number} cannot be decompressed ({exc})") from None
        elif stream.filters:
            raise UnexpectedPdf(f"stream {number} is compressed")
        else:
            new = change(raw)
        return [(stream.start, stream.size, new), (stream.length_at, stream.length_digits, str(len(new)).encode())]

    def edited(self, edits: list[Edit]) -> bytes:
        """The bytes with ``edits`` applied and the cross-reference table's offsets moved to match."""
        edits = sorted(edits)
        positions = [position for position, _, _ in edits]
        shifts = [0]
        for _, old, new in edits:
            shifts.append(shifts[-1] + len(new) - old)

        def moved(offset: int) -> int:  # by the edits that come before it
            return offset + shifts[bisect.bisect_left(positions, offset)]

        rows = []
        for index in range(len(self.rows) // _XREF_ROW):
            row = self.rows[_XREF_ROW * index : _XREF_ROW * (index + 1)]
            rows.append(b"%010d" % moved(int(row[:10])) + row[10:] if row[17:18] == b"n" else row)
        edits += [
            (self.table_at, len(self.rows), b"".join(rows)),
            (self.startxref.start(1), len(self.startxref[1]), str(moved(int(self.startxref[1]))).encode()),
        ]
        out, cursor = [], 0
        for position, old, new in sorted(edits):
            if position < cursor:
                raise UnexpectedPdf("two of its stamps overlap")
            out += [self.data[cursor:position], new]
            cursor = position + old
        out.append(self.data[cursor:])
        return b"".join(out)
