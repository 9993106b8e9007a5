"""Finding and stopping LibreOffice on Linux, macOS and Windows (the Windows branch by monkeypatching, not on Windows)."""
from __future__ import annotations

import signal
from pathlib import Path

import pytest

from generator.pdf import office


def _file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(office, "WINDOWS", True)
    monkeypatch.delenv("PAO_UNO_PYTHON", raising=False)
    monkeypatch.setattr(office, "_has_uno", lambda python: True)


def test_on_windows_libreoffice_is_driven_by_its_own_python_exe(windows, tmp_path, monkeypatch):
    soffice = _file(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    python = _file(tmp_path / "LibreOffice" / "program" / "python.exe")
    monkeypatch.setenv("PAO_SOFFICE", str(soffice))
    assert office.Office.find() == office.Office(str(soffice), str(python))


def test_on_windows_libreoffice_is_found_where_its_installer_puts_it(windows, tmp_path, monkeypatch):
    soffice = _file(tmp_path / "LibreOffice" / "program" / "soffice.exe")
    _file(tmp_path / "LibreOffice" / "program" / "python.exe")
    monkeypatch.delenv("PAO_SOFFICE", raising=False)
    monkeypatch.setenv("PROGRAMFILES", str(tmp_path))  # Windows reads environment names in any case
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    assert office.Office.find().soffice == str(soffice)


def test_a_pao_soffice_that_names_no_file_is_said_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PAO_SOFFICE", str(tmp_path / "soffice.exe"))
    expected = r"^PAO_SOFFICE is .*soffice\.exe, which is not a file\. LibreOffice is needed for PDF"
    with pytest.raises(office.OfficeMissing, match=expected):
        office.Office.find()


def test_on_macos_the_python_inside_the_app_is_tried_after_the_one_beside_soffice(monkeypatch):
    monkeypatch.setattr(office, "WINDOWS", False)
    candidates = office._python_candidates("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    assert candidates[:3] == [
        "/Applications/LibreOffice.app/Contents/MacOS/python",
        "/Applications/LibreOffice.app/Contents/Resources/python",
        "/usr/bin/python3",
    ]


def test_on_windows_the_worker_gets_its_own_process_group_and_its_tree_is_ended_with_taskkill(windows, monkeypatch):
    commands = []
    monkeypatch.setattr(office.subprocess, "run", lambda command, **options: commands.append(command))
    assert office._own_group() == {"creationflags": 0x200}  # CREATE_NEW_PROCESS_GROUP
    office._kill_group(4242, running=True)
    office._kill_group(4242, running=False)  # its number may be another process's by now
    assert commands == [["taskkill", "/T", "/F", "/PID", "4242"]]


def test_on_linux_and_macos_the_worker_starts_a_session_and_its_whole_group_is_killed(monkeypatch):
    monkeypatch.setattr(office, "WINDOWS", False)
    killed = []
    monkeypatch.setattr(office.os, "killpg", lambda pid, sig: killed.append((pid, sig)), raising=False)
    assert office._own_group() == {"start_new_session": True}
    office._kill_group(4242, running=False)  # LibreOffice may outlive the worker: the group is killed anyway
    assert killed == [(4242, signal.SIGKILL)]


def test_a_python_that_cannot_be_started_is_a_message_not_a_traceback(tmp_path):
    worker = office._Worker(office.Office("soffice", str(tmp_path / "no-python")), tmp_path / "profile")
    problem = worker.start()
    assert problem and problem.startswith("LibreOffice could not start: [Errno 2] No such file or directory")
