"""One project, found from anywhere inside it: build, validate and diff agree on its folders."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import PAO, PLAN_ID, Project, _chdir


def _pao_in(project: Project, folder: Path, *args: str):
    from click.testing import CliRunner

    from generator.cli import main

    with _chdir(folder):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_commands_run_from_a_subfolder_find_the_project(project):
    deep = project.path("source/cocaina-2022/progress")
    validated = _pao_in(project, deep, "validate")
    assert validated.exit_code == 0, validated.output
    assert "1 plan(s), 5 operational action(s): no errors" in validated.stdout
    built = _pao_in(project, deep, "build", "--only", "pao", "--lang", "es", "--format", "docx")
    assert built.exit_code == 0, built.output
    assert project.path(f"build/{PAO}").is_file()
    assert not (deep / "build").exists()
    status = _pao_in(project, deep, "translations", "status")
    assert status.exit_code == 0 and f"{PLAN_ID:<20} en" in status.stdout


def test_a_mistake_found_from_a_subfolder_is_located_in_its_file(project):
    project.edit("source/cocaina-2022/plan.yaml", "reference: AO 1.1", "referense: AO 1.1")
    result = _pao_in(project, project.path("templates"), "validate")
    assert result.exit_code == 1
    assert "cocaina-2022/plan.yaml:" in result.stderr and "unknown key (did you mean 'reference'?)" in result.stderr


def test_pao_toml_moves_the_folders_and_sets_what_build_makes(project):
    project.path("source").rename(project.path("plans"))
    project.path("templates").rename(project.path("layout"))
    project.path("pao.toml").write_text(
        '[paths]\nsource = "plans"\ntemplates = "layout"\nbuild = "out/docs"\n\n[build]\nlanguages = ["pt"]\nformats = ["docx"]\n',
        encoding="utf-8",
    )
    result = _pao_in(project, project.path("plans"), "build", "--only", "pao", "-q")
    assert result.exit_code == 0, result.output
    manifest = json.loads(project.path("out/docs/manifest.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in manifest["outputs"]] == [f"{PLAN_ID}/pt/pao-{PLAN_ID}-pt.docx"]
    assert _pao_in(project, project.folder, "validate").exit_code == 0


def test_a_mistake_in_pao_toml_stops_every_command_with_its_place(project):
    project.path("pao.toml").write_text('[paths]\nsorce = "plans"\n', encoding="utf-8")
    for args in (("validate",), ("build", "--format", "docx"), ("translations", "status")):
        result = project.pao(*args)
        assert result.exit_code == 1, args
        assert "pao.toml:2:1: ERROR: " in result.stderr and "did you mean 'source'" in result.stderr
        assert "Traceback" not in result.output
    assert not project.path("build").exists()


def test_outside_any_project_the_command_says_so(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    with _chdir(tmp_path):
        result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "not in a pao project: no pao.toml and no source/ folder here or in any folder above; run pao inside the project's folder, or create a pao.toml at its root [project.not-found]" in result.stderr


def test_diff_from_a_subfolder_compares_the_projects_own_folders_at_a_revision(project):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *command], cwd=project.folder, env=env, check=True, capture_output=True)
    project.edit("source/cocaina-2022/plan.yaml", "reference: AO 1.1", "reference: AO 1.1 bis")
    result = _pao_in(project, project.path("source/cocaina-2022"), "diff", "HEAD")
    assert result.exit_code == 0, result.output
    report = json.loads(project.path(f"build/diff/{PLAN_ID}/changes-{PLAN_ID}.json").read_text(encoding="utf-8"))
    assert [(c["id"], c["field"], c["old"], c["new"]) for c in report["changes"]] == [("AO-1.1", "reference", "AO 1.1", "AO 1.1 bis")]


def test_errors_come_first_and_the_run_ends_with_a_count(project):
    project.edit("source/cocaina-2022/plan.yaml", "suppress_warnings: [consistency.title-period]", "suppress_warnings: []")
    catalog = project.path("source/cocaina-2022/locale/pt.po")
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('msgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""\nbroken line', 1), encoding="utf-8")
    result = project.pao("validate")
    lines = result.stderr.strip().split("\n")
    assert result.exit_code == 1
    assert lines[0] == "source/cocaina-2022/locale/pt.po:5:1: ERROR: PO syntax error: not a keyword with a quoted string: broken line [i18n.syntax]"
    assert "WARNING" in lines[1] and "[consistency.title-period]" in lines[1]
    assert lines[2:] == ["1 error, 1 warning"]


def test_a_run_with_warnings_only_ends_with_their_count(project):
    project.edit("source/cocaina-2022/plan.yaml", "suppress_warnings: [consistency.title-period]", "suppress_warnings: []")
    result = project.pao("build", "--only", "pao", "--lang", "es", "--format", "docx", "-q")
    assert result.exit_code == 0
    lines = result.stderr.strip().split("\n")
    assert "[consistency.title-period]" in lines[0] and lines[-1] == "1 warning"


def test_diff_refuses_a_revision_whose_sources_link_outside_the_project(project):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    plan = project.path("source/cocaina-2022/plan.yaml")
    plan.unlink()
    plan.symlink_to("/etc/hostname")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *command], cwd=project.folder, env=env, check=True, capture_output=True)
    result = project.pao("diff", "HEAD", str(project.folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("HEAD:source/cocaina-2022/plan.yaml: ERROR: revision 'HEAD' holds a link that leads outside the project")
    assert "[source.outside]" in result.stderr
