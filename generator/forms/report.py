"""Writing what filled forms say into the period's report, ``source/<plan>/progress/<period>.yaml``.

The YAML is edited in place with a round-trip parser (ruamel.yaml): comments, key order, flow or block
style and every line not changed stay as they were.  A value the report already has and a form contradicts
is a conflict, refused unless overwriting is asked for.  The result must pass the same checks as
``pao validate`` before it takes the report's place; otherwise nothing is written.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import io
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from ..diagnostics import Diagnostic, Diagnostics, Location, SourceError, display_path, fail
from ..files import write_atomically
from ..model.period import Period
from ..model.plan import Plan, Sources
from ..sources.reports import PROGRESS_FOLDER
from .reading import Entry, Form, Value, read_form

_LITERAL = re.compile("[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")  # printable, and no line break but \n
SCHEMA_LINE = "# yaml-language-server: $schema=../../../docs/schema/progress.schema.json\n"


@dataclasses.dataclass(frozen=True)
class Written:
    """What the period's report already says, as written in its YAML (notes as their Markdown)."""

    values: dict[tuple[str, str], bool | int | float]  # (action, KPI) → value
    statuses: dict[tuple[str, str], tuple[str, datetime.date | None]]  # (action, activity) → status, date
    notes: dict[tuple[str, ...], str]  # (action,), (action, "kpis", id), (action, "activities", id) → Markdown


NOTHING_WRITTEN = Written({}, {}, {})


