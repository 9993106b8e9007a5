"""A plan's cross-checks (what one field alone cannot say), building its resolved model on the way.

``PlanChecker`` checks the plan as a whole (languages, period, title, header
parties, prose files, strategic objectives, ids unique across the plan);
``ActionChecker`` one operational action (its parties, KPIs and targets,
activities and calendars).  Both report through the plan's YAML file, so
every message is located; both name prose blocks with ``model.fields.Keys``.
"""
from __future__ import annotations

import difflib
import re
import string
from collections.abc import Sequence
from pathlib import Path

from ..diagnostics import Diagnostics, Location, display_path
from ..model import plan as resolve
from ..model.fields import Keys, fields
from ..model.period import Period, span
from ..model.prose import EMPTY, Prose
from . import format as model
from .checks import check_text_characters, path_text, path_value
from .limits import number_problem, regular_file_problem
from .markdown import FOOTNOTE_IDS, parse
from .parties import ORGANISATIONS_FILE, check_language, currency_problem, language_name, party_problem
from .yamlfile import YamlFile, read_text

PLAN_FILE = "plan.yaml"
# the number of an action in its id or reference: "AO-3.1", "AO 3.1", "Acción 12"
_NUMBERING = re.compile(r"\d+(?:\.\d+)*")

YamlPath = tuple  # keys and indexes into the YAML data, e.g. ("actions", 2, "kpis", 0)


class _Checks:
    """Reporting through one YAML file, and the checks plan and actions share."""

    def __init__(self, source: YamlFile, organisations: dict[str, resolve.Organisation], diagnostics: Diagnostics) -> None:
        self.source = source
        self.organisations = organisations
        self.diagnostics = diagnostics

    def error(self, path: YamlPath, message: str, code: str) -> None:
        self.diagnostics.error(self.source.locate(path), f"{path_text(path)}: {message}", code)

    def warning(self, path: YamlPath, message: str, code: str) -> None:
        self.diagnostics.warning(self.source.locate(path), f"{path_text(path)}: {message}", code)

    def check_parties(self, path: YamlPath, lead: Sequence[str], co_leads: Sequence[str], participants: Sequence[str], single_lead: bool) -> None:
        """Known codes, each party in one role only; ``single_lead``: the lead was written as one code, not a list."""
        roles: dict[str, str] = {}
        for key, values, countries_only in (("lead", lead, True), ("co_leads", co_leads, True), ("participants", participants, False)):
            seen = set()
            for index, code in enumerate(values):
                where = path + ((key,) if single_lead and key == "lead" else (key, index))
                self._check_party(where, code, countries_only)
                if code in seen:
                    self.warning(where, f"'{code}' is listed twice", "consistency.repeated-party")
                elif code in roles:
                    self.warning(where, f"'{code}' is also listed as {roles[code]}", "consistency.double-role")
                seen.add(code)
                roles.setdefault(code, "lead" if key == "lead" else key.replace("_", "-")[:-1])

    def _single_lead(self, path: YamlPath) -> bool:
        """Whether the lead at ``path`` is written as one code (``lead: BR``), not a list."""
        owner = path_value(self.source.data, path)
        return isinstance(owner, dict) and isinstance(owner.get("lead"), str)

    def _check_party(self, path: YamlPath, code: str, countries_only: bool) -> None:
        problem = party_problem(code, self.organisations, countries_only)
        if problem:
            self.error(path, *problem)

    def prose_field(self, path: YamlPath, ids: str, text: str, headings: bool = False, single: bool = False) -> Prose:
        """A Markdown field of plan.yaml, its blocks named ``<ids>.1``, ``<ids>.2``… (``<ids>`` when ``single``)."""
        origin, block = self.source.text_origin(path)
        return parse(text, origin, self.diagnostics, ids=ids, block_scalar=block, headings=headings, single_paragraph=single)


