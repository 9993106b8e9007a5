"""The change report of ``pao diff`` as a page: each change grouped as in the Markdown report, words
inserted and deleted highlighted, old and new side by side, and a link to the redline .docx."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from ..review import PlanChanges
from ..review.changes import TITLES, Change, places, word_segments
from .pages import Chrome, language_tag, page, template


def changes_page(reviewed: Sequence[PlanChanges], notes: Sequence[str], redlines: Mapping[str, Sequence[tuple[str, str]]], chrome: Chrome | None = None) -> str:
    """One section per plan; ``redlines``: per plan id, (file name, address) of its redline documents."""
    plans = [
        {
            "id": r.plan.id,
            "lang": language_tag(r.plan.language),
            "title": r.plan.title,
            "old": r.old_label,
            "new": r.new_label,
            "count": len(r.changes),
            "groups": [
                {"title": title, "changes": [_change(c) for c in r.changes if c.kind == kind]}
                for kind, title in TITLES.items()
                if any(c.kind == kind for c in r.changes)
            ],
            "redlines": redlines.get(r.plan.id, ()),
        }
        for r in reviewed
    ]
    labels = sorted({(r.old_label, r.new_label) for r in reviewed})
    title = "Changes" + (f": {labels[0][0]} → {labels[0][1]}" if len(labels) == 1 else "")
    return page(title, "en", template("changes.html").render(title=title, plans=plans, notes=notes), chrome)


def _change(change: Change) -> dict:
    """What a change shows: its id and field, and old and new values (words marked where both are texts)."""
    old, new = change.old, change.new
    if change.change == "renamed":
        return {"id": change.id, "what": "renamed", "old": _value(old), "new": _value(new)}
    if change.change in ("moved", "renumbered"):
        was, now = places(change)
        renamed = f" (id {old['id']})" if isinstance(old, dict) and "id" in old else ""
        return {"id": change.id, "what": change.change, "old": was + renamed, "new": now}
    if isinstance(old, str) and isinstance(new, str):
        segments = word_segments(old, new)
        before = Markup("").join(Markup("<del>{}</del>").format(t) if op == "-" else escape(t) for op, t in segments if op != "+")
        after = Markup("").join(Markup("<ins>{}</ins>").format(t) if op == "+" else escape(t) for op, t in segments if op != "-")
        return {"id": change.id, "what": _what(change), "old": before, "new": after}
    return {
        "id": change.id,
        "what": _what(change),
        "old": Markup("<del>{}</del>").format(_value(old)) if old not in (None, "", []) else Markup(""),
        "new": Markup("<ins>{}</ins>").format(_value(new)) if new not in (None, "", []) else Markup(""),
    }


def _what(change: Change) -> str:
    return f"{change.change}: {change.field}" if change.field else change.change


def _value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
