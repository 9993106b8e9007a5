"""Building: stable names, a manifest, byte-identical output, nothing lost on failure."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.documents.kinds import safe_name
from tests.conftest import PAO, PLAN_ID, ROOT, Project
from tests.docx_reader import body_paragraphs, footnotes, part


def test_the_build_writes_the_pao_under_its_documented_name_and_a_manifest(built_pdf):
    built = built_pdf
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in manifest["outputs"]}
    assert sorted(entries) == [entry["path"] for entry in manifest["outputs"]]  # sorted by path
    # .pao.lock: the folder's lock; .pao-charts: the charts drawn, by the digest of their data; .pao-templates-checked:
    # the template checks that found nothing; .pao-compiled: Jinja's code of the template parts
    kept = ("manifest.json", ".pao.lock", ".pao-templates-checked")
    documents = [p for p in built.rglob("*.*") if p.name not in kept and not {".pao-charts", ".pao-compiled"} & set(p.parts)]
    assert sorted(p.relative_to(built).as_posix() for p in documents) == sorted(entries)
    docx_sha = hashlib.sha256((built / PAO).read_bytes()).hexdigest()
    pdf_path = PAO.removesuffix(".docx") + ".pdf"
    common = {"kind": "pao", "plan": PLAN_ID, "language": "es", "layout": "clasi"}
    inputs = entries[PAO]["inputs"]  # the digest of every input of the build (tests/test_freshness.py)
    assert entries[PAO] == {"path": PAO, **common, "format": "docx", "sha256": docx_sha, "inputs": inputs, "content": entries[PAO]["content"]}
    assert entries[pdf_path] == {
        "path": pdf_path,
        **common,
        "format": "pdf",
        "sha256": hashlib.sha256((built / pdf_path).read_bytes()).hexdigest(),
        "source_sha256": docx_sha,
        "inputs": inputs,
    }
    assert re.fullmatch("[0-9a-f]{64}", inputs) and re.fullmatch("[0-9a-f]{64}", entries[PAO]["content"])
    assert len(entries) == 48  # in es, en and pt: the PAO, 5 fact sheets and 2 progress annexes, each as .docx and PDF


def _build_in_subprocess(folder: Path, **env: str) -> dict[str, bytes]:
    environment = {**os.environ, **env}
    subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "-q", "--format", "docx"],
        cwd=folder,
        env={**environment, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    build = folder / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*.docx"))}


def test_two_builds_give_byte_identical_documents_whatever_the_hash_seed_time_zone_or_locale(tmp_path, built):
    first = _build_in_subprocess(Project(tmp_path / "a").folder, PYTHONHASHSEED="1", TZ="Pacific/Auckland", LC_ALL="C")
    second = _build_in_subprocess(Project(tmp_path / "b").folder, PYTHONHASHSEED="4242", TZ="America/Lima", LC_ALL="C.UTF-8")
    assert len(first) == 24  # in 3 languages: the PAO, 5 fact sheets (with their progress), 2 annexes (with charts)
    assert first == second
    assert first == {p.relative_to(built).as_posix(): p.read_bytes() for p in sorted(built.rglob("*.docx"))}


def test_an_unchanged_document_is_not_rewritten(project):
    assert project.pao("build", "--format", "docx", "-q").exit_code == 0
    target = project.path(f"build/{PAO}")
    os.utime(target, (1_000_000_000, 1_000_000_000))
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 0
    assert f"build/{PAO}  up to date" in result.stdout
    assert result.stdout.endswith("24 up to date, 0 rebuilt\n")
    assert target.stat().st_mtime == 1_000_000_000


def test_a_build_that_fails_while_rendering_leaves_the_previous_outputs_intact(project):
    assert project.pao("build", "--format", "docx", "-q").exit_code == 0
    before = project.build_snapshot()
    project.edit("source/cocaina-2022/plan.yaml", "title: Plan de acción operativo 2022-2024", "title: Plan nuevo")
    broken = project.path("templates/clasi/pao.docx")
    broken.write_bytes(b"not a zip")
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1
    assert "templates/clasi/pao.docx: ERROR: not a Word document (.docx)" in result.stderr
    assert "Traceback" not in result.output
    assert project.build_snapshot() == before
    assert not list(project.path("build").rglob("*.tmp"))


@pytest.mark.parametrize(
    "tag, message, code",
    [
        (
            "{{ plan.titel }}",
            "the template uses '{{ plan.titel }}', but 'titel' does not exist (available: budget, co_leads, date, languages, "
            "lead, lead_label, origin, participants, partner_organisations, recipients, reference, subject, title)",
            "template.undefined",
        ),
        ("{{ plan.title ", "'{{ plan.title' is not closed: end it with '}}'", "template.syntax"),
    ],
)
def test_a_template_mistake_is_reported_with_the_template_name(project, tag, message, code):
    _replace_in_template(project.path("templates/clasi/pao.docx"), "{{ plan.title }}", tag)
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1
    error, closing = result.stderr.strip().split("\n")[-2:]
    assert closing == "1 error"
    assert error.startswith(f"templates/clasi/pao.docx:paragraph 1: ERROR: {message}")
    assert error.endswith(f"[{code}]")
    assert "Traceback" not in result.output


def test_a_template_without_the_styles_prose_needs_is_reported(project):
    _replace_in_template(project.path("templates/clasi/pao.docx"), 'w:val="Footnote Text"', 'w:val="Nota al pie"', part_name="word/styles.xml")
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1
    assert "templates/clasi/pao.docx: ERROR: the template lacks the style(s) 'Footnote Text'" in result.stderr


def _replace_in_template(path: Path, old: str, new: str, part_name: str = "word/document.xml") -> None:
    import io
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts[part_name].decode("utf-8")
    assert old in xml
    parts[part_name] = xml.replace(old, new, 1).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


SACRED = "R&D <Plan> \"comillas\" ‘simples’ — ñandú Ñ ü 日本語 Ελληνικά العربية 🚀👩🏽‍💻 &amp; {{ x }} {% y %} Donaudampfschifffahrtsgesellschaftskapitän" + "x" * 300


def test_text_is_sacred_in_every_kind_of_field(project):
    plan = "source/cocaina-2022/plan.yaml"
    project.edit(plan, "title: Plan de acción operativo 2022-2024", f"title: '{SACRED}'")
    project.edit(plan, "recipients: Países miembros de CLASI y EL PAcCTO", f"recipients: '{SACRED}'")
    project.edit(plan, "text: Número de reuniones de intercambio de inteligencia criminal.", f"text: '{SACRED}'")
    project.edit(plan, "counted: reuniones}", f"counted: '{SACRED}'}}")
    project.edit(plan, "text: Contribuciones al IDEAL 2.0", f"text: '{SACRED}'")
    project.edit("source/cocaina-2022/context.md", "El tráfico de cocaína es una de las principales", f"{SACRED} El tráfico de cocaína es una de las principales")
    project.edit("source/cocaina-2022/context.md", "[^ideal-2021-networks]: IDEAL, 2021.", f"[^ideal-2021-networks]: {SACRED}")
    result = project.pao("build", "--format", "docx", "-q")
    assert result.exit_code == 0, result.output
    data = project.path(f"build/{PAO}").read_bytes()
    paragraphs = body_paragraphs(data)
    assert paragraphs[0] == SACRED  # the title
    assert SACRED in paragraphs  # recipients cell
    assert f"a) {SACRED}" in paragraphs
    assert f"a.1) Objetivo. Al menos 2 {SACRED}." in paragraphs
    assert f"4. {SACRED}" in paragraphs
    assert f"{SACRED} El tráfico de cocaína es una de las principales actividades criminales relacionada con esta prioridad." in paragraphs
    assert footnotes(data)[8] == SACRED
    core = part(data, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == SACRED


def test_a_build_folder_that_cannot_be_written_is_reported_without_a_traceback(project):
    blocker = project.path("build")
    blocker.write_text("a file where the build folder should be", encoding="utf-8")
    result = project.pao("build", "--format", "docx", "--only", "pao")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot write build" in result.stderr


def _second_plan(project: Project, first: str, second: str) -> None:
    shutil.move(project.plan, project.path(f"source/{first}"))
    shutil.copytree(project.path(f"source/{first}"), project.path(f"source/{second}"))


@pytest.mark.parametrize(
    "first, second, folder, case",
    [
        ("x y", "x_y", "x_y", ""),
        ("Plan-2022", "plan-2022", "plan-2022", " (Windows and macOS do not tell upper from lower case)"),
    ],
)
def test_two_plan_folders_that_would_share_build_files_are_an_error_before_anything_is_written(project, first, second, folder, case):
    _second_plan(project, first, second)
    error = (
        f"source/{second}: ERROR: the plan folders '{first}' (source/{first}) and '{second}' would both be built into "
        f"the build folder's {folder}/{case}: rename one of them [build.same-file-name]"
    )
    for command in (["build", "--format", "docx", "--plan", first], ["validate"]):
        result = project.pao(*command)
        assert (result.exit_code, result.stderr) == (1, f"{error}\n1 error\n"), command
    assert not project.path("build").exists()


def test_plan_folders_that_differ_by_a_leading_dot_or_after_80_characters_are_built_apart(project):
    long = "plan-" + "a" * 80
    _second_plan(project, ".hidden", "hidden")
    shutil.copytree(project.path("source/hidden"), project.path(f"source/{long}1"))
    shutil.copytree(project.path("source/hidden"), project.path(f"source/{long}2"))
    result = project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "pao")
    assert result.exit_code == 0, result.output
    built = sorted(p.relative_to(project.path("build")).as_posix().split("/")[0] for p in project.path("build").rglob("*.docx"))
    assert built == sorted(["_hidden", "hidden", safe_name(f"{long}1"), safe_name(f"{long}2")])
    assert len(set(built)) == 4


def _two_actions(project: Project, renamed: str, added: str) -> None:
    """AO-5.1 renamed everywhere (plan, progress, catalogs), and a copy of it added as the plan's last action
    (with a reference of its own: two actions may not print the same)."""
    for path in [project.plan / "plan.yaml", *project.plan.glob("progress/*.yaml"), *project.plan.glob("locale/*.po")]:
        path.write_text(path.read_text(encoding="utf-8").replace("AO-5.1", renamed), encoding="utf-8")
    plan = project.plan / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    block = text[text.index(f"  - id: {renamed}\n"):]
    assert block.count("  - id: AO-") == 1  # the last action
    copy = block.replace(f"id: {renamed}", f"id: {added}", 1).replace("reference: AO 5.1", "reference: AO 5.1 bis", 1)
    plan.write_text(text.rstrip("\n") + "\n\n" + copy, encoding="utf-8")


def test_two_actions_whose_ids_give_one_file_name_are_a_located_error_before_anything_is_written(project):
    _two_actions(project, "AO-5.1.", "AO-5.1_")
    plan = f"source/{PLAN_ID}/plan.yaml"
    renamed, added = project.line_of(plan, "- id: AO-5.1."), project.line_of(plan, "- id: AO-5.1_")
    error = (
        f"{plan}:{added}:9: ERROR: operational actions 'AO-5.1_' and 'AO-5.1.' ({plan}:{renamed}:9) would both be built as "
        f"ficha-{PLAN_ID}-AO-5.1_-es.docx: change one of the ids [build.same-file-name]"
    )
    result = project.pao("build", "--format", "docx", "--lang", "en", "--only", "pao")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{error}\n")  # once, though both ids are in every language, then any warnings
    assert result.stderr.count("build.same-file-name") == 1
    assert not project.path("build").exists()


def test_an_id_with_a_final_dot_gets_a_file_of_its_own(project):
    _two_actions(project, "AO-5.1", "AO-5.1.")
    result = project.pao("build", "-q", "--format", "docx", "--lang", "es", "--only", "AO-5.1", "--only", "AO-5.1.")
    assert result.exit_code == 0, result.output
    manifest = json.loads(project.path("build/manifest.json").read_text(encoding="utf-8"))["outputs"]
    sheet = f"{PLAN_ID}/es/ficha-{PLAN_ID}-{{}}-es.docx"
    assert [(entry["path"], entry["action"]) for entry in manifest] == [(sheet.format("AO-5.1"), "AO-5.1"), (sheet.format("AO-5.1_"), "AO-5.1.")]
    assert all(project.path(f"build/{entry['path']}").is_file() for entry in manifest)


def test_a_mistyped_only_in_a_plan_of_many_actions_names_a_few_close_ones_not_all(tmp_path):
    from tests.synthetic import synthetic_project

    project = synthetic_project(tmp_path, 200)
    result = project.pao("build", "--format", "docx", "--only", "AO-3.41")
    assert result.exit_code == 2
    message = result.output.replace("\n", " ")
    assert "--only AO-3.41: not a kind of document (pao, sheet, annex), an operational action (AO-3.4, AO-3.1, " in " ".join(message.split())
    assert "… and 190 more)" in message
    assert len(message) < 700


def test_the_build_tells_its_progress_document_by_document(project):
    from generator import pipeline

    told: dict[str, list[int]] = {}

    def progress(label: str, total: int):
        told[label] = [total, 0]

        def advance(item: object) -> None:
            told[label][1] += 1

        return advance

    selection = pipeline.Selection(languages=("es",), formats=("docx",))
    root = project.folder
    pipeline.build(root / "source", root / "templates", root / "build", selection, progress=progress, jobs=2)
    assert told == {"Word": [8, 8]}
