"""The package's layering, checked as code: each part imports only what lies below it,
and only the ooxml layer touches WordprocessingML."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"

# what each part of generator/ may import from the others (its own modules always);
# the same rule opens each subpackage's docstring
ALLOWED = {
    "diagnostics": set(),
    "files": set(),
    "settings": {"diagnostics"},
    "project": {"diagnostics", "settings"},
    "selection": set(),
    "freshness": {"diagnostics", "files", "output", "selection"},
    "model": {"diagnostics"},
    "sources": {"diagnostics", "files", "model"},
    "translation": {"diagnostics", "files", "model", "sources"},
    "ooxml": {"diagnostics", "model.prose"},
    "pdf": {"diagnostics", "files"},
    "output": {"files"},
    "documents": {"diagnostics", "files", "model", "translation", "ooxml"},
    "processes": {"documents"},
    "pipeline": {
        "diagnostics", "files", "project", "model", "sources", "translation", "ooxml", "pdf", "output", "documents", "freshness", "selection",
        "processes",
    },
    "review": {"diagnostics", "files", "project", "model", "sources", "translation", "ooxml", "documents", "pipeline"},
    "html": {"diagnostics", "model", "translation", "documents", "review"},
    "server": {"diagnostics", "project", "model", "translation", "documents", "output", "pipeline", "review", "html"},
    "forms": {"diagnostics", "files", "model", "sources", "translation", "documents", "pipeline"},
    "cli": {
        "diagnostics", "files", "project", "model", "sources", "translation", "ooxml", "pdf", "output", "documents", "pipeline", "review",
        "forms", "freshness", "selection", "html", "server", "processes",
    },
}
# libraries that read or write .docx internals: the ooxml layer's alone
WORD_LIBRARIES = ("lxml", "docx", "docxtpl")
WORD_MARKUP = re.compile(r"<w:[A-Za-z]|schemas\.openxmlformats\.org/wordprocessingml|\"w:[a-z][A-Za-z]*\"")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name inside generator) of every import of pao's own modules, lazy ones included."""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base[1:] + ([node.module] if node.module else []))
                names = [target] if node.module else [f"{target}.{a.name}".strip(".") for a in node.names]
            elif node.module and node.module.split(".")[0] == "generator":
                names = [node.module.removeprefix("generator").strip(".")]
            else:
                continue
            found += [(node.lineno, name) for name in names if name and name != "__init__"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name.removeprefix("generator.")) for a in node.names if a.name.startswith("generator.")]
    return found


def _allowed(part: str, target: str) -> bool:
    if target == "" or target.split(".")[0] in ("", "__init__") or target == "__version__":
        return True  # the package itself: its version
    return target.split(".")[0] == part or any(target == a or target.startswith(a + ".") for a in ALLOWED[part])


def test_every_part_of_the_package_is_named_in_the_layering():
    assert {_part(p) for p in _modules() if p.name != "__init__.py" or p.parent != PACKAGE} <= set(ALLOWED) | {"__main__"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_what_lies_below_it(path):
    part = _part(path)
    if part in ("__init__", "__main__"):
        return
    upward = [f"{path.relative_to(ROOT)}:{line}: imports {target}" for line, target in _imports(path) if not _allowed(part, target)]
    assert not upward, f"{part} may import only {sorted(ALLOWED[part])}:\n" + "\n".join(upward)


@pytest.mark.parametrize("path", [p for p in _modules() if _part(p) != "ooxml"], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_ooxml_layer_touches_wordprocessingml(path):
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        imported = re.match(r"\s*(?:from|import)\s+([\w.]+)", line)
        if imported and imported[1].split(".")[0] in WORD_LIBRARIES:
            problems.append(f"{path.relative_to(ROOT)}:{number}: imports {imported[1]}")
        if WORD_MARKUP.search(line):
            problems.append(f"{path.relative_to(ROOT)}:{number}: WordprocessingML: {line.strip()[:80]}")
    assert not problems, "\n".join(problems)


def test_each_subpackage_opens_by_saying_what_it_owns():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring.split()) >= 15, f"{init.relative_to(ROOT)} has no docstring saying what it owns"


def test_the_core_works_without_the_command_line():
    for path in _modules():
        if _part(path) != "cli":
            assert "import click" not in path.read_text(encoding="utf-8"), f"{path.relative_to(ROOT)} imports click"