@dataclasses.dataclass(frozen=True)
class Imported:
    """The report that the forms give: its file, its text before (None: a new report) and after."""

    path: Path
    before: str | None
    after: str
    changed: bool
    cells: dict[int, Location] = dataclasses.field(default_factory=dict)  # a line of ``after`` → the cell that wrote it

    def diff(self) -> str:
        shown = display_path(self.path)
        before = (self.before or "").splitlines(keepends=True)
        lines = difflib.unified_diff(before, self.after.splitlines(keepends=True), f"a/{shown}" if self.before is not None else "/dev/null", f"b/{shown}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # a long line stays one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def report_path(plan: Plan, period: Period) -> Path:
    """The file of the period's report: the one that says it is of ``period`` (however it is named: the loader
    only warns about a name), else ``<period>.yaml`` for a new one."""
    folder = plan.folder / PROGRESS_FOLDER
    canonical = folder / f"{period}.yaml"
    if canonical.is_file() or not any(r.period == period for r in plan.reports):
        return canonical
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        data = _read(path)
        if isinstance(data, dict) and str(data.get("period")) == str(period):
            return path
    return canonical


def written_report(plan: Plan, period: Period) -> Written:
    """What the period's report says, for a form to show filled in: values and statuses as resolved,
    notes as written (their Markdown)."""
    report = next((r for r in plan.reports if r.period == period), None)
    path = report_path(plan, period)
    if report is None or not path.is_file():
        return NOTHING_WRITTEN
    data = _read(path)
    notes: dict[tuple[str, ...], str] = {}
    for action_id, action in (data.get("actions") or {}).items():
        if isinstance(action, dict):
            _note(notes, (action_id,), action)
            for kind in ("kpis", "activities"):
                for item_id, item in (action.get(kind) or {}).items():
                    _note(notes, (action_id, kind, item_id), item)
    values = {(a, k): kpi.value for a, action in report.actions.items() for k, kpi in action.kpis.items()}
    statuses = {(a, k): (act.status, act.date) for a, action in report.actions.items() for k, act in action.activities.items()}
    return Written(values, statuses, notes)


def _read(path: Path) -> Any:
    """A report that passed the loader's checks (PyYAML), read by the round-trip parser; one it reads
    otherwise is a located error, not a traceback."""
    try:
        return _yaml().load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(display_path(path), mark.line + 1, mark.column + 1) if mark else Location(display_path(path))
        raise fail(where, f"cannot be read by the forms' YAML editor ({getattr(exc, 'problem', None) or exc}): write this report by hand", "form.report-file") from None


def _note(notes: dict[tuple[str, ...], str], key: tuple[str, ...], mapping: Any) -> None:
    if isinstance(mapping, dict) and isinstance(mapping.get("notes"), str) and mapping["notes"].strip():
        notes[key] = str(mapping["notes"]).strip()


def check_together(forms: list[Form], diagnostics: Diagnostics) -> dict[tuple[str, ...], Entry]:
    """The forms of one import are of one plan and period; what two of them say of one cell must agree.
    Every entry by its path in the report."""
    first = forms[0]
    for form in forms[1:]:
        if (form.plan.id, form.period) != (first.plan.id, first.period):
            diagnostics.error(
                form.where,
                f"a form of {form.plan.id} {form.period}, but {first.shown} is of {first.plan.id} {first.period}: import the forms of one report at a time",
                "form.mixed",
            )
    merged: dict[tuple[str, ...], Entry] = {}
    for form in forms:
        for entry in form.entries:
            earlier = merged.setdefault(entry.path, entry)
            if earlier is not entry and not _same(earlier.value, entry.value):
                diagnostics.error(
                    entry.where,
                    f"{_field(entry.path)}: {_shown(entry.value)} here, but {_shown(earlier.value)} in {earlier.where}: the forms must agree",
                    "form.conflict",
                )
    return merged


def apply(plan: Plan, period: Period, entries: dict[tuple[str, ...], Entry], date: datetime.date, overwrite: bool, diagnostics: Diagnostics) -> Imported | None:
    """The report with what the forms say; None when the report cannot be read or a value conflicts (without ``overwrite``)."""
    path = report_path(plan, period)
    before: str | None = path.read_text(encoding="utf-8") if path.is_file() else None
    yaml = _yaml()
    try:
        data = yaml.load(before) if before is not None else _new_report(period, date)
    except YAMLError as exc:
        diagnostics.error(Location(display_path(path)), f"cannot be read as YAML ({exc}): run 'pao validate'", "form.report-file")
        return None
    if not isinstance(data, CommentedMap):
        diagnostics.error(Location(display_path(path)), "is not a report (a mapping with period, date and actions): run 'pao validate'", "form.report-file")
        return None
    editor = _Editor(plan, path, data, overwrite, diagnostics)
    for entry in sorted(entries.values(), key=lambda e: _order(plan, e.path)):
        editor.set(entry)
    if editor.conflicts:
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    after = out.getvalue() if before is not None else SCHEMA_LINE + out.getvalue()
    return Imported(path, before, after, editor.changed and after != before, _cells(after, entries, diagnostics))


def _cells(text: str, entries: dict[tuple[str, ...], Entry], diagnostics: Diagnostics) -> dict[int, Location]:
    """Which cell wrote each line of the new report (a problem found there is shown at the cell); a value
    that would not read back as it was typed is an error at its cell (text is never altered on the way)."""
    try:
        data = _yaml().load(text)
    except YAMLError:  # a character that YAML writes but cannot read back: one of the texts holds it
        for path, entry in entries.items():
            if path[-1] == "notes":
                diagnostics.error(entry.where, f"{_field(path)}: this text would not read back from YAML as typed: write it in the report by hand", "form.text")
        return {}
    cells = {}
    for path, entry in entries.items():
        node = data.get("actions")
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, CommentedMap) else None
        if not isinstance(node, CommentedMap) or path[-1] not in node:
            continue  # an entry equal to what the report had: nothing written for it
        cells[node.lc.value(path[-1])[0] + 1] = entry.where
        written = node[path[-1]]
        if isinstance(entry.value, str) and str(written).rstrip("\n") != entry.value and not _same(written, entry.value):
            diagnostics.error(entry.where, f"{_field(path)}: this text would not read back from YAML as typed: write it in the report by hand", "form.text")
    return cells


