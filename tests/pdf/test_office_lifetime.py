"""LibreOffice crashes, hangs and interruptions: the other documents still convert, and nothing of LibreOffice outlives pao.

LibreOffice is crashed for real, by sending SIGSEGV to its ``soffice.bin`` as the worker is given a document;
``pao build`` is interrupted for real, in a process of its own, while its PDFs are being made.
"""
from __future__ import annotations

import ctypes.util
import datetime
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from generator.pdf import office as pdf
from tests.conftest import PAO, PLAN_ID, ROOT, Project

posix_only = pytest.mark.skipif(os.name != "posix", reason="LibreOffice's processes and pipes are looked at the POSIX way")
DAY = datetime.date(2022, 6, 1)


@pytest.fixture(scope="module")
def office() -> pdf.Office:
    try:
        return pdf.Office.find()
    except pdf.OfficeMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture
def jobs(built: Path) -> list[pdf.Job]:
    """Three real documents: two fact sheets around the PAO."""
    sheets = sorted(built.glob(f"{PLAN_ID}/es/ficha-*.docx"))
    paths = [sheets[0], built / PAO, sheets[1]]
    return [pdf.Job(path.name, path.read_bytes(), DAY) for path in paths]


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch) -> Path:
    """A temporary folder of the test's own, so that what a conversion leaves there is the test's to see."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


class Starts:
    """Every worker ``convert`` starts, in order."""

    def __init__(self, monkeypatch) -> None:
        self.workers: list[Any] = []
        start = pdf._Worker.start

        def counted(worker: Any) -> str | None:
            self.workers.append(worker)
            return start(worker)

        monkeypatch.setattr(pdf._Worker, "start", counted)


def soffice_bin(worker: Any) -> psutil.Process:
    """The LibreOffice process behind a worker."""
    found = [child for child in psutil.Process(worker.process.pid).children(recursive=True) if child.name() == "soffice.bin"]
    assert len(found) == 1, found
    return found[0]


def crash_when_given(monkeypatch, docx: bytes, times: int) -> None:
    """SIGSEGV to LibreOffice as the worker is given ``docx`` (its first ``times`` times): it crashes on that document."""
    ask = pdf._Worker.ask
    left = [times]

    def crashing(worker: Any, job: dict[str, str], timeout: float) -> dict[str, Any] | None:
        if left[0] and Path(job["docx"]).read_bytes() == docx:
            left[0] -= 1
            target = soffice_bin(worker)
            threading.Thread(target=target.send_signal, args=(signal.SIGSEGV,)).start()
        return ask(worker, job, timeout)

    monkeypatch.setattr(pdf._Worker, "ask", crashing)


def summary(results: dict[str, bytes | str]) -> dict[str, bytes | str]:
    """A PDF's first bytes, or the whole message saying why there is none."""
    return {name: result[:5] if isinstance(result, bytes) else result for name, result in results.items()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="LD_PRELOAD: Linux")
