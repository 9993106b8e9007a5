"""Golden text renderings of the reference plan's documents (``make golden`` refreshes them).

A change to the sources, templates or generator that changes a document shows
up as a diff of these files in review.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.conftest import Project

GOLDEN = Path(__file__).parent / "golden"
SHA256 = "sha256.json"  # of every .docx of the reference build: reproducible on every machine
SECOND_LAYOUT = "el-paccto"
SHA256_SECOND_LAYOUT = f"sha256-{SECOND_LAYOUT}.json"  # the same, made in the second layout (pao build --layout)


def renderings(build: Path) -> dict[str, str]:
    """Golden file name → canonical text, for every .docx of a build folder."""
    from generator.ooxml.reader import docx_text

    return {
        docx.name.removesuffix(".docx") + ".txt": docx_text(docx.read_bytes())
        for docx in sorted(build.rglob("*.docx"))
    }


def digests(build: Path, layout: str = "clasi") -> dict[str, str]:
    """Path → sha256 of every .docx made in ``layout``, as the manifest records them."""
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    return {e["path"]: e["sha256"] for e in manifest["outputs"] if e["format"] == "docx" and e.get("layout") == layout}


def refresh() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        result = project.pao("build", "--format", "docx", "-q")
        if result.exit_code:
            sys.exit(result.output)
        GOLDEN.mkdir(exist_ok=True)
        for name, text in renderings(project.folder / "build").items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
            print(f"tests/golden/{name}")
        (GOLDEN / SHA256).write_text(json.dumps(digests(project.folder / "build"), indent=2) + "\n", encoding="utf-8")
        print(f"tests/golden/{SHA256}")
        result = project.pao("build", "--format", "docx", "-q", "--layout", SECOND_LAYOUT)
        if result.exit_code:
            sys.exit(result.output)
        second = digests(project.folder / "build", SECOND_LAYOUT)
        (GOLDEN / SHA256_SECOND_LAYOUT).write_text(json.dumps(second, indent=2) + "\n", encoding="utf-8")
        print(f"tests/golden/{SHA256_SECOND_LAYOUT}")


if __name__ == "__main__":
    refresh()
