"""A PO file kept as its lines, so that updating a catalog changes only what changed.

Babel reads a catalog's messages, but writing them back with Babel rewrites the
whole file: its wrapping, its header, the comments a translator's tool (Poedit,
Weblate, Lokalize) keeps there.  Here a file is read as entries, each with the
lines it has in the file: an entry whose content stays the same keeps its bytes,
and a changed or new entry is written as gettext writes it, at the file's own
wrap width and line ends.  Reading also finds what Babel lets through: a line
that is not PO, a message context given twice, a character that a Word document
cannot hold.
"""
from __future__ import annotations

import codecs
import dataclasses
import functools
import re

from babel.messages.pofile import escape, unescape

from ..sources.checks import XML_FORBIDDEN

# a message line once its "#~" or "#|" is taken off: an optional keyword and one quoted string
_MESSAGE_LINE = re.compile(r'(?:(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?(?P<string>"(?:[^"\\]|\\.)*")\s*$')
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_CHARSET = re.compile(rb'^\s*"Content-Type:[^\n]*?charset=([-\w.:]+)', re.MULTILINE)
# an escape, or a character XML 1.0 cannot carry (docxtpl would write broken XML)
_ESCAPE_OR_FORBIDDEN = re.compile(r"\\(.)|(" + XML_FORBIDDEN.pattern + ")")
# the escapes Babel reads as characters XML cannot carry
_FORBIDDEN_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "v": "\v"}
COMMENTS = ("#", "#.")  # the translator's and the extracted comments: kept as they are


@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str
    code: str


@dataclasses.dataclass(frozen=True)
class Content:
    """What an entry says, without its layout."""

    context: str | None
    id: str
    plural: str | None
    strings: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1]… for a message with plural forms
    flags: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()  # the original the translation was made from (#| msgid, #| msgid_plural)
    references: tuple[str, ...] = ()  # "file:line" of the #: comment
    obsolete: bool = False

    @property
    def source(self) -> tuple[str, ...]:
        return (self.id,) if self.plural is None else (self.id, self.plural)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def fields(self) -> list[tuple[str, str]]:
        """(keyword, text) of each of its message lines, in the order PO writes them."""
        found = [("msgctxt", self.context)] if self.context is not None else []
        found.append(("msgid", self.id))
        if self.plural is None:
            return [*found, ("msgstr", self.strings[0] if self.strings else "")]
        return [*found, ("msgid_plural", self.plural), *((f"msgstr[{i}]", s) for i, s in enumerate(self.strings))]


@dataclasses.dataclass
class Part:
    """Consecutive lines of one kind: a comment ("#", "#.", "#:", "#,", "#|"), a blank line, or a keyword and its strings."""

    kind: str  # the comment's mark, "blank", or the keyword: "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[1]"…
    line: int  # the number of its first line
    lines: list[str]  # as in the file, each with its line end
    obsolete: bool = False  # its lines start with "#~"

    @property
    def keyword(self) -> bool:
        return self.kind.startswith("msg")

    @property
    def text(self) -> str:
        return "".join(unescape(found[0]) for line in self.lines if (found := _QUOTED.search(line)))


@dataclasses.dataclass
class Entry:
    """One message of the file (or its header), with the blank lines before it."""

    gap: list[str]
    parts: list[Part]

    @property
    def lines(self) -> list[str]:
        return [line for part in self.parts for line in part.lines]

    @property
    def line(self) -> int:
        """The line of its msgid, where Babel says the message is."""
        return self.part("msgid").line

    def part(self, kind: str) -> Part:
        return next(p for p in self.parts if p.kind == kind)

    @property
    def header(self) -> bool:
        return not self.content.obsolete and self.content.context is None and self.content.id == ""

    @property
    def commented(self) -> bool:
        """Whether a translator wrote a comment on it."""
        return any(p.kind == "#" for p in self.parts)

    @functools.cached_property
    def content(self) -> Content:
        texts = {p.kind: p.text for p in self.parts if p.keyword}
        strings = {int(kind[7:-1]) if "[" in kind else 0: text for kind, text in texts.items() if kind.startswith("msgstr")}
        return Content(
            context=texts.get("msgctxt"),
            id=texts["msgid"],
            plural=texts.get("msgid_plural"),
            strings=tuple(strings.get(i, "") for i in range(max(strings, default=0) + 1)),
            flags=tuple(
                flag.strip() for p in self.parts if p.kind == "#," for line in p.lines for flag in line.strip()[2:].split(",") if flag.strip()
            ),
            previous=_previous([line for p in self.parts if p.kind == "#|" for line in p.lines]),
            references=tuple(ref for p in self.parts if p.kind == "#:" for line in p.lines for ref in line.strip()[2:].split()),
            obsolete=self.part("msgid").obsolete,
        )


