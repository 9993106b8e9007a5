"""Versions of the sources to compare: a git revision, a folder, or the working tree."""
from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .. import pipeline
from ..diagnostics import Diagnostic, Location, SourceError, fail
from ..model.plan import Sources
from ..project import Project


class Version:
    """One version's sources (and templates), unpacked where ``load`` can read them."""

    def __init__(self, spec: str | None, workdir: Path, project: Project) -> None:
        self.spec = spec or "working tree"
        self.folder: Path
        self.templates: Path  # a folder without templates is rendered with the project's
        if spec is None:
            self.folder, self.templates = project.source, project.templates
        elif Path(spec).is_dir():
            folder = Path(spec)
            self.folder = folder / "source" if (folder / "source").is_dir() else folder
            templates = self.folder.parent / "templates"
            self.templates = templates if templates.is_dir() else project.templates
        else:
            self.folder, self.templates = _checkout(spec, workdir, project)

    def load(self) -> Sources:
        """The version's sources, checked; its errors name the version (its warnings belong to its own build)."""
        try:
            return pipeline.load(self.folder)
        except SourceError as error:
            raise SourceError([self._named(d) for d in error.diagnostics if d.severity == "ERROR"]) from None

    def _named(self, diagnostic: Diagnostic) -> Diagnostic:
        file = diagnostic.location.file
        root = str(self.folder.parent.resolve())
        if file.startswith(root):
            file = file[len(root) + 1 :]
        location = dataclasses.replace(diagnostic.location, file=f"{self.spec}:{file}")
        return Diagnostic(diagnostic.severity, location, diagnostic.message, diagnostic.code)


def _checkout(revision: str, workdir: Path, project: Project) -> tuple[Path, Path]:
    """The project's source and templates folders as a git revision has them, extracted into ``workdir``."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], capture_output=True, text=True, check=False, cwd=project.root
        )
    except FileNotFoundError:
        raise fail(Location(revision), "git is not installed: compare two source folders instead", "diff.no-git") from None
    if commit.returncode != 0:
        raise fail(Location(revision), f"unknown revision '{revision}': give a tag, a commit, a branch or a folder", "diff.unknown-revision")
    target = Path(tempfile.mkdtemp(prefix="rev-", dir=workdir))
    # paths relative to the project's root, where git runs: the same folders whatever the working folder
    source, templates = (os.path.relpath(folder, project.root) for folder in (project.source, project.templates))
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit.stdout.strip(), source, templates], capture_output=True, check=False, cwd=project.root
    )
    if archive.returncode != 0:
        raise fail(Location(revision), f"revision '{revision}' has no source/ folder: {archive.stderr.decode(errors='replace').strip()}", "diff.no-source")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        try:
            tar.extractall(target, filter="data")  # refuses links that lead out of the extracted folders
        except tarfile.FilterError as exc:
            member = exc.tarinfo.name
            raise fail(
                Location(f"{revision}:{member}"),
                f"revision '{revision}' holds a link that leads outside the project ({exc}): source files must be regular files inside it",
                "source.outside",
            ) from None
    return target / source, target / templates
