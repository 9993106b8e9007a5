"""Whole HTML pages: a document of any kind, the index of plans, a page of located problems.

A document's page is its kind's HTML template (``templates/<kind>.html``)
filled with the context its Word template receives, so that the page and the
.docx say the same words; footnote marks are numbered in the order the page
shows them and listed at its end, each linked both ways.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..documents.edition import Edition
from ..documents.kinds import Document, documents
from .prose import HtmlText

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, never an empty cell
    keep_trailing_newline=True,
)
_NOTE = re.compile(r'<a data-note="(\d+)"></a>')
_HEADING = re.compile(r"<h([2-4])((?: class=\"[^\"]*\")?)>(.*?)</h\1>", re.DOTALL)
_CONTENTS = "<!--contents-->"


@dataclasses.dataclass(frozen=True)
class Chrome:
    """What a served page shows around the document: links home and to downloads, and whether it reloads itself."""

    downloads: Sequence[tuple[str, str]] = ()  # (label, address)
    languages: Sequence[tuple[str, str]] = ()  # (language, address of the same document in it)
    version: int | None = None  # the sources' version the page shows, when it reloads itself on a newer one


def template(name: str) -> jinja2.Template:
    return _ENVIRONMENT.get_template(name)


def page(title: str, lang: str, body: str, chrome: Chrome | None = None, running_head: str = "", notes: Sequence[Markup] = ()) -> str:
    """A whole HTML page around ``body``; ``chrome`` None for a page read on its own (a file, an e-mail)."""
    return template("page.html").render(
        title=title, lang=lang, body=Markup(body), chrome=chrome is not None, downloads=chrome.downloads if chrome else (),
        languages=chrome.languages if chrome else (),
        version=chrome.version if chrome else None, running_head=running_head, notes=notes,
        notes_label="Notes", back_label="Back to the text of note",
    )


def document_page(document: Document, chrome: Chrome | None = None) -> str:
    """The document as an HTML page: the same text, headings, tables, lists, footnotes and charts as its .docx."""
    edition = document.edition
    try:
        layout = template(f"{document.kind.name}.html")
    except jinja2.TemplateNotFound:  # a kind added to documents.kinds without its page yet
        advice = f"Documents of the kind '{document.kind.name}' have no page yet: add generator/html/templates/{document.kind.name}.html."
        return problems_page("No page for this kind of document", advice, "", chrome)
    text = HtmlText(edition.footnotes)
    context = document.context(text)
    body = layout.render(context)
    body = _with_contents(body)
    body, notes = _numbered_notes(body, text.notes)
    return page(document.properties().title, language_tag(edition.language), body, chrome, _running_head(document, context), notes)


def language_tag(language: str) -> str:
    """The BCP 47 tag of a language, for ``lang`` attributes (``pt_BR`` → ``pt-BR``)."""
    return language.replace("_", "-")


def _running_head(document: Document, context: dict) -> str:
    """What the Word document's page header says."""
    labels, plan = context["l"], context["plan"]
    if document.kind.name == "sheet":
        return f"{plan['reference']} · {context['ao']['reference']}"
    if document.kind.name == "annex":
        report = context["report"]
        return f"{plan['reference']} · {labels['annex_title']} {report['period']}" + (f" · {labels['sample_mark']}" if report["sample"] else "")
    return str(plan["reference"])


def _with_contents(body: str) -> str:
    """Ids on the headings after the table of contents, and the table itself listing them (as Word's TOC field)."""
    if _CONTENTS not in body:
        return body
    before, after = body.split(_CONTENTS, 1)
    entries: list[str] = []

    def anchored(match: re.Match) -> str:
        level, attributes, inner = match.groups()
        entries.append(f'<li class="level-{level}"><a href="#section-{len(entries) + 1}">{re.sub(r"<[^>]+>", "", inner)}</a></li>')
        return f'<h{level} id="section-{len(entries)}"{attributes}>{inner}</h{level}>'

    after = _HEADING.sub(anchored, after)
    return before + "<ol>" + "".join(entries) + "</ol>" + after


def _numbered_notes(body: str, notes: list[Markup]) -> tuple[str, list[Markup]]:
    """Footnote marks numbered 1, 2… in the order the page shows them, each linked to its note and back."""
    shown: list[Markup] = []

    def mark(match: re.Match) -> str:
        shown.append(notes[int(match.group(1))])
        n = len(shown)
        return f'<sup class="note-ref"><a id="mark-{n}" href="#note-{n}" role="doc-noteref" aria-label="note {n}">{n}</a></sup>'

    return _NOTE.sub(mark, body), shown


@dataclasses.dataclass(frozen=True)
class Link:
    title: str
    href: str
    docx: str
    pdf: str


def index_page(editions: Sequence[Edition], warnings: str = "", chrome: Chrome | None = None, diff: bool = False) -> str:
    """Every plan, each language, each document, with links to its page, .docx and PDF."""
    plans: dict[str, dict] = {}
    for edition in editions:
        plan = plans.setdefault(
            edition.plan.id, {"id": edition.plan.id, "title": edition.plan.title, "lang": language_tag(edition.plan.language), "editions": [], "diff": "/diff" if diff else ""}
        )
        plan["editions"].append({
            "language": edition.language,
            "lang": language_tag(edition.language),
            "name": edition.words.language_names((edition.language,)),
            "documents": [_link(document) for document in documents(edition)],
        })
    body = template("index.html").render(plans=list(plans.values()), warnings=warnings)
    return page("pao", "en", body, chrome)


def _link(document: Document) -> Link:
    stem = "/" + document.path.removesuffix(".docx")
    return Link(document.properties().title, stem + ".html", stem + ".docx", stem + ".pdf")


def problems_page(heading: str, advice: str, problems: str, chrome: Chrome | None = None) -> str:
    """Located problems instead of a document (the same lines as ``pao validate``)."""
    return page(heading, "en", template("problems.html").render(heading=heading, advice=advice, problems=problems), chrome)
