"""The kinds of document pao makes, one record each: a new kind is one more record in ``KINDS``.

A kind says which template of the layout it fills, what each of its documents
is about (the plan itself, one operational action, one progress report), what
``--only`` and the manifest call that, where the file goes, what the template
receives, the document's properties and date, and which sources it reads.
A front end (the Word build, a preview) walks ``documents(edition)`` and
never names a kind.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..model.plan import DEFAULT_LAYOUT, Action, Plan, Report
from ..model.prose import ProseWriter
from ..ooxml.package import Properties
from . import annex, pao, sheet
from .charts import Chart
from .edition import Edition

Subject = Action | Report | None  # what one document is about: the plan as a whole, an action, a report


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str  # what --only and the manifest call the kind: pao | sheet | annex
    template: str  # file name of its template in the layout folder
    prefix: str  # its files' names start with it
    subjects: Callable[[Plan], Sequence[Subject]]
    context: Callable[[Edition, Any, ProseWriter], dict]  # the variables its template receives
    properties: Callable[[Edition, Any], Properties]
    date: Callable[[Plan, Any], datetime.date]  # the sources' date, stamped into its PDF
    about: str | None = None  # the manifest key naming the subject: action | period
    reads: tuple[str, ...] = ("plan", "catalogs")  # the sources it depends on
    charts: Callable[[Edition, Any], Sequence[Chart]] = lambda edition, subject: ()  # those its documents show

    def subject_id(self, subject: Subject) -> str | None:
        """The subject's id, as --only and the manifest write it (None for the plan as a whole)."""
        if isinstance(subject, Action):
            return subject.id
        if isinstance(subject, Report):
            return str(subject.period)
        return None


@dataclasses.dataclass(frozen=True)
class Document:
    """One document to make: a kind, of an edition, about a subject."""

    kind: Kind
    edition: Edition
    subject: Subject

    @property
    def path(self) -> str:
        """``<plan>/<language>/<prefix>-<plan>[-<subject>]-<language>.docx``, safe on every file system; in a layout
        other than the default one, ``<plan>/<layout>/<language>/…``."""
        plan, language = safe_name(self.edition.plan.id), self.edition.language
        subject = self.kind.subject_id(self.subject)
        middle = f"{plan}-{safe_name(subject)}" if subject else plan
        layout = "" if self.layout == DEFAULT_LAYOUT else f"{safe_name(self.layout)}/"
        return f"{plan}/{layout}{language}/{self.kind.prefix}-{middle}-{language}.docx"

    @property
    def layout(self) -> str:
        """The layout it is made in: its template is ``templates/<layout>/<kind's template>``."""
        return self.edition.layout

    @property
    def date(self) -> datetime.date:
        return self.kind.date(self.edition.plan, self.subject)

    def context(self, text: ProseWriter) -> dict:
        return self.kind.context(self.edition, self.subject, text)

    def properties(self) -> Properties:
        return self.kind.properties(self.edition, self.subject)

    def charts(self) -> Sequence[Chart]:
        """The charts it shows, drawn as it is rendered (unless drawn before): the longest part of its making."""
        return self.kind.charts(self.edition, self.subject)


KINDS: tuple[Kind, ...] = (
    Kind(
        name="pao", template="pao.docx", prefix="pao",
        subjects=lambda plan: (None,),
        context=pao.context,
        properties=pao.properties,
        date=lambda plan, _: plan.date,
    ),
    Kind(
        name="sheet", template="ficha.docx", prefix="ficha",
        subjects=lambda plan: plan.actions,
        context=sheet.context,
        properties=sheet.properties,
        date=lambda plan, _: plan.date,
        about="action",
        reads=("plan", "catalogs", "progress"),
    ),
    Kind(
        name="annex", template="anexo.docx", prefix="anexo",
        subjects=lambda plan: plan.reports,
        context=annex.context,
        properties=annex.properties,
        date=lambda plan, report: report.date,
        about="period",
        reads=("plan", "catalogs", "progress"),
        charts=annex.charts,
    ),
)


def kind(name: str) -> Kind:
    return next(k for k in KINDS if k.name == name)


def documents(edition: Edition, only: Sequence[str] = ()) -> list[Document]:
    """The documents of an edition, kind by kind; ``only`` narrows them to kinds and subject ids."""
    return [
        Document(k, edition, subject)
        for k in KINDS
        for subject in k.subjects(edition.plan)
        if not only or k.name in only or k.subject_id(subject) in only
    ]


_LONGEST = 80  # characters of one name part: the whole path stays well under Windows' 260


def safe_name(text: str) -> str:
    """A file-name part safe on every file system, whatever an id contains; different texts keep different
    names where they can (``pipeline.check_file_names`` reports those that cannot)."""
    # a run of characters a file system may refuse or read as a path (separators, "..") becomes one "_";
    # the text's own underscores stay, so that "a_b" and "a__b" differ
    name = re.sub(r"(?:[^A-Za-z0-9._-]|\.{2,})+", "_", text)
    # no "." first (a hidden file) nor last (Windows drops it): "_" instead, so "AO-1.1." differs from "AO-1.1"
    name = re.sub(r"^\.|\.$", "_", name) or "_"
    if len(name) > _LONGEST:  # shortened, with a digest of the whole text: names sharing their start still differ
        name = name[: _LONGEST - 9] + "-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return name
