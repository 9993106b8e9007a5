"""Reading pages back as a person reads them, to compare with ``pao text``."""
from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = {"style", "script"}


class _Text(HTMLParser):
    """The page's words: footnote marks and back links left out, every element a word boundary."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []  # open elements whose text is not read

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if self._skip or tag in _SKIPPED or "note-ref" in classes or "note-back" in classes:
            self._skip.append(tag)
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "figure"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The page's text with runs of white space as one space."""
    reader = _Text()
    reader.feed(html)
    return re.sub(r"\s+", " ", "".join(reader.parts))


def sentences(docx_text: str) -> list[str]:
    """Every line, cell and paragraph of a ``pao text`` rendering, without its Markdown marks and footnote marks."""
    found = []
    for line in docx_text.splitlines():
        line = re.sub(r"\[\^\d+\](?::)?", "", line)  # footnote marks, and the "[^1]:" opening each note
        line = re.sub(r"^\s*(?:#+ |- |---$)", "", line)
        for part in re.split(r"\s\|\s|^\|\s?|\s?\|$| ¶ ", line):
            part = re.sub(r"\s+", " ", part).strip()
            if part:
                found.append(part)
    return found


def found(pattern: str, html: str, group: int = 0) -> str:
    """What ``pattern`` finds in the page (the test fails when it finds nothing)."""
    match = re.search(pattern, html, re.DOTALL)
    assert match is not None, f"{pattern!r} not in the page"
    return match.group(group)
