"""Reviewers: a change report and a redline with native tracked changes between two versions."""
from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from generator.ooxml.reader import docx_text
from generator.ooxml.tracked import resolve_all
from tests.conftest import PLAN_ID, Project

PATCH = Path(__file__).parent.parent / "fixtures" / "plan-v2.patch"
REDLINE = f"build/diff/{PLAN_ID}/redline-pao-{PLAN_ID}-es.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# the edits of tests/fixtures/plan-v2.patch, as the report must list them (and nothing else)
EXPECTED = [
    ("plan", PLAN_ID, "changed", "participants"),
    ("kpi", "AO-1.1/intelligence-meetings", "changed", "target"),
    ("action", "AO-2.1", "changed", "co_leads"),
    ("kpi", "AO-3.1/successful-operations", "removed", None),
    ("activity", "AO-4.1/follow-up-meeting", "added", None),
    ("activity", "AO-5.1/network-launch-preparation", "changed", "calendar"),
    # prose: changed in document order, then added, then removed
    ("paragraph", "ctx-covid-stockpiles", "changed", "text"),
    ("footnote", "fn.ideal-2021-jamaica.1", "changed", "text"),
    ("paragraph", "AO-2.1.summary.1", "changed", "text"),
    ("paragraph", "ctx-cannabis-greenhouses", "added", None),
    ("footnote", "fn.ideal-2021-greenhouses.1", "added", None),
    ("paragraph", "ctx-cocaine-capacity", "removed", None),
]


def _git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True).stdout


def version_2(folder: Path) -> Project:
    project = Project(folder)
    _git(folder, "apply", str(PATCH))
    return project


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The shipped plan (v1) against the fixture's second version (v2), as two folders."""
    root = tmp_path_factory.mktemp("diff")
    old, new = Project(root / "v1"), version_2(root / "v2")
    result = new.pao("diff", str(old.folder), str(new.folder))
    assert result.exit_code == 0, result.output
    for project in (old, new):
        assert project.pao("build", "--format", "docx", "--only", "pao", "--lang", "es", "-q").exit_code == 0
    return old, new, result


