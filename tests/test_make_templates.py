"""`make templates` (templates/make_templates.py) starts every layout's templates over, but never over a change made in Word."""
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
LAYOUTS = {"clasi": NAMES, "el-paccto": (*NAMES, "logo.png")}  # each layout's files as the script makes them


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "templates" / "make_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up while it is made
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped layouts with their records."""
    for layout, names in LAYOUTS.items():
        (tmp_path / layout).mkdir()
        for name in (*names, "generated.json"):
            shutil.copy(ROOT / "templates" / layout / name, tmp_path / layout / name)
    return tmp_path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_shipped_record_of_each_layout_names_every_file_with_its_bytes(layout):
    record = json.loads((ROOT / "templates" / layout / "generated.json").read_text(encoding="utf-8"))
    assert sorted(record) == sorted(LAYOUTS[layout])
    for name, digest in record.items():
        assert hashlib.sha256((ROOT / "templates" / layout / name).read_bytes()).hexdigest() == digest, name


def test_templates_as_generated_are_made_again_the_same_every_time_and_recorded(script, folder):
    assert script.main(folder) == 0
    first = _files(folder)
    assert sorted(first) == sorted(f"{layout}/{name}" for layout, names in LAYOUTS.items() for name in (*names, "generated.json"))
    for layout, names in LAYOUTS.items():
        record = json.loads(first[f"{layout}/generated.json"])
        assert record == {name: hashlib.sha256(first[f"{layout}/{name}"]).hexdigest() for name in names}
    assert script.main(folder) == 0
    assert _files(folder) == first


def test_the_second_layout_is_made_by_the_same_code_as_the_first_with_its_own_look(script, folder):
    """The same tags in the same order (a field added to one layout is in every one); fonts, colours, page differ."""
    import re

    from tests.docx_reader import attribute, child, part, text_of

    script.main(folder)
    for name in NAMES:
        tags = {layout: re.findall(r"\{[{%].*?[}%]\}", text_of(part((folder / layout / name).read_bytes(), "word/document.xml")))
                for layout in LAYOUTS}
        assert tags["clasi"] == tags["el-paccto"] and tags["clasi"], name
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for layout, font in (("clasi", "Arial"), ("el-paccto", "Liberation Serif")):
        styles = part((folder / layout / "ficha.docx").read_bytes(), "word/styles.xml")
        normal = next(style for style in styles.iter(f"{w}style") if style.get(f"{w}styleId") == "Normal")
        assert attribute(child(normal, f"{w}rPr/{w}rFonts"), f"{w}ascii") == font


def test_a_template_changed_in_word_is_not_overwritten(script, folder, capsys):
    script.main(folder)
    restyled = folder / "el-paccto" / "ficha.docx"
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
    assert after["el-paccto/ficha.docx"] != before["el-paccto/ficha.docx"]
    assert json.loads(after["el-paccto/generated.json"])["ficha.docx"] == hashlib.sha256(after["el-paccto/ficha.docx"]).hexdigest()


def test_a_logo_replaced_by_hand_is_not_overwritten(script, folder, capsys):
    (folder / "el-paccto" / "logo.png").write_bytes(b"the programme's own logo")
    assert script.main(folder) == 1
    assert capsys.readouterr().err.startswith(f"{folder / 'el-paccto' / 'logo.png'}: ERROR: changed since make templates wrote it")
    assert (folder / "el-paccto" / "logo.png").read_bytes() == b"the programme's own logo"


def test_one_layout_can_be_started_over_alone(script, folder):
    (folder / "clasi" / "pao.docx").write_bytes(b"restyled in Word")
    assert script.main(folder, only=["el-paccto"]) == 0
    assert (folder / "clasi" / "pao.docx").read_bytes() == b"restyled in Word"


def test_a_template_that_was_never_recorded_is_not_overwritten(script, folder, capsys):
    (folder / "clasi" / "generated.json").unlink()
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
    (folder / "clasi" / "pao.docx").write_bytes(b"saved by someone else")
    result = subprocess.run([sys.executable, str(ROOT / "templates" / "make_templates.py"), str(folder)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{folder / 'clasi' / 'pao.docx'}: ERROR: changed since make templates wrote it")
    assert (folder / "clasi" / "pao.docx").read_bytes() == b"saved by someone else"
