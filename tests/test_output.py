"""One build folder, several builds: at once, killed, or waiting too long; the manifest stays true."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from generator import pipeline
from generator.diagnostics import SourceError
from generator.files import locked
from generator.output import LOCK, MANIFEST, STAGING_PREFIX
from tests.conftest import PLAN_ID, ROOT, Project

TITLE = "title: Plan de acción operativo 2022-2024"  # every document shows it
DOCUMENTS = 8  # per language: the PAO, 5 fact sheets, 2 progress annexes


def _pao(project: Project, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args],
        cwd=project.folder, env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True, **options,
    )


def _manifest(build: Path) -> dict[str, dict[str, str]]:
    return {entry["path"]: entry for entry in json.loads((build / MANIFEST).read_text(encoding="utf-8"))["outputs"]}


def _untrue(build: Path) -> list[str]:
    """The manifest's entries whose file is missing or has other bytes than recorded."""
    return [
        path for path, entry in _manifest(build).items()
        if not (build / path).is_file() or hashlib.sha256((build / path).read_bytes()).hexdigest() != entry["sha256"]
    ]


def _documents(build: Path) -> list[str]:
    """The .docx in their places (not those a build has made and not yet moved there)."""
    return sorted(p.relative_to(build).as_posix() for p in build.rglob("*.docx") if not p.relative_to(build).parts[0].startswith("."))


def _staged(build: Path) -> list[Path]:
    """What running builds have made and not yet moved into place (their staging folders come and go)."""
    try:
        return [path for staging in build.glob(f"{STAGING_PREFIX}*") for path in staging.rglob("*.docx")]
    except FileNotFoundError:
        return []


def test_builds_at_once_into_one_folder_all_end_up_in_the_manifest(project):
    build = project.path("build")
    languages = ("es", "en", "pt")
    for attempt in range(3):  # the first into an empty folder, then over the previous ones' files
        builds = [_pao(project, "build", "-q", "--format", "docx", "--lang", language, stderr=subprocess.PIPE) for language in languages]
        for process in builds:
            _, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stderr
        manifest = _manifest(build)
        assert sorted(manifest) == _documents(build), attempt
        assert len(manifest) == len(languages) * DOCUMENTS
        assert {entry["language"] for entry in manifest.values()} == set(languages)
        assert _untrue(build) == [], attempt


