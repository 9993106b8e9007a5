"""LibreOffice: every document converted from its own .docx, so both look alike.

The documents of a build go through one LibreOffice process per job of
``pao build -j`` (a start costs ~0.8 s, a further document ~0.05 s), never
one per document, each with a private profile so that they, parallel builds
and a desktop LibreOffice do not collide.  ``worker.py`` drives each over
UNO; this module feeds each one document at a time, so that a document
that hangs or crashes LibreOffice is named, skipped, and the others still
convert on a fresh LibreOffice.  ``Converting`` takes documents as they come,
so that a build starts LibreOffice before its first .docx is made.  Each PDF is then made reproducible by
``normalise``.

Nothing of LibreOffice outlives pao: the worker and LibreOffice run in a
process group of their own (Linux and macOS kill it at once; Windows has no
process groups to kill, so the process tree is ended with ``taskkill``),
ended however the conversion ends: normally, by an exception, by Ctrl-C or
SIGTERM.  A pao killed outright (SIGKILL) cannot clean up: its worker sees the
end of its input and ends LibreOffice, and the next conversion removes the
folder that pao left.

Whatever LibreOffice keeps on disk is in a folder that only the user can
open, ``pao-pdf-<pid>-…`` in the temporary folder, with one folder for each
LibreOffice started: its profile, its temporary files, the documents it
converts.  LibreOffice's pipes are sockets in /tmp (Linux, macOS), made
private by the worker's umask and named with a random token.
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import queue
import re
import secrets
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any, Protocol, cast

import psutil

from .normalise import UnexpectedPdf, normalise

WORKER = Path(__file__).with_name("worker.py")
START_TIMEOUT = 90.0
CLOSE_TIMEOUT = 20.0  # for LibreOffice to close as usual before it is killed
WINDOWS = os.name == "nt"
CRASHED = "LibreOffice crashed while converting this document"
INSTALL_HINT = (
    "LibreOffice is needed for PDF: install it (Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui python3-uno fonts-liberation fonts-dejavu-core fonts-symbola libjemalloc2; "
    "Windows, macOS: from libreoffice.org, and set PAO_SOFFICE to its soffice if pao does not find it), "
    "or build only Word files with --format docx"
)
_FOLDER_PREFIX = "pao-pdf-"
_FOLDER = re.compile(r"pao-pdf-(\d+)-")  # the pid of the pao that made it
_START_PREFIX = "pao-"  # one LibreOffice start's folder, named like its pipe


class OfficeMissing(Exception):
    """LibreOffice, or a Python that can drive it, is not installed."""


@dataclasses.dataclass(frozen=True)
class Job:
    name: str  # what the user calls the document (its build path)
    docx: bytes | Path  # its bytes, or the file that holds them (read when its turn comes)
    date: datetime.date  # the sources' date, stamped into the PDF


class Known(Protocol):
    """What pao knows of a document, so that LibreOffice's worker neither reads it again nor asks LibreOffice."""

    @property
    def keywords(self) -> tuple[str, ...] | None: ...  # as whole terms; None: it has none

    @property
    def page_fields_only(self) -> bool: ...  # no field but page numbers and counts: nothing to update before export


class Copy(Protocol):
    """What LibreOffice converts for a document, and what is known of it (None: the worker finds out)."""

    @property
    def docx(self) -> bytes: ...

    @property
    def known(self) -> Known | None: ...


@dataclasses.dataclass(frozen=True)
class AsIs:
    """The document itself, nothing known of it."""

    docx: bytes
    known: None = None


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
    workers: int = 1,
    keep: Callable[[Job, bytes], bytes] = lambda job, pdf: pdf,
    prepare: Callable[[bytes], Copy] = AsIs,
) -> dict[str, bytes | str]:
    """Each job's name → its normalised PDF bytes, or the error message that explains why not (``Converting``,
    given every job at once)."""
    with Converting(office, timeout, progress, workers, keep, warm=min(workers, len(jobs)), prepare=prepare) as converting:
        for job in jobs:
            converting.add(job)
        return converting.results()


