"""Converts .docx files to PDF in ONE LibreOffice process, driven over UNO.

Run by a Python that has LibreOffice's ``uno`` module (Debian: python3-uno),
not by pao's own interpreter: this file imports nothing from pao.  It reads
one JSON job per line on stdin (``{"docx": path, "pdf": path}``, and what pao
knows of the document, so that it is neither read again nor asked of
LibreOffice: ``"keywords"``, its keywords as whole terms or null, and
``"page_fields_only"``, true when its only fields are page numbers and counts)
and answers one JSON line per job on stdout, so that the caller can time each document
out and restart the worker after a crash: an answer with ``"crashed": true``
says that LibreOffice died on this document, and the worker then ends.

pao starts it as the leader of a process group of its own, which LibreOffice
joins.  The end of stdin means pao is done or gone: between documents
LibreOffice is closed as usual; during a conversion or the start (pao killed
or interrupted) the whole group is killed at once, so that no LibreOffice
outlives pao.

Before export it updates every index (the table of contents) and field, so
that page numbers are right, and gives the document its keywords as whole
terms; it exports PDF/A-2b, tagged, lossless images.  LibreOffice allocates
memory with jemalloc where it is installed (Linux): about a tenth less CPU a
document than with the C library's allocator; and it neither checks spelling
nor collects words to complete as a person types.
It runs on Linux, macOS and Windows (LibreOffice's own Python 3.8 or later).
"""
from __future__ import annotations

import contextlib
import ctypes.util
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from typing import Any
from xml.etree import ElementTree

import uno  # LibreOffice's own module: the worker runs in a Python that has it
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

WINDOWS = os.name == "nt"
CRASH_GRACE = 3.0  # seconds
CORE = "docProps/core.xml"
KEYWORDS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"
KEYWORD_SEPARATOR = ";"  # as pao writes them (ooxml.package.KEYWORD_SEPARATOR)


def prop(name: str, value: Any) -> Any:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def properties(*items: Any) -> Any:
    return uno.Any("[]com.sun.star.beans.PropertyValue", tuple(items))


PDF_OPTIONS = (
    prop("SelectPdfVersion", 2),  # PDF/A-2b
    prop("UseTaggedPDF", True),
    prop("ExportBookmarks", True),
    prop("UseLosslessCompression", True),
    prop("ExportFormFields", False),
)


def reply(**message: Any) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


# what LibreOffice does in its idle time for a person who types, in each document it opens: spell checking as one
# types (which walks every word even without a dictionary) and collecting words to complete
TYPING_AIDS = (
    ("/org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto"),
    ("/org.openoffice.Office.Writer/AutoFunction/Completion", "Enable"),
)


def setting(context: Any, path: str, name: str, value: Any) -> None:
    """Set an option in the profile of this LibreOffice (pao gives each LibreOffice a profile of its own)."""
    provider = context.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", path),))
    access.setPropertyValue(name, value)
    access.commitChanges()


def allocator() -> dict[str, str]:
    """The environment in which LibreOffice allocates with jemalloc, where the system has it (Linux): LibreOffice
    spends much of a document's CPU in malloc and free, which jemalloc makes cheaper."""
    if not sys.platform.startswith("linux"):
        return {}
    library = ctypes.util.find_library("jemalloc")
    if not library:
        return {}
    preloaded = os.environ.get("LD_PRELOAD", "")
    return {"LD_PRELOAD": f"{library} {preloaded}".strip()}


def start_office(soffice: str, profile_url: str, pipe: str) -> tuple[subprocess.Popen[bytes], Any]:
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=" + profile_url,
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **allocator()},
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice did not start (exit code {office.poll()})") from None
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    for path, name in TYPING_AIDS:
        with contextlib.suppress(Exception):  # a LibreOffice without the option converts as well, a little slower
            setting(context, path, name, False)
    return office, desktop


def keywords(source: str) -> tuple[str, ...] | None:
    """The document's keywords as whole terms; LibreOffice's own reading splits them at every space and comma."""
    try:
        with zipfile.ZipFile(source) as package:
            found = ElementTree.fromstring(package.read(CORE)).find(KEYWORDS)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None  # LibreOffice says what is wrong with the document, if anything
    if found is None or not found.text:
        return None
    return tuple(term.strip() for term in found.text.split(KEYWORD_SEPARATOR) if term.strip())