def _new_report(period: Period, date: datetime.date) -> CommentedMap:
    data = CommentedMap()
    data["period"] = str(period)
    data["date"] = date
    data["actions"] = CommentedMap()
    return data


def _order(plan: Plan, path: tuple[str, ...]) -> tuple[int, int, int, int]:
    """Entries in the plan's order, so that new keys come in it."""
    action_ids = [a.id for a in plan.actions]
    action = plan.action(path[0])
    kinds = ("notes", "kpis", "activities")
    kind = kinds.index(path[1])
    items = [k.id for k in action.kpis] if path[1] == "kpis" else [a.id for a in action.activities] if path[1] == "activities" else []
    fields = ("value", "status", "date", "notes")
    return action_ids.index(path[0]), kind, items.index(path[2]) if len(path) > 3 else 0, fields.index(path[-1])


class _Editor:
    def __init__(self, plan: Plan, path: Path, data: CommentedMap, overwrite: bool, diagnostics: Diagnostics) -> None:
        self.plan = plan
        self.shown = display_path(path)
        self.data = data
        self.overwrite = overwrite
        self.diagnostics = diagnostics
        self.conflicts = 0
        self.changed = False

    def set(self, entry: Entry) -> None:
        *parents, field = entry.path
        mapping = self.mapping(tuple(parents))
        old = mapping.get(field)
        if old is not None and _same(old, entry.value):
            return
        if old is not None and not self.overwrite:
            self.conflicts += 1
            self.diagnostics.error(
                entry.where,
                f"{_field(entry.path)}: the form says {_shown(entry.value)}, the report says {_shown(old)} "
                f"({self.located(mapping, field)}): clear the cell to keep the report's value, or import with --overwrite",
                "form.conflict",
            )
            return
        self.changed = True
        value: Any = entry.value
        if field == "notes":
            text = str(entry.value)
            # lines of their own (a literal block) where YAML can print every character, else an escaped string
            value = LiteralScalarString(text + "\n") if "\n" in text and _LITERAL.fullmatch(text) else text
            if mapping.fa.flow_style():
                mapping.fa.set_block_style()  # notes read best on lines of their own
        if field == "status" and value != "completed" and "date" in mapping:
            del mapping["date"]  # a date is the day an activity was completed
        mapping[field] = value
        if len(parents) == 3 and parents[1] == "kpis" and field == "value":
            currency = self.plan.action(parents[0]).kpis[[k.id for k in self.plan.action(parents[0]).kpis].index(parents[2])].target.currency
            if currency and mapping.get("currency") != currency:
                mapping["currency"] = currency

    def mapping(self, path: tuple[str, ...]) -> CommentedMap:
        """The mapping at ``path`` under ``actions``, made (in the plan's order) where missing."""
        node = self.data
        keys = ("actions", *path)
        for depth, key in enumerate(keys):
            child = node.get(key)
            if not isinstance(child, CommentedMap):
                child = CommentedMap()
                if depth == 3:  # an item of kpis or activities: one line, like a hand-written report's
                    child.fa.set_flow_style()
                _insert(node, key, child, self.plan, keys[:depth])
            node = child
        return node

    def located(self, mapping: CommentedMap, field: str) -> str:
        try:
            line, col = mapping.lc.value(field)
        except (KeyError, TypeError, AttributeError):
            return self.shown
        return str(Location(self.shown, line + 1, col + 1))


def _insert(node: CommentedMap, key: str, child: CommentedMap, plan: Plan, path: tuple[str, ...]) -> None:
    """``key`` put under the mapping at ``path`` (from ``actions``), before the first key that comes after it
    in the plan (at the end otherwise)."""
    if len(path) == 1:  # under actions
        order = [a.id for a in plan.actions]
    elif len(path) == 2:  # under an action: notes, kpis, activities
        order = ["notes", "kpis", "activities"]
    elif len(path) == 3:
        action = plan.action(path[1])
        order = [k.id for k in action.kpis] if path[2] == "kpis" else [a.id for a in action.activities]
    else:
        order = []
    if key in order:
        later = set(order[order.index(key) + 1 :])
        position = next((i for i, existing in enumerate(node) if existing in later), None)
        if position is not None:
            node.insert(position, key, child)
            return
    node[key] = child