class Converting:
    """Documents converted as they are given (``add``), by up to ``workers`` LibreOffice processes at once, each
    started once and taking the next document as it finishes one; ``results`` waits for the last.

    ``warm`` of them start at once, before any document is given, so that their start (seconds) goes on while
    the documents are still being made; the others start as documents come.  After a crash or a hang
    LibreOffice is started afresh for the next document.  A document LibreOffice crashed on is tried once more
    on the fresh one (LibreOffice may have died of something else), and named if it crashes it again.
    ``keep`` is given each PDF as soon as it is made (one at a time, as ``progress`` is told), and what it
    returns is kept instead (so that a caller that writes PDFs as they come need not hold them all in memory).
    LibreOffice reads ``prepare(docx)``, made as each document's turn comes (pao gives
    ``ooxml.pdf_copy.for_pdf``: the same document, lighter to open, and what is known of it); the PDF's ID is
    still made from the .docx.
    Leaving the ``with`` block, however it is left, ends every LibreOffice and removes their folder."""

    def __init__(
        self,
        office: Office,
        timeout: float,
        progress: Callable[[Job], None] = lambda job: None,
        workers: int = 1,
        keep: Callable[[Job, bytes], bytes] = lambda job, pdf: pdf,
        warm: int = 1,
        prepare: Callable[[bytes], Copy] = AsIs,
    ) -> None:
        self.office, self.timeout, self.workers, self.warm = office, timeout, max(1, workers), warm
        self.progress, self.keep, self.prepare = progress, keep, prepare
        self._results: dict[str, bytes | str] = {}
        self._told = threading.Lock()
        self._queue = _Queue()
        self._running: list[_Worker] = []
        self._threads: list[threading.Thread] = []
        self._added = 0
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Converting:
        self._stack.enter_context(_signals_end_libreoffice())
        self._folder = self._stack.enter_context(_private_folder())
        self._stack.callback(self.stop)
        for _ in range(min(self.warm, self.workers)):
            self._start_thread()
        return self

    def __exit__(self, *exc: Any) -> bool | None:
        return self._stack.__exit__(*exc)

    def expect(self, documents: int) -> None:
        """Start, now, as many LibreOffice processes as ``documents`` more documents would keep busy."""
        while len(self._threads) < min(self.workers, self._added + documents):
            self._start_thread()

    def add(self, job: Job) -> None:
        self._added += 1
        self._queue.add(job)
        if len(self._threads) < min(self.workers, self._added):
            self._start_thread()

    def results(self) -> dict[str, bytes | str]:
        """Once every document given is converted (or why not): each job's name → its PDF, or why there is none."""
        self._queue.close()
        for thread in self._threads:
            while thread.is_alive():  # a timed join: the main thread must stay able to take Ctrl-C
                thread.join(0.2)
        if self._queue.failure is not None:
            raise self._queue.failure
        return self._results

    def _start_thread(self) -> None:
        thread = threading.Thread(
            target=_convert_some,
            args=(self.office, self._queue, self._folder, self.timeout, self._results, self._done, self._running, self.prepare),
            daemon=True,
        )
        self._threads.append(thread)
        thread.start()

    def _done(self, job: Job) -> None:  # one thread at a time keeps the PDF and tells the progress bar
        with self._told:
            result = self._results[job.name]
            if isinstance(result, bytes):
                self._results[job.name] = self.keep(job, result)
            self.progress(job)

    def stop(self) -> None:
        """End every LibreOffice now, whatever it is converting (again: nothing more)."""
        self._queue.stop()
        for worker in list(self._running):
            worker.kill()
        for thread in self._threads:
            thread.join()


