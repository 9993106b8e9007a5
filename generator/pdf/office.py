"""PDF: every document converted from its own .docx by LibreOffice, so both look alike.

All documents of a build go through ONE LibreOffice process (a start costs
~0.8 s, a further document ~0.05 s), with a private profile so that parallel
builds and a desktop LibreOffice do not collide.  ``worker.py`` drives
it over UNO; this module feeds it one document at a time, so that a document
that hangs or crashes LibreOffice is named, skipped, and the others still
convert.  The PDFs are then made reproducible: LibreOffice stamps them with the
current time and random ids, which are replaced by values from the sources.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

WORKER = Path(__file__).with_name("worker.py")
START_TIMEOUT = 90.0
INSTALL_HINT = (
    "LibreOffice is needed for PDF: install it (Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation fonts-dejavu-core), "
    "or build only Word files with --format docx"
)


class OfficeMissing(Exception):
    """LibreOffice, or a Python that can drive it, is not installed."""


@dataclasses.dataclass(frozen=True)
class Job:
    name: str  # what the user calls the document (its build path)
    docx: bytes
    date: datetime.date  # the sources' date, stamped into the PDF


@dataclasses.dataclass(frozen=True)
class Office:
    soffice: str
    python: str

    @classmethod
    def find(cls) -> "Office":
        # PAO_SOFFICE: a LibreOffice installed elsewhere (e.g. /Applications/LibreOffice.app/Contents/MacOS/soffice)
        soffice = os.environ.get("PAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice or not Path(soffice).is_file():
            raise OfficeMissing(INSTALL_HINT)
        program = Path(os.path.realpath(soffice)).parent
        candidates = [os.environ.get("PAO_UNO_PYTHON"), str(program / "python"), "/usr/bin/python3", shutil.which("python3")]
        for python in candidates:
            if python and Path(python).exists() and _has_uno(python):
                return cls(soffice, python)
        raise OfficeMissing(INSTALL_HINT)


def _has_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def convert(
    office: Office,
    jobs: list[Job],
    timeout: float,
    progress: Callable[[Job], None] = lambda job: None,
) -> dict[str, bytes | str]:
    """Each job's name → its normalised PDF bytes, or the error message that explains why not."""
    results: dict[str, bytes | str] = {}
    with tempfile.TemporaryDirectory(prefix="pao-pdf-") as folder:
        workdir = Path(folder)
        paths = {}
        for index, job in enumerate(jobs):
            source = workdir / f"{index}.docx"
            source.write_bytes(job.docx)
            paths[job.name] = (source, workdir / f"{index}.pdf")
        pending = list(jobs)
        attempt = 0
        while pending:
            attempt += 1
            worker = _Worker(office, workdir / f"profile-{attempt}")
            problem = worker.start()
            if problem:
                for job in pending:
                    results[job.name] = problem
                    progress(job)
                break
            while pending:
                job = pending.pop(0)
                source, target = paths[job.name]
                answer = worker.ask({"docx": str(source), "pdf": str(target)}, timeout)
                if answer is None:
                    results[job.name] = f"LibreOffice did not finish within {timeout:g} s (stopped)"
                elif "error" in answer:
                    results[job.name] = answer["error"]
                elif not target.is_file():
                    results[job.name] = "LibreOffice wrote no PDF"
                else:
                    results[job.name] = normalise(target.read_bytes(), job.date, hashlib.sha256(job.docx).digest()[:16])
                progress(job)
                if not worker.alive:
                    break
            worker.stop()
    return results


class _Worker:
    """One LibreOffice process behind ``worker.py``."""

    def __init__(self, office: Office, profile: Path) -> None:
        self.office = office
        self.profile = profile
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()
        self.alive = False

    def start(self) -> str | None:
        """None when ready, else why LibreOffice could not start."""
        self.process = subprocess.Popen(
            [self.office.python, str(WORKER), self.office.soffice, str(self.profile)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its own process group: a hung LibreOffice is killed with it
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        answer = self._next(START_TIMEOUT)
        if not answer or not answer.get("ready"):
            self.stop()
            return f"LibreOffice could not start: {(answer or {}).get('error', 'no answer')}"
        self.alive = True
        return None

    def ask(self, job: dict, timeout: float) -> dict | None:
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
        except OSError:
            self.alive = False
            return {"error": "LibreOffice stopped unexpectedly"}
        answer = self._next(timeout)
        if answer is None:
            self.stop()
        return answer

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                continue
        self.lines.put(None)  # end of output: the worker died

    def _next(self, timeout: float) -> dict | None:
        try:
            answer = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if answer is None:
            self.alive = False
            return {"error": "LibreOffice crashed while converting this document"}
        return answer

    def stop(self) -> None:
        """Let the worker close LibreOffice, then make sure nothing of the group is left."""
        self.alive = False
        if self.process is None:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.reader.join(timeout=5)
        self.process.stdout.close()


_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:)")


def normalise(data: bytes, date: datetime.date, identity: bytes) -> bytes:
    """The same PDF bytes for the same document: dates from the sources, ids from the .docx.

    LibreOffice stamps the current time in the document information, the XMP
    metadata and the ICC profile's header, and a random document id.  The fast
    path edits those bytes in place (fixing the cross-reference table); a PDF
    laid out otherwise is rewritten by pypdf.
    """
    try:
        return _normalise_in_place(data, date, identity)
    except _Unexpected:
        return _normalise_with_pypdf(data, date, identity)


class _Unexpected(Exception):
    """The PDF is not laid out as LibreOffice 7 writes it."""


def _normalise_in_place(data: bytes, date: datetime.date, identity: bytes) -> bytes:
    edits: list[tuple[int, int, bytes]] = []  # (position, length replaced, new bytes)
    stamp = f"D:{date:%Y%m%d}000000Z".encode()
    for match in re.finditer(rb"/CreationDate\s*\((D:[^)]*)\)", data):
        edits.append((match.start(1), len(match[1]), stamp))
    for match in _XMP_DATE.finditer(data):
        edits.append((match.end(1), match.start(2) - match.end(1), f"{date.isoformat()}T00:00:00Z".encode()))
    hex_id = identity.hex().upper().encode()
    ids = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]", data)
    if ids is None:
        raise _Unexpected("no document id")
    edits += [(ids.start(1), len(ids[1]), hex_id), (ids.start(2), len(ids[2]), hex_id)]
    checksum = re.search(rb"/DocChecksum\s*/([0-9A-Fa-f]+)", data)
    if checksum:
        edits.append((checksum.start(1), len(checksum[1]), hashlib.md5(identity).hexdigest().upper().encode()))
    edits += _icc_edits(data, date)
    return _apply(data, edits)