def _previous(lines: list[str]) -> tuple[str, ...]:
    """The previous original of ``#| msgid`` lines (and ``#| msgid_plural``)."""
    texts: dict[str, str] = {}
    keyword = None
    for line in lines:
        found = _MESSAGE_LINE.match(re.sub(r"^\s*#~?\|\s*", "", line).strip())
        if found:
            keyword = found["keyword"] or keyword
            if keyword:
                texts[keyword] = texts.get(keyword, "") + unescape(found["string"])
    return tuple(texts[k] for k in ("msgid", "msgid_plural") if k in texts)


@dataclasses.dataclass
class PoFile:
    entries: list[Entry]
    tail: list[str]  # blank lines (and any stray comment) after the last entry
    newline: str  # "\n", or "\r\n" in a file saved on Windows
    charset: str = "utf-8"
    bom: bool = False

    @property
    def text(self) -> str:
        return "".join(line for entry in self.entries for line in entry.gap + entry.lines) + "".join(self.tail)

    def encoded(self, text: str) -> bytes:
        """``text`` as this file's bytes (its charset, its byte order mark); UnicodeEncodeError if the charset cannot hold it."""
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode(self.charset)

    def babel_lines(self) -> list[str]:
        """The lines as Babel reads them: it takes an obsolete entry's previous original (``#~|``) for a syntax error."""
        return [re.sub(r"^(\s*)#~\|", r"\1#|", line) for line in self.text.split("\n")]

    @functools.cached_property
    def width(self) -> int:
        """The width the file's strings are wrapped at (its longest wrapped line), 0 when it does not wrap them."""
        wrapped = [
            line.rstrip()
            for entry in self.entries
            for part in entry.parts
            if part.keyword and len(part.lines) > 2
            for line in part.lines[1:-1]
        ]
        if all(line.endswith('\\n"') for line in wrapped):
            return 0  # strings broken only after their line breaks, as gettext does without wrapping
        return max(len(line) for line in wrapped)

    def problems(self) -> list[Problem]:
        """A message context given twice, and characters in a translation that a Word document cannot hold."""
        found = []
        first: dict[str, int] = {}
        for entry in self.entries:
            content = entry.content
            if content.obsolete:
                continue
            if content.context is not None:
                part = entry.part("msgctxt")
                line = first.setdefault(content.context, part.line)
                if line != part.line:
                    found.append(
                        Problem(part.line, _indent(part.lines[0]), f'msgctxt "{content.context}" is given twice, at lines {line} and {part.line}: keep one of the two entries', "i18n.duplicate")
                    )
            if not entry.header:
                found += [problem for part in entry.parts if part.kind.startswith("msgstr") for n, raw in enumerate(part.lines) for problem in _characters(raw, part.line + n)]
        return found

    def written(self, content: Content, old: Entry | None = None) -> list[str]:
        """The lines of an entry that says ``content``: the lines of ``old`` that still say the same kept as they are, the rest as gettext writes them."""
        before = old.content if old else None

        def kept(kind: str) -> list[str]:
            assert old is not None
            return [_moved(line, part, content.obsolete) for part in old.parts if part.kind == kind for line in part.lines]

        lines = [line for part in old.parts if part.kind in COMMENTS for line in part.lines] if old else []
        if content.references and not content.obsolete:
            lines += kept("#:") if before and before.references == content.references and not before.obsolete else [f"#: {' '.join(content.references)}"]
        if content.flags:
            lines += kept("#,") if before and before.flags == content.flags else [f"#, {', '.join(content.flags)}"]
        if content.previous:
            if before and before.previous == content.previous:
                lines += kept("#|")
            else:
                mark = "#~| " if content.obsolete else "#| "
                lines += [line for keyword, text in zip(("msgid", "msgid_plural"), content.previous) for line in self._string(keyword, text, mark)]
        was = dict(before.fields()) if before else {}
        for keyword, text in content.fields():
            lines += kept(keyword) if was.get(keyword) == text else self._string(keyword, text, "#~ " if content.obsolete else "")
        return [line if line.endswith("\n") else line + self.newline for line in lines]

    def _string(self, keyword: str, text: str, prefix: str) -> list[str]:
        """``keyword "text"`` as gettext writes it: on one line when it fits the width, else from ``keyword ""`` on,
        broken after each line break and, to fit the width, after spaces."""
        one = f"{prefix}{keyword} {escape(text)}"
        if "\n" not in text[:-1] and (not self.width or len(one) <= self.width):
            return [one]
        lines = [f'{prefix}{keyword} ""']
        for piece in re.findall(r"[^\n]*\n|[^\n]+", text):
            line = ""
            for word in re.findall(r"[^ ]+ *| +", piece):
                if line and self.width and len(prefix) + len(escape(line + word)) > self.width:
                    lines.append(prefix + escape(line))
                    line = ""
                line += word
            lines.append(prefix + escape(line))
        return lines


def _moved(line: str, part: Part, obsolete: bool) -> str:
    """A kept line, into or out of the obsolete entries (``#~``) as its entry now is."""
    if part.obsolete == obsolete or part.kind in ("#", "#.", "#:", "#,", "blank"):
        return line
    if part.kind == "#|":
        return re.sub(r"^(\s*)#\|", r"\1#~|", line) if obsolete else re.sub(r"^(\s*)#~\|", r"\1#|", line)
    return "#~ " + line if obsolete else re.sub(r"^\s*#~[ \t]?", "", line)


