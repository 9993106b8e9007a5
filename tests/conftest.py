"""Shared fixtures: the reference plan built once, and throw-away project copies to break."""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLAN_ID = "cocaina-2022"
PAO = f"{PLAN_ID}/es/pao-{PLAN_ID}-es.docx"


class Project:
    """A copy of the project's sources and templates in a temporary folder, run with ``pao``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(ROOT / "source", folder / "source")
        shutil.copytree(ROOT / "templates", folder / "templates", ignore=shutil.ignore_patterns("*.py"))
        self.plan = folder / "source" / PLAN_ID

    def path(self, relative: str) -> Path:
        return self.folder / relative

    def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
        """Replace text in a source file; the old text must be there."""
        target = self.path(relative)
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        target.write_text(text.replace(old, new, count), encoding="utf-8")

    def line_of(self, relative: str, needle: str) -> int:
        """1-based line number of the first line containing ``needle``."""
        for number, line in enumerate(self.path(relative).read_text(encoding="utf-8").split("\n"), start=1):
            if needle in line:
                return number
        raise AssertionError(f"{needle!r} not in {relative}")

    def pao(self, *args: str):
        """Run ``pao`` in the project folder; returns click's Result (exit_code, output, stderr)."""
        with _chdir(self.folder):
            return CliRunner().invoke(main, list(args), catch_exceptions=False)

    def build_snapshot(self) -> dict[str, str]:
        """Every file of build/ with its sha256, to prove a failed run touched nothing."""
        build = self.folder / "build"
        if not build.exists():
            return {}
        return {
            str(p.relative_to(build)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*"))
            if p.is_file()
        }


@contextlib.contextmanager
def _chdir(folder: Path):
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


@pytest.fixture(scope="session")
def reference_project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("reference"))


def word_build(project: Project) -> Path:
    """The project's build folder, once ``pao build --format docx`` has made its Word documents."""
    result = project.pao("build", "-q", "--format", "docx")
    assert result.exit_code == 0, result.output
    return project.folder / "build"


@pytest.fixture(scope="session")
def built(reference_project) -> Path:
    """The build folder of the shipped reference plan (Word documents), built once per test run."""
    return word_build(reference_project)

# the second plan of tests/fixtures/plans/, shaped unlike the shipped one: a Portuguese original, a Spanish translation
SECOND_PLANS = Path(__file__).resolve().parent / "fixtures" / "plans"


def second_plan(folder: Path) -> Project:
    """A project holding armas-2024 alone, with the fixtures' organisations."""
    project = Project(folder)
    shutil.rmtree(project.path("source"))
    shutil.copytree(SECOND_PLANS / "armas-2024", project.path("source/armas-2024"))
    shutil.copy(SECOND_PLANS / "organisations.yaml", project.path("source/organisations.yaml"))
    return project


@pytest.fixture(scope="session")
def armas(tmp_path_factory) -> Project:
    """The second plan, read by the tests and never changed."""
    return second_plan(tmp_path_factory.mktemp("armas"))


@pytest.fixture(scope="session")
def armas_built(armas) -> Path:
    """The second plan's build folder of Word documents, built once per test run."""
    return word_build(armas) / "armas-2024"



@pytest.fixture(scope="session")
def built_pdf(built, reference_project) -> Path:
    """The same build folder with the PDFs too (skipped where LibreOffice is missing)."""
    from generator.pdf.office import Office, OfficeMissing

    try:
        Office.find()
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    result = reference_project.pao("build", "-q")
    assert result.exit_code == 0, result.output
    return built


@pytest.fixture(scope="session")
def el_paccto_pdf(tmp_path_factory) -> Path:
    """The shipped plan made in the second layout (``pao build --layout el-paccto``), .docx and PDF, once per test run:
    the folder of its language folders (skipped where LibreOffice is missing)."""
    from generator.pdf.office import Office, OfficeMissing

    try:
        Office.find()
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    project = Project(tmp_path_factory.mktemp("el-paccto-pdf"))
    result = project.pao("build", "-q", "--layout", "el-paccto")
    assert result.exit_code == 0, result.output
    return project.folder / "build" / PLAN_ID / "el-paccto"


@pytest.fixture(scope="session")
def pao_docx(built: Path) -> bytes:
    return (built / PAO).read_bytes()


# hypothesis: 200 examples per property, the same ones on every run (CI reproduces a failure); HYPOTHESIS_PROFILE=thorough
# tries 2000 new ones each run.  No example database: nothing written into the project.
settings.register_profile("default", max_examples=200, deadline=None, derandomize=True, database=None)
settings.register_profile("thorough", max_examples=2000, deadline=None, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
