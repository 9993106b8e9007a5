"""Translation catalogs: one gettext PO file per plan and language, through Babel.

``source/<plan>/locale/<language>.po`` holds one message per heading,
paragraph, list item, footnote paragraph, KPI, activity and table cell, with
the message's stable id as context and ``#: file:line`` where its original is
written: the format Poedit, Weblate, OmegaT and Lokalize read.  Updating a
catalog never loses a translation: a message whose original changed keeps its
translation, marked fuzzy with the previous original (``#| msgid``); a removed
message stays as an obsolete entry.
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from ..diagnostics import Diagnostics, Location, display_path
from ..files import write_atomically
from ..model.fields import fields
from ..model.plan import Plan
from ..sources.markdown import to_markdown

LOCALE_FOLDER = "locale"


@dataclasses.dataclass(frozen=True)
class Entry:
    """A translatable text of a plan."""

    context: str  # its stable id
    source: str | tuple[str, str]  # the original: Markdown for prose, plain text for cells; (one, other) for plurals
    location: Location
    prose: bool


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
        Entry(f.key, to_markdown(f.block.inlines), f.location, prose=True) if f.block else Entry(f.key, f.text, f.location, prose=False)
        for f in fields(plan)
    ]


def read(path: Path, language: str, diagnostics: Diagnostics) -> Catalog | None:
    """A catalog, or None with a located error (syntax, plural forms)."""
    shown = display_path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(shown), f"cannot read the catalog: {exc.strerror}", "i18n.catalog")
        return None
    if not _check_syntax(text.decode("utf-8", "replace"), shown, diagnostics):
        return None
    try:
        catalog = read_po(io.BytesIO(text), locale=language, abort_invalid=True)
    except PoFileError as exc:
        diagnostics.error(Location(shown, exc.lineno), f"PO syntax error: {exc}", "i18n.syntax")
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        diagnostics.error(Location(shown), f"not a PO catalog: {exc}", "i18n.syntax")
        return None
    _check_plurals(catalog, text.decode("utf-8", "replace"), shown, language, diagnostics)
    _read_previous_ids(catalog)
    return catalog


def _read_previous_ids(catalog: Catalog) -> None:
    """Babel writes the previous original as ``#| msgid "…"`` but reads it back as a comment."""
    for message in list(catalog) + list(catalog.obsolete.values()):
        previous = [c for c in message.user_comments if c.startswith("|")]
        if not previous:
            continue
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        joined = " ".join(c[1:].strip() for c in previous)
        parts = re.findall(r'(msgid(?:_plural)?)\s+((?:"(?:[^"\\]|\\.)*"\s*)+)', joined)
        message.previous_id = [unescape_lines(value) for _, value in parts]


def unescape_lines(value: str) -> str:
    return "".join(unescape(piece) for piece in re.findall(r'"(?:[^"\\]|\\.)*"', value))


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _check_syntax(text: str, shown: str, diagnostics: Diagnostics) -> bool:
    """Every line a comment, blank, or a keyword with one well-quoted string (Babel lets some slip)."""
    ok = True
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _PO_LINE.match(stripped):
            column = len(line) - len(line.lstrip()) + 1
            diagnostics.error(Location(shown, number, column), f"PO syntax error: not a keyword with a quoted string: {stripped[:60]}", "i18n.syntax")
            ok = False
    return ok


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


def translations(plan: Plan, language: str, diagnostics: Diagnostics) -> tuple[dict[str, Translation], str]:
    """The catalog's translations by message id, and the catalog's shown path."""
    path = catalog_path(plan, language)
    shown = display_path(path)
    if not path.is_file():
        diagnostics.warning(Location(shown), f"no catalog for {language}: run 'pao translations update'", "i18n.no-catalog")
        return {}, shown
    catalog = read(path, language, diagnostics)
    result = {}
    for message in catalog or []:
        if isinstance(message.id, str) and message.id and message.context and isinstance(message.string, str):
            result[message.context] = Translation(message.id, message.string, message.fuzzy, message.lineno or 0)
    return result, shown


