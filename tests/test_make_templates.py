"""`make templates` (templates/make_templates.py) starts the templates over, but never over a change made in Word."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

NAMES = ("anexo.docx", "ficha.docx", "pao.docx")


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "templates" / "make_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped templates with their record."""
    for name in (*NAMES, "generated.json"):
        shutil.copy(ROOT / "templates" / name, tmp_path / name)
    return tmp_path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_shipped_record_names_every_template():
    record = json.loads((ROOT / "templates" / "generated.json").read_text(encoding="utf-8"))
    assert sorted(record) == list(NAMES)


def test_templates_as_generated_are_made_again_the_same_every_time_and_recorded(script, folder):
    assert script.main(folder) == 0
    first = _files(folder)
    record = json.loads(first["generated.json"])
    assert record == {name: hashlib.sha256(first[name]).hexdigest() for name in NAMES}
    assert script.main(folder) == 0
    assert _files(folder) == first


def test_a_template_changed_in_word_is_not_overwritten(script, folder, capsys):
    script.main(folder)
    restyled = folder / "ficha.docx"
    restyled.write_bytes(restyled.read_bytes() + b"\0")  # any change of its bytes, as saving it in Word makes
    before = _files(folder)
    assert script.main(folder) == 1
    assert _files(folder) == before
    assert capsys.readouterr().err == (
        f"{restyled}: ERROR: changed since make templates wrote it (restyled in Word?): it would be overwritten; keep it, "
        "or start it over with make templates FORCE=1 (python templates/make_templates.py --force) [template.changed]\n"
    )
    assert script.main(folder, force=True) == 0
    after = _files(folder)
    assert after["ficha.docx"] != before["ficha.docx"]
    assert json.loads(after["generated.json"])["ficha.docx"] == hashlib.sha256(after["ficha.docx"]).hexdigest()


def test_a_template_that_was_never_recorded_is_not_overwritten(script, folder, capsys):
    (folder / "generated.json").unlink()
    before = _files(folder)
    assert script.main(folder) == 1
    assert _files(folder) == before
    assert len(capsys.readouterr().err.splitlines()) == 3


def test_make_passes_force_only_when_told():
    def command(*args: str) -> str:
        shown = subprocess.run(["make", "-n", "templates", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return next(line for line in shown.splitlines() if "make_templates.py" in line)

    assert command().endswith("templates/make_templates.py ")
    assert command("FORCE=1").endswith("templates/make_templates.py --force")


def test_the_script_exits_1_on_a_changed_template(folder):
    (folder / "pao.docx").write_bytes(b"saved by someone else")
    result = subprocess.run([sys.executable, str(ROOT / "templates" / "make_templates.py"), str(folder)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{folder / 'pao.docx'}: ERROR: changed since make templates wrote it")
    assert (folder / "pao.docx").read_bytes() == b"saved by someone else"