def _icc_edits(data: bytes, date: datetime.date) -> list[tuple[int, int, bytes]]:
    """The ICC profile's creation date, in its Flate stream (and the stream's /Length)."""
    reference = re.search(rb"/DestOutputProfile\s+(\d+)\s+0\s+R", data)
    if reference is None:
        return []
    header = re.search(rb"\n" + reference[1] + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.DOTALL)
    length = re.search(rb"/Length\s+(\d+)\s+0\s+R", header[1]) if header else None
    if length is None or b"/FlateDecode" not in header[1]:
        raise _Unexpected("ICC profile stream")
    length_object = re.search(rb"\n" + length[1] + rb" 0 obj\s*(\d+)\s*endobj", data)
    if length_object is None:
        raise _Unexpected("ICC stream length")
    start, size = header.end(), int(length_object[1])
    icc = bytearray(zlib.decompress(data[start : start + size]))
    icc[24:36] = date.year.to_bytes(2, "big") + date.month.to_bytes(2, "big") + date.day.to_bytes(2, "big") + bytes(6)
    packed = zlib.compress(bytes(icc), 9)
    return [(start, size, packed), (length_object.start(1), len(length_object[1]), str(len(packed)).encode())]


def _apply(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Replace byte ranges and move the cross-reference table's offsets to match."""
    table = re.search(rb"\nxref\r?\n(0 (\d+))\r?\n", data)
    start = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if table is None or start is None or data.count(b"\nxref") != 1:
        raise _Unexpected("cross-reference table")
    entries_at = table.end()
    count = int(table[2])
    entries = data[entries_at : entries_at + 20 * count]
    if len(entries) != 20 * count:
        raise _Unexpected("cross-reference entries")

    def moved(offset: int) -> int:
        return offset + sum(len(new) - old for position, old, new in edits if position < offset)

    rows = []
    for index in range(count):
        row = entries[20 * index : 20 * index + 20]
        if row[17:18] == b"n":
            row = b"%010d" % moved(int(row[:10])) + row[10:]
        rows.append(row)
    edits.append((entries_at, len(entries), b"".join(rows)))
    edits.append((start.start(1), len(start[1]), str(moved(int(start[1]))).encode()))
    out, cursor = [], 0
    for position, old, new in sorted(edits):
        if position < cursor:
            raise _Unexpected("overlapping edits")
        out += [data[cursor:position], new]
        cursor = position + old
    out.append(data[cursor:])
    return b"".join(out)


def _normalise_with_pypdf(data: bytes, date: datetime.date, identity: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    info = writer._info.get_object()
    info[NameObject("/CreationDate")] = TextStringObject(f"D:{date:%Y%m%d}000000Z")
    root = writer._root_object
    if "/Metadata" in root:
        metadata = root["/Metadata"].get_object()
        xmp = _XMP_DATE.sub(rb"\g<1>" + f"{date.isoformat()}T00:00:00Z".encode() + rb"\g<2>", metadata.get_data())
        metadata.set_data(xmp)
    for intent in root.get("/OutputIntents", []):
        profile = intent.get_object().get("/DestOutputProfile")
        if profile is not None:
            profile = profile.get_object()
            icc = bytearray(profile.get_data())
            if len(icc) >= 36:  # ICC header bytes 24-35: creation date and time
                icc[24:36] = date.year.to_bytes(2, "big") + date.month.to_bytes(2, "big") + date.day.to_bytes(2, "big") + bytes(6)
                profile.set_data(bytes(icc))
    writer._ID = ArrayObject([ByteStringObject(identity), ByteStringObject(identity)])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