def test_libreoffice_allocates_with_jemalloc_and_does_no_typing_aids_and_converts_as_well(office, jobs, temporary, monkeypatch):
    ask = pdf._Worker.ask
    libraries: list[set[str]] = []
    settings: list[tuple[str, str, str]] = []

    def looking(worker: Any, job: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        libraries.append({Path(mapped.path).name for mapped in soffice_bin(worker).memory_maps()})
        if not settings:  # LibreOffice writes the options set in its profile within a second or so
            registry = worker.folder / "profile" / "user" / "registrymodifications.xcu"
            for _ in range(100):
                written = registry.read_text(encoding="utf-8") if registry.is_file() else ""
                found = re.findall(r'oor:path="([^"]+)"><prop oor:name="(IsSpellAuto|Enable)" oor:op="fuse"><value>(\w+)<', written)
                if len(found) >= 2:
                    settings.extend(sorted(found))
                    break
                time.sleep(0.1)
        return ask(worker, job, timeout)

    monkeypatch.setattr(pdf._Worker, "ask", looking)
    monkeypatch.setenv("LD_PRELOAD", "")  # a user's own would be kept: none here
    results = pdf.convert(office, jobs, timeout=120)
    assert summary(results) == {job.name: b"%PDF-" for job in jobs}
    installed = ctypes.util.find_library("jemalloc")  # make system installs it (Debian: libjemalloc2)
    assert [bool(names & {installed}) for names in libraries] == [bool(installed)] * len(jobs)
    # spell checking as one types, and collecting words to complete: work for a person typing, in every document
    assert settings == [
        ("/org.openoffice.Office.Linguistic/SpellChecking", "IsSpellAuto", "false"),
        ("/org.openoffice.Office.Writer/AutoFunction/Completion", "Enable", "false"),
    ]


def sockets_of(worker: Any) -> list[Path]:
    return [pipe for pipe in pdf._pipes(worker.folder) if pipe.exists()]


@posix_only
def test_libreoffice_crashing_on_a_document_is_restarted_and_the_document_converted_again(office, jobs, temporary, monkeypatch):
    starts = Starts(monkeypatch)
    crash_when_given(monkeypatch, jobs[1].docx, times=1)
    seen = []
    results = pdf.convert(office, jobs, timeout=120, progress=lambda job: seen.append(job.name))
    assert summary(results) == {job.name: b"%PDF-" for job in jobs}
    assert seen == [job.name for job in jobs]
    assert len(starts.workers) == 2
    assert [worker.process.poll() is not None for worker in starts.workers] == [True, True]
    # the crashed LibreOffice could not remove its pipes from /tmp: pao did
    assert [sockets_of(worker) for worker in starts.workers] == [[], []]
    assert list(temporary.iterdir()) == []


@posix_only
def test_a_document_that_crashes_libreoffice_twice_is_named_and_the_others_convert(office, jobs, temporary, monkeypatch):
    starts = Starts(monkeypatch)
    crash_when_given(monkeypatch, jobs[1].docx, times=2)
    seen = []
    results = pdf.convert(office, jobs, timeout=120, progress=lambda job: seen.append(job.name))
    assert summary(results) == {
        jobs[0].name: b"%PDF-",
        jobs[1].name: "LibreOffice crashed while converting this document",
        jobs[2].name: b"%PDF-",
    }
    assert seen == [job.name for job in jobs]
    assert len(starts.workers) == 3  # the first, the second chance of the crashed document, the next one's
    assert [sockets_of(worker) for worker in starts.workers] == [[], [], []]
    assert list(temporary.iterdir()) == []


@posix_only
def test_libreoffice_killed_between_two_documents_is_restarted_for_the_next(office, jobs, temporary, monkeypatch):
    starts = Starts(monkeypatch)

    def kill_after_the_first(job: pdf.Job) -> None:
        if job is jobs[0]:
            process = soffice_bin(starts.workers[0])
            process.kill()
            process.wait(30)

    results = pdf.convert(office, jobs, timeout=120, progress=kill_after_the_first)
    assert summary(results) == {job.name: b"%PDF-" for job in jobs}
    assert len(starts.workers) == 2


@pytest.fixture
def umask_000() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@posix_only
def test_under_umask_000_libreoffice_s_folder_and_pipes_are_the_user_s_alone(office, jobs, temporary, umask_000, monkeypatch):
    starts = Starts(monkeypatch)
    looked = []

    def look(job: pdf.Job) -> None:  # while LibreOffice runs
        worker = starts.workers[-1]
        (private,) = temporary.glob("pao-pdf-*")
        assert private.name.startswith(f"pao-pdf-{os.getpid()}-")
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
        assert worker.folder.parent == private and stat.S_IMODE(worker.folder.stat().st_mode) == 0o700
        assert re.fullmatch(r"pao-[0-9a-f]{32}", worker.folder.name)  # the pipe's name: a random token
        libreoffice = soffice_bin(worker)
        assert f"--accept=pipe,name={worker.folder.name};" in " ".join(libreoffice.cmdline())
        for pipe in pdf._pipes(worker.folder)[:2]:  # in /tmp: the one pao connects through, LibreOffice's own
            assert stat.S_ISSOCK(pipe.stat().st_mode), pipe
            assert stat.S_IMODE(pipe.stat().st_mode) == 0o700, pipe
        assert stat.S_IMODE((worker.folder / "profile").stat().st_mode) == 0o700
        own_temporary = worker.folder / "tmp"
        assert libreoffice.environ()["TMPDIR"] == str(own_temporary)
        assert [path.name for path in own_temporary.iterdir() if path.name.startswith(f"lu{libreoffice.pid}")] != []
        looked.append(worker.folder.name)

    results = pdf.convert(office, jobs[:2], timeout=120, progress=look)
    assert list(summary(results).values()) == [b"%PDF-", b"%PDF-"]
    assert len(looked) == 2 and len(starts.workers) == 1
    assert list(temporary.iterdir()) == []


def test_only_the_folders_of_conversions_whose_pao_is_gone_are_removed(tmp_path):
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    try:
        kept = [f"pao-pdf-{running.pid}-concurrent", f"pao-pdf-{os.getpid()}-this-one", "pao-pdf-made-by-an-older-pao"]
        for name in [*kept, f"pao-pdf-{gone.pid}-killed"]:
            (tmp_path / name / "pao-0123" / "profile").mkdir(parents=True)
        pdf._remove_stale_folders(tmp_path)
        assert sorted(path.name for path in tmp_path.iterdir()) == sorted(kept)
    finally:
        running.kill()
        running.wait()


@posix_only
def test_the_pipes_a_killed_libreoffice_left_in_tmp_go_with_its_folder(tmp_path):
    import socket

    start = tmp_path / f"pao-pdf-{os.getpid()}-x" / "pao-0123456789abcdef"
    start.mkdir(parents=True)
    pipes = pdf._pipes(start)[:2]
    for pipe in pipes:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(pipe))
        listener.close()  # a socket file that nobody listens to, as a killed LibreOffice leaves it
    assert all(pipe.exists() for pipe in pipes)
    pdf._remove_folder(start.parent)
    assert [pipe for pipe in pipes if pipe.exists()] == []
    assert not start.parent.exists()


