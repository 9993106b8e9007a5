"""Converts .docx files to PDF in ONE LibreOffice process, driven over UNO.

Run by a Python that has LibreOffice's ``uno`` module (Debian: python3-uno),
not by pao's own interpreter: this file imports nothing from pao.  It reads
one JSON job per line on stdin (``{"docx": path, "pdf": path}``) and answers
one JSON line per job on stdout, so that the caller can time each document
out and restart the worker after a crash.

Before export it updates every index (the table of contents) and field, so
that page numbers are right; it exports PDF/A-2b, tagged, lossless images.
It runs on Linux, macOS and Windows (LibreOffice's own Python 3.8 or later).
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from typing import Any

import uno  # LibreOffice's own module: the worker runs in a Python that has it
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


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


def start_office(soffice: str, profile: str) -> tuple[subprocess.Popen[bytes], Any]:
    pipe = f"pao-{os.getpid()}"
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
    return office, desktop


def convert(desktop: Any, source: str, target: str) -> int:
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    if document is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        indexes = document.getDocumentIndexes()
        # twice: a table of contents that grows by a page moves what follows it
        for _ in range(2):
            for index in range(indexes.getCount()):
                indexes.getByIndex(index).update()
            document.getTextFields().refresh()
        pages = document.getCurrentController().getPropertyValue("PageCount")
        arguments = properties(prop("FilterName", "writer_pdf_Export"), prop("FilterData", properties(*PDF_OPTIONS)))
        uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), arguments))
        return pages
    finally:
        document.close(True)


def main() -> int:
    soffice, profile = sys.argv[1], sys.argv[2]
    try:
        office, desktop = start_office(soffice, profile)
    except Exception as exc:  # reported to the caller, which names the documents
        reply(ready=False, error=str(exc))
        return 1
    reply(ready=True)
    try:
        for line in sys.stdin:
            job = json.loads(line)
            try:
                pages = convert(desktop, job["docx"], job["pdf"])
                reply(ok=True, pages=pages)
            except Exception as exc:
                reply(ok=False, error=getattr(exc, "Message", None) or str(exc) or type(exc).__name__)
    finally:
        with contextlib.suppress(Exception):  # LibreOffice may be gone already
            desktop.terminate()
        try:
            office.wait(timeout=10)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
