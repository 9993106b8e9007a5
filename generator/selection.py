"""What a build makes: every plan, document, language and format unless narrowed (``--plan``, ``--only``,
``--lang``, ``--format``), in each plan's layout unless told another (``--layout``), and whether a document is
among them.

A document is described here as the manifest records it (``path``, ``kind``, ``plan``, ``language`` and its
``action`` or ``period``), so that whether a build is up to date can be told before the sources are read.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping

FORMATS = ("docx", "pdf")


@dataclasses.dataclass(frozen=True)
class Selection:
    """What to build: every plan, document, language and format unless narrowed."""

    plans: tuple[str, ...] = ()
    only: tuple[str, ...] = ()  # kinds (pao, sheet, annex), action ids, periods
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    layout: str | None = None  # every plan made in this layout (a preview), instead of its own

    def chooses(self, document: Mapping[str, str]) -> bool:
        """Whether the document (as the manifest describes it) is among those selected, whatever its format.

        (The documents a build records are those of each plan's own layout, and those of ``layout`` when a
        build was told one: ``freshness`` compares a build's documents only with a record of the same layout.)"""
        subject = document.get("action") or document.get("period")
        return (
            (not self.layout or document.get("layout") == self.layout)
            and (not self.plans or document["plan"] in self.plans)
            and (not self.languages or document["language"] in self.languages)
            and (not self.only or document["kind"] in self.only or subject in self.only)
        )