def update(plan: Plan, language: str, diagnostics: Diagnostics) -> bool:
    """Bring the plan's catalog for ``language`` up to date; True when its file changed."""
    return write_catalog(
        catalog_path(plan, language),
        language,
        entries(plan),
        project=f"pao: {plan.id}",
        created=datetime.datetime.combine(plan.date, datetime.time(), tzinfo=datetime.timezone.utc),
        comment=f"# Translation of the plan {plan.id} into {language}.\n"
        "# Edit the msgstr lines; run 'pao translations update' after the original changes.",
        diagnostics=diagnostics,
    )


def write_catalog(
    path: Path, language: str, wanted: list[Entry], project: str, created: datetime.datetime, comment: str, diagnostics: Diagnostics
) -> bool:
    """Update the catalog at ``path`` to hold ``wanted``, keeping every translation; True when it changed.

    An entry's ``source`` is a string, or (singular, plural) for a message with plural forms.
    """
    existing = read(path, language, diagnostics) if path.is_file() else None
    if path.is_file() and existing is None:
        return False  # never overwrite a catalog that could not be read
    catalog = Catalog(
        locale=language,
        project=project,
        version=None,
        copyright_holder="CLASI – EL PAcCTO",
        creation_date=created,
        revision_date=existing.revision_date if existing else created,
        last_translator=existing.last_translator if existing else "",
        language_team=existing.language_team if existing else f"{language} <LL@li.org>",
        fuzzy=False,
    )
    catalog.header_comment = comment
    old: dict[str, Message] = {}
    if existing is not None:
        for message in list(existing) + list(existing.obsolete.values()):
            if message.id and message.context:
                old.setdefault(message.context, message)
    empty = ("",) * catalog.num_plurals
    current = set()
    for entry in wanted:
        current.add(entry.context)
        previous = old.get(entry.context)
        locations = [(entry.location.file, entry.location.line)]
        blank = empty if isinstance(entry.source, tuple) else ""
        if previous is None or not any(_strings(previous.string)):
            catalog.add(entry.source, blank, locations=locations, context=entry.context)
        elif previous.id == entry.source:
            catalog.add(entry.source, previous.string, locations=locations, flags=previous.flags, previous_id=previous.previous_id, context=entry.context)
        else:
            # the original changed: keep the translation, fuzzy, with the original it was made from
            before = previous.previous_id if previous.fuzzy and previous.previous_id else previous.id
            catalog.add(entry.source, previous.string, locations=locations, flags={"fuzzy"}, previous_id=before, context=entry.context)
    for context, message in old.items():
        if context not in current and any(_strings(message.string)):
            message.locations = []
            singular = message.id if isinstance(message.id, str) else message.id[0]
            catalog.obsolete[(singular, context)] = message  # keyed as Babel keys messages: (singular, context)
    if existing is not None and _content(existing) == _content(catalog):
        return False  # same messages: leave the file as the translator's tool wrote it
    buffer = io.BytesIO()
    # no wrapping: one line per message reads well in a diff (and Babel wraps "#|" lines wrongly)
    write_po(buffer, catalog, width=1_000_000, include_previous=True, sort_output=False)
    write_atomically(path, buffer.getvalue())
    return True


def _content(catalog: Catalog) -> list:
    """What a catalog says, without its dates or layout."""

    def one(message):
        return (message.context, message.id, message.string, sorted(message.flags), list(message.previous_id), sorted(message.locations))

    return [one(m) for m in catalog if m.id] + [("obsolete",) + one(m) for m in catalog.obsolete.values()]


def _strings(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def counts(plan: Plan, language: str, diagnostics: Diagnostics) -> Counts:
    found, _ = translations(plan, language, diagnostics)
    totals = dict.fromkeys(("translated", "fuzzy", "untranslated"), 0)
    words = dict.fromkeys(totals, 0)
    for entry in entries(plan):
        translation = found.get(entry.context)
        if translation is None or not translation.text:
            kind = "untranslated"
        elif translation.fuzzy or translation.source != entry.source:
            kind = "fuzzy"  # made from another original: it needs a look too
        else:
            kind = "translated"
        totals[kind] += 1
        words[kind] += len(" ".join(_strings(entry.source)).split())
    return Counts(**totals, **{f"{k}_words": v for k, v in words.items()})
