"""Prose → HTML: headings, paragraphs, nested lists, tables, links, footnote marks and images.

Footnote marks are left as ``<a data-note="N">`` placeholders: ``pages`` numbers
them in the order the page shows them, as Word numbers its footnotes, and
lists the notes at the end, each linked both ways with its mark.
"""
from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..model.prose import Block, Footnote, FootnoteRef, Inline, LineBreak, Picture, Prose, Span, Table, grouped, picture

# a link written in a source opens only where a browser cannot run it as a script
_SAFE_LINK = re.compile(r"^(?:https?:|mailto:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
NOTE = '<a data-note="{}"></a>'  # a footnote mark until the page numbers it


def heading_level(level: int) -> int:
    """The HTML heading of a Word heading level: the document's title is the page's only h1."""
    return min(level + 1, 6)


@dataclasses.dataclass
class _List:
    list_id: str
    level: int
    tag: str


class HtmlText:
    """Writes the prose of one page and keeps the footnotes its marks stand for, by mark."""

    def __init__(self, footnotes: dict[str, Footnote]) -> None:
        self.footnotes = footnotes
        self.notes: list[Markup] = []  # the body of each footnote mark, by the index its placeholder carries

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> Markup:
        """Every block of ``prose``: headings, paragraphs and lists; ``prefix`` (e.g. "a) ") starts the first."""
        return self.paragraphs_of([(prose, prefix)])

    def paragraphs_of(self, parts: Sequence[tuple[Prose, str]]) -> Markup:
        """The blocks of several proses in order, the first of each starting with its prefix."""
        return Markup("").join(self._blocks(prose.blocks, prefix) for prose, prefix in parts)

    def runs(self, prose: Prose, footnotes: bool = True) -> Markup:
        """The inlines of a one-paragraph text; ``footnotes=False`` leaves out its marks (shown a second time)."""
        inlines = prose.blocks[0].inlines if prose.blocks else ()
        if not footnotes:
            inlines = tuple(i for i in inlines if not isinstance(i, FootnoteRef))
        return self._inlines(inlines)

    def image(self, image: bytes | Picture, width_cm: float, description: str) -> Markup:
        """The PNG inline, as wide as in the Word document (at most the page's width), ``description`` its alt text."""
        data = base64.b64encode(picture(image).png()).decode("ascii")
        return Markup('<figure class="chart"><img src="data:image/png;base64,{}" alt="{}" style="width:{:.1f}cm"></figure>').format(
            data, description, width_cm
        )

    # ------------------------------------------------------------- blocks

    def _blocks(self, blocks: Sequence[Block], prefix: str = "") -> Markup:
        out: list[str] = []
        open_lists: list[_List] = []  # each with its last <li> still open

        def close(down_to: int) -> None:
            while len(open_lists) > down_to:
                out.append(f"</li></{open_lists.pop().tag}>")

        for n, block in enumerate(grouped(blocks)):
            if isinstance(block, list):
                close(0)
                out.append(self._table(block))
                continue
            content = self._inlines(((Span(prefix),) if prefix and n == 0 else ()) + block.inlines)
            if block.kind == "item":
                while open_lists and (
                    open_lists[-1].level > block.level
                    or (open_lists[-1].level == block.level and open_lists[-1].list_id != block.list_id)
                ):
                    close(len(open_lists) - 1)
                if open_lists and open_lists[-1].level == block.level:
                    out.append("</li><li>")
                else:
                    tag = "ol" if block.ordered else "ul"
                    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
                    out.append(f"<{tag}{start}><li>")
                    open_lists.append(_List(block.list_id, block.level, tag))
                out.append(content)
            elif block.kind == "paragraph" and block.level and open_lists:  # continues a list item
                while len(open_lists) > 1 and open_lists[-1].level > block.level:
                    close(len(open_lists) - 1)
                out.append(f"<p>{content}</p>")
            else:
                close(0)
                if block.kind == "heading":
                    level = heading_level(block.level)
                    out.append(f"<h{level}>{content}</h{level}>")
                else:
                    out.append(f"<p>{content}</p>")
        close(0)
        return Markup("".join(out))

    def _table(self, rows: Table) -> str:
        """A table whose first row is its header (``th``, scope col), each cell aligned as in Word."""

        def cell(block: Block, tag: str) -> str:
            align = f' style="text-align:{block.align}"' if block.align in ("center", "right") else ""
            scope = ' scope="col"' if tag == "th" else ""
            return f"<{tag}{scope}{align}>{self._inlines(block.inlines)}</{tag}>"

        head = "".join(cell(block, "th") for block in rows[0])
        body = "".join("<tr>" + "".join(cell(block, "td") for block in row) + "</tr>" for row in rows[1:])
        return f'<table class="prose"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    # ------------------------------------------------------------- inlines

    def _inlines(self, inlines: Sequence[Inline]) -> Markup:
        out: list[str] = []
        for inline in inlines:
            if isinstance(inline, Span):
                out.append(self._span(inline))
            elif isinstance(inline, FootnoteRef):
                out.append(self._note(inline.label))
            elif isinstance(inline, LineBreak):
                out.append("<br>")
        return Markup("".join(out))

    @staticmethod
    def _span(span: Span) -> str:
        html = str(escape(span.text))
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.italic:
            html = f"<em>{html}</em>"
        if span.link is not None and _SAFE_LINK.match(span.link):
            html = f'<a href="{escape(span.link)}">{html}</a>'
        return html

    def _note(self, label: str) -> str:
        body = Markup("").join(Markup("<p>{}</p>").format(self._inlines(b.inlines)) for b in self.footnotes[label].blocks)
        self.notes.append(body)
        return NOTE.format(len(self.notes) - 1)
