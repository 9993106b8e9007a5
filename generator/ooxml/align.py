"""Which parts of two versions of a document pair up: blocks, table rows, words.

Both versions are rendered from the same template, so their bodies line up.
Each alignment is a list of ``(old, new)`` pairs in the order of the merged
document: both set for what the versions share (to compare further), only
``old`` for what was deleted, only ``new`` for what was inserted.  Nothing
here writes XML: ``redline`` marks the changes.

An item's printed number ("1. ", "a) ", "Objetivo estratégico 2", the
number of "AO 3.1" in a table) is left out when aligning, so an item that was
only renumbered pairs with itself (numbers that changed are still compared,
word by word, once paired).  ``moved`` then pairs a deleted and an inserted block (or row) that
say the same, or nearly (``MOVED``): one item that moved.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from lxml import etree

from .names import r, w

T = TypeVar("T")
Pairs = list[tuple[T | None, T | None]]

SIMILAR = 0.5  # how alike two blocks must be to be compared rather than deleted and inserted
MOVED = 0.8  # how alike a deleted and an inserted block (or row) must be to be one moved (and maybe edited)
# what a document prints for an item's place, before its words: "1. ", "a) ", "a.1) "
_NUMBER = re.compile(r"^\s*(?:\d+|[^\W\d_])(?:\.\d+)*[.)]\s+")
_LABEL = re.compile(r"^\s*(?:\d+|[^\W\d_])(?:\.\d+)*[.)]?\s*$")  # a cell that holds only a number: "1", "b)"
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


# ---------------------------------------------------------------- blocks


def blocks(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    """Block elements (paragraphs, tables, content controls) aligned by their text; of a
    stretch that differs, similar blocks of the same kind pair in order."""
    out: Pairs[etree._Element] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, _block_key):
        if tag == "equal":
            out += zip(old[i1:i2], new[j1:j2], strict=True)
        elif tag == "replace":
            out += _similar(old[i1:i2], new[j1:j2])
        else:
            out += [(b, None) for b in old[i1:i2]] + [(None, b) for b in new[j1:j2]]
    return out


def _similar(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    out: Pairs[etree._Element] = []
    start = 0
    for block in new:
        match = next(
            (i for i in range(start, len(old)) if old[i].tag == block.tag and _similarity(old[i], block) >= SIMILAR),
            None,
        )
        if match is None:
            out.append((None, block))
            continue
        out += [(b, None) for b in old[start:match]]
        out.append((old[match], block))
        start = match + 1
    return out + [(b, None) for b in old[start:]]


def rows(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    """Table rows aligned by their text: a stretch of changed rows pairs row by row when the
    rows have as many cells on both sides, else is deleted then inserted."""
    out: Pairs[etree._Element] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, _row_key):
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))  # a stretch may differ in length
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1 and all(_cells(a) == _cells(b) for a, b in pairs):
            out += pairs
        else:
            out += [(row, None) for row in old[i1:i2]] + [(None, row) for row in new[j1:j2]]
    return out


def _cells(row: etree._Element) -> int:
    return len(row.findall(w("tc")))


def moved(pairs: Pairs[etree._Element]) -> tuple[Pairs[etree._Element], dict[etree._Element, etree._Element]]:
    """The alignment again, with what moved: each moved block (or row) → its partner.

    Of the blocks deleted and inserted, those that say the same without their
    printed number, or else the most alike (``MOVED``) of the same kind, are one
    item.  Of all pairs, those that keep their order and hold the most words
    stay where they are (compared in place); the others moved.  Empty ones
    never move: they are deleted and inserted."""
    partner = _partners(pairs)
    if not partner:
        return pairs, partner
    old = [a for a, _ in pairs if a is not None]
    new = [b for _, b in pairs if b is not None]
    old_index = {block: index for index, block in enumerate(old)}
    candidates = []  # (old index, new index) of every pair, in the new order
    for index, (a, b) in enumerate((a, b) for a, b in pairs if b is not None):
        if a is not None:
            candidates.append((old_index[a], index))
        elif b in partner:
            candidates.append((old_index[partner[b]], index))
    kept = heaviest(candidates, [len(text(new[n])) + 1 for _, n in candidates])
    partner = {}
    for o, n in candidates:
        if (o, n) not in kept and _moving_text(old[o]):
            partner[old[o]], partner[new[n]] = new[n], old[o]
    out: Pairs[etree._Element] = []
    i = j = 0
    for o, n in sorted(kept, key=lambda pair: pair[1]):
        out += [(block, None) for block in old[i:o]] + [(None, block) for block in new[j:n]]
        out.append((old[o], new[n]))
        i, j = o + 1, n + 1
    return out + [(block, None) for block in old[i:]] + [(None, block) for block in new[j:]], partner


def heaviest(pairs: Sequence[tuple[int, int]], weights: Sequence[int]) -> set[tuple[int, int]]:
    """The pairs (in increasing second index) whose first indexes increase too, of the greatest total
    weight: a heaviest increasing subsequence, n log n with a Fenwick tree of prefix maxima.  What
    stays in place when items move; the change report (``review.moves``) picks the same way."""
    size = max((o for o, _ in pairs), default=0) + 1
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (best total, index of its last pair)
    previous = [-1] * len(pairs)
    totals = [0] * len(pairs)
    for k, ((o, _), weight) in enumerate(zip(pairs, weights, strict=True)):
        i, top = o, (0, -1)
        while i > 0:
            top = max(top, tree[i])
            i -= i & -i
        totals[k], previous[k] = top[0] + weight, top[1]
        i = o + 1
        while i <= size:
            tree[i] = max(tree[i], (totals[k], k))
            i += i & -i
    kept: set[tuple[int, int]] = set()
    k = max(range(len(pairs)), key=lambda index: (totals[index], index), default=-1)
    while k >= 0:
        kept.add(pairs[k])
        k = previous[k]
    return kept


def _partners(pairs: Pairs[etree._Element]) -> dict[etree._Element, etree._Element]:
    gone = [old for old, new in pairs if new is None and old is not None and _moving_text(old)]
    came = [new for old, new in pairs if old is None and new is not None and _moving_text(new)]
    partner: dict[etree._Element, etree._Element] = {}
    if not gone or not came:
        return partner
    same: dict[tuple[Hashable, str], list[etree._Element]] = {}
    for block in gone:
        same.setdefault((block.tag, _moving_text(block)), []).append(block)
    rest = []
    for block in came:
        candidates = [old for old in same.get((block.tag, _moving_text(block)), []) if _same_shape(old, block)]
        if candidates:
            old = candidates[0]
            same[(block.tag, _moving_text(block))].remove(old)
            partner[old], partner[block] = block, old
        else:
            rest.append(block)
    left = [block for block in gone if block not in partner]
    for block in rest:
        best, score = None, MOVED
        for old in left:
            if not _same_shape(old, block):
                continue
            matcher = difflib.SequenceMatcher(None, _moving_text(old)[:2000], _moving_text(block)[:2000], autojunk=False)
            if matcher.real_quick_ratio() >= score and matcher.quick_ratio() >= score and matcher.ratio() >= score:
                best, score = old, matcher.ratio()
        if best is not None:
            left.remove(best)
            partner[best], partner[block] = block, best
    return partner


def _same_shape(a: etree._Element, b: etree._Element) -> bool:
    """Two blocks of the same kind (rows: with as many cells)."""
    return a.tag == b.tag and (a.tag != w("tr") or _cells(a) == _cells(b))


def _moving_text(element: etree._Element) -> str:
    return _NUMBERS.sub("#", text(element)).strip()


# ---------------------------------------------------------------- words


@dataclasses.dataclass
class Token:
    """A word, a space, a punctuation mark, a tab, a line break, a footnote mark or other run content."""

    kind: str  # text | tab | br | fn | other
    text: str = ""
    rpr: etree._Element | None = None
    link: str | None = None  # hyperlink relationship id (new document only)
    element: etree._Element | None = None  # footnoteReference, br or other run content

    def key(self) -> tuple[Hashable, ...]:
        if self.kind == "fn":
            return ("fn",)  # marks pair by position; their bodies are compared apart
        return (self.kind, self.text, formatting(self.rpr))


def tokens(paragraph: etree._Element, from_old: bool) -> list[Token]:
    """A paragraph's content, word by word with each word's formatting. Links are kept from
    the new version only (the old one's relationships are not in the merged package); a run
    the new version already deletes is not part of its text."""
    out = []
    for run in paragraph.iter(w("r")):
        if any(a.tag == w("del") for a in run.iterancestors()) and not from_old:
            continue
        rpr = run.find(w("rPr"))
        link = None
        parent = run.getparent()
        if parent is not None and parent.tag == w("hyperlink") and not from_old:
            link = parent.get(r("id"))
        for child in run:
            tag = etree.QName(child).localname
            if tag in ("t", "delText"):
                for piece in re.findall(r"\w+|\s+|[^\w\s]", child.text or ""):
                    out.append(Token("text", piece, rpr, link))
            elif tag == "tab":
                out.append(Token("tab", rpr=rpr, link=link))
            elif tag == "br":
                out.append(Token("br", rpr=rpr, link=link, element=child))
            elif tag == "footnoteReference":
                out.append(Token("fn", rpr=rpr, element=child))
            elif tag != "rPr":
                out.append(Token("other", etree.tostring(child).decode(), rpr, link, child))
    return out


def words(old: Sequence[Token], new: Sequence[Token]) -> Pairs[Token]:
    """Two paragraphs' tokens aligned; of a stretch that differs, the old tokens come first."""
    out: Pairs[Token] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, Token.key):
        if tag == "equal":
            out += zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            out += [(t, None) for t in old[i1:i2]] + [(None, t) for t in new[j1:j2]]
    return out


