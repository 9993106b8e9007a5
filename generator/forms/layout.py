"""The shape of a progress form, shared by the writer and the reader: sheets, columns, row keys, and the
form's words (statuses, yes/no) in its language.

Each operational action has its sheet, named by its id (cut to Excel's 31 characters).  Column A is hidden and holds ids: A1 the action's id, then one
key per row to fill (``action`` for the notes on the action, ``kpi:<id>``, ``activity:<id>``, ``id`` on a
header row), so that rows moved or renamed by a person still import.  A hidden sheet holds what the
workbook is (plan, period, language) and the lists the drop-downs offer.
"""
from __future__ import annotations

import dataclasses
from functools import cached_property

from ..model.plan import Action
from ..model.progress import ACTIVITY_STATUSES
from ..translation.labels import LAYOUT_LANGUAGES, SOURCE_LANGUAGE, layout_words

FORM_LANGUAGES = (SOURCE_LANGUAGE, *LAYOUT_LANGUAGES)
FORM_VERSION = "1"

ABOUT_SHEET = "pao"  # hidden: what the workbook is, and the drop-downs' lists
ABOUT_ROWS = ("form", "plan", "period", "language")  # column A: the key, column B: the value
STATUS_LIST_COLUMN = "D"  # on the hidden sheet: the activity statuses in the form's language
YES_NO_COLUMN = "E"  # and yes/no

# columns of an action's sheet
ID, TEXT, GIVEN, BEFORE, VALUE, DATE, NOTES = "A", "B", "C", "D", "E", "F", "G"
HEADER_KEY = "id"
ACTION_KEY = "action"
KPI, ACTIVITY = "kpi", "activity"


SHEET_NAME_LENGTH = 31  # Excel's limit


def sheet_names(actions: tuple[Action, ...]) -> dict[str, str]:
    """Action id → its sheet's name: the id, cut to Excel's 31 characters (and numbered if two cuts meet)."""
    names: dict[str, str] = {}
    for action in actions:
        name = action.id[:SHEET_NAME_LENGTH]
        number = 2
        while name.casefold() in (n.casefold() for n in names.values()):
            suffix = f"~{number}"
            name, number = action.id[: SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
        names[action.id] = name
    return names


def row_key(kind: str, item_id: str) -> str:
    return f"{kind}:{item_id}"




@dataclasses.dataclass(frozen=True)
class FormWords:
    """The words a form shows and reads back in one language (pao's layout catalogs)."""

    language: str

    @cached_property
    def labels(self) -> dict[str, str]:
        return layout_words(self.language)[0]

    @cached_property
    def statuses(self) -> dict[str, str]:
        """Activity status → its word, in the order of the drop-down."""
        return {status: self.labels["activity_" + status] for status in ACTIVITY_STATUSES}

    @property
    def yes_no(self) -> tuple[str, str]:
        return self.labels["yes"], self.labels["no"]

    def status(self, word: str) -> str | None:
        """The status a word (or the status's own key, ``in_progress``) names in this language, or None."""
        wanted = word.strip().casefold()
        return next((s for s, w in self.statuses.items() if wanted in (w.casefold(), s)), None)

    def yes_or_no(self, word: str) -> bool | None:
        wanted = word.strip().casefold()
        yes, no = self.yes_no
        return True if wanted in (yes.casefold(), "true") else False if wanted in (no.casefold(), "false") else None


def language_of(word: str, kind: str, exclude: str) -> str | None:
    """The other form language in which ``word`` is a status (``kind`` "status") or yes/no ("yes_no")."""
    for language in FORM_LANGUAGES:
        words = FormWords(language)
        if language != exclude and (words.status(word) if kind == "status" else words.yes_or_no(word)) is not None:
            return language
    return None
