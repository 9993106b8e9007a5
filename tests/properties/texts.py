"""What people type, and what they must then see: the strategies and the oracle of the text properties.

``typed`` draws text from the characters people type (letters with accents,
digits, every ASCII punctuation mark — ``&``, ``<``, quotes, ``*``, ``_``,
``[``, ``#``, backslashes —, emoji with their modifiers, other scripts,
no-break spaces, tabs, long words) and, less often, from anything Unicode
holds.  ``escaped`` writes such a text as Markdown that means exactly it
(every ASCII punctuation mark backslash-escaped); ``visible`` says what a
reader sees of any Markdown, as markdown-it-py parses the dialect
``docs/source-format.md`` documents (CommonMark with ``[^label]`` footnotes,
HTML and entities printed as written).
"""
from __future__ import annotations

import dataclasses
import re
import string

from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

ACCENTED = "áéíóúüñÁÉÍÓÚÑçÇãõâêôàèìòùœæßëïÿ¿¡«»ºª€£¥–—…“”‘’·°±×÷§¶©®™"
WORDS = list(string.ascii_letters + string.digits + ACCENTED) + [" "] * 20
PUNCTUATION = list(string.punctuation)  # & < > " ' * _ [ ] # \ …: what Markdown, XML and YAML give a meaning
RARE = [
    "😀", "🎉", "👍🏽", "👩‍💻", "🇪🇸", "🇧🇷", "❤️", "e\u0301", "n\u0303",  # emoji, modifiers, flags, ZWJ, combining accents
    "中文", "日本語", "한국어", "Жизнь", "Ελλάδα", "العربية", "עברית", "हिन्दी",  # other scripts, right-to-left ones
    "\u00a0", "\u202f", "\u00ad", "\u200b", "\u2009",  # no-break, narrow no-break, soft hyphen, zero width, thin space
    "\t", "\t",
]
LONG_WORDS = st.text(st.sampled_from(string.ascii_letters + "áéñ"), min_size=60, max_size=400)
ANYTHING = st.characters(exclude_categories=["Cs"]).filter(lambda c: c != "\r")  # a text cannot hold lone surrogates

MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation can be escaped


LINE_BREAKS = ["\n", "  \n", "\\\n"]  # a soft break, and a hard one written both ways
BLOCK_BREAKS = ["\n\n", "\n- ", "\n1. ", "\n  - ", "\n    ", "\n# ", "\n> ", "\n[^n]: "]  # paragraphs, lists, what plan prose refuses


def typed(*, lines: bool = False, blocks: bool = False) -> st.SearchStrategy[str]:
    """Text as people type it: with ``lines``, over several lines; with ``blocks``, in several paragraphs and lists.

    No lone carriage return: editors end lines with LF or CRLF, which sources read alike.
    """
    words, marks = st.text(st.sampled_from(WORDS), min_size=1, max_size=12), st.text(st.sampled_from(PUNCTUATION), min_size=1, max_size=3)
    pieces = [words] * 3 + [marks] * 3 + [st.sampled_from(RARE), ANYTHING, LONG_WORDS]
    if lines or blocks:
        pieces += [st.sampled_from(LINE_BREAKS)] * 2
    if blocks:
        pieces += [st.sampled_from(BLOCK_BREAKS)] * 2
    return st.lists(st.one_of(pieces), max_size=40).map("".join)


def literal() -> st.SearchStrategy[str]:
    """One line of typed text without spaces around it: written ``escaped``, Markdown shows exactly it."""
    return typed().map(lambda text: text.replace("\n", " ").strip())


def escaped(text: str) -> str:
    """Markdown that reads as exactly ``text``: every ASCII punctuation mark escaped."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


@dataclasses.dataclass(frozen=True)
class Typed:
    """A text as written into a file, and what a reader must then see of it, in order."""

    written: str
    shows: list[str]


def one_line(mark: int) -> st.SearchStrategy[Typed]:
    """A one-line field's text, which shows as typed; it ends with a mark of its own (``⟦n⟧``), so that it is
    found where it belongs and its trailing spaces count."""
    return typed().map(lambda text: Typed(f"{text}⟦{mark}⟧", [f"{text}⟦{mark}⟧"]))


def markdown(*, blocks: bool, inline: bool = False) -> st.SearchStrategy[Typed]:
    """A Markdown text: plain words escaped, which show exactly as typed, or raw Markdown, which shows as
    markdown-it-py reads it (``inline``: as a translation of one block is read, without blocks)."""
    read = visible_inline if inline else visible
    return st.one_of(
        literal().map(lambda text: Typed(escaped(text), [text])),
        typed(lines=True, blocks=blocks).map(lambda text: Typed(text, read(text))),
    )


_MD = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin, inline=False).disable("entity")


def visible(text: str) -> list[str]:
    """What a reader sees of a Markdown text: each block's words in order, then its footnotes' paragraphs.

    Footnote marks read ``[^N]`` (numbered when the document is built); a link
    reads as its text, then its address when that differs (``text <url>``), as
    ``pao text`` prints it.
    """
    blocks: list[str] = []
    footnotes: list[str] = []
    in_footnote = False
    for token in _MD.parse(text, {}):
        if token.type == "footnote_open":
            in_footnote = True
        elif token.type == "footnote_close":
            in_footnote = False
        elif token.type == "inline":
            (footnotes if in_footnote else blocks).append(_inline_text(token.children or []))
        elif token.type in ("code_block", "fence"):  # refused as plan prose; if not, its text must show
            blocks.append(token.content.strip("\n"))
    return blocks + footnotes


def visible_inline(text: str) -> list[str]:
    """What a reader sees of a translated block: inline Markdown only."""
    return [_inline_text(token.children or []) for token in _MD.parseInline(text, {})]


FOOTNOTE_MARK = "\x00"  # stands for ``[^N]`` in what ``visible`` returns; matched by ``appears_in_order``


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    link: tuple[str, int] | None = None  # the address and where the link's text starts
    for child in children:
        if child.type == "text":
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "footnote_ref":
            out.append(FOOTNOTE_MARK)
        elif child.type == "link_open":
            link = (str(child.attrGet("href")), len(out))
        elif child.type == "link_close" and link is not None:
            text = "".join(out[link[1] :])
            if link[0] != text:
                out.append(f" <{link[0]}>")
            link = None
        elif child.type in ("code_inline", "image"):  # refused as plan prose; if not, its text must show
            out.append(child.content)
    return "".join(out)


def shown(text: str) -> str:
    """``text`` as ``pao text`` prints it: each line without trailing spaces (the words are what counts), a no-break
    hyphen (which keeps a reference on one line) as the hyphen it stands for."""
    return "\n".join(line.rstrip() for line in text.replace("\u2011", "-").split("\n"))


def appears_in_order(texts: list[str], document: str) -> bool:
    """Whether each of ``texts`` appears in ``document`` after the one before it."""
    position = 0
    for text in texts:
        # a '|' shows as '\|' in a table's cell (pao text keeps the cells of a row apart)
        pattern = r"\[\^\d+\]".join(re.escape(part).replace(r"\|", r"\\?\|") for part in shown(text).split(FOOTNOTE_MARK))
        found = re.compile(pattern).search(document, position)
        if found is None:
            return False
        position = found.end()
    return True