def formatting(rpr: etree._Element | None) -> tuple[Hashable, ...]:
    """Run formatting as plain data (serialised XML would differ in namespace declarations)."""
    if rpr is None:
        return ()
    return tuple(
        (etree.QName(child).localname, tuple(sorted((etree.QName(k).localname, v) for k, v in child.attrib.items())))
        for child in rpr
    )


# ---------------------------------------------------------------- text


def text(element: etree._Element) -> str:
    """The words of an element, deleted ones included."""
    return "".join(t.text or "" for t in element.iter(w("t"), w("delText")))


def unnumbered(words: str) -> str:
    """A paragraph's or row's words without the number printed before them ("2. ", "b) ")."""
    return _NUMBER.sub("", words, count=1)


def _row_key(row: etree._Element) -> str:
    """A row's words without its printed number: before its words, or in a first cell of its own."""
    cells = [text(cell) for cell in row.findall(w("tc"))]
    if len(cells) > 1 and _LABEL.match(cells[0]):
        cells = cells[1:]
    return _NUMBERS.sub("#", unnumbered("\n".join(cells)))


def _block_key(block: etree._Element) -> tuple[Hashable, ...]:
    if block.tag == w("tbl"):
        # a whole table, its numbers left out (an action's table says its reference, which moves renumber)
        return ("tbl", _NUMBERS.sub("#", text(block)))
    marks = len(list(block.iter(w("footnoteReference"))))
    # numbers left out: a heading "Objetivo estratégico 2: …" that became 1 is still the same heading
    return (etree.QName(block).localname, _NUMBERS.sub("#", unnumbered(text(block))), marks)


def _first_row(table: etree._Element) -> str:
    first = table.find(w("tr"))
    return text(first) if first is not None else ""


def _similarity(a: etree._Element, b: etree._Element) -> float:
    """How alike two blocks are: their text (a table with the same first row is the same table)."""
    if a.tag == w("tbl") and _first_row(a) == _first_row(b):
        return 1.0
    limit = 2000 if a.tag == w("tbl") else None  # a whole table's text is long; its beginning tells
    return difflib.SequenceMatcher(None, text(a)[:limit], text(b)[:limit], autojunk=a.tag == w("tbl")).ratio()


def _opcodes(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> Sequence[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False).get_opcodes()