def _processes_naming(folder: Path) -> list[psutil.Process]:
    """Running processes whose command line names ``folder`` (the worker and LibreOffice name their profile in it)."""
    names = (str(folder), folder.as_uri())
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        command = " ".join(process.info["cmdline"] or ())
        if process.info["status"] != psutil.STATUS_ZOMBIE and any(name in command for name in names):
            found.append(process)
    return found


def _pao_build(project: Project, temporary: Path, *args: str) -> subprocess.Popen[str]:
    """``pao build`` in a process of its own, with ``temporary`` as its temporary folder, and Ctrl-C's signal
    answered as in a terminal: the tests may run where it is ignored (a job a shell started in the background
    ignores it, and so does every process it starts)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)}
    return subprocess.Popen(
        [sys.executable, "-c", "from generator.cli import main; main()", "build", *args],
        cwd=project.folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _in_the_pdf_phase(build: subprocess.Popen[str], temporary: Path) -> list[str]:
    """Waits until the build has converted its first document (LibreOffice then converts the next);
    the paths of the sockets its LibreOffices listen on (one per job of -j)."""
    deadline = time.monotonic() + 600
    while not list(temporary.glob("pao-pdf-*/pao-*/0.pdf")):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "no PDF phase"
        time.sleep(0.02)
    offices = [process for process in _processes_naming(temporary) if process.name() == "soffice.bin"]
    assert offices
    sockets = []
    for libreoffice in offices:
        pipe = re.search(r"--accept=pipe,name=([^;]+);", " ".join(libreoffice.cmdline()))
        assert pipe, libreoffice.cmdline()
        sockets.append(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe[1]}")
    assert all(Path(socket).exists() for socket in sockets)
    return sockets


def _until(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@posix_only
@pytest.mark.parametrize(
    ("signum", "exit_code", "said"), [(signal.SIGINT, 1, "Aborted!"), (signal.SIGTERM, -signal.SIGTERM, "")], ids=["Ctrl-C", "SIGTERM"]
)
def test_an_interrupted_build_ends_libreoffice_and_leaves_nothing_behind(office, tmp_path, temporary, signum, exit_code, said):
    project = Project(tmp_path / "project")
    build = _pao_build(project, temporary, "--lang", "es", "-j", "2")  # two LibreOffices
    try:
        sockets = _in_the_pdf_phase(build, temporary)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=120)
    finally:
        build.kill()
    assert build.returncode == exit_code
    assert said in stderr and "Traceback" not in stderr
    assert _processes_naming(temporary) == []  # ended before pao exits
    assert list(temporary.iterdir()) == []  # nor its folder, nor LibreOffice's temporary files
    assert not any(Path(socket).exists() for socket in sockets)
    assert project.build_snapshot() == {}  # a build that did not finish writes nothing


@posix_only
def test_a_killed_build_leaves_no_libreoffice_running_and_its_folder_goes_with_the_next_build(office, tmp_path, temporary):
    project = Project(tmp_path / "project")
    build = _pao_build(project, temporary, "--lang", "es", "-j", "2")
    try:
        sockets = _in_the_pdf_phase(build, temporary)
    finally:
        build.kill()  # SIGKILL: pao cannot clean up
        build.communicate()
    assert _until(lambda: _processes_naming(temporary) == [], 60), _processes_naming(temporary)  # the worker ended LibreOffice
    assert [path.name.startswith(f"pao-pdf-{build.pid}-") for path in temporary.iterdir()] == [True]
    again = _pao_build(project, temporary, "--lang", "es", "--only", "pao", "-q")
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert list(temporary.iterdir()) == []
    assert not any(Path(socket).exists() for socket in sockets)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("-1", "-1 is not in the range 1<=x<=86400."),
        ("0", "0 is not in the range 1<=x<=86400."),
        ("nan", "'nan' is not a valid integer range."),
        ("inf", "'inf' is not a valid integer range."),
    ],
    ids=["-1", "0", "nan", "inf"],
)
def test_a_pdf_timeout_that_is_not_a_positive_number_of_seconds_is_a_usage_error(project, value, why):
    result = project.pao("build", "--pdf-timeout", value)
    assert result.exit_code == 2
    assert f"Error: Invalid value for '--pdf-timeout': {why}" in result.stderr
    assert "Traceback" not in result.output
    assert project.build_snapshot() == {}


def test_documents_given_one_by_one_are_converted_by_a_libreoffice_started_before_the_first(office, jobs, temporary, monkeypatch):
    """A build starts LibreOffice before its .docx are made, then gives each as it comes; a second LibreOffice
    starts only once a second document waits for it."""
    starts = Starts(monkeypatch)
    kept: list[str] = []

    def keep(job: pdf.Job, data: bytes) -> bytes:  # as a build does: written elsewhere, not kept in memory
        assert data.startswith(b"%PDF-")
        kept.append(job.name)
        return b""

    with pdf.Converting(office, timeout=120, workers=2, keep=keep, warm=1) as converting:
        assert _until(lambda: len(starts.workers) == 1 and starts.workers[0].alive, 120)  # ready before any document
        converting.add(jobs[0])
        assert _until(lambda: kept == [jobs[0].name], 120)  # converted while the others are still to come
        converting.add(jobs[1])
        converting.add(jobs[2])
        results = converting.results()
    assert results == {job.name: b"" for job in jobs}  # what ``keep`` returned, in place of each PDF
    assert sorted(kept) == sorted(job.name for job in jobs)
    assert len(starts.workers) == 2
    assert list(temporary.iterdir()) == []


def test_documents_given_after_libreoffice_failed_to_start_are_told_why(jobs, temporary, tmp_path):
    broken = pdf.Office("soffice", str(tmp_path / "no-python"))
    with pdf.Converting(broken, timeout=120, workers=2, warm=1) as converting:
        converting.add(jobs[0])
        time.sleep(0.5)  # the start has failed by now, or fails with this document waiting
        converting.add(jobs[1])
        results = converting.results()
    assert set(results) == {jobs[0].name, jobs[1].name}
    assert all(isinstance(why, str) and why.startswith("LibreOffice could not start") for why in results.values())
