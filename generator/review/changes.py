"""What changed between two versions of a plan: matched by stable id, reported for people and tools.

Strategic objectives, actions, KPIs, activities, paragraphs, list items and
table cells, footnotes are paired by id, or by their text where ids changed hands
(``moves``: a rename, or ids that carry a position).  What went elsewhere is
reported as *moved* and what only got another number as *renumbered*, with
the old and new place, beside any edit of the same item.  Prose changes come
with a word-level diff.
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
from . import moves


@dataclasses.dataclass(frozen=True)
class Change:
    kind: str  # plan | objective | action | kpi | activity | paragraph | cell | footnote | progress
    id: str
    change: str  # added | removed | changed | renamed | moved | renumbered (old and new: where, ``moves.Item.place``)
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

    objectives = moves.match(_objective_items(old), _objective_items(new))
    placed = moves.places(objectives, {})
    old_objectives = {o.id: o for o in old.strategic_objectives}
    for item, objective in zip(objectives.new, new.strategic_objectives):
        before_item = objectives.old_of(item)
        if before_item is None:
            changes.append(Change("objective", objective.id, "added", new=f"{objective.number}. {objective.title}"))
            continue
        before = old_objectives[before_item.id]
        _place(changes, "objective", before_item, item, placed)
        for field in ("title", "heading"):
            _field(changes, "objective", objective.id, field, getattr(before, field), getattr(objective, field))
    changes += [Change("objective", o.id, "removed", old=f"{o.label}. {o.text}") for o in objectives.removed]

    actions = moves.match(_action_items(old), _action_items(new))
    placed = moves.places(actions, objectives.renamed())
    renamed = actions.renamed()
    kpis = _Parts(old, new, renamed, "kpis", lambda k: (_text(k.text), words.target(k.target)), ("text", "target"))
    activities = _Parts(old, new, renamed, "activities", lambda a: (_text(a.text), words.calendar(a.calendar, a.ongoing)), ("text", "calendar"))
    old_actions = {a.id: a for a in old.actions}
    for item, action in zip(actions.new, new.actions):
        before_item = actions.old_of(item)
        if before_item is None:
            changes.append(Change("action", action.id, "added", new=action.reference))
        else:
            previous = old_actions[before_item.id]
            _place(changes, "action", before_item, item, placed)  # a new reference or objective is the move or renumbering
            if item.pairing not in placed:  # its words edited, its number kept ("AO 1.1" → "AO 1.1 bis")
                _field(changes, "action", action.id, "reference", previous.reference, action.reference)
            _field(changes, "action", action.id, "lead", _parties(words, previous.lead), _parties(words, action.lead))
            for field in ("co_leads", "participants"):
                _field(changes, "action", action.id, field, _parties(words, getattr(previous, field)), _parties(words, getattr(action, field)))
            _field(changes, "action", action.id, "budget", _budget(words, previous), _budget(words, action))
        # an added action's own KPIs and activities come with it; those moved into it are reported
        kpis.report(changes, "kpi", action.id, added=before_item is not None)
        activities.report(changes, "activity", action.id, added=before_item is not None)
    changes += [Change("action", a.id, "removed", old=a.label) for a in actions.removed]
    changes += _prose(old, new, renamed)
    changes += _progress(old, new, renamed, words)
    return changes


def _progress(old: Plan, new: Plan, actions: dict[str, str], words: Words) -> list[Change]:
    """What each progress report says (what the annexes and fact sheets show): a value, a status, a date, notes,
    by period, action (under its new id), KPI and activity."""

    def facts(plan: Plan, renamed: dict[str, str]) -> dict[str, dict[str, object]]:
        found: dict[str, dict[str, object]] = {}
        for report in plan.reports:
            for action_id, action in report.actions.items():
                where = f"{report.period}/{renamed.get(action_id, action_id)}"
                found[where] = {"notes": _text(action.notes)}
                for kpi_id, kpi in action.kpis.items():
                    value = kpi.value if isinstance(kpi.value, bool) else words.number(kpi.value)
                    found[f"{where}/{kpi_id}"] = {"value": value, "notes": _text(kpi.notes)}
                for activity_id, activity in action.activities.items():
                    found[f"{where}/{activity_id}"] = {
                        "status": words.activity_status(activity.status),
                        "date": activity.date.isoformat() if activity.date else "",
                        "notes": _text(activity.notes),
                    }
        return found

    def shown(values: dict[str, object]) -> str:
        return " · ".join(str(v) for v in values.values() if v not in ("", None))

    old_periods, new_periods = {str(r.period): r for r in old.reports}, {str(r.period): r for r in new.reports}
    changes = [Change("progress", p, "added", new=f"report of {r.date.isoformat()}") for p, r in new_periods.items() if p not in old_periods]
    changes += [Change("progress", p, "removed", old=f"report of {r.date.isoformat()}") for p, r in old_periods.items() if p not in new_periods]
    both = old_periods.keys() & new_periods.keys()  # a report added or removed is one line, not one per value
    before = {k: v for k, v in facts(old, actions).items() if k.split("/")[0] in both}
    after = {k: v for k, v in facts(new, {}).items() if k.split("/")[0] in both}
    for key, values in after.items():
        previous = before.pop(key, None)
        if previous is None:
            changes.append(Change("progress", key, "added", new=shown(values)))
            continue
        for field, value in values.items():
            _field(changes, "progress", key, field, previous[field], value)
    return changes + [Change("progress", key, "removed", old=shown(values)) for key, values in before.items()]


def earlier_ids(changes: list[Change], kind: str) -> dict[str, str]:
    """New id → old id of the items of a kind whose id changed (moved, renumbered or renamed)."""
    found = {}
    for change in changes:
        if change.kind == kind and change.change == "renamed":
            found[change.id] = str(change.old)
        elif change.kind == kind and isinstance(change.old, dict) and "id" in change.old:
            found[change.id] = change.old["id"]
    return found


def _objective_items(plan: Plan) -> list[moves.Item]:
    return [moves.Item(o.id, "plan", "the plan", f"objective {o.number}", str(o.number), o.title) for o in plan.strategic_objectives]


_NUMBERS = re.compile(r"\d+(?:\.\d+)*")  # the number in an action's reference: "AO 3.1", "Acción 12"


def _action_items(plan: Plan) -> list[moves.Item]:
    numbers = {o.id: o.number for o in plan.strategic_objectives}
    return [
        moves.Item(a.id, a.objective_id, f"objective {numbers[a.objective_id]}", a.reference, " ".join(_NUMBERS.findall(a.reference)), _action_text(a))
        for a in plan.actions
    ]


def _action_text(action: Action) -> str:
    """What an action says, to pair it when its id changed with its number."""
    return "\n".join([_text(action.summary), *(_text(k.text) for k in action.kpis), *(_text(a.text) for a in action.activities)])


class _Parts:
    """The KPIs (or activities) of every action of both versions, paired across actions: a KPI may move to another one."""

    def __init__(self, old: Plan, new: Plan, renamed: dict[str, str], name: str, values, fields: tuple[str, str]) -> None:
        self.fields = fields
        self.values: dict[str, tuple[str, str]] = {}  # "old:" or "new:" and its key → its values, worked out once

        def items(plan: Plan, side: str, actions: dict[str, str]) -> list[moves.Item]:
            found = []
            for action in plan.actions:
                owner = actions.get(action.id, action.id)  # an old action's parts are keyed under its new id
                for part in getattr(action, name):
                    number = f"{part.letter})" if name == "kpis" else str(part.number)
                    label = f"KPI {number}" if name == "kpis" else f"activity {number}"
                    key = f"{owner}/{part.id}"
                    self.values[f"{side}:{key}"] = values(part)
                    # its text and target (or calendar): what the redline weighs too, to say which of two swapped items moved
                    found.append(moves.Item(f"{action.id}/{part.id}", owner, action.reference, label, number, " · ".join(self.values[f"{side}:{key}"]), key))
            return found

        self.matching = moves.match(items(old, "old", renamed), items(new, "new", {}))
        self.placed = moves.places(self.matching, {})
        self.new_of: dict[str, list[moves.Item]] = {}  # by action: a dictionary, not a scan per action
        self.lost: dict[str, list[moves.Item]] = {}
        for item in self.matching.new:
            self.new_of.setdefault(item.where, []).append(item)
        for item in self.matching.removed:
            self.lost.setdefault(item.where, []).append(item)

    def report(self, changes: list[Change], kind: str, action_id: str, added: bool) -> None:
        """The changes of one action's parts (in the new version's order), then those it lost."""
        for item in self.new_of.get(action_id, []):
            before = self.matching.old_of(item)
            if before is None:
                if added:
                    changes.append(Change(kind, item.id, "added", new=item.text))
                continue
            _place(changes, kind, before, item, self.placed)
            for field, a, b in zip(self.fields, self.values[f"old:{before.pairing}"], self.values[f"new:{item.pairing}"]):
                _field(changes, kind, item.id, field, a, b)
        for before in self.lost.get(action_id, []):
            changes.append(Change(kind, before.id, "removed", old=before.text))


def _place(changes: list[Change], kind: str, old: moves.Item, new: moves.Item, placed: dict[str, str]) -> None:
    """A move or a renumbering (with the old and new place), or else a new id for the same thing."""
    how = placed.get(new.pairing)
    renamed = old.pairing != new.pairing  # its own id changed, not only its action's
    if how:
        changes.append(Change(kind, new.id, how, "place" if how == "moved" else "number", old.place() | ({"id": old.id} if renamed else {}), new.place()))
    elif renamed:
        changes.append(Change(kind, new.id, "renamed", "id", old.id, new.id))


def _prose(old: Plan, new: Plan, actions: dict[str, str]) -> list[Change]:
    """Paragraphs, list items, headings (summaries included) and footnotes, paired by id (or by text), with their
    moves: changed, moved and renamed in document order, then added, then removed."""
    before, after = _block_items(old, actions), _block_items(new, {})
    changes: list[Change] = []
    added: list[Change] = []
    removed: list[Change] = []
    matched = {}
    for kind in ("paragraph", "cell", "footnote"):
        blocks = moves.match([i for k, i in before if k == kind], [i for k, i in after if k == kind])
        # a footnote follows its mark, a cell its table's row and column: their places are not compared
        matched[kind] = (blocks, moves.places(blocks, {}) if kind == "paragraph" else {})
        removed += [Change(kind, b.id, "removed", old=b.text) for b in blocks.removed]
    for kind, item in after:
        blocks, placed = matched[kind]
        previous = blocks.old_of(item)
        if previous is None:
            added.append(Change(kind, item.id, "added", new=item.text))
            continue
        _place(changes, kind, previous, item, placed)
        if previous.text != item.text:
            changes.append(Change(kind, item.id, "changed", "text", previous.text, item.text, word_diff(previous.text, item.text)))
    order = {item.id: index for index, (_, item) in enumerate(before)}
    return changes + added + sorted(removed, key=lambda c: order[c.id])


def _block_items(plan: Plan, actions: dict[str, str]) -> list[tuple[str, moves.Item]]:
    """("paragraph", "cell" or "footnote", item) of every block of the plan's texts, as the field walk gives them
    (KPIs and activities are compared with their action; progress notes are not the plan), each placed in its text."""
    placed = _places(plan, actions)
    items = []
    for field in fields(plan):
        if field.block is None or field.owner not in ("plan", "objective", "action"):
            continue
        found = placed.get(field.key)
        if found is None:  # a text the walk has and _places does not know: compared in a list of its own
            kind = "footnote" if field.key.startswith("fn.") else "cell" if field.block.kind == "cell" else "paragraph"
            found = (kind, moves.Item(field.key, field.owner, field.owner, "", "", to_markdown(field.block.inlines)))
        items.append(found)
    return items


def _places(plan: Plan, actions: dict[str, str]) -> dict[str, tuple[str, moves.Item]]:
    """Each block of the plan's texts by id: its kind, and where it is (text, list, paragraph)."""
    # (list key, its name, the text, the id its generated block ids start with and the new one)
    texts = [("introduction", "the introduction", plan.introduction, "", ""), ("objectives", "the objectives", plan.objectives, "", ""),
             ("context", "the context", plan.context, "", "")]
    texts += [(f"{actions.get(a.id, a.id)}.summary", f"the summary of {a.reference}", a.summary, a.id, actions.get(a.id, a.id)) for a in plan.actions]
    found: dict[str, tuple[str, moves.Item]] = {}
    for where, within, prose, prefix, owner in texts:
        lists: dict[str, int] = {}
        in_list: dict[str, int] = {}
        index = 0
        for block in prose.blocks:
            if block.kind == "cell":
                label = f"row {block.row}, column {block.column}"
                found[block.id] = ("cell", moves.Item(block.id, where, within, label, "", to_markdown(block.inlines)))
                continue
            index += 1
            label, number = f"paragraph {index}", ""
            if block.kind == "item":
                lists.setdefault(block.list_id, len(lists) + 1)
                in_list[block.list_id] = in_list.get(block.list_id, 0) + 1
                label = f"item {in_list[block.list_id]} of list {lists[block.list_id]}"
                number = f"{block.start + in_list[block.list_id] - 1}." if block.ordered else ""
            # a summary's paragraph of an action whose id changed is keyed under the new id
            key = owner + block.id[len(prefix):] if prefix and block.id.startswith(prefix + ".") else ""
            found[block.id] = ("paragraph", moves.Item(block.id, where, within, label, number, to_markdown(block.inlines), key))
        for note in prose.footnotes.values():
            found.update((b.id, ("footnote", moves.Item(b.id, "footnotes", "the footnotes", "", "", to_markdown(b.inlines)))) for b in note.blocks)
    return found


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
    "progress": "Progress reports",
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


def places(change: Change) -> tuple[str, str]:
    """Where a moved item was and is ("AO 3.1 in objective 3", "AO 2.4 in objective 2"), or a renumbered one's numbers."""
    old, new = change.old, change.new
    assert isinstance(old, dict) and isinstance(new, dict)
    if change.change == "renumbered":
        return old["at"], f"{new['at']} in {new['in']}"
    return f"{old['at']} in {old['in']}", f"{new['at']} in {new['in']}"


def _new_id(change: Change) -> str:
    assert isinstance(change.old, dict)
    return f" (id {change.old['id']} → {change.id})" if "id" in change.old else ""


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
    if change.change in ("moved", "renumbered"):
        return f"**{change.id}** {change.change}: {' → '.join(places(change))}{_new_id(change)}"
    if change.words:
        return f"**{change.id}** {change.field}: {change.words}"
    return f"**{change.id}** {change.field}: {show(change.old)} → {show(change.new)}"
