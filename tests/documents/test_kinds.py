"""Document kinds are records: a new kind plugs into the build without editing the pipeline."""
from __future__ import annotations

import dataclasses
import json

from generator.documents import kinds
from tests.conftest import PLAN_ID


def test_a_new_kind_of_document_is_one_more_record(project, monkeypatch):
    pao = kinds.kind("pao")
    cover = dataclasses.replace(pao, name="cover", prefix="portada")
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, cover))
    result = project.pao("build", "--only", "cover", "--lang", "es", "--format", "docx")
    assert result.exit_code == 0, result.output
    path = f"{PLAN_ID}/es/portada-{PLAN_ID}-es.docx"
    manifest = json.loads(project.path("build/manifest.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["kind"]) for e in manifest["outputs"]] == [(path, "cover")]
    assert project.path(f"build/{path}").read_bytes() == _built_pao(project)


def _built_pao(project) -> bytes:
    """The PAO itself, built by its own kind: the new record reused its template and context."""
    assert project.pao("build", "--only", "pao", "--lang", "es", "--format", "docx", "-q").exit_code == 0
    return project.path(f"build/{PLAN_ID}/es/pao-{PLAN_ID}-es.docx").read_bytes()


def test_every_kind_names_its_template_and_what_it_reads():
    assert [k.name for k in kinds.KINDS] == ["pao", "sheet", "annex"]
    assert [k.template for k in kinds.KINDS] == ["pao.docx", "ficha.docx", "anexo.docx"]
    assert all("plan" in k.reads for k in kinds.KINDS)
    assert [k.name for k in kinds.KINDS if "progress" in k.reads] == ["sheet", "annex"]