def convert(desktop: Any, job: dict[str, Any]) -> None:
    """``job``: the files, and what pao knows of the document (else read from it or asked of LibreOffice)."""
    source = job["docx"]
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        terms = job["keywords"] if "keywords" in job else keywords(source)
        if terms is not None:  # the PDF's keywords: one per term
            document.getDocumentProperties().Keywords = tuple(terms)
        # fields that are only page numbers and counts, the layout of the export sets anyway
        if not job.get("page_fields_only"):
            update(document)
        arguments = properties(prop("FilterName", "writer_pdf_Export"), prop("FilterData", properties(*PDF_OPTIONS)))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(job["pdf"]), arguments))
    finally:
        document.close(True)


def update(document: Any) -> None:
    """Every index and field updated: twice with a table of contents (one that grows moves what follows it), once
    without (each pass lays the whole document out again), not at all when only page numbers and counts are."""
    indexes = document.getDocumentIndexes()
    passes = 2 if indexes.getCount() else 1 if needs_refresh(document) else 0
    for _ in range(passes):
        for index in range(indexes.getCount()):
            indexes.getByIndex(index).update()
        document.getTextFields().refresh()


# the fields LibreOffice sets as it lays pages out
LAYOUT_FIELDS = ("com.sun.star.text.textfield.PageNumber", "com.sun.star.text.textfield.PageCount")


def needs_refresh(document: Any) -> bool:
    """Whether the document has a field whose value a refresh may change: any but a page number or count."""
    fields = document.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if not any(field.supportsService(service) for service in LAYOUT_FIELDS):
            return True
    return False


def still_running(office: subprocess.Popen[bytes], desktop: Any) -> bool:
    """After a failed conversion, whether LibreOffice lives on: a crashing LibreOffice may still answer for a
    moment (a document it was opening comes back as none), so its launcher is given a few seconds to exit."""
    try:
        office.wait(timeout=CRASH_GRACE)
        return False
    except subprocess.TimeoutExpired:
        pass
    try:
        desktop.getFrames()  # any call through the bridge
    except Exception:
        return False
    return True


def kill_now(office: subprocess.Popen[Any] | None) -> None:
    """Kill LibreOffice without waiting for it (and this worker with it, where they share the group pao gave them)."""
    if WINDOWS:
        if office is not None:  # no process groups to kill: LibreOffice's tree, through its living launcher
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(office.pid)], capture_output=True, check=False)
        return
    if os.getpgrp() == os.getpid():  # started by pao as a group leader: LibreOffice is in this group
        os.killpg(os.getpgrp(), signal.SIGKILL)
    elif office is not None:  # run by hand: only what can be reached
        office.kill()


class Lines:
    """Jobs read on a thread of their own, so that the end of stdin is seen even while LibreOffice is busy."""

    def __init__(self) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        self.waiting = False  # the main thread waits for a job: LibreOffice is idle and may be closed as usual
        self.ended = False
        self.office: subprocess.Popen[bytes] | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin:
            self.queue.put(line)
        with self.lock:
            self.ended = True
            busy = not self.waiting
        self.queue.put(None)
        if busy:  # pao is gone while LibreOffice starts or converts: nobody waits for it
            kill_now(self.office)

    def next(self) -> str | None:
        """The next job, or None once stdin has ended."""
        with self.lock:
            self.waiting = True
        line = self.queue.get()
        with self.lock:
            self.waiting = False
            return None if self.ended else line


def main() -> int:
    soffice, profile_url, pipe = sys.argv[1], sys.argv[2], sys.argv[3]
    lines = Lines()
    try:
        office, desktop = start_office(soffice, profile_url, pipe)
    except Exception as exc:  # reported to the caller, which names the documents
        reply(ready=False, error=str(exc))
        return 1
    lines.office = office
    reply(ready=True)
    try:
        while True:
            line = lines.next()
            if line is None:
                break
            job = json.loads(line)
            try:
                convert(desktop, job)
                reply(ok=True)
            except Exception as exc:
                if not still_running(office, desktop):
                    reply(ok=False, crashed=True, error="LibreOffice crashed while converting this document")
                    break
                reply(ok=False, error=getattr(exc, "Message", None) or str(exc) or type(exc).__name__)
    finally:
        with contextlib.suppress(Exception):  # LibreOffice may be gone already
            desktop.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_now(office)
    return 0


if __name__ == "__main__":
    sys.exit(main())
