"""The project: the folder pao works in, found from anywhere inside it, and its optional ``pao.toml``.

The project's root is the nearest folder, from where pao runs upwards (as git
finds ``.git``), that holds a ``pao.toml``, or else a ``source/`` folder.
``pao.toml`` may say where the plans, the Word templates and the documents
are, and what ``pao build`` makes when not told::

    [paths]
    source = "source"        # folder of the plans
    templates = "templates"  # folder of the layouts (one folder of Word templates each)
    build = "build"          # folder the documents go to
    [build]
    languages = ["es", "en"] # default: every language of each plan
    formats = ["docx", "pdf"]

Every mistake in it is reported as ``pao.toml:line:col: ERROR: message``.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .diagnostics import Location, display_path, fail

CONFIG = "pao.toml"
PLANS = "source"  # the folder that marks a project without pao.toml
NOT_FOUND = "project.not-found"  # the code of the error outside any project
DEFAULT_FORMATS = ("docx", "pdf")


@dataclasses.dataclass(frozen=True)
class Project:
    root: Path
    source: Path  # the plans
    templates: Path
    build: Path
    languages: tuple[str, ...]  # empty: every language of each plan
    formats: tuple[str, ...]
    layout: str | None


def find_project(start: Path) -> Project:
    """The project ``start`` is in: its root, from ``start`` upwards, and its ``pao.toml`` read and checked."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG).is_file():
            return _configured(folder)
        if (folder / PLANS).is_dir():
            return Project(folder, folder / PLANS, folder / "templates", folder / "build", (), DEFAULT_FORMATS, None)  # pao.toml's defaults
    raise fail(
        Location(display_path(start)),
        f"not in a pao project: no {CONFIG} and no {PLANS}/ folder here or in any folder above; "
        f"run pao inside the project's folder, or create a {CONFIG} at its root",
        NOT_FOUND,
    )


def _configured(root: Path) -> Project:
    from .settings import read_settings

    settings = read_settings(root / CONFIG)

    def folder(relative: str) -> Path:
        return Path(os.path.normpath(root / relative))

    return Project(
        root=root,
        source=folder(settings.paths.source),
        templates=folder(settings.paths.templates),
        build=folder(settings.paths.build),
        languages=tuple(settings.build.languages or ()),
        formats=tuple(settings.build.formats),
        layout=settings.build.layout,
    )


