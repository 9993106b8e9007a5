"""What changed between two versions of a plan: matched by stable id, reported for people and tools.

Everything with an id is compared by id: strategic objectives, actions, KPIs,
activities, paragraphs, list items and table cells, footnotes.  Where an id disappears and
another appears with nearly the same text, it is taken as a rename.  Prose
changes come with a word-level diff.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
import re

from ..model.fields import fields
from ..model.plan import Action, Plan
from ..sources.markdown import to_markdown
from ..translation.words import Words

RENAME_SIMILARITY = 0.8


@dataclasses.dataclass(frozen=True)
class Change:
    kind: str  # plan | objective | action | kpi | activity | paragraph | cell | footnote
    id: str
    change: str  # added | removed | changed | renamed
    field: str = ""
    old: object = None
    new: object = None
    words: str = ""  # word-level diff of prose: [-removed-]{+added+}

    def as_dict(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in ("", None)}


def compare(old: Plan, new: Plan, words: Words) -> list[Change]:
    """Every difference between two versions of a plan, in document order of the new one."""
    changes: list[Change] = []
    for field in ("title", "reference", "origin", "recipients", "subject"):
        _field(changes, "plan", new.id, field, getattr(old, field), getattr(new, field))
    _field(changes, "plan", new.id, "date", old.date.isoformat(), new.date.isoformat())
    _field(changes, "plan", new.id, "period", _period(old.period), _period(new.period))
    _field(changes, "plan", new.id, "lead", _parties(words, old.lead), _parties(words, new.lead))
    for field in ("co_leads", "participants", "languages"):
        render = (lambda codes: list(codes)) if field == "languages" else (lambda codes: _parties(words, codes))
        _field(changes, "plan", new.id, field, render(getattr(old, field)), render(getattr(new, field)))

    old_objectives = {o.id: o for o in old.strategic_objectives}
    for objective in new.strategic_objectives:
        before = old_objectives.pop(objective.id, None)
        if before is None:
            changes.append(Change("objective", objective.id, "added", new=f"{objective.number}. {objective.title}"))
            continue
        for field in ("number", "title", "heading"):
            _field(changes, "objective", objective.id, field, getattr(before, field), getattr(objective, field))
    changes += [Change("objective", o.id, "removed", old=f"{o.number}. {o.title}") for o in old_objectives.values()]

    old_actions = {a.id: a for a in old.actions}
    for action in new.actions:
        previous = old_actions.pop(action.id, None)
        if previous is None:
            changes.append(Change("action", action.id, "added", new=action.reference))
            continue
        for field in ("reference", "objective_id"):
            _field(changes, "action", action.id, field.removesuffix("_id"), getattr(previous, field), getattr(action, field))
        _field(changes, "action", action.id, "lead", _parties(words, previous.lead), _parties(words, action.lead))
        for field in ("co_leads", "participants"):
            _field(changes, "action", action.id, field, _parties(words, getattr(previous, field)), _parties(words, getattr(action, field)))
        _field(changes, "action", action.id, "budget", _budget(words, previous), _budget(words, action))
        _items(changes, "kpi", action.id, previous.kpis, action.kpis, lambda k: (_text(k.text), words.target(k.target)), ("text", "target"))
        _items(
            changes, "activity", action.id, previous.activities, action.activities,
            lambda a: (_text(a.text), words.calendar(a.calendar, a.ongoing)), ("text", "calendar"),
        )
    changes += [Change("action", a.id, "removed", old=a.reference) for a in old_actions.values()]
    changes += _prose(old, new)
    return changes


def _items(changes, kind, owner, old_items, new_items, values, fields) -> None:
    """KPIs or activities of one action, by id (a similar text under a new id is a rename)."""
    old_by_id = {i.id: i for i in old_items}
    added = []
    for item in new_items:
        before = old_by_id.pop(item.id, None)
        if before is None:
            added.append(item)
            continue
        for field, a, b in zip(fields, values(before), values(item)):
            _field(changes, kind, f"{owner}/{item.id}", field, a, b)
    for item in added:
        renamed = _similar(values(item)[0], {i.id: values(i)[0] for i in old_by_id.values()})
        if renamed:
            before = old_by_id.pop(renamed)
            changes.append(Change(kind, f"{owner}/{item.id}", "renamed", "id", f"{owner}/{renamed}", f"{owner}/{item.id}"))
            for field, a, b in zip(fields, values(before), values(item)):
                _field(changes, kind, f"{owner}/{item.id}", field, a, b)
        else:
            changes.append(Change(kind, f"{owner}/{item.id}", "added", new=" · ".join(values(item))))
    changes += [Change(kind, f"{owner}/{i.id}", "removed", old=" · ".join(values(i))) for i in old_by_id.values()]


def _prose(old: Plan, new: Plan) -> list[Change]:
    """Paragraphs, list items, headings (summaries included) and footnotes, by id."""

    cells: set[str] = set()  # the keys of table cells

    def texts(plan: Plan) -> dict[str, str]:
        # KPIs and activities are compared with their action; progress notes are not the plan
        found = [f for f in fields(plan) if f.block and f.owner in ("plan", "objective", "action")]
        cells.update(f.key for f in found if f.block and f.block.kind == "cell")
        return {f.key: to_markdown(f.block.inlines) for f in found if f.block}

    def kind_of(key: str) -> str:
        return "footnote" if key.startswith("fn.") else "cell" if key in cells else "paragraph"

    before, after = texts(old), texts(new)
    changes, added = [], []
    for key, text in after.items():
        kind = kind_of(key)
        if key not in before:
            added.append((key, kind, text))
            continue
        previous = before.pop(key)
        if previous != text:
            changes.append(Change(kind, key, "changed", "text", previous, text, word_diff(previous, text)))
    for key, kind, text in added:
        renamed = _similar(text, {k: v for k, v in before.items() if kind_of(k) == kind})
        if renamed:
            previous = before.pop(renamed)
            changes.append(Change(kind, key, "renamed", "id", renamed, key))
            if previous != text:
                changes.append(Change(kind, key, "changed", "text", previous, text, word_diff(previous, text)))
        else:
            changes.append(Change(kind, key, "added", new=text))
    changes += [Change(kind_of(k), k, "removed", old=v) for k, v in before.items()]
    return changes


def word_segments(old: str, new: str) -> list[tuple[str, str]]:
    """The two texts as runs of words: ("=", kept), ("-", removed), ("+", added), in reading order."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def word_diff(old: str, new: str) -> str:
    """``[-removed-]{+added+}`` between words, as ``git diff --word-diff`` shows it."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in word_segments(old, new))


def _similar(text: str, candidates: dict[str, str]) -> str | None:
    best, score = None, RENAME_SIMILARITY
    for key, other in candidates.items():
        ratio = difflib.SequenceMatcher(None, text, other, autojunk=False).ratio()
        if ratio >= score:
            best, score = key, ratio
    return best


def _field(changes: list[Change], kind: str, identifier: str, field: str, old, new) -> None:
    if old != new:
        words = word_diff(old, new) if isinstance(old, str) and isinstance(new, str) and len(new.split()) > 3 else ""
        changes.append(Change(kind, identifier, "changed", field, old, new, words))


def _text(prose) -> str:
    return " ".join(to_markdown(b.inlines) for b in prose.blocks)


def _parties(words: Words, codes) -> list[str]:
    return [words.party(code) for code in codes]


def _budget(words: Words, action: Action) -> list[str]:
    return [f"{line.source}: {words.amount(line.amount, line.currency)}" for line in action.budget]


def _period(period) -> str:
    return f"{period.first_semester}..{period.last_semester}"


def report_json(changes: list[Change], old_label: str, new_label: str, plan_id: str) -> str:
    return json.dumps(
        {"plan": plan_id, "old": old_label, "new": new_label, "changes": [c.as_dict() for c in changes]},
        indent=2,
        ensure_ascii=False,
    ) + "\n"


TITLES = {
    "plan": "Plan",
    "objective": "Strategic objectives",
    "action": "Operational actions",
    "kpi": "KPIs and targets",
    "activity": "Activities and calendars",
    "paragraph": "Paragraphs, headings and list items",
    "cell": "Table cells",
    "footnote": "Footnotes",
}


def report_markdown(changes: list[Change], old_label: str, new_label: str, plan_id: str) -> str:
    """The change report for people: one section per kind of thing, one line per change."""
    lines = [f"# Changes to {plan_id}: {old_label} → {new_label}", ""]
    if not changes:
        return "\n".join(lines + ["No changes.", ""])
    lines.append(f"{len(changes)} change(s).")
    for kind, title in TITLES.items():
        group = [c for c in changes if c.kind == kind]
        if not group:
            continue
        lines += ["", f"## {title}", ""]
        for change in group:
            lines.append(f"- {_describe(change)}")
    return "\n".join(lines) + "\n"


def _describe(change: Change) -> str:
    def show(value) -> str:
        if isinstance(value, list):
            return ", ".join(value) if value else "(none)"
        return f"“{value}”" if value not in ("", None) else "(empty)"

    if change.change == "added":
        return f"**{change.id}** added: {show(change.new)}"
    if change.change == "removed":
        return f"**{change.id}** removed: {show(change.old)}"
    if change.change == "renamed":
        return f"**{change.old}** renamed **{change.new}**"
    if change.words:
        return f"**{change.id}** {change.field}: {change.words}"
    return f"**{change.id}** {change.field}: {show(change.old)} → {show(change.new)}"
