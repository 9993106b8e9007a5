"""A template opened and saved as .docx by LibreOffice (which rewrites its runs, styles and settings) still passes
`pao templates check` and builds documents with the same text."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.ooxml.reader import docx_text
from tests.conftest import Project

NAMES = ("pao.docx", "ficha.docx", "anexo.docx")


@pytest.mark.parametrize("layout", ["clasi", "el-paccto"])
def test_templates_saved_by_libreoffice_check_and_build_the_same_text(project: Project, tmp_path_factory, layout):
    from generator.pdf.office import Office, OfficeMissing

    try:
        soffice = Office.find().soffice
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    work = tmp_path_factory.mktemp("libreoffice")
    for name in NAMES:
        shutil.copy(project.path(f"templates/{layout}/{name}"), work / name)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--convert-to", "docx:MS Word 2007 XML",
         "--outdir", str(work / "saved"), *(str(work / name) for name in NAMES)],
        check=True, capture_output=True, timeout=300,
    )
    for name in NAMES:
        saved = (work / "saved" / name).read_bytes()
        assert saved != project.path(f"templates/{layout}/{name}").read_bytes()  # LibreOffice wrote it anew
    build = ("build", "--format", "docx", "--lang", "es", "-q", "--layout", layout)
    assert project.pao(*build, "--out", "before").exit_code == 0
    for name in NAMES:
        project.path(f"templates/{layout}/{name}").write_bytes((work / "saved" / name).read_bytes())
    result = project.pao("templates", "check", layout)
    assert (result.exit_code, result.output) == (0, f"3 template(s) checked ({layout}): no errors\n")
    assert project.pao(*build, "--out", "after").exit_code == 0
    before = sorted(p.relative_to(project.path("before")) for p in project.path("before").rglob("*.docx"))
    assert len(before) == 8  # the PAO, 5 fact sheets, 2 annexes
    for path in before:
        assert docx_text((project.path("after") / path).read_bytes()) == docx_text((project.path("before") / path).read_bytes()), path