def _indent(raw: str) -> int:
    """The column where the line's text starts."""
    return len(raw) - len(raw.lstrip()) + 1


def _characters(raw: str, line: int) -> list[Problem]:
    """Characters (literal, or escapes such as ``\\f``) in a quoted string that a Word document cannot hold."""
    quoted = _QUOTED.search(raw)
    if not quoted:
        return []
    found = []
    for match in _ESCAPE_OR_FORBIDDEN.finditer(raw, quoted.start() + 1, quoted.end() - 1):
        if match[2]:
            found.append(Problem(line, match.start() + 1, f"character U+{ord(match[2]):04X} cannot be stored in a Word document: delete it", "i18n.forbidden-character"))
        elif match[1] in _FORBIDDEN_ESCAPES:
            code = ord(_FORBIDDEN_ESCAPES[match[1]])
            found.append(
                Problem(line, match.start() + 1, f"the escape \\{match[1]} is character U+{code:04X}, which cannot be stored in a Word document: delete it", "i18n.forbidden-character")
            )
    return found


def read(data: bytes) -> tuple[PoFile | None, list[Problem]]:
    """The file, or None with what makes it unreadable; syntax problems come with a file that must not be used."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    declared = _CHARSET.search(body)
    charset = declared[1].decode("ascii") if declared and declared[1].upper() != b"CHARSET" else "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        assert declared is not None
        line = body.count(b"\n", 0, declared.start(1)) + 1
        return None, [Problem(line, 1, f"unknown charset '{charset}' in Content-Type: write charset=UTF-8", "i18n.encoding")]
    try:
        text = body.decode(charset)
    except UnicodeDecodeError as exc:
        start = body.rfind(b"\n", 0, exc.start) + 1
        column = len(body[start : exc.start].decode(charset, "replace")) + 1
        message = f"byte 0x{body[exc.start]:02X} is not {charset} text: save the catalog as {charset}"
        return None, [Problem(body.count(b"\n", 0, exc.start) + 1, column, message, "i18n.encoding")]
    po, problems = parse(text)
    po.charset, po.bom = charset, bom
    return po, problems


def parse(text: str) -> tuple[PoFile, list[Problem]]:
    """The entries of a PO text, and its syntax problems (lines that are no comment, keyword or quoted string)."""
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    entries: list[Entry] = []
    problems: list[Problem] = []
    gap: list[str] = []
    parts: list[Part] = []

    def complete() -> bool:
        return any(p.kind.startswith("msgstr") for p in parts)

    def close() -> None:
        nonlocal gap, parts
        if not any(p.kind == "msgid" for p in parts):
            first = next(p for p in parts if p.keyword)
            problems.append(Problem(first.line, _indent(first.lines[0]), f"PO syntax error: {first.kind} without a msgid", "i18n.syntax"))
        entries.append(Entry(gap, parts))
        gap, parts = [], []

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            if complete():
                close()
            if parts:
                parts.append(Part("blank", number, [raw]))
            else:
                gap.append(raw)
            continue
        kind, body, obsolete = _kind(raw.strip())
        if kind != "message":
            if complete():
                close()
            if parts and parts[-1].kind == kind and parts[-1].obsolete == obsolete:
                parts[-1].lines.append(raw)
            else:
                parts.append(Part(kind, number, [raw], obsolete))
            continue
        column = _indent(raw) + len(raw.strip()) - len(body)
        found = _MESSAGE_LINE.match(body)
        if not found:
            problems.append(Problem(number, column, f"PO syntax error: not a keyword with a quoted string: {body[:60]}", "i18n.syntax"))
        elif found["keyword"] is None:
            if parts and parts[-1].keyword and parts[-1].obsolete == obsolete:
                parts[-1].lines.append(raw)
            else:
                problems.append(Problem(number, column, f"PO syntax error: a quoted string that follows no keyword: {body[:60]}", "i18n.syntax"))
        else:
            if found["keyword"] in ("msgctxt", "msgid") and complete():
                close()
            parts.append(Part(found["keyword"], number, [raw], obsolete))
    if any(p.keyword for p in parts):
        close()
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    return PoFile(entries, gap + [line for p in parts for line in p.lines], newline), problems


def _kind(line: str) -> tuple[str, str, bool]:
    """(kind, the text after the mark, obsolete) of a stripped line that is not blank; kind "message" for a keyword or a string."""
    obsolete = line.startswith("#~")
    rest = line[2:] if obsolete else line
    if rest.startswith("#|") or (obsolete and rest.startswith("|")):
        return "#|", rest.lstrip("#|").strip(), obsolete
    if obsolete:
        return ("message", rest.lstrip(), True) if rest.strip() else ("#", "", True)
    if line[:2] in ("#.", "#:", "#,"):
        return line[:2], line[2:], False
    if line.startswith("#"):
        return "#", line[1:], False
    return "message", line, False
