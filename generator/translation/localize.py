"""The plan in another language: every translatable text replaced from its catalog.

A message that is untranslated, fuzzy or translated from an older original
falls back to the original text with a located warning (``--strict`` makes it
an error).  A translation that drops or adds a footnote mark or a link is an
error: the document would lose or invent content; so is the translation of
a table cell that would make another cell or row (an unescaped '|', a
line break).
"""
from __future__ import annotations

import collections
import dataclasses
import re

from ..diagnostics import Diagnostics, Location
from ..model.fields import Field, replaced
from ..model.plan import Plan
from ..model.prose import Block, FootnoteRef, Inline, Span
from ..sources.markdown import parse_inline
from .catalogs import entries, translations

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French"}


def localize(plan: Plan, language: str, diagnostics: Diagnostics) -> Plan:
    """``plan`` with its texts in ``language``."""
    found, shown = translations(plan, language, diagnostics)
    if found is None:  # no catalog, or one that cannot be read: said once, not once per message
        return plan
    labels = set(plan.footnotes())
    name = LANGUAGE_NAMES.get(language, language)
    chosen: dict[str, str] = {}
    read: dict[str, tuple[Inline, ...]] = {}  # the chosen translations of prose, as read
    for entry in entries(plan):
        translation = found.get(entry.context)
        where = Location(shown, translation.line) if translation else entry.location
        if translation is None or not translation.text:
            diagnostics.warning(where, f"'{entry.context}' has no {name} translation: the original text is used", "i18n.untranslated")
        elif translation.fuzzy:
            diagnostics.warning(
                where,
                f"the {name} translation of '{entry.context}' is fuzzy (its original changed): the original text is used until it is reviewed",
                "i18n.fuzzy",
            )
        elif translation.source != entry.source:
            diagnostics.warning(where, f"the {name} translation of '{entry.context}' was made from another original: run 'pao translations update'", "i18n.outdated")
        elif not entry.prose:
            chosen[entry.context] = translation.text
        else:
            translated = parse_inline(translation.text, where, diagnostics, labels)
            if _same_markup(entry.context, entry.inlines, translated, where, diagnostics) and (
                not entry.cell or _one_cell(entry.context, translation.text, where, diagnostics)
            ):
                chosen[entry.context], read[entry.context] = translation.text, translated
    return _apply(plan, chosen, read)


def _same_markup(context: str, original: tuple[Inline, ...], translated: tuple[Inline, ...], where: Location, diagnostics: Diagnostics) -> bool:
    problems = []
    for what, before, after in (("footnote", _marks(original), _marks(translated)), ("link", _links(original), _links(translated))):
        problems += [f"drops the {what} {item}" for item in sorted((before - after).elements())]
        problems += [f"adds the {what} {item}" for item in sorted((after - before).elements())]
    for problem in problems:
        diagnostics.error(where, f"the translation of '{context}' {problem}: keep the original's footnote marks and links", "i18n.markup")
    return not problems


def _one_cell(context: str, text: str, where: Location, diagnostics: Diagnostics) -> bool:
    """A cell's translation fills that cell only: the table keeps the original's rows and cells."""
    if "\n" in text:
        problem = "holds a line break, which would start another row"
    elif _BAR.search(text):
        problem = "holds a '|', which would start another cell (a bar in the text is written \\|)"
    else:
        return True
    diagnostics.error(where, f"the translation of the table cell '{context}' {problem}: keep the original's rows and cells", "i18n.table")
    return False


_BAR = re.compile(r"(?<!\\)\|")


def _marks(inlines) -> collections.Counter:
    return collections.Counter(f"[^{i.label}]" for i in inlines if isinstance(i, FootnoteRef))


def _links(inlines) -> collections.Counter:
    return collections.Counter(i.link for i in inlines if isinstance(i, Span) and i.link)


def _apply(plan: Plan, chosen: dict[str, str], read: dict[str, tuple[Inline, ...]]) -> Plan:
    """A copy of the plan whose texts are the chosen translations (``read``: those of prose, as read)."""

    def text(field: Field) -> str:
        return chosen.get(field.key, field.text)

    def block(field: Field) -> Block:
        original = field.block
        assert original is not None
        if field.key not in read:
            return original
        return dataclasses.replace(original, inlines=read[field.key])

    return replaced(plan, text, block)