def test_the_report_lists_each_edit_and_nothing_else(compared):
    _, new, _ = compared
    report = json.loads(new.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.json").read_text(encoding="utf-8"))
    assert [(c["kind"], c["id"], c["change"], c.get("field")) for c in report["changes"]] == EXPECTED


def test_the_report_gives_old_and_new_values_and_word_diffs(compared):
    _, new, result = compared
    changes = {c["id"]: c for c in json.loads(new.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.json").read_text(encoding="utf-8"))["changes"]}
    assert changes["AO-2.1"]["old"] == ["Panamá"] and changes["AO-2.1"]["new"] == ["Panamá", "Colombia"]
    assert changes["AO-1.1/intelligence-meetings"]["words"] == "Al menos [-2-]{+3+} reuniones"
    assert changes["AO-5.1/network-launch-preparation"] == {
        "kind": "activity", "id": "AO-5.1/network-launch-preparation", "change": "changed", "field": "calendar",
        "old": "S2/2023", "new": "S1/2023 y S2/2023",
    }
    markdown = new.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.md").read_text(encoding="utf-8")
    assert "- **AO-2.1** co_leads: Panamá → Panamá, Colombia" in markdown
    assert "12 change(s)." in markdown
    assert markdown in result.stdout


def test_accepting_every_change_gives_the_new_text_and_rejecting_them_the_old(compared):
    old, new, _ = compared
    redline = new.path(REDLINE).read_bytes()
    old_text = docx_text(old.path(f"build/{PLAN_ID}/es/pao-{PLAN_ID}-es.docx").read_bytes())
    new_text = docx_text(new.path(f"build/{PLAN_ID}/es/pao-{PLAN_ID}-es.docx").read_bytes())
    assert old_text != new_text
    assert docx_text(resolve_all(redline, accept=True)) == new_text
    assert docx_text(resolve_all(redline, accept=False)) == old_text


def test_the_redline_holds_native_tracked_changes_of_every_kind(compared):
    _, new, _ = compared
    data = new.path(REDLINE).read_bytes()
    document = docx.Document(io.BytesIO(data))  # opens in python-docx
    assert len(document.tables) == 7
    body = document.element.body
    insertions, deletions = list(body.iter(f"{W}ins")), list(body.iter(f"{W}del"))
    assert {e.get(f"{W}author") for e in insertions + deletions} == {"pao diff"}
    assert {e.get(f"{W}date") for e in insertions + deletions} == {"2022-06-01T00:00:00Z"}
    inserted_rows = [r for r in body.iter(f"{W}tr") if r.find(f"{W}trPr/{W}ins") is not None]
    assert len(inserted_rows) == 1  # the activity added to AO 4.1
    deleted_paragraphs = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]
    deleted_text = ["".join(t.text for t in p.iter(f"{W}delText")) for p in deleted_paragraphs]
    assert "Actualmente se asiste al mayor nivel histórico mundial de capacidad de fabricación de derivados de coca;" in deleted_text
    words = [("".join(t.text for t in d.iter(f"{W}delText")), "".join(t.text for t in i.iter(f"{W}t"))) for d, i in zip(deletions, deletions)]
    assert any(text == "2" for text, _ in words)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
    assert "capítulo sobre cannabis" in notes and "w:ins" in notes  # the added footnote, inserted


def test_libreoffice_sees_the_tracked_changes(compared, built_pdf, tmp_path):
    from generator.pdf.office import Office

    _, new, _ = compared
    office = Office.find()
    for fmt in ("odt", "pdf"):
        subprocess.run(
            [office.soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", fmt, "--outdir", str(tmp_path), str(new.path(REDLINE))],
            check=True, capture_output=True, timeout=180,
        )
    with zipfile.ZipFile(tmp_path / Path(REDLINE).with_suffix(".odt").name) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert content.count("<text:changed-region") >= 12
    assert "<dc:creator>pao diff</dc:creator>" in content
    assert (tmp_path / Path(REDLINE).with_suffix(".pdf").name).read_bytes()[:5] == b"%PDF-"


def test_git_revisions_can_be_compared_and_the_working_tree_is_the_default(tmp_path):
    project = Project(tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "source", "templates")
    _git(tmp_path, "commit", "-qm", "v1")
    _git(tmp_path, "tag", "v1")
    _git(tmp_path, "apply", str(PATCH))
    working = project.pao("diff", "v1", "--lang", "es")
    assert working.exit_code == 0, working.output
    assert "# Changes to cocaina-2022: v1 → working tree" in working.stdout
    _git(tmp_path, "commit", "-qam", "v2")
    committed = project.pao("diff", "v1", "HEAD")
    assert committed.exit_code == 0, committed.output
    report = json.loads(project.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.json").read_text(encoding="utf-8"))
    assert (report["old"], report["new"]) == ("v1", "HEAD")
    assert len(report["changes"]) == len(EXPECTED)


def test_two_identical_versions_give_an_empty_report(project):
    result = project.pao("diff", "source", "source")
    assert result.exit_code == 0
    assert "No changes." in result.stdout
    report = json.loads(project.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.json").read_text(encoding="utf-8"))
    assert report["changes"] == []


def test_an_unknown_revision_is_reported(project):
    _git(project.folder, "init", "-q")
    result = project.pao("diff", "nope")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nope: ERROR: unknown revision 'nope': give a tag, a commit, a branch or a folder [diff.unknown-revision]" in result.stderr


def test_a_revision_whose_sources_do_not_validate_is_reported_with_its_name(tmp_path):
    project = Project(tmp_path)
    _git(tmp_path, "init", "-q")
    project.edit("source/cocaina-2022/plan.yaml", "lead: AR", "lead: XX")
    _git(tmp_path, "add", "source", "templates")
    _git(tmp_path, "commit", "-qm", "broken")
    _git(tmp_path, "tag", "broken")
    project.edit("source/cocaina-2022/plan.yaml", "lead: XX", "lead: AR")
    result = project.pao("diff", "broken")
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = project.line_of("source/cocaina-2022/plan.yaml", "lead: AR")
    assert f"broken:source/cocaina-2022/plan.yaml:{line}:7: ERROR: lead: 'XX' is not an ISO 3166 country code" in result.stderr


def test_redlines_in_another_language_and_of_fact_sheets(compared):
    old, new, _ = compared
    result = new.pao("diff", str(old.folder), str(new.folder), "--lang", "en", "--sheets", "-q")
    assert result.exit_code == 0, result.output
    english = new.path(f"build/diff/{PLAN_ID}/redline-pao-{PLAN_ID}-en.docx").read_bytes()
    accepted = docx_text(resolve_all(english, accept=True))
    assert "Lead country" in accepted and "At least 3 meetings" in accepted
    sheet = new.path(f"build/diff/{PLAN_ID}/redline-ficha-{PLAN_ID}-AO-2.1-en.docx").read_bytes()
    assert "Panama, Colombia" in docx_text(resolve_all(sheet, accept=True))
    assert "Colombia" not in docx_text(resolve_all(sheet, accept=False)).split("Co-lead")[1].split("\n")[0]