class _Queue:
    """The documents still to convert, shared by the threads that drive the LibreOffice processes; more may come
    until it is closed."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.pending: collections.deque[Job] = collections.deque()
        self.crashed_once: set[str] = set()
        self.changed = threading.Condition()
        self.stopped = False
        self.closed = False
        self.refused: Callable[[Job], None] | None = None  # LibreOffice cannot start: tells a document why
        self.failure: BaseException | None = None  # what ended a thread unexpectedly, raised by ``results``

    def add(self, job: Job) -> None:
        with self.changed:
            self.numbers[job.name] = len(self.numbers)
            refused = self.refused
            if refused is None:
                self.pending.append(job)
                self.changed.notify()
        if refused is not None:  # LibreOffice cannot start: no document waits for it
            refused(job)

    def take(self) -> Job | None:
        """The next document; None once there is none and none will come (or the conversion is stopped)."""
        with self.changed:
            while not self.stopped and not self.pending and not self.closed:
                self.changed.wait()
            return None if self.stopped or not self.pending else self.pending.popleft()

    def finished(self) -> bool:
        with self.changed:
            return self.stopped or (self.closed and not self.pending)

    def again(self, job: Job) -> bool:
        """Put back a job LibreOffice crashed on, once."""
        with self.changed:
            if job.name in self.crashed_once:
                return False
            self.crashed_once.add(job.name)
            self.pending.appendleft(job)
            self.changed.notify()
            return True

    def refuse(self, problem: str, results: dict[str, bytes | str], done: Callable[[Job], None]) -> None:
        """LibreOffice cannot start: every document waiting, and every one still to come, is told why."""
        def tell(job: Job) -> None:
            results[job.name] = problem
            done(job)

        with self.changed:
            self.refused = tell
            jobs, self.pending = list(self.pending), collections.deque()
            self.changed.notify_all()
        for job in jobs:
            tell(job)

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


def _convert_some(
    office: Office,
    jobs: _Queue,
    folder: Path,
    timeout: float,
    results: dict[str, bytes | str],
    done: Callable[[Job], None],
    running: list[_Worker],
    prepare: Callable[[bytes], Copy],
) -> None:
    """Convert documents on one LibreOffice at a time until none is left, starting a fresh one after a crash."""
    try:
        while not jobs.finished() and jobs.refused is None:
            worker = _Worker(office, folder / f"{_START_PREFIX}{secrets.token_hex(16)}")
            running.append(worker)
            try:
                problem = worker.start()
                if problem:
                    jobs.refuse(problem, results, done)
                    return
                while worker.alive and (taken := jobs.take()) is not None:
                    job = taken
                    # in the folder of this LibreOffice: a crashed one leaves its lock file beside the document
                    number = jobs.numbers[job.name]
                    source, target = worker.folder / f"{number}.docx", worker.folder / f"{number}.pdf"
                    docx = job.docx if isinstance(job.docx, bytes) else job.docx.read_bytes()
                    copy = prepare(docx)
                    source.write_bytes(copy.docx)
                    answer = worker.ask(_job(source, target, copy.known), timeout)
                    if answer is not None and answer.get("crashed") and jobs.again(job):
                        continue
                    results[job.name] = _result(job, answer, target, timeout, docx)
                    done(job)
                worker.close()
            finally:
                worker.kill()
                running.remove(worker)
    except BaseException as exc:  # raised again by ``results``, in the main thread
        jobs.failure = exc
        jobs.stop()


def _job(source: Path, target: Path, known: Known | None) -> dict[str, Any]:
    """The worker's job (``worker.py`` says what each key means)."""
    job: dict[str, Any] = {"docx": str(source), "pdf": str(target)}
    if known is not None:
        job["keywords"] = None if known.keywords is None else list(known.keywords)
        job["page_fields_only"] = known.page_fields_only
    return job


def _result(job: Job, answer: dict[str, Any] | None, target: Path, timeout: float, docx: bytes) -> bytes | str:
    """The normalised PDF, or why there is none."""
    if answer is None:
        return f"LibreOffice did not finish within {timeout:g} s (stopped)"
    if "error" in answer:
        return str(answer["error"])
    if not target.is_file():
        return "LibreOffice wrote no PDF"
    try:
        return normalise(target.read_bytes(), job.date, hashlib.sha256(docx).digest()[:16])
    except UnexpectedPdf as exc:
        return str(exc)


class _Stopped(BaseException):
    """SIGINT or SIGTERM during a conversion: unwinds it, so that LibreOffice is ended, then the signal is raised again."""


