"""Reporting periods: a semester (``2022-S2``) or a year (``2023``)."""
from __future__ import annotations

import dataclasses
import re

# years from 1000: the calendar has no year 0, and a year of three digits is a typing mistake
_SEMESTER = re.compile(r"^([1-9]\d{3})-S([12])$")
_YEAR = re.compile(r"^([1-9]\d{3})$")


@dataclasses.dataclass(frozen=True, order=True)
class Period:
    """A span of semesters: ``first`` and ``last`` count semesters since year 0 (2022-S2 = 4045)."""

    first: int
    last: int

    @classmethod
    def parse(cls, value: object) -> Period:
        """``2022-S2``, ``2023`` or ``"2023"``; anything else raises ValueError with a hint."""
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if text is not None:
            if match := _SEMESTER.match(text):
                index = int(match[1]) * 2 + int(match[2]) - 1
                return cls(index, index)
            if match := _YEAR.match(text):
                return cls(int(match[1]) * 2, int(match[1]) * 2 + 1)
        raise ValueError(f"'{value}' is not a period: write a semester like 2022-S2 or a year like 2023")

    @property
    def is_semester(self) -> bool:
        return self.first == self.last

    @property
    def year(self) -> int:
        return self.first // 2

    def contains(self, other: Period) -> bool:
        return self.first <= other.first and other.last <= self.last

    @property
    def first_semester(self) -> Period:
        return Period(self.first, self.first)

    @property
    def last_semester(self) -> Period:
        return Period(self.last, self.last)

    def key(self) -> str:
        """The canonical source spelling: ``2022-S2`` or ``2023``."""
        return f"{self.year}-S{self.first % 2 + 1}" if self.is_semester else str(self.year)

    def label(self) -> str:
        """As CLASI documents print it: ``S2/2022`` or ``2023``."""
        return f"S{self.first % 2 + 1}/{self.year}" if self.is_semester else str(self.year)

    def __str__(self) -> str:
        return self.key()


def span(start: Period, end: Period) -> Period:
    return Period(start.first, end.last)
