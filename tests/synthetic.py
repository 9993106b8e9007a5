"""A plan of any size, made from the shipped one, for the benchmark: each operational action copied under new ids.

``synthetic_project(folder, 200)`` gives a project whose plan has 200 actions,
40 under each strategic objective (AO-1.1 … AO-1.40, …), each copy with its own
reference and footnote labels; one language (the copies have no translation).
"""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import PLAN_ID, Project


def synthetic_project(folder: Path, actions: int) -> Project:
    project = Project(folder)
    plan = project.path(f"source/{PLAN_ID}/plan.yaml")
    text = plan.read_text(encoding="utf-8")
    head, _, body = text.partition("\nactions:\n")
    blocks = re.split(r"(?m)^(?=  - id: AO-)", body)
    preamble, originals = blocks[0], blocks[1:]
    copies: list[str] = []
    for number in range(1, -(-actions // len(originals)) + 1):
        for block in originals:
            if len(copies) < actions:
                copies.append(block if number == 1 else _copy(block, number))
    head = re.sub(r"(?m)^translations:.*\n", "", head)
    plan.write_text(head + "\nactions:\n" + preamble + "".join(copies), encoding="utf-8")
    for catalog in project.path(f"source/{PLAN_ID}/locale").glob("*.po"):
        catalog.unlink()
    return project


def _copy(block: str, number: int) -> str:
    block = re.sub(r"(id: AO-\d+)\.1\b", rf"\1.{number}", block, count=1)
    block = re.sub(r"(reference: AO \d+)\.1\b", rf"\1.{number}", block, count=1)
    return re.sub(r"\[\^([^\]]+)\]", rf"[^\1-{number}]", block)