@contextlib.contextmanager
def _signals_end_libreoffice() -> Iterator[None]:
    """While converting, Ctrl-C and SIGTERM end LibreOffice and remove its folder before pao goes.

    The signal is then raised again under pao's own handlers, so that pao exits as it would have
    (Ctrl-C: "Aborted!"; SIGTERM: terminated).  Handlers can only be set in the main thread; a
    signal pao ignores stays ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if not received:  # a second signal must not interrupt the ending of LibreOffice
            received.append(signum)
            raise _Stopped

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, stop)
    try:
        yield
    except _Stopped:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)  # None: set outside Python, default
    if received:
        signal.raise_signal(received[0])


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    """A folder only the user can open (whatever the umask), removed afterwards with what LibreOffice left."""
    parent = Path(tempfile.gettempdir())
    _remove_stale_folders(parent)
    folder = Path(tempfile.mkdtemp(prefix=f"{_FOLDER_PREFIX}{os.getpid()}-", dir=parent))  # mode 0700: the umask can only remove bits
    try:
        yield folder
    finally:
        _remove_folder(folder)


def _remove_stale_folders(parent: Path) -> None:
    """The folders of conversions whose pao was killed (SIGKILL cannot be caught), not those of a build still running."""
    for folder in parent.glob(f"{_FOLDER_PREFIX}*"):
        match = _FOLDER.match(folder.name)
        if not match or not _owned(folder):
            continue
        pid = int(match[1])
        if pid != os.getpid() and not psutil.pid_exists(pid):
            _remove_folder(folder)


def _owned(path: Path) -> bool:
    """A real folder of this user (another user's is not ours to remove; Windows keeps a temporary folder per user)."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and (WINDOWS or status.st_uid == os.getuid())


def _remove_folder(folder: Path) -> None:
    for start in folder.glob(f"{_START_PREFIX}*"):
        _remove_start(start)
    # Windows may keep LibreOffice's profile locked a moment after it stopped: what is left goes next time
    shutil.rmtree(folder, ignore_errors=True)


def _remove_start(start: Path) -> None:
    """One LibreOffice start's folder and the pipes LibreOffice made for it outside it (left behind when it was killed)."""
    for pipe in _pipes(start):
        with contextlib.suppress(OSError):
            status = pipe.lstat()
            if stat.S_ISSOCK(status.st_mode) and status.st_uid == os.getuid():
                pipe.unlink()
    shutil.rmtree(start, ignore_errors=True)


def _profile_url(start: Path) -> str:
    return (start / "profile").as_uri()


def _pipes(start: Path) -> list[Path]:
    """The sockets of a LibreOffice started in ``start``: the pipe pao connects through, named after ``start``, and
    LibreOffice's single-instance pipe, named after the MD5 of its profile's URL in UTF-16, in hexadecimal digits
    without leading zeros (LibreOffice's desktop/source/app/officeipcthread.cxx).  They are in /tmp (/var/tmp when
    /tmp cannot be written), whatever TMPDIR says (sal/osl/unx/pipe.cxx); Windows pipes go with their process."""
    if WINDOWS:
        return []
    digest = hashlib.md5(_profile_url(start).encode("utf-16-le"), usedforsecurity=False).digest()
    names = [start.name, "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)]
    return [Path(folder, f"OSL_PIPE_{os.getuid()}_{name}") for folder in ("/tmp", "/var/tmp") for name in names]


class _Worker:
    """One LibreOffice process behind ``worker.py``, with a folder of its own: its profile, its temporary files, the
    documents it converts, and the name of its pipe (a random token: no other process can guess it)."""

    def __init__(self, office: Office, folder: Path) -> None:
        self.office = office
        self.folder = folder
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.alive = False
        self.ended = False

    def start(self) -> str | None:
        """None when ready, else why LibreOffice could not start."""
        temporary = self.folder / "tmp"
        try:
            self.folder.mkdir(mode=0o700)
            temporary.mkdir(mode=0o700)
            process = subprocess.Popen(
                [self.office.python, str(WORKER), self.office.soffice, _profile_url(self.folder), self.folder.name],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                # LibreOffice's temporary files in its own folder; its pipes, profile and files private to the user
                env={**os.environ, "TMPDIR": str(temporary), "TMP": str(temporary), "TEMP": str(temporary)},
                umask=0o077,  # ignored on Windows, where the user's own folders are private
                **_own_group(),
            )
        except OSError as exc:
            return f"LibreOffice could not start: {exc}"
        if self.ended:  # killed while it was being started (the conversion stopped): nothing may outlive that
            _kill_group(process.pid, running=True)
            process.wait()
            return "LibreOffice was stopped"
        self.process = process
        self.stdin, self.stdout = cast(IO[str], process.stdin), cast(IO[str], process.stdout)  # pipes: never None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        answer = self._next(START_TIMEOUT)
        if not answer or not answer.get("ready"):
            self.kill()
            return f"LibreOffice could not start: {(answer or {}).get('error', 'no answer')}"
        self.alive = True
        return None

    def ask(self, job: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The worker's answer; None when it did not come within ``timeout`` (the worker is then no longer alive)."""
        try:
            self.stdin.write(json.dumps(job) + "\n")
            self.stdin.flush()
        except OSError:  # the worker died before this document
            self.alive = False
            return {"crashed": True, "error": CRASHED}
        answer = self._next(timeout)
        if answer is None or answer.get("crashed"):
            self.alive = False
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
            return {"crashed": True, "error": CRASHED}
        return answer

    def close(self) -> None:
        """Let a worker that is still answering close LibreOffice as usual (its pipes go with it)."""
        if self.process is None or not self.alive:
            return
        self.alive = False
        try:
            self.stdin.close()
            self.process.wait(timeout=CLOSE_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def kill(self) -> None:
        """Make sure nothing of the worker's group is left, nor anything of it on disk."""
        if self.ended:
            return
        self.ended, self.alive = True, False
        if self.process is not None:
            _kill_group(self.process.pid, running=self.process.poll() is None)
            self.process.wait()
            self.reader.join(timeout=5)
            for stream in (self.stdin, self.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
        _remove_start(self.folder)