class PlanChecker(_Checks):
    """Cross-checks of one plan; ``run`` returns its resolved model (meaningful only without errors)."""

    def __init__(self, folder: Path, source: YamlFile, plan: model.Plan, organisations: dict[str, resolve.Organisation], diagnostics: Diagnostics) -> None:
        super().__init__(source, organisations, diagnostics)
        self.folder = folder
        self.plan = plan

    def run(self) -> resolve.Plan:
        plan = self.plan
        errors_before = len(self.diagnostics.errors)
        self._check_languages()
        if plan.period.start.first > plan.period.end.last:
            self.error(("period",), f"starts ({plan.period.start}) after it ends ({plan.period.end})", "plan.period")
        period = span(plan.period.start, plan.period.end)
        self._check_title(period)
        self.check_parties((), plan.lead, plan.co_leads, plan.participants, self._single_lead(()))
        self._check_organisation_names()
        if not plan.lead:
            # at the key: an empty value has no text of its own to point at (a missing key: the file's top)
            self.diagnostics.warning(self.source.locate(("lead",), key=True),
                                     "lead: the plan names no lead country: its header's lead cell will be empty", "consistency.no-lead")
        introduction = self._prose_file("introduction")
        objectives_text = self._prose_file("objectives")
        context = self._prose_file("context")
        objective_ids = self._check_objectives()
        first: dict[str, int] = {}  # each action id's first index: the duplicate check stays linear
        for index, action in enumerate(plan.actions):
            first.setdefault(action.id, index)
        actions = [ActionChecker(self, index, action, period).run(objective_ids, first) for index, action in enumerate(plan.actions)]
        self._check_references()
        self._check_prose_ids([introduction, objectives_text, context], [p for a in actions for p in _action_prose(a)])
        objectives = tuple(
            resolve.StrategicObjective(
                id=o.id,
                number=o.number,
                title=o.title,
                heading=o.heading or o.title,
                actions=tuple(a for a in actions if a.objective_id == o.id),
                written_at={
                    "title": self.source.locate(("strategic_objectives", index, "title")),
                    "heading": self.source.locate(("strategic_objectives", index, "heading" if o.heading else "title")),
                },
            )
            for index, o in enumerate(plan.strategic_objectives)
        )
        for index, objective in enumerate(objectives):
            if not objective.actions:
                self.warning(("strategic_objectives", index), f"strategic objective {objective.id} has no operational action", "consistency.empty-objective")
        date_text = self.source.data.get("date") if isinstance(self.source.data, dict) else None
        resolved = resolve.Plan(
            id=self.folder.name,
            folder=self.folder,
            title=plan.title,
            language=plan.language,
            languages=tuple(plan.languages),
            reference=plan.reference,
            date=plan.date,
            date_precision="month" if isinstance(date_text, str) and len(date_text.strip()) == 7 else "day",
            period=period,
            origin=plan.origin,
            recipients=plan.recipients,
            subject=plan.subject,
            lead=tuple(plan.lead),
            co_leads=tuple(plan.co_leads),
            participants=tuple(plan.participants),
            introduction=introduction,
            objectives=objectives_text,
            context=context,
            strategic_objectives=objectives,
            translations=tuple(plan.translations.items()),
            written_at={key: self.source.locate((key,)) for key in ("title", "origin", "recipients", "subject")},
        )
        if len(self.diagnostics.errors) == errors_before:  # else a repeated id is reported once, where it is written
            self._check_keys(resolved)
        return resolved

    def _check_keys(self, plan: resolve.Plan) -> None:
        """Every text has its own key, even where ids written apart make the same one.

        (An action ``fn`` and a footnote ``[^summary]`` would both name a paragraph
        ``fn.summary.1``; a catalog would then give one the other's translation.)
        """
        seen: dict[str, Location] = {}
        for field in fields(plan):
            if field.key in seen:
                self.diagnostics.error(
                    field.location,
                    f"this text and the one at {seen[field.key]} get the same name, '{field.key}', from their ids: "
                    "rename one (an action's, KPI's or activity's id, or a footnote label) so that catalogs tell them apart",
                    "plan.duplicate-id",
                )
            seen.setdefault(field.key, field.location)

    def _check_languages(self) -> None:
        plan = self.plan
        check_language(plan.language, self.source.locate(("language",)), self.diagnostics)
        for index, language in enumerate(plan.languages):
            check_language(language, self.source.locate(("languages", index)), self.diagnostics)
        for language in plan.translations:
            check_language(language, self.source.locate(("translations", language), key=True), self.diagnostics)
            if language == plan.language:
                self.error(("translations", language), f"'{language}' is the plan's own language, not a translation", "plan.translation")

    def _check_title(self, period: Period) -> None:
        for match in re.finditer(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", self.plan.title):
            first, last = int(match[1]), int(match[2])
            if (first, last) != (period.year, period.last // 12):
                self.warning(
                    ("title",),
                    f"the title says {match[0]} but the plan's period is {self.plan.period.start}–{self.plan.period.end}",
                    "consistency.title-period",
                )

    def _check_organisation_names(self) -> None:
        """Each organisation taking part has a name in every language the plan is built in.

        Reported once per organisation and language, in organisations.yaml where its names are
        written (the fix goes there), naming where this plan first lists it.
        """
        languages = [self.plan.language, *self.plan.translations]
        lists = [((), self.plan.participants)] + [(("actions", i), a.participants) for i, a in enumerate(self.plan.actions)]
        reported = set()
        for path, participants in lists:
            for index, code in enumerate(participants):
                organisation = self.organisations.get(code)
                if organisation is None:
                    continue
                for language in languages:
                    if language in organisation.names or (code, language) in reported:
                        continue
                    reported.add((code, language))
                    self.diagnostics.error(
                        organisation.written_at.get("name", Location(ORGANISATIONS_FILE)),
                        f"{code}.name: no {language_name(language)} name ({language}), and plan '{self.folder.name}' is built in "
                        f"{language_name(language)}, where {code} takes part ({self.source.locate(path + ('participants', index))}): "
                        f"add '{language}: …' to its names",
                        "organisation.missing-name",
                    )

    def _check_references(self) -> None:
        """Each action prints its own reference ("AO 1.2" twice would name two actions alike)."""
        seen: dict[str, int] = {}
        for index, action in enumerate(self.plan.actions):
            printed = " ".join(action.reference.split())
            if printed in seen:
                self.error(
                    ("actions", index, "reference"),
                    f"'{action.reference}' is already the reference of actions[{seen[printed]}] ({self.plan.actions[seen[printed]].id}): "
                    "each action prints its own reference",
                    "plan.duplicate-reference",
                )
            seen.setdefault(printed, index)

    def _check_objectives(self) -> dict[str, int]:
        """Ids and numbers unique; the ids, for actions to refer to."""
        ids: dict[str, int] = {}
        numbers: dict[int, int] = {}
        for index, objective in enumerate(self.plan.strategic_objectives):
            if objective.id in ids:
                self.error(("strategic_objectives", index, "id"), f"'{objective.id}' is already the id of strategic_objectives[{ids[objective.id]}]", "plan.duplicate-id")
            if objective.number in numbers:
                self.error(("strategic_objectives", index, "number"), f"number {objective.number} is already used by strategic_objectives[{numbers[objective.number]}]", "plan.duplicate-id")
            ids.setdefault(objective.id, index)
            numbers.setdefault(objective.number, index)
        return ids

    def _prose_file(self, key: str) -> Prose:
        name = getattr(self.plan, key)
        path = self.folder / name
        problem = regular_file_problem(path, self.folder)
        if problem and problem[1] == "source.missing-file":
            self.error((key,), f"file '{name}' not found next to {PLAN_FILE}", "plan.missing-file")
            return EMPTY
        if problem:  # where plan.yaml names the file
            self.error((key,), *problem)
            return EMPTY
        text = read_text(path, self.diagnostics, inside=self.folder)
        if text is None:
            return EMPTY
        origin = Location(display_path(path), 1, 1)
        check_text_characters(text, origin, self.diagnostics)
        return parse(text, origin, self.diagnostics)

    def _check_prose_ids(self, files: list[Prose], fields: list[Prose]) -> None:
        """Ids written in prose files, and footnote labels anywhere, are unique in the plan.

        (The blocks of plan.yaml fields are named after their owner, whose id is checked.)
        """
        seen: dict[str, Location] = {}
        reserved = self._reserved_ids()
        repeated: set[str] = set()  # tables whose id is already taken: their cells are not reported one by one
        for prose in files:
            for block in prose.blocks:
                if block.kind == "cell":
                    if (block.row, block.column) == (1, 1) and block.table in seen:
                        repeated.add(block.table)
                    if block.table not in repeated:
                        self._unique_id(seen, block.id, block.location, "block")  # as a paragraph could be named
                    if (block.row, block.column) != (1, 1):
                        continue  # a table's id is checked once, at its first cell
                written = block.table or block.id
                self._unique_id(seen, written, block.location, "table" if block.table else "block")
                taken = next(((start, what) for start, what in reserved if written.startswith(start)), None)
                if taken:
                    self.diagnostics.error(
                        block.location,
                        f"{'table' if block.table else 'block'} id '{written}' is reserved: ids beginning with '{taken[0]}' name {taken[1]} "
                        "(a translation could go to the wrong paragraph); choose another id",
                        "prose.reserved-id",
                    )
        for prose in files + fields:
            for label, footnote in prose.footnotes.items():
                self._unique_id(seen, f"[^{label}]", footnote.location, "footnote")

    def _reserved_ids(self) -> list[tuple[str, str]]:
        """How the ids pao makes begin (``model.fields.Keys``, footnote paragraphs), and what they name.

        An id written in a prose file must not begin so: it could name another
        text, whose translation the document would then print.
        """
        reserved = [(FOOTNOTE_IDS, "the paragraphs of footnotes"), (Keys.plan(""), "the header of plan.yaml"),
                    ("progress.", "the notes of progress reports")]
        reserved += [(Keys.objective(o.id, ""), f"the texts of strategic objective {o.id}") for o in self.plan.strategic_objectives]
        reserved += [(Keys.action(a.id, ""), f"the texts of operational action {a.id}") for a in self.plan.actions]
        return reserved

    def _unique_id(self, seen: dict[str, Location], key: str, location: Location, what: str) -> None:
        if key.startswith("?"):
            return
        if key in seen:
            self.diagnostics.error(location, f"{what} id '{key}' is already used at {seen[key]}", "plan.duplicate-id")
        else:
            seen[key] = location


class ActionChecker(_Checks):
    """Cross-checks of one operational action (``actions[index]`` of plan.yaml)."""

    def __init__(self, plan: PlanChecker, index: int, action: model.Action, period: Period) -> None:
        super().__init__(plan.source, plan.organisations, plan.diagnostics)
        self.plan = plan.plan
        self.index = index
        self.path: YamlPath = ("actions", index)
        self.action = action
        self.period = period

    def run(self, objectives: dict[str, int], first: dict[str, int]) -> resolve.Action:
        """``first``: the index of the first action of each id."""
        action, path = self.action, self.path
        if first[action.id] < self.index:
            self.error(path + ("id",), f"'{action.id}' is already the id of actions[{first[action.id]}]", "plan.duplicate-id")
        else:  # a copied id is the one mistake there: its reference is not compared with it
            self._check_reference()
        if action.objective not in objectives:
            close = difflib.get_close_matches(action.objective, list(objectives), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(path + ("objective",), f"'{action.objective}' is not a strategic objective of this plan{hint}", "plan.unknown-objective")
        self.check_parties(path, action.lead, action.co_leads, action.participants, self._single_lead(path))
        summary = self.prose_field(path + ("summary",), Keys.action(action.id, "summary"), action.summary, headings=False)
        return resolve.Action(
            id=action.id,
            reference=action.reference,
            objective_id=action.objective,
            lead=tuple(action.lead),
            co_leads=tuple(action.co_leads),
            participants=tuple(action.participants),
            summary=summary,
            kpis=tuple(self._kpi(k, kpi) for k, kpi in enumerate(action.kpis)),
            activities=tuple(self._activity(a, activity) for a, activity in enumerate(action.activities)),
            budget=tuple(self._budget_line(b, line) for b, line in enumerate(action.budget)),
            written_at={"id": self.source.locate(path + ("id",)), "reference": self.source.locate(path + ("reference",))},
        )

    def _check_reference(self) -> None:
        """The number a reference prints is the one its id carries (``reference: AO 3.7`` on AO-3.1 is a slip)."""
        in_reference, in_id = _NUMBERING.findall(self.action.reference), _NUMBERING.findall(self.action.id)
        if in_reference and in_id and in_reference[-1] != in_id[-1]:
            self.error(
                self.path + ("reference",),
                f"'{self.action.reference}' is numbered {in_reference[-1]} but the action's id '{self.action.id}' is numbered {in_id[-1]}: "
                "correct the one that is wrong",
                "plan.reference",
            )

    def _kpi(self, k: int, kpi: model.Kpi) -> resolve.Kpi:
        path = self.path + ("kpis", k)
        self._unique_in(self.action.kpis[:k], kpi.id, path, "kpis")
        self._check_target(path + ("target",), kpi.target)
        text = self.prose_field(path + ("text",), Keys.kpi(self.action.id, kpi.id), kpi.text, single=True)
        target = resolve.Target(
            kpi.target.comparator, kpi.target.value, kpi.target.currency, kpi.target.counted, kpi.target.kind, kpi.target.up_to,
            written_at={"counted": self.source.locate(path + ("target", "counted"))},
        )
        return resolve.Kpi(kpi.id, string.ascii_lowercase[k % 26] * (k // 26 + 1), text, target)

    def _activity(self, a: int, activity: model.Activity) -> resolve.Activity:
        path = self.path + ("activities", a)
        self._unique_in(self.action.activities[:a], activity.id, path, "activities")
        ongoing = next((item for item in activity.calendar if isinstance(item, str)), None)
        if ongoing is not None and len(activity.calendar) > 1:
            self.error(
                path + ("calendar",),
                f"'{ongoing}' stands alone: an activity is either {ongoing} (due in every period) or has its periods; "
                f"write 'calendar: {ongoing}' or remove it",
                "plan.calendar",
            )
        for c, item in enumerate(activity.calendar):
            if isinstance(item, Period) and not self.period.contains(item):
                self.error(
                    path + ("calendar", c),
                    f"{item} is outside the plan's period ({self.plan.period.start}–{self.plan.period.end})",
                    "plan.calendar-outside-period",
                )
        text = self.prose_field(path + ("text",), Keys.activity(self.action.id, activity.id), activity.text, single=True)
        periods = tuple(item for item in activity.calendar if isinstance(item, Period))
        return resolve.Activity(activity.id, a + 1, text, () if ongoing else periods, ongoing)

    def _budget_line(self, b: int, line: model.BudgetLine) -> resolve.BudgetLine:
        path = self.path + ("budget", b)
        if problem := number_problem(line.amount, whole=False):
            self.error(path + ("amount",), problem.replace("must not be negative", "must not be negative: a budget is what an action may spend"), "plan.budget")
        if problem := currency_problem(line.currency):
            self.error(path + ("currency",), problem, "plan.budget")
        if not line.source.strip():
            self.error(path + ("source",), "is empty: write the source of funding (e.g. EL PAcCTO, national funds)", "plan.budget")
        return resolve.BudgetLine(line.amount, line.currency, line.source, written_at={"source": self.source.locate(path + ("source",))})

    def _unique_in(self, earlier: Sequence[model.Kpi | model.Activity], item_id: str, path: YamlPath, what: str) -> None:
        for i, other in enumerate(earlier):
            if other.id == item_id:
                self.error(path + ("id",), f"'{item_id}' is already the id of {what}[{i}] of this action", "plan.duplicate-id")
                return

    def _check_target(self, path: YamlPath, target: model.Target) -> None:
        comparator = target.comparator
        if comparator in ("achieved", "to_be_determined"):
            what = "a yes/no target (achieved)" if comparator == "achieved" else "a target to be determined"
            for key in ("value", "up_to", "currency"):
                if getattr(target, key) is not None:
                    self.error(path + (key,), f"{what} takes no {key.replace('_', ' ')}: remove it", "plan.target")
            if comparator == "achieved" and target.kind == "level":
                self.error(path + ("kind",), "a yes/no target (achieved) is neither a count nor a level: remove 'kind'", "plan.target")
            return
        if comparator in ("at_most", "between") and target.kind != "level":
            self.error(path + ("comparator",), f"'{comparator}' is for a level (the latest report counts): add 'kind: level'", "plan.target")
        if target.kind == "level" and target.currency is not None:
            self.error(path + ("currency",), "a level is no amount: remove the currency (write the unit in 'counted')", "plan.target")
        if target.value is None:
            self.error(path, f"a target '{comparator}' needs a value: the number to reach", "plan.target")
        elif problem := number_problem(target.value, whole=target.currency is None and target.kind == "count"):
            self.error(path + ("value",), problem, "plan.target")
        if comparator == "between":
            if target.up_to is None:
                self.error(path, "a target 'between' needs 'up_to': the range's high end", "plan.target")
            elif problem := number_problem(target.up_to, whole=False):
                self.error(path + ("up_to",), problem, "plan.target")
            elif target.value is not None and target.up_to <= target.value:
                self.error(path + ("up_to",), f"the range's high end ({target.up_to}) must be above its low end ({target.value})", "plan.target")
        elif target.up_to is not None:
            self.error(path + ("up_to",), f"only a target 'between' takes up_to (this one is '{comparator}'): remove it", "plan.target")
        if target.currency is not None:
            problem = currency_problem(target.currency)
            if problem:
                self.error(path + ("currency",), problem, "plan.target")


def _action_prose(action: resolve.Action) -> list[Prose]:
    return [action.summary] + [k.text for k in action.kpis] + [a.text for a in action.activities]
