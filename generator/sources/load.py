"""Loading ``source/`` and checking it: every problem at once, each located.

Schema checks come from the pydantic models (``model``); this module adds the
checks that span fields and files (ids, countries, calendars, footnotes, text
XML cannot carry) and turns good sources into the resolved model.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import re
import string
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies, list_currencies

from . import format as model

from ..model import plan as resolve
from ..diagnostics import Diagnostics, Location, display_path
from .checks import check_characters, check_text_characters, path_text, validated
from .yamlfile import YamlFile, load_yaml, read_text
from ..model.period import Period, span
from ..model.prose import EMPTY, Prose
from .markdown import parse
from .reports import load_reports

PLAN_FILE = "plan.yaml"
ORGANISATIONS_FILE = "organisations.yaml"

# CLDR's regions, less those that are no ISO 3166-1 country (EU, UN, "unknown region"…)
_NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
_COUNTRIES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
)
_ALPHA3 = {alias: codes[0] for alias, codes in get_global("territory_aliases").items() if len(alias) == 3 and alias.isalpha() and codes[0] in _COUNTRIES}
_CURRENCIES = frozenset(list_currencies())
# currencies in use somewhere today: the ones worth suggesting (not USN, a fund code)
_TENDER = frozenset(c for t in _COUNTRIES for c in get_territory_currencies(t, tender=True))


def load_sources(folder: Path, diagnostics: Diagnostics) -> resolve.Sources | None:
    """Every plan under ``folder``, checked; None when there was an error."""
    if not folder.is_dir():
        diagnostics.error(Location(display_path(folder)), "the source folder does not exist", "source.missing-folder")
        return None
    organisations = _load_organisations(folder / ORGANISATIONS_FILE, diagnostics)
    plan_files = sorted(folder.glob(f"*/{PLAN_FILE}"))
    if not plan_files:
        diagnostics.error(Location(display_path(folder)), f"no plan found: each plan is a folder holding a {PLAN_FILE}", "source.no-plan")
    plans = [plan for path in plan_files if (plan := _load_plan(path, organisations or {}, diagnostics)) is not None]
    if diagnostics.errors or organisations is None:
        return None
    return resolve.Sources(folder, organisations, tuple(plans))


def _load_organisations(path: Path, diagnostics: Diagnostics) -> dict[str, resolve.Organisation] | None:
    if not path.exists():
        return {}
    source = load_yaml(path, diagnostics)
    if source is None:
        return None
    check_characters(source, diagnostics)
    parsed = validated(model.Organisations, source, diagnostics)
    if parsed is None:
        return None
    organisations = {}
    for key, organisation in parsed.root.items():
        for language in organisation.name:
            _check_language(language, source.locate((key, "name", language), key=True), diagnostics)
        organisations[key] = resolve.Organisation(key, dict(organisation.name))
    return organisations


def _load_plan(path: Path, organisations: dict[str, resolve.Organisation], diagnostics: Diagnostics) -> resolve.Plan | None:
    source = load_yaml(path, diagnostics)
    if source is None:
        return None
    errors_before = len(diagnostics.errors)
    check_characters(source, diagnostics)
    plan = validated(model.Plan, source, diagnostics)
    if plan is None:
        _check_prose_files(path.parent, source, diagnostics)  # their mistakes too, in this same run
        return None
    first = len(diagnostics.items)
    checker = _PlanChecker(path.parent, source, plan, organisations, diagnostics)
    resolved = checker.run()
    _suppress(diagnostics, first, set(plan.suppress_warnings))
    if len(diagnostics.errors) > errors_before:
        return None
    first = len(diagnostics.items)
    reports = load_reports(resolved, diagnostics)
    _suppress(diagnostics, first, set(plan.suppress_warnings))
    return dataclasses.replace(resolved, reports=reports) if len(diagnostics.errors) == errors_before else None


def _suppress(diagnostics: Diagnostics, first: int, codes: set[str]) -> None:
    """Drop the warnings a plan says were looked at and accepted (never errors)."""
    diagnostics.items[first:] = [d for d in diagnostics.items[first:] if not (d.severity == "WARNING" and d.code in codes)]


def _check_prose_files(folder: Path, source: YamlFile, diagnostics: Diagnostics) -> None:
    """The Markdown files a plan names, checked even when plan.yaml itself has errors."""
    data = source.data if isinstance(source.data, dict) else {}
    for key in ("introduction", "objectives", "context"):
        name = data.get(key)
        path = folder / name if isinstance(name, str) else None
        if path is not None and path.is_file() and folder.resolve() in path.resolve().parents:
            text = read_text(path, diagnostics)
            if text is not None:
                origin = Location(display_path(path), 1, 1)
                check_text_characters(text, origin, diagnostics)
                parse(text, origin, diagnostics)


def _check_language(code: str, location: Location, diagnostics: Diagnostics) -> None:
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        diagnostics.error(location, f"'{code}' is not a language code (e.g. es, en, pt, fr)", "plan.unknown-language")


# ---------------------------------------------------------------- plan checks


class _PlanChecker:
    """Cross-checks of one plan; builds its resolved model on the way."""

    def __init__(self, folder: Path, source: YamlFile, plan: model.Plan, organisations: dict, diagnostics: Diagnostics) -> None:
        self.folder = folder
        self.source = source
        self.plan = plan
        self.organisations = organisations
        self.diagnostics = diagnostics
        self.ids: dict[str, Location] = {}

    def error(self, path: tuple, message: str, code: str) -> None:
        self.diagnostics.error(self.source.locate(path), f"{path_text(path)}: {message}", code)

    def warning(self, path: tuple, message: str, code: str) -> None:
        self.diagnostics.warning(self.source.locate(path), f"{path_text(path)}: {message}", code)

    def run(self) -> resolve.Plan:
        plan = self.plan
        _check_language(plan.language, self.source.locate(("language",)), self.diagnostics)
        for index, language in enumerate(plan.languages):
            _check_language(language, self.source.locate(("languages", index)), self.diagnostics)
        if plan.period.start.first > plan.period.end.last:
            self.error(("period",), f"starts ({plan.period.start}) after it ends ({plan.period.end})", "plan.period")
        period = span(plan.period.start, plan.period.end)
        self._check_title(period)
        self._check_countries((), plan.lead, plan.co_leads, plan.participants)
        introduction = self._prose_file("introduction")
        objectives_text = self._prose_file("objectives")
        context = self._prose_file("context")
        objectives = self._objectives()
        actions = [self._action(index, action, period, objectives) for index, action in enumerate(plan.actions)]
        self._check_prose_ids([introduction, objectives_text, context], [p for a in actions for p in _action_prose(a)])
        resolved_objectives = tuple(
            resolve.StrategicObjective(
                id=o.id,
                number=o.number,
                title=o.title,
                heading=o.heading or o.title,
                actions=tuple(a for a in actions if a.objective_id == o.id),
            )
            for o in plan.strategic_objectives
        )
        for index, objective in enumerate(resolved_objectives):
            if not objective.actions:
                self.warning(("strategic_objectives", index), f"strategic objective {objective.id} has no operational action", "consistency.empty-objective")
        for language in plan.translations:
            _check_language(language, self.source.locate(("translations", language), key=True), self.diagnostics)
            if language == plan.language:
                self.error(("translations", language), f"'{language}' is the plan's own language, not a translation", "plan.translation")
        date_text = self.source.data.get("date") if isinstance(self.source.data, dict) else None
        return resolve.Plan(
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
            lead=plan.lead,
            co_leads=tuple(plan.co_leads),
            participants=tuple(plan.participants),
            introduction=introduction,
            objectives=objectives_text,
            context=context,
            strategic_objectives=resolved_objectives,
            translations=tuple(plan.translations.items()),
            field_locations=tuple(self._field_locations()),
        )

    def _field_locations(self):
        """Where each translatable one-line field is written, for translation catalogs."""
        for key in ("title", "origin", "recipients", "subject"):
            yield f"plan.{key}", self.source.locate((key,))
        for index, objective in enumerate(self.plan.strategic_objectives):
            yield f"{objective.id}.title", self.source.locate(("strategic_objectives", index, "title"))
            yield f"{objective.id}.heading", self.source.locate(("strategic_objectives", index, "heading" if objective.heading else "title"))
        for index, action in enumerate(self.plan.actions):
            yield f"{action.id}.reference", self.source.locate(("actions", index, "reference"))
            for k, kpi in enumerate(action.kpis):
                yield f"{action.id}.kpis.{kpi.id}.target", self.source.locate(("actions", index, "kpis", k, "target", "counted"))

    def _check_title(self, period: Period) -> None:
        for match in re.finditer(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", self.plan.title):
            first, last = int(match[1]), int(match[2])
            if (first, last) != (period.year, period.last // 2):
                self.warning(
                    ("title",),
                    f"the title says {match[0]} but the plan's period is {self.plan.period.start}–{self.plan.period.end}",
                    "consistency.title-period",
                )

    def _check_countries(self, path: tuple, lead, co_leads, participants) -> None:
        roles = {}
        if lead:
            self._check_party(path + ("lead",), lead, countries_only=True)
            roles[lead] = "lead"
        for key, values, countries_only in (("co_leads", co_leads, True), ("participants", participants, False)):
            seen = set()
            for index, code in enumerate(values):
                where = path + (key, index)
                self._check_party(where, code, countries_only)
                if code in seen:
                    self.warning(where, f"'{code}' is listed twice", "consistency.repeated-party")
                elif code in roles:
                    self.warning(where, f"'{code}' is also listed as {roles[code]}", "consistency.double-role")
                seen.add(code)
                roles.setdefault(code, key.replace("_", "-")[:-1])

    def _check_party(self, path: tuple, code: str, countries_only: bool) -> None:
        if code in _COUNTRIES or (not countries_only and code in self.organisations):
            return
        if code.upper() in _COUNTRIES and code != code.upper():
            self.error(path, f"'{code}': write country codes in capitals ('{code.upper()}')", "plan.unknown-country")
            return
        known = sorted(_COUNTRIES) + ([] if countries_only else sorted(self.organisations))
        close = [_ALPHA3[code.upper()]] if code.upper() in _ALPHA3 else difflib.get_close_matches(code, known, n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        if countries_only:
            self.error(path, f"'{code}' is not an ISO 3166 country code{hint}", "plan.unknown-country")
        else:
            self.error(
                path,
                f"'{code}' is neither an ISO 3166 country code nor an organisation declared in {ORGANISATIONS_FILE}{hint}",
                "plan.unknown-participant",
            )

    def _objectives(self) -> dict[str, int]:
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

    def _action(self, index: int, action: model.Action, period: Period, objectives: dict[str, int]) -> resolve.Action:
        path = ("actions", index)
        earlier = [i for i, other in enumerate(self.plan.actions[:index]) if other.id == action.id]
        if earlier:
            self.error(path + ("id",), f"'{action.id}' is already the id of actions[{earlier[0]}]", "plan.duplicate-id")
        if action.objective not in objectives:
            close = difflib.get_close_matches(action.objective, list(objectives), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(path + ("objective",), f"'{action.objective}' is not a strategic objective of this plan{hint}", "plan.unknown-objective")
        self._check_countries(path, action.lead, action.co_leads, action.participants)
        summary = self._prose_field(path + ("summary",), f"{action.id}.summary", action.summary, headings=False)
        kpis = []
        for k, kpi in enumerate(action.kpis):
            kpath = path + ("kpis", k)
            self._unique_in(action.kpis[:k], kpi.id, kpath, "kpis")
            self._check_target(kpath + ("target",), kpi.target)
            text = self._prose_field(kpath + ("text",), f"{action.id}.kpis.{kpi.id}", kpi.text, single=True)
            target = resolve.Target(kpi.target.comparator, kpi.target.value, kpi.target.currency, kpi.target.counted)
            kpis.append(resolve.Kpi(kpi.id, string.ascii_lowercase[k % 26] * (k // 26 + 1), text, target))
        activities = []
        for a, activity in enumerate(action.activities):
            apath = path + ("activities", a)
            self._unique_in(action.activities[:a], activity.id, apath, "activities")
            for c, item in enumerate(activity.calendar):
                if not period.contains(item):
                    self.error(apath + ("calendar", c), f"{item} is outside the plan's period ({self.plan.period.start}–{self.plan.period.end})", "plan.calendar-outside-period")
            text = self._prose_field(apath + ("text",), f"{action.id}.activities.{activity.id}", activity.text, single=True)
            activities.append(resolve.Activity(activity.id, a + 1, text, tuple(activity.calendar)))
        return resolve.Action(
            id=action.id,
            reference=action.reference,
            objective_id=action.objective,
            lead=action.lead,
            co_leads=tuple(action.co_leads),
            participants=tuple(action.participants),
            summary=summary,
            kpis=tuple(kpis),
            activities=tuple(activities),
        )

    def _unique_in(self, earlier: list, item_id: str, path: tuple, what: str) -> None:
        for i, other in enumerate(earlier):
            if other.id == item_id:
                self.error(path + ("id",), f"'{item_id}' is already the id of {what}[{i}] of this action", "plan.duplicate-id")
                return

    def _check_target(self, path: tuple, target: model.Target) -> None:
        if target.comparator == "achieved":
            if target.value is not None:
                self.error(path + ("value",), "a yes/no target (achieved) takes no value: remove it", "plan.target")
            if target.currency is not None:
                self.error(path + ("currency",), "a yes/no target (achieved) takes no currency: remove it", "plan.target")
            return
        if target.value is None:
            self.error(path, f"a target '{target.comparator}' needs a value: the number to reach", "plan.target")
        elif target.value < 0:
            self.error(path + ("value",), "must not be negative", "plan.target")
        if target.currency is not None and target.currency not in _CURRENCIES:
            close = _closest(target.currency.upper(), _TENDER)
            hint = f" (did you mean '{close}'?)" if close else ""
            self.error(path + ("currency",), f"'{target.currency}' is not an ISO 4217 currency code{hint}", "plan.target")

    def _prose_file(self, key: str) -> Prose:
        name = getattr(self.plan, key)
        path = (self.folder / name).resolve()
        if self.folder.resolve() not in path.parents:
            self.error((key,), f"'{name}' must be a file inside the plan's folder", "plan.missing-file")
            return EMPTY
        if not path.is_file():
            self.error((key,), f"file '{name}' not found next to {PLAN_FILE}", "plan.missing-file")
            return EMPTY
        text = read_text(path, self.diagnostics)
        if text is None:
            return EMPTY
        origin = Location(display_path(self.folder / name), 1, 1)
        check_text_characters(text, origin, self.diagnostics)
        return parse(text, origin, self.diagnostics)

    def _prose_field(self, path: tuple, ids: str, text: str, headings: bool = False, single: bool = False) -> Prose:
        origin, block = self.source.text_origin(path)
        return parse(text, origin, self.diagnostics, ids=ids, block_scalar=block, headings=headings, single_paragraph=single)

    def _check_prose_ids(self, files: list[Prose], fields: list[Prose]) -> None:
        """Ids written in prose files, and footnote labels anywhere, are unique in the plan.

        (The blocks of plan.yaml fields are named after their owner, whose id is checked.)
        """
        seen: dict[str, Location] = {}
        for prose in files:
            for block in prose.blocks:
                self._unique_id(seen, block.id, block.location, "block")
        for prose in files + fields:
            for label, footnote in prose.footnotes.items():
                self._unique_id(seen, f"[^{label}]", footnote.location, "footnote")

    def _unique_id(self, seen: dict[str, Location], key: str, location: Location, what: str) -> None:
        if key.startswith("?"):
            return
        if key in seen:
            self.diagnostics.error(location, f"{what} id '{key}' is already used at {seen[key]}", "plan.duplicate-id")
        else:
            seen[key] = location


def _closest(word: str, candidates) -> str | None:
    """The most similar candidate; among equals, the one sharing the longest beginning."""
    scored = [
        (difflib.SequenceMatcher(None, word, c).ratio(), len(os.path.commonprefix([word, c])), c)
        for c in sorted(candidates)
    ]
    scored = [item for item in scored if item[0] >= 0.6]
    return max(scored, key=lambda item: (item[0], item[1], [-ord(ch) for ch in item[2]]))[2] if scored else None


def _action_prose(action: resolve.Action) -> list[Prose]:
    return [action.summary] + [k.text for k in action.kpis] + [a.text for a in action.activities]
