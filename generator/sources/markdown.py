"""Markdown → the prose tree (``model.prose``), every block knowing where it was written.

One block per heading, paragraph, list item or table cell, each with a stable
id: what every document renders, what translation catalogs cut into messages
and what change reports compare.  markdown-it-py does the parsing (CommonMark,
with footnotes and GFM pipe tables); this module maps its tokens and reports
what plan prose cannot hold.  A table ends with its ``{#id}`` on the line
after its last row; its cells are named ``<id>.r<row>.c<column>`` (row 1 is
the header).  ``to_markdown`` writes a block back as the Markdown a translator sees;
``parse_inline`` reads a translation.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..diagnostics import Diagnostics, Location
from ..model.prose import Block, Footnote, FootnoteRef, Inline, LineBreak, Prose, Span
from .limits import MAX_LIST_DEPTH

ID_SUFFIX = re.compile(r"\s*\{#([^{}\s]*)\}\s*$")
VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_FOOTNOTE_REF = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!:)")
_DEFINITION = re.compile(r"\s*\[\^([^\]\s]+)\]:")
FOOTNOTE_IDS = "fn."
"""How the ids of footnote paragraphs begin: ``fn.<label>.<n>``."""


def _markdown() -> MarkdownIt:
    # html off: "<b>" is text a person wrote; entity off: "&amp;" stays as written; footnotes are [^label] only:
    # "^[…]" (pandoc's inline footnote, which has no label to translate or check) is text too
    return MarkdownIt("commonmark", {"html": False}).use(footnote_plugin, inline=False).disable("entity").enable("table")


_MD = _markdown()


class _Origin:
    """Maps a line of the Markdown text to its place in the source file."""

    def __init__(self, origin: Location, text: str, block_scalar: bool) -> None:
        self.origin = origin
        self.lines = text.split("\n")
        self.block_scalar = block_scalar
        self._definitions: dict[str, int] | None = None

    def definition_line(self, label: str) -> int:
        """The line of the first ``[^label]: …`` (0 if none): found once for all labels, a long text has many."""
        if self._definitions is None:
            self._definitions = {}
            for number, line in enumerate(self.lines):
                if match := _DEFINITION.match(line):
                    self._definitions.setdefault(match[1], number)
        return self._definitions.get(label, 0)

    def at(self, line: int, needle: str | None = None, start: int = 0) -> Location:
        """Line ``line`` of the text, at ``needle`` if given (its first from column ``start``; a needle ending in a
        newline: at the end of the line)."""
        col = 0
        if needle and 0 <= line < len(self.lines):
            found = (self.lines[line] + "\n").find(needle, start)
            col = found + (len(needle) - 1 if needle.endswith("\n") else 0) if found >= 0 else 0
        if not self.block_scalar:
            # a quoted or plain value: its text's lines are not the file's ("\n" escapes, folded lines), so a
            # later line is reported where the value starts, never on a line that holds something else
            return Location(self.origin.file, self.origin.line, self.origin.col + col) if line == 0 else self.origin
        return self.origin.shifted(line, self.origin.col + col)


def parse(
    text: str,
    origin: Location,
    diagnostics: Diagnostics,
    *,
    ids: str | None = None,
    block_scalar: bool = True,
    headings: bool = True,
    single_paragraph: bool = False,
) -> Prose:
    """Parse Markdown written at ``origin``.

    With ``ids=None`` every block must end with ``{#id}`` (prose files); otherwise
    blocks are named ``<ids>.1``, ``<ids>.2``… (or ``<ids>`` alone when
    ``single_paragraph``), as for the Markdown fields of plan.yaml.
    """
    where = _Origin(origin, text, block_scalar)
    env: dict = {}
    tokens = tokens_of(text, env)
    parser = _BlockParser(where, diagnostics, ids, headings)
    blocks, footnotes = parser.run(tokens)
    # markdown-it reads no further than 20 levels of nesting: the footnotes below were not read, and a deep
    # list or block quote is already reported (the list at its 4th level)
    truncated = any(token.nesting == 1 and token.level >= _MD.options["maxNesting"] - 1 for token in tokens)
    if not truncated:
        _check_references(where, env, diagnostics)
    if single_paragraph and len(blocks) > 1:
        diagnostics.error(blocks[1].location, "this text must be a single paragraph", "prose.one-paragraph")
    if single_paragraph and blocks and ids is not None:
        blocks = [dataclasses.replace(blocks[0], id=ids)] + blocks[1:]
    return Prose(tuple(blocks), footnotes)


def tokens_of(text: str, env: dict) -> list[Token]:
    """markdown-it's tokens of ``text``.  A text of one line that no rule of the dialect can read as anything but
    text — most of a plan's fields: KPIs, activities — gets them without markdown-it, which spends most of a
    millisecond on the shortest text (a tenth of the validation of a plan of 800 actions): the same tokens
    (``tests/sources/test_markdown.py`` compares them, for texts people type)."""
    if not _INERT.fullmatch(text):
        return _MD.parse(text, env)
    content = text.strip()
    return [
        Token("paragraph_open", "p", 1, map=[0, 1], block=True),
        Token("inline", "", 0, map=[0, 1], level=1, content=content, block=True, children=[Token("text", "", 0, content=content)]),
        Token("paragraph_close", "p", -1, block=True),
    ]


# one line (and blank ones after it) that starts no block (no indent, list, heading, quote, fence, table, number
# that may open a list) and holds no character an inline rule reads (escapes, code, emphasis, links, footnotes,
# autolinks, entities, the {#id} of a block) nor a control character markdown-it would normalise
_INERT = re.compile(r"[^\s\\`*_\[\]<>&!{}~|#=+\-\d\x00-\x1f\x7f][^\\`*_\[\]<>&!{}~\x00-\x1f\x7f]*\n*")


class _BlockParser:
    """Tokens → blocks and footnotes: ids, lists, headings; inlines are ``_inlines``' job."""

    def __init__(self, where: _Origin, diagnostics: Diagnostics, ids: str | None, headings: bool) -> None:
        self.where = where
        self.diagnostics = diagnostics
        self.ids = ids
        self.headings = headings
        self.count = 0
        self.lists: list[dict] = []  # open lists, innermost last
        self.list_serial = 0
        self.item_paragraphs: list[int] = []  # paragraphs seen in each open list item
        self.quotes = 0  # open block quotes: a quote in a quote is the same mistake
        self.table: _Table | None = None  # the table being read

    def run(self, tokens: list[Token]) -> tuple[list[Block], dict[str, Footnote]]:
        blocks: list[Block] = []
        footnotes: dict[str, Footnote] = {}
        footnote: dict[str, Any] | None = None
        heading_level = 0
        for token in tokens:
            kind = token.type
            if kind == "footnote_open":
                label = token.meta["label"]
                footnote = {"label": label, "blocks": [], "location": _definition(self.where, label)}
            elif kind == "footnote_close":
                assert footnote is not None  # markdown-it closes what it opened
                footnotes[footnote["label"]] = Footnote(footnote["label"], tuple(footnote["blocks"]), footnote["location"])
                footnote = None
            elif kind in ("footnote_block_open", "footnote_block_close", "footnote_anchor"):
                pass
            elif kind == "heading_open":
                heading_level = int(token.tag[1])
                if not self.headings:
                    self._unsupported(token, "a heading")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.list_serial += 1
                start = int(token.attrGet("start") or 1)
                self.lists.append({"ordered": kind == "ordered_list_open", "id": f"list{self.list_serial}", "start": start})
                if len(self.lists) == MAX_LIST_DEPTH + 1:  # reported before markdown-it's own limit silently drops text
                    self._too_deep(token)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "blockquote_open":
                if not self.quotes:
                    self._unsupported(token, _UNSUPPORTED[kind][0])
                self.quotes += 1
            elif kind == "blockquote_close":
                self.quotes -= 1
            elif kind == "list_item_open":
                self.item_paragraphs.append(0)
            elif kind == "list_item_close":
                self.item_paragraphs.pop()
            elif kind == "table_open":
                self.table = _Table(token.map[0] if token.map else 0, refused=self._table_refused(token, footnote))
            elif kind == "tr_open" and self.table is not None:
                self.table.rows.append((token.map[0] if token.map else 0, []))
            elif kind in ("th_open", "td_open") and self.table is not None:
                self.table.aligns.append(str(token.attrGet("style") or "").removeprefix("text-align:"))
            elif kind == "inline" and self.table is not None:
                self.table.rows[-1][1].append((token, self.table.aligns.pop()))
            elif kind == "table_close":
                assert self.table is not None  # markdown-it closes what it opened
                if not self.table.refused:
                    blocks.extend(self._cells(self.table))
                self.table = None
            elif kind in ("thead_open", "tbody_open"):
                pass
            elif kind == "inline":
                block = self._block(token, heading_level, footnote)
                heading_level = 0
                if block is not None:
                    (footnote["blocks"] if footnote is not None else blocks).append(block)
            elif kind in ("paragraph_open", "paragraph_close", "heading_close") or kind.endswith("_close"):
                pass  # the opening token of anything unsupported was reported
            else:
                self._unsupported(token, _UNSUPPORTED.get(kind, (f"'{kind}'", ""))[0])
        return blocks, footnotes

    def _block(self, token: Token, heading_level: int, footnote: dict[str, Any] | None) -> Block | None:
        line = token.map[0] if token.map else 0
        location = self.where.at(line, token.content.split("\n", 1)[0][:20] or None)
        inlines = _inlines(token, self.where, self.diagnostics)
        block_id: str | None
        if heading_level:
            kind, level = "heading", heading_level
        elif self.lists and footnote is None and self.item_paragraphs[-1] == 0:
            kind, level = "item", len(self.lists)
        else:
            kind, level = "paragraph", len(self.lists)
        if self.item_paragraphs:
            self.item_paragraphs[-1] += 1
        if footnote is not None:
            block_id = f"{FOOTNOTE_IDS}{footnote['label']}.{len(footnote['blocks']) + 1}"
            inlines = self._without_id(inlines)[0]
        elif self.ids is None:
            inlines, block_id = self._without_id(inlines)
            if kind == "paragraph" and self._not_a_table(token):
                block_id = block_id or f"?{line + 1}"
            elif block_id is None:
                self.diagnostics.error(self._end_of(token), "this block has no id: end it with {#some-id} (a new, unique id)", "prose.missing-id")
                block_id = f"?{line + 1}"
            elif not VALID_ID.match(block_id):
                self.diagnostics.error(location, f"'{block_id}' is not a valid id: use letters, digits, '.', '-', '_'", "prose.bad-id")
        else:
            self.count += 1
            block_id = f"{self.ids}.{self.count}"
        current = self.lists[-1] if self.lists else None
        return Block(
            kind=kind,
            id=block_id or "",
            inlines=tuple(inlines),
            location=location,
            level=level,
            ordered=bool(current and current["ordered"]),
            list_id=current["id"] if current else "",
            start=current["start"] if current else 1,
        )

    # ------------------------------------------------------------- tables

    def _table_refused(self, token: Token, footnote: dict[str, Any] | None) -> bool:
        """True, reported, when a table stands where documents cannot hold one."""
        where = None
        if self.quotes:
            return True  # the block quote is reported
        if self.ids is not None:
            where = "in this text: tables go in the plan's Markdown files (introduction, objectives, context)"
        elif footnote is not None:
            where = "in a footnote"
        elif self.lists:
            where = "in a list item: end the list with a blank line and write the table without indentation"
        if where:
            self._unsupported(token, "a table", where, "|")
        return where is not None

    def _cells(self, table: _Table) -> list[Block]:
        """The cells of a table read by markdown-it, checked against what is written: its id, and as many
        cells in every row as in its header (markdown-it pads a short row and drops what a long one adds)."""
        where = self.where
        table_id = self._table_id(table)
        rows = table.rows
        header = len(_cell_texts(where.lines[table.line]))
        for line, _ in rows[1:]:
            written = _cell_texts(where.lines[line])
            if line == rows[-1][0] and len(written) == header + 1 and _ID_LINE.match(written[-1][1]):
                continue  # an id at the end of the last row: reported as such
            if len(written) != header:
                self.diagnostics.error(
                    where.at(line, where.lines[line].strip()[:1] or None),
                    f"this row has {len(written)} cell(s), the table's header row has {header}: give every row as many cells "
                    "(leave a cell empty with '|  |'; a '|' in a cell's text is written \\|)",
                    "prose.table-cells",
                )
        numeric = [  # a column of numbers: its header is aligned with them
            all(_NUMBER.match(_plain(token.content)) for _, cells in rows[1:] if (token := cells[column][0]).content)
            and any(cells[column][0].content for _, cells in rows[1:])
            for column in range(len(rows[0][1]))
        ]
        blocks = []
        for row, (line, cells) in enumerate(rows, start=1):
            starts = _cell_texts(where.lines[line])
            for column, (token, align) in enumerate(cells, start=1):
                start, raw = starts[column - 1] if column <= len(starts) else (0, "")
                if not align and (_NUMBER.match(_plain(token.content)) if row > 1 else numeric[column - 1]):
                    align = "right"  # numbers line up on their units
                blocks.append(Block(
                    kind="cell", id=f"{table_id}.r{row}.c{column}", inlines=tuple(_inlines(token, where, self.diagnostics)),
                    location=where.at(line, raw.strip()[:20] or raw or None, start), table=table_id, row=row, column=column, align=align,
                ))
        return blocks

    def _table_id(self, table: _Table) -> str:
        """The id written on the line after the table's last row (which markdown-it reads as a row of one
        cell: removed from ``table.rows``), or a placeholder once its absence is reported."""
        where = self.where
        rows = table.rows
        table_id, id_line = None, 0
        for line, cells in [(line, cells) for line, cells in rows[1:] if not _unescaped_bars(where.lines[line])]:
            match = _ID_LINE.match(where.lines[line])
            if match and line == rows[-1][0]:
                table_id, id_line = match[1], line
            else:  # a line without '|' below a table is read as one of its rows
                self.diagnostics.error(
                    where.at(line, where.lines[line].strip()[:20] or None),
                    "this line is read as a row of the table above it (it has no '|'): leave a blank line between a table "
                    "and the text after it; the table's {#id} is its last line",
                    "prose.table-row",
                )
            rows.remove((line, cells))
        last_line = rows[-1][0]
        written = _cell_texts(where.lines[last_line])
        if table_id is None and len(rows) > 1 and len(written) == len(rows[0][1]) + 1 and _ID_LINE.match(written[-1][1]):
            self.diagnostics.error(
                where.at(last_line, "{#", written[-1][0]),
                "a table's {#id} goes on a line of its own, right after its last row (here it makes one cell too many)",
                "prose.missing-id",
            )
        elif table_id is None:
            self.diagnostics.error(
                where.at(last_line, where.lines[last_line].rstrip() + "\n"),
                "this table has no id: a table needs an {#id} (a new, unique id) on the line right after its last row",
                "prose.missing-id",
            )
        elif not VALID_ID.match(table_id):
            self.diagnostics.error(where.at(id_line, "{#"), f"'{table_id}' is not a valid id: use letters, digits, '.', '-', '_'", "prose.bad-id")
        return table_id if table_id is not None else f"?{table.line + 1}"

    def _not_a_table(self, token: Token) -> bool:
        """True, reported, for a paragraph written as a table that markdown-it could not read as one."""
        first, last = token.map if token.map else (0, 0)
        lines = self.where.lines[first:last]
        if self.ids is not None or len(lines) < 2 or not all(line.lstrip().startswith("|") for line in lines[:2]):
            return False
        if _DELIMITER.match(lines[1]):
            header, delimiter = len(_cell_texts(lines[0])), len(_cell_texts(lines[1]))
            message = (f"this table's delimiter row has {delimiter} cell(s), its header row {header}: "
                       "give it one '---' per column (':---:' centres a column, '---:' aligns it right)")
            self.diagnostics.error(self.where.at(first + 1, "|"), message, "prose.table-cells")
        else:
            message = "this looks like a table, but its second line is not a delimiter row: write '| --- | --- |' (one '---' per column) under the header row"
            self.diagnostics.error(self.where.at(first + 1, "|"), message, "prose.table-delimiter")
        return True

    def _without_id(self, inlines: list[Inline]) -> tuple[list[Inline], str | None]:
        if inlines and isinstance(inlines[-1], Span):
            match = ID_SUFFIX.search(inlines[-1].text)
            if match:
                rest = inlines[-1].text[: match.start()]
                head = inlines[:-1] + ([dataclasses.replace(inlines[-1], text=rest)] if rest else [])
                return head, match[1]
        return inlines, None

    def _end_of(self, token: Token) -> Location:
        """Just after the last character of a block: where its {#id} goes."""
        last = (token.map[1] if token.map else 1) - 1
        while last > 0 and last < len(self.where.lines) and not self.where.lines[last].strip():
            last -= 1
        text = self.where.lines[last] if 0 <= last < len(self.where.lines) else ""
        return self.where.at(last, text.rstrip() + "\n" if text.strip() else None)

    def _too_deep(self, token: Token) -> None:
        line = token.map[0] if token.map else 0
        text = self.where.lines[line] if 0 <= line < len(self.where.lines) else ""
        self.diagnostics.error(
            self.where.at(line, text.lstrip()[:1] or None),
            f"a list nested {MAX_LIST_DEPTH + 1} levels deep: lists nest at most {MAX_LIST_DEPTH} levels "
            f"(the documents have list styles for {MAX_LIST_DEPTH})",
            "prose.too-deep",
        )

    def _unsupported(self, token: Token, what: str, where: str = "here", needle: str | None = None) -> None:
        line = token.map[0] if token.map else 0
        self.diagnostics.error(self.where.at(line, needle), f"{what} is not supported {where}", "prose.unsupported")


@dataclasses.dataclass
class _Table:
    """A table being read: the line of its header, then each row's line and cells (token, alignment)."""

    line: int
    refused: bool
    rows: list[tuple[int, list[tuple[Token, str]]]] = dataclasses.field(default_factory=list)
    aligns: list[str] = dataclasses.field(default_factory=list)  # of the cell being read


_ID_LINE = re.compile(r"^\s*\{#([^{}\s]*)\}\s*$")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
# a number, an amount or a percentage as people write them: "1.200", "12,5 %", "R$ 2.000", "−3", "US$ 1,2 M"
_NUMBER = re.compile(r"^[-+−–]?\s?(?:[A-Z]{0,3}\$|[€£¥])?\s?\d[\d.,'\s\u00a0\u202f]*(?:\s?(?:%|‰|M|mi|mil|k))?$")


def _plain(content: str) -> str:
    """A cell's Markdown without footnote marks, emphasis or escapes: what tells whether it is a number."""
    return re.sub(r"\\(.)", r"\1", re.sub(r"\[\^[^\]]*\]|[*_]", "", content)).strip()


def _unescaped_bars(line: str) -> list[int]:
    """Where the '|' that separate cells are (not those written \\|)."""
    return [m.start() for m in re.finditer(r"(?<!\\)\|", line)]


def _cell_texts(line: str) -> list[tuple[int, str]]:
    """A table row's cells as written: (column where each begins, its text), as markdown-it splits them
    (a '|' before the first cell and after the last is optional)."""
    bars = _unescaped_bars(line)
    edges = [-1, *bars, len(line)]
    cells = [(start + 1, line[start + 1 : end]) for start, end in zip(edges, edges[1:])]
    if cells and not cells[0][1].strip():
        cells.pop(0)
    if cells and not cells[-1][1].strip():
        cells.pop()
    return cells


def _inlines(token: Token, where: _Origin, diagnostics: Diagnostics) -> list[Inline]:
    """The inline tokens of one block as spans (adjacent ones of one format merged), marks and breaks."""
    result: list[Inline] = []
    bold = italic = 0
    link: str | None = None
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            _append(result, Span(child.content, bool(bold), bool(italic), link))
        elif kind == "softbreak":
            _append(result, Span(" ", bool(bold), bool(italic), link))
        elif kind == "hardbreak":
            result.append(LineBreak())
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = str(child.attrGet("href"))
        elif kind == "link_close":
            link = None
        elif kind == "footnote_ref":
            result.append(FootnoteRef(child.meta["label"]))
        else:
            what, hint = _UNSUPPORTED.get(kind, (f"'{kind}'", ""))
            diagnostics.error(
                _find_in_block(where, token, (child.markup or "") + child.content[:20]),
                f"{what} is not supported in plan prose{hint}",
                "prose.unsupported",
            )
    return result


def _append(result: list[Inline], span: Span) -> None:
    last = result[-1] if result else None
    if isinstance(last, Span) and (last.bold, last.italic, last.link) == (span.bold, span.italic, span.link):
        result[-1] = dataclasses.replace(last, text=last.text + span.text)
    else:
        result.append(span)


def _find_in_block(where: _Origin, token: Token, needle: str) -> Location:
    """Where ``needle`` is written among the source lines of a block."""
    first, last = token.map if token.map else (0, 1)
    for line in range(first, last):
        if 0 <= line < len(where.lines) and needle and needle in where.lines[line]:
            return where.at(line, needle)
    return where.at(first)


_UNSUPPORTED = {  # token → (what the person wrote, what to do instead)
    "code_inline": ("inline code (`…`)", ": to show backticks, escape them as \\`"),
    "code_block": ("an indented code block (a line indented by 4 spaces)", ": remove the indentation"),
    "fence": ("a code block (```)", ""),
    "blockquote_open": ("a block quote (>)", ""),
    "hr": ("a horizontal rule (---)", ""),
    "image": ("an image", ""),
    "heading_open": ("a heading", ""),
}


def _check_references(where: _Origin, env: dict, diagnostics: Diagnostics) -> None:
    refs = env.get("footnotes", {})
    for key, index in refs.get("refs", {}).items():
        label = key[1:]
        if index == -1:
            diagnostics.error(_definition(where, label), f"footnote [^{label}] is never referenced: add [^{label}] where its mark goes, or delete it", "footnote.unreferenced")
    for entry in refs.get("list", {}).values():
        if entry.get("count", 1) > 1:
            label = entry["label"]
            diagnostics.error(
                _find(where, f"[^{label}]", skip=1),
                f"footnote [^{label}] is referenced {entry['count']} times: a Word footnote has one mark; define a second footnote",
                "footnote.repeated",
            )
    defined: dict[str, int] = {}
    for number, line in enumerate(where.lines):
        definition = _DEFINITION.match(line)
        if definition:
            label = definition[1]
            if label in defined:
                diagnostics.error(
                    where.at(number, f"[^{label}]"),
                    f"footnote [^{label}] is defined twice (first on line {where.at(defined[label]).line}): "
                    "give this one its own label or delete one",
                    "footnote.duplicate",
                )
            defined.setdefault(label, number)
    for number, line in enumerate(where.lines):
        for match in _FOOTNOTE_REF.finditer(line):
            label = match[1]
            if f":{label}" not in refs.get("refs", {}):
                diagnostics.error(
                    where.at(number, match[0]),
                    f"footnote reference [^{label}] has no footnote: add a line '[^{label}]: text' to this text",
                    "footnote.undefined",
                )


def _definition(where: _Origin, label: str) -> Location:
    """Where ``[^label]: …`` is written."""
    line = where.definition_line(label)
    return where.at(line, f"[^{label}]")


def _find(where: _Origin, needle: str, skip: int = 0) -> Location:
    """Where ``needle`` is written for the ``skip``+1-th time (a line may hold it more than once)."""
    seen = 0
    for number, line in enumerate(where.lines):
        start = len(needle) + 1 if line.lstrip().startswith(needle + ":") else 0  # a definition's own label is no mark
        start += len(line) - len(line.lstrip()) if start else 0
        column = line.find(needle, start)
        while column != -1:
            if seen == skip:
                return where.at(number, needle, column)
            seen += 1
            column = line.find(needle, column + len(needle))
    return where.at(0)


# ---------------------------------------------------------------- messages


def to_markdown(inlines: tuple[Inline, ...], cell: bool = False) -> str:
    """The Markdown a translator sees for a block: parses back to the same inlines (a ``cell``'s '|' escaped,
    as a table row needs it)."""
    out = []
    for inline in inlines:
        if isinstance(inline, FootnoteRef):
            out.append(f"[^{inline.label}]")
        elif isinstance(inline, LineBreak):
            out.append("\\\n")
        else:
            text = _escape(inline.text)
            if cell:
                text = text.replace("|", "\\|")
            if inline.link is not None:
                text = f"[{text}]({_destination(inline.link)})"
            if inline.italic:
                text = f"*{text}*"
            if inline.bold:
                text = f"**{text}**"
            out.append(text)
    return "".join(out)


def _escape(text: str) -> str:
    escaped = re.sub(r"([\\`*\[\]])", r"\\\1", text)
    # "_" only opens emphasis at a word boundary: leave snake_case and URLs readable
    escaped = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", escaped)
    return escaped


def _destination(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def parse_inline(text: str, origin: Location, diagnostics: Diagnostics, labels: set[str]) -> tuple[Inline, ...]:
    """A translated block: inline Markdown only, its footnote marks among ``labels``."""
    env = {"footnotes": {"refs": {f":{label}": -1 for label in labels}, "list": {}}}
    tokens = _MD.parseInline(text, env)
    where = _Origin(origin, text, block_scalar=False)
    inlines: list[Inline] = []
    for token in tokens:
        inlines.extend(_inlines(token, where, diagnostics))
    return tuple(inlines)