def test_the_temporary_files_of_a_killed_build_are_removed_by_the_next_one(project):
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    build = project.path("build")
    leftovers = [build / PLAN_ID / "es" / ".x.docx.123.tmp", build / f".{MANIFEST}.k2_9ab7z.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"half a document")
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    assert not [p for p in leftovers if p.exists()]
    assert not list(build.rglob("*.tmp"))


def test_a_build_waits_while_another_one_writes_to_its_folder_then_adds_to_what_that_one_wrote(project):
    assert project.pao("build", "-q", "--format", "docx", "--lang", "en", "--only", "pao").exit_code == 0
    build = project.path("build")
    english = _manifest(build)
    (build / MANIFEST).unlink()
    with locked(build / LOCK, timeout=1):  # another build, writing
        process = _pao(project, "build", "-q", "--format", "docx", "--lang", "es", "--only", "pao", stderr=subprocess.PIPE)
        assert process.stderr is not None
        assert process.stderr.readline() == "build: waiting for another build to finish writing to this folder (at most 120 s)\n"
        assert process.poll() is None
        (build / MANIFEST).write_text(json.dumps({"outputs": list(english.values())}), encoding="utf-8")  # its manifest, last
    _, stderr = process.communicate(timeout=600)
    assert (process.returncode, stderr) == (0, "")
    assert sorted(_manifest(build)) == _documents(build) == [f"{PLAN_ID}/en/pao-{PLAN_ID}-en.docx", f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx"]
    assert _untrue(build) == []


def test_a_build_that_waits_too_long_stops_with_a_clear_error_and_writes_nothing(project, monkeypatch):
    monkeypatch.chdir(project.folder)
    build = project.path("build")
    build.mkdir()
    told: list[str] = []
    selection = pipeline.Selection(only=("pao",), languages=("es",), formats=("docx",))
    with locked(build / LOCK, timeout=1), pytest.raises(SourceError) as error:
        pipeline.build(project.path("source"), project.path("templates"), build, selection, lock_timeout=0.5, waiting=told.append)
    assert told == ["build: waiting for another build to finish writing to this folder (at most 0.5 s)"]
    assert str(error.value) == (
        "build: ERROR: another build has been writing to this folder for more than 0.5 s: "
        "let it finish (or end it), then build again [build.busy]"
    )
    assert [p.name for p in build.iterdir()] == [LOCK]


def test_a_file_changed_by_hand_is_not_vouched_for_by_the_manifest_until_rebuilt(project):
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    build = project.path("build")
    pao = f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx"
    (build / pao).write_bytes(b"edited by hand")
    assert project.pao("build", "-q", "--format", "docx", "--lang", "en", "--only", "pao").exit_code == 0
    assert sorted(_manifest(build)) == [f"{PLAN_ID}/en/pao-{PLAN_ID}-en.docx"]  # the hand-edited file is left out
    assert (build / pao).read_bytes() == b"edited by hand"
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    assert sorted(_manifest(build)) == _documents(build)
    assert _untrue(build) == []


def test_a_manifest_entry_naming_a_file_outside_the_build_folder_is_dropped(project):
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    build = project.path("build")
    outside = project.path("source/organisations.yaml")
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    sha256 = hashlib.sha256(outside.read_bytes()).hexdigest()
    manifest["outputs"] += [{"path": "../source/organisations.yaml", "sha256": sha256}, {"path": str(outside), "sha256": sha256}, "x"]
    (build / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao").exit_code == 0
    assert sorted(_manifest(build)) == _documents(build) == [f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("rewritten", [0, 1, 7])
def test_a_build_killed_while_writing_leaves_a_true_manifest_and_the_next_build_repairs_the_folder(project, rewritten):
    """Killed once ``rewritten`` of the 8 documents have their new bytes in place (0: once the first is made, before
    any is in place)."""
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es").exit_code == 0
    build = project.path("build")
    before = {path: path.stat().st_mtime_ns for path in [*build.rglob("*.docx"), build / MANIFEST]}
    project.edit(f"source/{PLAN_ID}/plan.yaml", TITLE, TITLE + " (revisado)")
    process = _pao(project, "build", "-q", "--format", "docx", "--lang", "es", "-j", "2")
    workers: list[psutil.Process] = []
    while process.poll() is None:
        done = [path for path, mtime in before.items() if path.suffix == ".docx" and path.stat().st_mtime_ns != mtime]
        if (len(done) >= rewritten > 0) or (rewritten == 0 and _staged(build)):
            with contextlib.suppress(psutil.Error):
                workers = psutil.Process(process.pid).children()
            process.send_signal(signal.SIGKILL)
            break
    assert process.wait(60) == -signal.SIGKILL, "the build ended before it could be killed"
    assert psutil.wait_procs(workers, timeout=30)[1] == []  # its rendering processes end with it
    assert _untrue(build) == []  # whatever it lists is true, even right after the kill
    if rewritten == 0:
        assert _staged(build) and _documents(build) == sorted(_manifest(build))  # made, none in place: all as before
        assert all(path.stat().st_mtime_ns == mtime for path, mtime in before.items() if path.suffix == ".docx")
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es").exit_code == 0
    assert not list(build.rglob("*.tmp")) and not list(build.glob(".pao-*ing-*"))  # what the killed build left is gone
    manifest = _manifest(build)
    assert sorted(manifest) == _documents(build) and len(manifest) == DOCUMENTS
    assert _untrue(build) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is POSIX")
def test_a_build_terminated_while_rendering_removes_what_it_made_and_leaves_the_folder_as_it_was(project):
    assert project.pao("build", "-q", "--format", "docx", "--lang", "es").exit_code == 0
    build = project.path("build")
    before = project.build_snapshot()
    project.edit(f"source/{PLAN_ID}/plan.yaml", TITLE, TITLE + " (revisado)")
    process = _pao(project, "build", "-q", "--format", "docx", "--lang", "es", "-j", "2", stderr=subprocess.PIPE)
    while process.poll() is None and not _staged(build):
        pass
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM and "Traceback" not in stderr
    assert project.build_snapshot() == before  # no staging folder left, every document as before


def test_a_lock_file_that_cannot_be_opened_is_reported_without_a_traceback(project):
    project.path(f"build/{LOCK}").mkdir(parents=True)  # a folder where the lock file goes
    result = project.pao("build", "--format", "docx", "--lang", "es", "--only", "pao")
    assert (result.exit_code, result.stderr) == (1, f"build: ERROR: cannot write build/{LOCK}: Is a directory [build.unwritable]\n1 error\n")
    assert "Traceback" not in result.output
    assert [p.name for p in project.path("build").iterdir()] == [LOCK]
