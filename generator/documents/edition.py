"""An edition: one plan in one language, with what every document of it reads, computed once."""
from __future__ import annotations

import dataclasses
from functools import cached_property

from ..model.period import Period
from ..model.plan import Organisation, Plan
from ..model.progress import PlanProgress, as_of, latest
from ..model.prose import Footnote
from ..translation.words import Words
from .charts import Charts


@dataclasses.dataclass(frozen=True)
class Edition:
    """``plan`` already localized into ``language`` (its own language: the plan as written), its documents made
    in ``layout`` (a folder of templates/): the plan's own (plan.yaml's ``layout:``) unless told another."""

    plan: Plan
    language: str
    organisations: dict[str, Organisation]
    charts: Charts = dataclasses.field(default_factory=Charts, compare=False)  # where its annexes' charts are kept
    layout: str = ""

    def __post_init__(self) -> None:
        if not self.layout:
            object.__setattr__(self, "layout", self.plan.layout)  # frozen: set once, here

    @cached_property
    def words(self) -> Words:
        return Words(self.language, self.organisations)

    @cached_property
    def footnotes(self) -> dict[str, Footnote]:
        return self.plan.footnotes()

    @cached_property
    def latest(self) -> PlanProgress | None:
        """Progress as of the latest reported period (shared by every fact sheet), None without reports."""
        return latest(self.plan)

    def progress(self, period: Period) -> PlanProgress:
        """Progress as of a reported period, computed once (an annex's context and properties both read it)."""
        if period not in self._progress:
            self._progress[period] = as_of(self.plan, period)
        return self._progress[period]

    @cached_property
    def _progress(self) -> dict[Period, PlanProgress]:
        return {}
