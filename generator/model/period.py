"""Periods of a plan: a month (``2023-03``), a quarter (``2023-Q2``), a semester (``2022-S2``) or a year (``2023``)."""
from __future__ import annotations

import dataclasses
import datetime
import re

# years from 1000: the calendar has no year 0, and a year of three digits is a typing mistake
_MONTH = re.compile(r"^([1-9]\d{3})-(\d{2})$")
_QUARTER = re.compile(r"^([1-9]\d{3})-Q([1-4])$")
_SEMESTER = re.compile(r"^([1-9]\d{3})-S([12])$")
_YEAR = re.compile(r"^([1-9]\d{3})$")
# a grain's length in months, and how its key is spelt
_GRAINS = {1: "month", 3: "quarter", 6: "semester", 12: "year"}


@dataclasses.dataclass(frozen=True, order=True)
class Period:
    """A span of months: ``first`` and ``last`` count months since January of year 0 (2022-S2 = 24270..24275)."""

    first: int
    last: int

    @classmethod
    def parse(cls, value: object, finer: bool = False) -> Period:
        """``2022-S2``, ``2023`` or ``"2023"`` (and with ``finer``, ``2023-03`` and ``2023-Q2``);
        anything else raises ValueError with a hint."""
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is not None:
            if match := _SEMESTER.match(text):
                return cls.of(int(match[1]), (int(match[2]) - 1) * 6, 6)
            if match := _YEAR.match(text):
                return cls.of(int(match[1]), 0, 12)
            if finer and (match := _QUARTER.match(text)):
                return cls.of(int(match[1]), (int(match[2]) - 1) * 3, 3)
            if finer and (match := _MONTH.match(text)):
                if not 1 <= int(match[2]) <= 12:
                    raise ValueError(f"'{value}' is not a month: months go from 01 to 12")
                return cls.of(int(match[1]), int(match[2]) - 1, 1)
        if finer:
            raise ValueError(f"'{value}' is not a period: write a month like 2023-03, a quarter like 2023-Q2, a semester like 2022-S2 or a year like 2023")
        raise ValueError(f"'{value}' is not a period: write a semester like 2022-S2 or a year like 2023")

    @classmethod
    def of(cls, year: int, month: int, months: int) -> Period:
        """``months`` months from ``month`` (0 for January) of ``year``."""
        return cls(year * 12 + month, year * 12 + month + months - 1)

    @property
    def grain(self) -> str | None:
        """month, quarter, semester or year when the period is exactly one; None for a longer span."""
        length = self.last - self.first + 1
        return _GRAINS.get(length) if length in _GRAINS and self.first % length == 0 else None

    @property
    def is_semester(self) -> bool:
        return self.grain == "semester"

    @property
    def year(self) -> int:
        return self.first // 12

    @property
    def number(self) -> int:
        """Within its year: the month (1–12), quarter (1–4) or semester (1–2)."""
        return self.first % 12 // (self.last - self.first + 1) + 1

    def contains(self, other: Period) -> bool:
        return self.first <= other.first and other.last <= self.last

    @property
    def first_semester(self) -> Period:
        """The semester of the period's first month."""
        return Period(self.first - self.first % 6, self.first - self.first % 6 + 5)

    @property
    def last_semester(self) -> Period:
        """The semester of the period's last month."""
        return Period(self.last - self.last % 6, self.last - self.last % 6 + 5)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.first % 12 + 1, 1)

    @property
    def last_day(self) -> datetime.date:
        """Within the period's own last month (the month after 9999-12 has no first day)."""
        year, month = divmod(self.last, 12)
        return datetime.date(year, 12, 31) if month == 11 else datetime.date(year, month + 2, 1) - datetime.timedelta(days=1)

    def key(self) -> str:
        """The canonical source spelling: ``2023-03``, ``2023-Q2``, ``2022-S2`` or ``2023`` (a longer span: its first and last semesters)."""
        grain = self.grain
        if grain == "month":
            return f"{self.year}-{self.number:02d}"
        if grain in ("quarter", "semester"):
            return f"{self.year}-{grain[0].upper()}{self.number}"
        if grain == "year":
            return str(self.year)
        return f"{self.first_semester.key()}..{self.last_semester.key()}"

    def label(self) -> str:
        """As CLASI documents print a semester or a year: ``S2/2022`` or ``2023`` (months and quarters:
        ``translation.words.Words.calendar``, in the language's words)."""
        return f"S{self.number}/{self.year}" if self.is_semester else str(self.year) if self.grain == "year" else self.key()

    def __str__(self) -> str:
        return self.key()


def span(start: Period, end: Period) -> Period:
    return Period(start.first, end.last)