def _same(old: Any, new: Value) -> bool:
    if isinstance(new, bool) or isinstance(old, bool):
        return _yes_no(old) == new
    if isinstance(new, (int, float)) and isinstance(old, (int, float)):
        return float(old) == float(new)
    if isinstance(new, str) and isinstance(old, str):
        return old.strip() == new.strip()
    return bool(old == new)


def _yes_no(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return value.strip().lower() in ("yes", "true")
    return value


def _field(path: tuple[str, ...]) -> str:
    return "actions." + ".".join(path)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value.strip())
    return str(value)


def validated(sources: Sources, imported: Imported, warn: Callable[[Diagnostic], None]) -> None:
    """SourceError unless the sources with the new report pass ``pao validate``'s checks: they are copied to a
    temporary folder, the report put in its place there, and the copy validated; problems point at the real files."""
    from .. import pipeline

    with tempfile.TemporaryDirectory(prefix="pao-import-") as folder:
        copy = Path(folder) / sources.folder.name
        shutil.copytree(sources.folder, copy, symlinks=True)
        target = copy / imported.path.resolve().relative_to(sources.folder.resolve())
        target.write_text(imported.after, encoding="utf-8")
        shown_copy, shown_real = display_path(copy), display_path(sources.folder)

        report = display_path(imported.path)

        def real(diagnostic: Diagnostic) -> Diagnostic:
            location = diagnostic.location
            if location.file.startswith(shown_copy):
                location = dataclasses.replace(location, file=shown_real + location.file[len(shown_copy) :])
            if location.file == report and location.line in imported.cells:
                location = imported.cells[location.line]  # the cell that wrote the line
            return dataclasses.replace(diagnostic, location=location)

        def shown(diagnostic: Diagnostic) -> None:
            # a new note is not translated yet: 'pao translations update' is the next step, not a problem of the forms
            if not diagnostic.code.startswith("i18n.") and real(diagnostic).location.file in (report, *(c.file for c in imported.cells.values())):
                warn(real(diagnostic))

        try:
            pipeline.validate(copy, warn=shown)
        except SourceError as error:
            raise SourceError([real(d) for d in error.diagnostics]) from None


def import_forms(
    sources: Sources, files: list[Path], date: datetime.date, overwrite: bool, warn: Callable[[Diagnostic], None]
) -> Imported | None:
    """The report that the filled forms in ``files`` give, checked like any report (not yet written);
    None when they say nothing new.  SourceError with every problem, each at its cell."""
    diagnostics = Diagnostics()
    forms = [form for path in files if (form := read_form(path, sources, diagnostics)) is not None]
    if diagnostics.errors or not forms:
        raise SourceError(diagnostics)
    entries = check_together(forms, diagnostics)
    if diagnostics.errors:
        raise SourceError(diagnostics)
    imported = apply(forms[0].plan, forms[0].period, entries, date, overwrite, diagnostics)
    if diagnostics.errors or imported is None:
        raise SourceError(diagnostics)
    if not imported.changed:
        return None
    validated(sources, imported, warn)
    return imported


def write(imported: Imported) -> None:
    """The new report in its file, unless someone changed that file since the import read it (then nothing)."""
    now = imported.path.read_text(encoding="utf-8") if imported.path.is_file() else None
    if now != imported.before:
        raise fail(Location(display_path(imported.path)), "changed while the forms were imported: import them again", "form.report-changed")
    write_atomically(imported.path, imported.after.encode("utf-8"))
