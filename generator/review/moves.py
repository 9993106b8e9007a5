"""Which items of two versions are the same item, and which of them moved or were only renumbered.

An *item* is anything a document prints in order: a strategic objective, an
operational action, a KPI, an activity, a paragraph or list item of prose.

Pairing (``match``): by id first.  A pair of the same id whose texts are unlike
(difflib ratio below ``SIMILAR``) is held back, because ids that carry a
position change hands when items move (``AO-3.2`` renumbered ``AO-3.1`` after
AO 3.1 moved away; the generated ids of a summary's paragraphs).  The items
left are then paired by their text: identical texts first (a dictionary), then
the most alike with a ratio of at least ``SIMILAR`` = 0.8 (0.8: a sentence
with a few words changed still pairs, two different sentences of the same
list do not), compared among the unpaired items only, so the cost grows with
what changed, not with the square of the plan.  A held-back pair whose items
found no better partner is paired by its id again: an item rewritten in place.

Places (``places``): an item that went into another list (an action into
another objective, a KPI into another action) *moved*.  In each list, the
items that kept their order relative to one another and say the most (a
heaviest increasing run of old positions, ``ooxml.align.heaviest``, as the
redline picks) stay; the others *moved* (reordered).  An item that did
not move but whose printed number changed (``b)`` → ``a)``, AO 3.2 → AO 3.1)
was *renumbered*: a consequence of moves, additions or removals, not an edit.
"""
from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence

from ..ooxml.align import heaviest

SIMILAR = 0.8


@dataclasses.dataclass(frozen=True)
class Item:
    id: str  # how the report names it: "AO-3.1", "AO-3.1/week", "ctx-prices"
    where: str  # the key of the list it is in, in its version: "OE-3", "AO-3.1", "context"
    within: str  # that list as a reader names it: "objective 3", "AO 3.1", "context"
    label: str  # its place as a reader finds it: "AO 3.1", "b)", "4", "item 2 of list 1"
    number: str  # what the document prints for its place ("" when nothing): renumbered when it changes
    text: str  # what it says: pairs items whose id changed
    key: str = ""  # what pairs it by id, when not its id (a KPI of an action whose id changed: under the new id)

    @property
    def pairing(self) -> str:
        return self.key or self.id

    def place(self) -> dict[str, str]:
        """Where it is, for the report."""
        return {"in": self.within, "at": self.label}


@dataclasses.dataclass(frozen=True)
class Matching:
    new: list[Item]
    paired: dict[str, Item]  # new item's pairing key → its old item
    removed: list[Item]  # in the old version's order
    old_positions: dict[str, int]  # old pairing key → index in the old version

    @property
    def pairs(self) -> list[tuple[Item, Item]]:
        """(old, new), in the new version's order."""
        return [(self.paired[item.pairing], item) for item in self.new if item.pairing in self.paired]

    def old_of(self, item: Item) -> Item | None:
        return self.paired.get(item.pairing)

    def renamed(self) -> dict[str, str]:
        """Old id → new id of every paired item: for the items listed in them."""
        return {old.id: new.id for old, new in self.pairs}


def match(old: Sequence[Item], new: Sequence[Item]) -> Matching:
    """The same items of two versions paired (see the module's docstring)."""
    old_by_key = {item.pairing: item for item in old}
    paired: dict[str, Item] = {}  # new key → old item
    held: dict[str, Item] = {}  # new key → the old item of its key, whose text is unlike
    for item in new:
        before = old_by_key.get(item.pairing)
        if before is not None:
            (paired if alike(before.text, item.text) else held)[item.pairing] = before
    taken = {before.pairing for before in paired.values()}
    loose_old = [item for item in old if item.pairing not in taken]
    loose_new = [item for item in new if item.pairing not in paired]
    paired.update(_by_text(loose_old, loose_new))
    taken = {before.pairing for before in paired.values()}
    for key, before in held.items():
        if key not in paired and before.pairing not in taken:
            paired[key] = before
            taken.add(before.pairing)
    return Matching(
        new=list(new),
        paired=paired,
        removed=[item for item in old if item.pairing not in taken],
        old_positions={item.pairing: index for index, item in enumerate(old)},
    )


def _by_text(old: list[Item], new: list[Item]) -> dict[str, Item]:
    """New key → old item, among unpaired items: identical texts, then the most alike."""
    found: dict[str, Item] = {}
    same: dict[str, list[Item]] = {}
    for item in old:
        same.setdefault(item.text, []).append(item)
    rest = []
    for item in new:
        candidates = same.get(item.text)
        if candidates:
            found[item.pairing] = candidates.pop(0)
        else:
            rest.append(item)
    left = [item for items in same.values() for item in items]
    for item in rest:
        best, score = None, SIMILAR
        for candidate in left:
            ratio = _ratio(item.text, candidate.text, score)
            if ratio >= score:
                best, score = candidate, ratio
        if best is not None:
            found[item.pairing] = best
            left.remove(best)
    return found


def alike(a: str, b: str) -> bool:
    return a == b or _ratio(a, b, SIMILAR) >= SIMILAR


def _ratio(a: str, b: str, at_least: float) -> float:
    """difflib's ratio, or 0 as soon as its cheap upper bounds say it is below ``at_least``."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def places(matching: Matching, lists: Mapping[str, str]) -> dict[str, str]:
    """New id → "moved" or "renumbered", for the paired items that did either.

    ``lists``: the key of each old list → the key of the same list in the new
    version (lists renamed with their owner); a key not in it is the same in both.
    """
    result: dict[str, str] = {}
    staying: dict[str, list[tuple[int, Item, Item]]] = {}
    for old, new in matching.pairs:
        if lists.get(old.where, old.where) != new.where:
            result[new.pairing] = "moved"
        else:
            staying.setdefault(new.where, []).append((matching.old_positions[old.pairing], old, new))
    for members in staying.values():
        # the items that stay are those keeping their order that say the most, as in the redline
        pairs = [(position, index) for index, (position, _, _) in enumerate(members)]
        kept = heaviest(pairs, [len(new.text) + 1 for _, _, new in members])
        for index, (position, old, new) in enumerate(members):
            if (position, index) not in kept:
                result[new.pairing] = "moved"
            elif old.number != new.number:
                result[new.pairing] = "renumbered"
    return result
