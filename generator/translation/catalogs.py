"""Translation catalogs: one gettext PO file per plan and language, through Babel.

``source/<plan>/locale/<language>.po`` holds one message per heading,
paragraph, list item, footnote paragraph, KPI, activity and table cell, with
the message's stable id as context and ``#: file:line`` where its original is
written: the format Poedit, Weblate, OmegaT and Lokalize read.  Updating a
catalog never loses what a translator wrote: a message whose original changed
keeps its translation, marked fuzzy with the original it was made from
(``#| msgid``), and is no longer fuzzy when the original returns to that text;
a removed message stays as an obsolete entry, and comes back from it.  The file
stays as the translator's tool saved it (``pofile``): header, comments,
wrapping, line ends; only the entries that change are rewritten.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import io
import os
import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from ..diagnostics import Diagnostics, Location, display_path
from ..files import write_atomically
from ..model.fields import fields
from ..model.plan import Plan
from ..model.prose import Inline
from ..sources.limits import regular_file_problem
from ..sources.markdown import to_markdown
from . import pofile
from .pofile import Content, PoFile

LOCALE_FOLDER = "locale"


@dataclasses.dataclass(frozen=True)
class Entry:
    """A translatable text of a plan."""

    context: str  # its stable id
    source: str | tuple[str, str]  # the original: Markdown for prose, plain text for cells; (one, other) for plurals
    location: Location
    prose: bool
    cell: bool = False  # a cell of a table in prose: its translation stays one cell
    inlines: tuple[Inline, ...] = dataclasses.field(default=(), compare=False, repr=False)  # prose: the original as read


@dataclasses.dataclass(frozen=True)
class Translation:
    source: str  # the original the translator translated
    text: str
    fuzzy: bool
    line: int  # in the catalog


@dataclasses.dataclass(frozen=True)
class Counts:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def complete(self) -> bool:
        return not self.fuzzy and not self.untranslated


def catalog_path(plan: Plan, language: str) -> Path:
    return plan.folder / LOCALE_FOLDER / f"{language}.po"


def entries(plan: Plan) -> list[Entry]:
    """Every translatable text of the plan and its progress reports, in document order."""
    return [
        Entry(f.key, to_markdown(f.block.inlines, cell=f.block.kind == "cell"), f.location, prose=True, cell=f.block.kind == "cell", inlines=f.block.inlines)
        if f.block
        else Entry(f.key, f.text, f.location, prose=False)
        for f in fields(plan)
    ]


def read(path: Path, language: str, diagnostics: Diagnostics) -> Catalog | None:
    """A catalog, or None with a located error (encoding, syntax); other mistakes (plural forms, a message
    given twice, a character a document cannot hold) are reported with the catalog."""
    loaded = _load(path, language, diagnostics)
    return loaded[0] if loaded else None


def _load(path: Path, language: str, diagnostics: Diagnostics) -> tuple[Catalog, PoFile] | None:
    """The catalog read by Babel, and its file as lines (with or without a byte order mark, CRLF or LF)."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(shown), f"cannot read the catalog: {exc.strerror}", "i18n.catalog")
        return None
    po, problems = pofile.read(data)
    for problem in problems:
        diagnostics.error(Location(shown, problem.line, problem.col), problem.message, problem.code)
    if po is None or problems:
        return None
    try:
        catalog = read_po(po.babel_lines(), locale=language, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0 and appends "on <line>" to its message
        diagnostics.error(Location(shown, exc.lineno + 1), f"PO syntax error: {re.sub(r' on [0-9]+$', '', str(exc))}", "i18n.syntax")
        return None
    except ValueError as exc:
        diagnostics.error(Location(shown), f"not a PO catalog: {exc}", "i18n.syntax")
        return None
    _check_plurals(catalog, po.text, shown, language, diagnostics)
    for problem in po.problems():
        diagnostics.error(Location(shown, problem.line, problem.col), problem.message, problem.code)
    _previous_ids(catalog, po)
    return catalog, po


def _previous_ids(catalog: Catalog, po: PoFile) -> None:
    """Babel reads the previous original (``#| msgid "…"``) as a comment: it is the message's previous_id."""
    previous = {entry.line: entry.content.previous for entry in po.entries}
    for message in [*catalog, *catalog.obsolete.values()]:
        if previous.get(message.lineno):
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            message.previous_id = list(previous[message.lineno])


def _check_plurals(catalog: Catalog, text: str, shown: str, language: str, diagnostics: Diagnostics) -> None:
    """CLDR's number of plural forms (three for es, pt, fr): fewer silently fall back."""
    expected = Catalog(locale=language).num_plurals
    declared = re.search(r"^\"Plural-Forms:.*?nplurals=(\d+)", text, re.MULTILINE)
    if declared and int(declared[1]) != expected:
        line = text[: declared.start()].count("\n") + 1
        diagnostics.error(
            Location(shown, line, 1),
            f"Plural-Forms says nplurals={declared[1]}, but {language} has {expected} plural forms in CLDR: "
            f"use '{Catalog(locale=language).plural_forms}'",
            "i18n.plural-forms",
        )
    for message in catalog:
        if message.pluralizable and message.string and len(message.string) != expected:
            diagnostics.error(
                Location(shown, message.lineno or 0),
                f"this message has {len(message.string)} plural forms, {language} needs {expected}",
                "i18n.plural-forms",
            )


def translations(plan: Plan, language: str, diagnostics: Diagnostics) -> tuple[dict[str, Translation] | None, str]:
    """The catalog's translations by message id (None when there is no catalog or it cannot be read:
    that is reported, once), and the catalog's shown path."""
    path = catalog_path(plan, language)
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        diagnostics.warning(Location(shown), f"no catalog for {language}: run 'pao translations update'", "i18n.no-catalog")
        return None, shown
    if _not_a_source_file(plan, path, diagnostics):
        return None, shown
    catalog = read(path, language, diagnostics)
    if catalog is None:
        return None, shown
    result = {}
    for message in catalog:
        if isinstance(message.id, str) and message.id and message.context and isinstance(message.string, str):
            result[message.context] = Translation(message.id, message.string, message.fuzzy, message.lineno or 0)
    return result, shown


def update(plan: Plan, language: str, diagnostics: Diagnostics) -> bool:
    """Bring the plan's catalog for ``language`` up to date; True when its file changed."""
    path = catalog_path(plan, language)
    if (path.exists() or path.is_symlink()) and _not_a_source_file(plan, path, diagnostics):
        return False
    return write_catalog(
        path,
        language,
        entries(plan),
        project=f"pao: {plan.id}",
        created=datetime.datetime.combine(plan.date, datetime.time(), tzinfo=datetime.timezone.utc),
        comment=f"# Translation of the plan {plan.id} into {language}.\n"
        "# Edit the msgstr lines; run 'pao translations update' after the original changes.",
        diagnostics=diagnostics,
    )


def _not_a_source_file(plan: Plan, path: Path, diagnostics: Diagnostics) -> bool:
    """A catalog obeys the rule of every source file (a regular file inside its plan's folder); True, reported, if not."""
    problem = regular_file_problem(path, plan.folder)
    if problem:
        diagnostics.error(Location(display_path(path)), *problem)
    return problem is not None


def write_catalog(
    path: Path, language: str, wanted: list[Entry], project: str, created: datetime.datetime, comment: str, diagnostics: Diagnostics
) -> bool:
    """Update the catalog at ``path`` to hold ``wanted``, keeping every translation; True when it changed.

    An entry's ``source`` is a string, or (singular, plural) for a message with plural forms.  The file stays
    as the translator's tool wrote it: only the entries whose content changes are rewritten.
    """
    if path.is_file():
        errors = len(diagnostics.errors)
        loaded = _load(path, language, diagnostics)
        if loaded is None or len(diagnostics.errors) > errors:
            return False  # never rewrite a catalog with mistakes in it: which of its texts would be kept?
        po = loaded[1]
    else:
        po = _new_file(language, project, created, comment)
    text = _updated(po, wanted, Catalog(locale=language).num_plurals)
    if path.is_file() and text == po.text:
        return False
    try:
        data = po.encoded(text)
    except UnicodeEncodeError as exc:
        diagnostics.error(
            Location(display_path(path)), f"the catalog's charset {po.charset} cannot hold {exc.object[exc.start]!r}: change it to charset=UTF-8", "i18n.encoding"
        )
        return False
    write_atomically(path, data)
    return True


def _new_file(language: str, project: str, created: datetime.datetime, comment: str) -> PoFile:
    """A catalog with its header only."""
    catalog = Catalog(
        locale=language,
        project=project,
        version=None,
        copyright_holder="CLASI – EL PAcCTO",
        creation_date=created,
        revision_date=created,
        last_translator="",
        language_team=f"{language} <LL@li.org>",
        fuzzy=False,
    )
    catalog.header_comment = comment
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    po, _ = pofile.read(buffer.getvalue())
    assert po is not None  # Babel's own header
    return po


def _updated(po: PoFile, wanted: list[Entry], plurals: int) -> str:
    """The catalog's text holding ``wanted``: an entry that says the same stays as it is, a changed one is
    rewritten where it is, a new one goes after the message it follows in the document, and a removed one
    that holds a translation or a translator's comment goes to the end as an obsolete entry (``#~``)."""
    found = po.entries
    active = {e.content.context: i for i, e in enumerate(found) if not e.content.obsolete and e.content.context is not None}
    dormant: dict[str, int] = {}  # obsolete entries, revived when their message comes back
    for i, e in enumerate(found):
        if e.content.obsolete and e.content.context is not None and e.content.context not in active:
            dormant.setdefault(e.content.context, i)
    header = next((i for i, e in enumerate(found) if e.header), -1)
    rewritten: dict[int, list[str]] = {}
    inserted: dict[int, list[list[str]]] = collections.defaultdict(list)  # after the entry of that index
    used = set()
    anchor = header
    for entry in wanted:
        index = active.get(entry.context, dormant.get(entry.context))
        old = found[index] if index is not None else None
        if old is not None and (old.content.plural is None) != isinstance(entry.source, str):
            old = index = None  # it became a message with plural forms, or stopped being one: the old one is kept obsolete
        content = _wanted(entry, old.content if old else None, plurals)
        if index is not None:
            used.add(index)
        if old is not None and index is not None and not old.content.obsolete:
            if content != old.content:
                rewritten[index] = po.written(content, old)
            anchor = index
        else:
            inserted[anchor].append(po.written(content, old))
    gone = {i for i, e in enumerate(found) if (i in used) == e.content.obsolete and i != header}
    obsoleted = [
        po.written(dataclasses.replace(e.content, obsolete=True, references=()), e)
        for i, e in enumerate(found)
        if i in gone and not e.content.obsolete and (any(e.content.strings) or e.commented)
    ]
    lines: list[str] = []
    separate = False  # an entry that follows a new one is set apart by a blank line, even if it had none
    for block in inserted[-1]:  # in a catalog without a header
        _extend(lines, [po.newline, *block] if lines else block, po.newline)
        separate = True
    for i, e in enumerate(found):
        if i not in gone:
            _extend(lines, (e.gap if e.gap or not separate else [po.newline]) + rewritten.get(i, e.lines), po.newline)
            separate = False
        for block in inserted[i]:
            _extend(lines, [po.newline, *block], po.newline)
            separate = True
    for block in obsoleted:
        _extend(lines, [po.newline, *block], po.newline)
    _extend(lines, po.tail, po.newline)
    return "".join(lines)


def _extend(lines: list[str], more: list[str], newline: str) -> None:
    """Lines after lines: the last one gets its line end if the file had none."""
    if more and lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    lines.extend(more)


def _wanted(entry: Entry, old: Content | None, plurals: int) -> Content:
    """The content of the entry of ``entry``, keeping what ``old`` holds: its translation, flags and comments.

    A translation made from another original is fuzzy, with the original it was made from (``#| msgid``);
    when the original comes back to that text, it is no longer fuzzy.
    """
    source = _strings(entry.source)
    plural = source[1] if len(source) > 1 else None
    location = entry.location.file.replace(os.sep, "/")
    if " " in location or "\t" in location:
        location = f"\u2068{location}\u2069"  # as gettext encloses a file name with spaces
    references = (f"{location}:{entry.location.line}" if entry.location.line else location,)
    # the format flags Babel finds ("python-brace-format" lets a translator's tool check the placeholders)
    formats = tuple(sorted(Message(entry.source).flags))
    if old is None:
        return Content(entry.context, source[0], plural, ("",) * (plurals if plural is not None else 1), formats, references=references)
    fuzzy, previous, flags = old.fuzzy, old.previous, old.flags
    if old.source != source:
        made_from = old.previous if old.fuzzy and old.previous else old.source
        fuzzy = made_from != source and any(old.strings)
        previous = made_from if fuzzy else ()
        flags = (*(f for f in old.flags if f != "fuzzy" and not f.endswith("-format")), *formats)
    elif old.fuzzy and old.previous == source:
        fuzzy, previous = False, ()  # changed, then changed back
    if fuzzy != ("fuzzy" in flags):
        flags = ("fuzzy", *flags) if fuzzy else tuple(f for f in flags if f != "fuzzy")
    return Content(entry.context, source[0], plural, old.strings, flags, previous, references)


def _strings(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def counts(plan: Plan, language: str, diagnostics: Diagnostics) -> Counts:
    found, _ = translations(plan, language, diagnostics)
    totals = dict.fromkeys(("translated", "fuzzy", "untranslated"), 0)
    words = dict.fromkeys(totals, 0)
    for entry in entries(plan):
        translation = found.get(entry.context) if found else None
        if translation is None or not translation.text:
            kind = "untranslated"
        elif translation.fuzzy or translation.source != entry.source:
            kind = "fuzzy"  # made from another original: it needs a look too
        else:
            kind = "translated"
        totals[kind] += 1
        words[kind] += len(" ".join(_strings(entry.source)).split())
    return Counts(**totals, **{f"{k}_words": v for k, v in words.items()})
