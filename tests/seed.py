"""The reference document's text, read from the seed (tests/fixtures/seed-pao-2022-cocaina.txt).

The seed is the text extracted from the official 2022 PAO; its markup is an
artefact of the extraction (see the seed's README).  This reader removes the
artefacts and returns what a reader of the original sees: the body in order,
with the marks of its 17 footnotes, and the footnotes' texts.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from tests.docx_reader import normalise

SEED = Path(__file__).parent / "fixtures" / "seed-pao-2022-cocaina.txt"
_DEFINITION = re.compile(r"^<sup>(\d+)</sup>\s*(.*)$")
_MARK = re.compile(r"\s*<sup>(\d+)</sup>")
# the one footnote of two paragraphs: the second paragraph sits among footnote lines
_CONTINUATION = {"A su vez, si bien es cierto": 9}
# the structured calendar prints semesters one way; the seed abbreviates three of them
CALENDAR_SPELLINGS = {"S2/22": "S2/2022"}


@dataclasses.dataclass
class Seed:
    body: str  # normalised, footnote marks as [^N]
    footnotes: dict[int, str]


def read() -> Seed:
    body_lines: list[str] = []
    footnotes: dict[int, str] = {}
    for raw in SEED.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        definition = _DEFINITION.match(line)
        if definition:
            footnotes[int(definition[1])] = clean(definition[2])
            continue
        continuation = next((n for prefix, n in _CONTINUATION.items() if line.startswith(prefix)), None)
        if continuation:
            footnotes[continuation] += " " + clean(line)
            continue
        body_lines.append(line)
    body = clean("\n".join(body_lines))
    body = _MARK.sub(lambda m: f"[^{m[1]}]", body)
    for short, canonical in CALENDAR_SPELLINGS.items():
        body = body.replace(short, canonical)
    return Seed(normalise(body), {n: normalise(t) for n, t in footnotes.items()})


def clean(text: str) -> str:
    """Remove the extraction's markup, keep the words."""
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", text)  # [url](url)
    text = text.replace("\\\\_", "_").replace("\\_", "_")
    text = re.sub(r"</?(b|p|i)>", " ", text)
    text = text.replace("**", "").replace("➤", " ").replace("---", " ")
    text = re.sub(r"(?m)^\s*#+\s*", "", text)
    text = re.sub(r"(?m)^\s*- ", "", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)\*(?!\w)", r"\1", text)  # *italic*
    return text


def sentences(text: str) -> list[str]:
    """The text cut after each sentence or clause end, marks removed: what must appear in order."""
    text = re.sub(r"\[\^\d+\]", "", text)
    pieces = re.split(r"(?<=[.;:])\s+", text)
    return [normalise(p) for p in pieces if normalise(p)]
