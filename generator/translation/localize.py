"""The plan in another language: every translatable text replaced from its catalog.

A message that is untranslated, fuzzy or translated from an older original
falls back to the original text with a located warning (``--strict`` makes it
an error).  A translation that drops or adds a footnote mark or a link is an
error: the document would lose or invent content.
"""
from __future__ import annotations

import collections
import dataclasses

from .catalogs import entries, translations
from ..diagnostics import Diagnostics, Location
from ..model.prose import Block, FootnoteRef, Prose, Span
from ..sources.markdown import parse_inline
from ..model.plan import Plan

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "fr": "French"}


def localize(plan: Plan, language: str, diagnostics: Diagnostics) -> Plan:
    """``plan`` with its texts in ``language``."""
    found, shown = translations(plan, language, diagnostics)
    labels = set(plan.footnotes())
    name = LANGUAGE_NAMES.get(language, language)
    chosen: dict[str, str] = {}
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
        elif not entry.prose or _same_markup(entry.context, entry.source, translation.text, where, labels, diagnostics):
            chosen[entry.context] = translation.text
    return _apply(plan, chosen, labels, shown)


def _same_markup(context: str, source: str, text: str, where: Location, labels: set[str], diagnostics: Diagnostics) -> bool:
    original = parse_inline(source, where, Diagnostics(), labels)
    translated = parse_inline(text, where, diagnostics, labels)
    problems = []
    for what, before, after in (("footnote", _marks(original), _marks(translated)), ("link", _links(original), _links(translated))):
        problems += [f"drops the {what} {item}" for item in sorted((before - after).elements())]
        problems += [f"adds the {what} {item}" for item in sorted((after - before).elements())]
    for problem in problems:
        diagnostics.error(where, f"the translation of '{context}' {problem}: keep the original's footnote marks and links", "i18n.markup")
    return not problems


def _marks(inlines) -> collections.Counter:
    return collections.Counter(f"[^{i.label}]" for i in inlines if isinstance(i, FootnoteRef))


def _links(inlines) -> collections.Counter:
    return collections.Counter(i.link for i in inlines if isinstance(i, Span) and i.link)


def _apply(plan: Plan, chosen: dict[str, str], labels: set[str], shown: str) -> Plan:
    """A copy of the plan whose texts are the chosen translations."""

    def text(context: str, original: str) -> str:
        return chosen.get(context, original)

    def block(b: Block) -> Block:
        if b.id not in chosen:
            return b
        return dataclasses.replace(b, inlines=parse_inline(chosen[b.id], Location(shown), Diagnostics(), labels))

    def prose(p: Prose) -> Prose:
        footnotes = {label: dataclasses.replace(f, blocks=tuple(block(b) for b in f.blocks)) for label, f in p.footnotes.items()}
        return Prose(tuple(block(b) for b in p.blocks), footnotes)

    def action(a):
        return dataclasses.replace(
            a,
            reference=text(f"{a.id}.reference", a.reference),
            summary=prose(a.summary),
            kpis=tuple(
                dataclasses.replace(
                    k, text=prose(k.text), target=dataclasses.replace(k.target, counted=text(f"{a.id}.kpis.{k.id}.target", k.target.counted))
                )
                for k in a.kpis
            ),
            activities=tuple(dataclasses.replace(x, text=prose(x.text)) for x in a.activities),
        )

    def report(r):
        actions = {
            key: dataclasses.replace(
                value,
                notes=prose(value.notes),
                kpis={k: dataclasses.replace(v, notes=prose(v.notes)) for k, v in value.kpis.items()},
                activities={k: dataclasses.replace(v, notes=prose(v.notes)) for k, v in value.activities.items()},
            )
            for key, value in r.actions.items()
        }
        return dataclasses.replace(r, actions=actions)

    def objective(o):
        title = text(f"{o.id}.title", o.title)
        heading = title if o.heading == o.title else text(f"{o.id}.heading", o.heading)
        return dataclasses.replace(o, title=title, heading=heading, actions=tuple(action(a) for a in o.actions))

    return dataclasses.replace(
        plan,
        title=text("plan.title", plan.title),
        origin=text("plan.origin", plan.origin),
        recipients=text("plan.recipients", plan.recipients),
        subject=text("plan.subject", plan.subject),
        introduction=prose(plan.introduction),
        objectives=prose(plan.objectives),
        context=prose(plan.context),
        strategic_objectives=tuple(objective(o) for o in plan.strategic_objectives),
        reports=tuple(report(r) for r in plan.reports),
    )
