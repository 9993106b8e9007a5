"""LibreOffice: every document converted from its own .docx, so both look alike.

All documents of a build go through ONE LibreOffice process (a start costs
~0.8 s, a further document ~0.05 s), with a private profile so that parallel
builds and a desktop LibreOffice do not collide.  ``worker.py`` drives
it over UNO; this module feeds it one document at a time, so that a document
that hangs or crashes LibreOffice is named, skipped, and the others still
convert.  Each PDF is then made reproducible by ``normalise``.

Linux and macOS put the worker and LibreOffice in a process group of their
own, killed at once; Windows has no process groups to kill, so the process
tree is ended with ``taskkill``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from .normalise import UnexpectedPdf, normalise

WORKER = Path(__file__).with_name("worker.py")
START_TIMEOUT = 90.0
WINDOWS = os.name == "nt"
INSTALL_HINT = (
    "LibreOffice is needed for PDF: install it (Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation fonts-dejavu-core; "
    "Windows, macOS: from libreoffice.org, and set PAO_SOFFICE to its soffice if pao does not find it), "
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
    python: str  # a Python with LibreOffice's ``uno`` module, to run ``worker.py``

    @classmethod
    def find(cls) -> Office:
        # PAO_SOFFICE: a LibreOffice installed elsewhere, used as is (no search behind it)
        chosen = os.environ.get("PAO_SOFFICE")
        if chosen and not Path(chosen).is_file():
            raise OfficeMissing(f"PAO_SOFFICE is {chosen}, which is not a file. {INSTALL_HINT}")
        soffice = chosen or next((path for path in _soffice_candidates() if path and Path(path).is_file()), None)
        if not soffice:
            raise OfficeMissing(INSTALL_HINT)
        for python in [os.environ.get("PAO_UNO_PYTHON"), *_python_candidates(soffice)]:
            if python and Path(python).is_file() and _has_uno(python):
                return cls(soffice, python)
        raise OfficeMissing(INSTALL_HINT)


def _soffice_candidates() -> list[str | None]:
    """Where LibreOffice is looked for: on the PATH, then where its installers put it."""
    found = [shutil.which("soffice"), shutil.which("libreoffice")]  # on Windows, which() tries soffice.exe and soffice.com
    if WINDOWS:
        for folder in (os.environ.get("PROGRAMFILES", r"C:\Program Files"), os.environ.get("PROGRAMFILES(X86)")):
            if folder:
                found.append(str(Path(folder) / "LibreOffice" / "program" / "soffice.exe"))
    else:
        found.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return found


def _python_candidates(soffice: str) -> list[str | None]:
    """Pythons that may have ``uno``: LibreOffice's own (Windows, macOS, LibreOffice's own Linux packages), then the system's."""
    program = Path(os.path.realpath(soffice)).parent
    if WINDOWS:
        return [str(program / "python.exe")]
    # Debian's LibreOffice has no Python of its own: its python3-uno goes with /usr/bin/python3
    return [str(program / "python"), str(program.parent / "Resources" / "python"), "/usr/bin/python3", shutil.which("python3")]


def _has_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _own_group() -> dict[str, Any]:
    """Popen options that start the worker in a process group of its own, so that ``_kill_group`` ends LibreOffice with it."""
    if WINDOWS:
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}  # the constant exists on Windows only
    return {"start_new_session": True}


def _kill_group(pid: int, running: bool) -> None:
    """End the worker ``pid`` and every process it started (a hung LibreOffice included), if any is left."""
    if WINDOWS:
        if running:  # taskkill finds the children through their living parent; a dead one's number may be reused
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(pid)], capture_output=True, check=False)
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group outlives its leader: LibreOffice goes too
        os.killpg(pid, signal.SIGKILL)


def convert(
    office: Office,
    jobs: list[Job],
    timeout: float,
    progress: Callable[[Job], None] = lambda job: None,
) -> dict[str, bytes | str]:
    """Each job's name → its normalised PDF bytes, or the error message that explains why not."""
    results: dict[str, bytes | str] = {}
    # Windows may keep LibreOffice's profile locked a moment after it stopped: a temporary folder left behind is no error
    with tempfile.TemporaryDirectory(prefix="pao-pdf-", ignore_cleanup_errors=True) as folder:
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
                    try:
                        results[job.name] = normalise(target.read_bytes(), job.date, hashlib.sha256(job.docx).digest()[:16])
                    except UnexpectedPdf as exc:
                        results[job.name] = str(exc)
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
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.alive = False

    def start(self) -> str | None:
        """None when ready, else why LibreOffice could not start."""
        try:
            process = subprocess.Popen(
                [self.office.python, str(WORKER), self.office.soffice, str(self.profile)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                **_own_group(),
            )
        except OSError as exc:
            return f"LibreOffice could not start: {exc}"
        self.process = process
        self.stdin, self.stdout = cast(IO[str], process.stdin), cast(IO[str], process.stdout)  # pipes: never None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        answer = self._next(START_TIMEOUT)
        if not answer or not answer.get("ready"):
            self.stop()
            return f"LibreOffice could not start: {(answer or {}).get('error', 'no answer')}"
        self.alive = True
        return None

    def ask(self, job: dict[str, str], timeout: float) -> dict[str, Any] | None:
        try:
            self.stdin.write(json.dumps(job) + "\n")
            self.stdin.flush()
        except OSError:
            self.alive = False
            return {"error": "LibreOffice stopped unexpectedly"}
        answer = self._next(timeout)
        if answer is None:
            self.stop()
        return answer

    def _read(self) -> None:
        for line in self.stdout:
            try:
                self.lines.put(json.loads(line))
            except ValueError:
                continue
        self.lines.put(None)  # end of output: the worker died

    def _next(self, timeout: float) -> dict[str, Any] | None:
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
            self.stdin.close()
            self.process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            pass
        _kill_group(self.process.pid, running=self.process.poll() is None)
        self.process.wait()
        self.reader.join(timeout=5)
        self.stdout.close()
