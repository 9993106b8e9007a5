"""The project found from anywhere inside it, and every mistake in pao.toml located."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SourceError
from generator.project import Project, find_project


def _project(root: Path, config: str | None = None, *folders: str) -> Path:
    (root / "source").mkdir(parents=True)
    for folder in folders:
        (root / folder).mkdir(parents=True)
    if config is not None:
        (root / "pao.toml").write_text(config, encoding="utf-8")
    return root


def _errors(root: Path, config: str, monkeypatch) -> list[str]:
    _project(root, config)
    monkeypatch.chdir(root)
    with pytest.raises(SourceError) as refused:
        find_project(root)
    return str(refused.value).split("\n")


def test_without_pao_toml_the_folder_holding_source_is_the_project_with_the_usual_folders(tmp_path):
    root = _project(tmp_path / "plans")
    assert find_project(root) == Project(
        root=root,
        source=root / "source",
        templates=root / "templates",
        build=root / "build",
        languages=(),
        formats=("docx", "pdf"),
        layout=None,
    )


def test_the_project_is_found_from_a_folder_nested_inside_it(tmp_path, monkeypatch):
    root = _project(tmp_path / "plans", None, "source/cocaina-2022/progress")
    monkeypatch.chdir(root / "source" / "cocaina-2022" / "progress")
    assert find_project(Path(".")).root == root
    assert find_project(Path(".")).source == root / "source"


def test_pao_toml_says_where_the_folders_are_and_what_a_build_makes(tmp_path):
    root = _project(tmp_path, '[paths]\nsource = "plans"\ntemplates = "layout/clasi"\nbuild = "out"\n'
                    '[build]\nlanguages = ["es", "en"]\nformats = ["pdf"]\nlayout = "clasi"\n', "plans/a/b")
    project = find_project(root / "plans" / "a" / "b")
    assert project == Project(root, root / "plans", root / "layout" / "clasi", root / "out", ("es", "en"), ("pdf",), "clasi")


def test_the_nearest_folder_with_pao_toml_or_source_is_the_root(tmp_path):
    outer = _project(tmp_path, "", "examples/demo/source", "examples/demo/notes")
    assert find_project(outer / "examples" / "demo" / "notes").root == outer / "examples" / "demo"
    assert find_project(outer / "examples").root == outer


def test_outside_any_project_the_message_says_what_was_looked_for(tmp_path, monkeypatch):
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "empty")
    with pytest.raises(SourceError) as refused:
        find_project(Path("deeper"))
    assert str(refused.value) == (
        "deeper: ERROR: not in a pao project: no pao.toml and no source/ folder here or in any folder above; run pao inside the project's folder, or create a pao.toml at its root [project.not-found]"
    )


def test_a_toml_syntax_error_is_located(tmp_path, monkeypatch):
    assert _errors(tmp_path, '[paths]\nsource = "plans" "again"\n', monkeypatch) == [
        "pao.toml:2:18: ERROR: not valid TOML: Expected newline or end of document after a statement [project.syntax]"
    ]


def test_unknown_keys_and_tables_are_located_with_the_key_meant(tmp_path, monkeypatch):
    config = '# where things are\n[paths]\n  sorce = "plans"\n\n[buidl]\nformats = ["docx"]\n[build]\nlang = ["es"]\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        "pao.toml:3:3: ERROR: paths.sorce: unknown key (did you mean 'source'?) [project.unknown-key]",
        "pao.toml:5:2: ERROR: buidl: unknown table (did you mean 'build'?) [project.unknown-key]",
        "pao.toml:8:1: ERROR: build.lang: unknown key (did you mean 'languages'?) [project.unknown-key]",
    ]


def test_wrong_types_are_located_at_the_value(tmp_path, monkeypatch):
    config = 'paths = "source"\n[build]\nlanguages = "es"\nformats = ["odt", "pdf"]\nlayout = 3\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        "pao.toml:1:9: ERROR: paths: must be a table: [paths], then its keys on the lines below [project.type]",
        'pao.toml:3:13: ERROR: build.languages: must be a list, like ["es", "en"] [project.type]',
        "pao.toml:4:11: ERROR: build.formats: must be 'docx' or 'pdf', not 'odt' [project.value]",
        "pao.toml:5:10: ERROR: build.layout: must be text, in quotes [project.type]",
    ]


def test_keys_written_dotted_or_inline_are_located_too(tmp_path, monkeypatch):
    config = 'paths = { source = 1, bild = "b" }\nbuild.languages = ["es", "e s"]\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        "pao.toml:1:20: ERROR: paths.source: must be text, in quotes [project.type]",
        "pao.toml:1:23: ERROR: paths.bild: unknown key (did you mean 'build'?) [project.unknown-key]",
        "pao.toml:2:19: ERROR: build.languages: 'e s' is not a language code (e.g. es, en, pt, fr) [project.value]",
    ]


def test_a_folder_outside_the_project_is_refused(tmp_path, monkeypatch):
    config = '[paths]\nbuild = "../elsewhere"\nsource = "plans/../../x"\ntemplates = "/srv/templates"\n'
    outside = "is outside the project folder: name a folder inside it [project.outside]"
    assert _errors(tmp_path, config, monkeypatch) == [
        f"pao.toml:2:9: ERROR: paths.build: '../elsewhere' {outside}",
        f"pao.toml:3:10: ERROR: paths.source: 'plans/../../x' {outside}",
        "pao.toml:4:13: ERROR: paths.templates: '/srv/templates' must be written relative to the project folder "
        "[project.outside]",
    ]


def test_a_windows_path_outside_the_project_is_refused_on_any_system(tmp_path, monkeypatch):
    config = '[paths]\nbuild = "C:\\\\Users\\\\me\\\\build"\nsource = "..\\\\plans"\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        "pao.toml:2:9: ERROR: paths.build: 'C:\\Users\\me\\build' must be written relative to the project folder "
        "[project.outside]",
        "pao.toml:3:10: ERROR: paths.source: '..\\plans' is outside the project folder: name a folder inside it "
        "[project.outside]",
    ]


def test_empty_lists_and_folders_are_refused(tmp_path, monkeypatch):
    config = '[paths]\nsource = ""\n[build]\nlanguages = []\nformats = []\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        "pao.toml:2:10: ERROR: paths.source: must name a folder [project.value]",
        "pao.toml:4:13: ERROR: build.languages: must not be empty [project.value]",
        "pao.toml:5:11: ERROR: build.formats: must not be empty [project.value]",
    ]


def test_a_pao_toml_that_is_not_utf8_is_located(tmp_path, monkeypatch):
    _project(tmp_path)
    (tmp_path / "pao.toml").write_bytes(b'[paths]\nsource = "pl\xe1ns"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError) as refused:
        find_project(tmp_path)
    assert str(refused.value) == "pao.toml:2:13: ERROR: is not UTF-8 text (save it as UTF-8) [project.encoding]"


def test_a_key_inside_a_multiline_string_is_not_taken_for_a_key(tmp_path, monkeypatch):
    config = '[build]\nlayout = """\nformats = 1\n"""\nformats = 2\n'
    assert _errors(tmp_path, config, monkeypatch) == [
        'pao.toml:5:11: ERROR: build.formats: must be a list, like ["docx", "pdf"] [project.type]',
    ]
