"""What the writer leaves in the XML for the package to resolve: private to the layer.

docxtpl pastes the writer's XML into the template body, but some of what that
XML needs exists only once the whole document is rendered: footnotes are
numbered 1…N in document order, hyperlinks and images need relationships of
the part that holds them, and each restarted numbered list a ``w:num`` of the
numbering part.  So the writer (``writer.WordText``) puts a placeholder where
the real value goes and keeps, at the placeholder's index, what it stands for;
``finish.finish`` replaces every placeholder once docxtpl has rendered.

- a footnote mark's ``w:id`` is ``1000000 + i`` (a number, as ``w:id`` must be;
  the template's own footnotes have small ids): body ``WordText.footnote_bodies[i]``;
- a hyperlink's ``r:id`` is ``paoLink{i}``: URL ``WordText.links[i]``;
- a numbered list item's ``w:numId`` is ``paoList{i}``: first number
  ``WordText.list_starts[i]``;
- an image's ``r:embed`` is ``paoImage{i}``: PNG ``WordText.images[i]``.
"""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Placeholder:
    """The placeholders of one kind: ``prefix`` followed by ``base + index``."""

    prefix: str
    base: int = 0

    def __call__(self, index: int) -> str:
        return f"{self.prefix}{self.base + index}"

    def index(self, value: str | None) -> int | None:
        """The index a value stands for, or None if it is not a placeholder of this kind."""
        if not value or not value.startswith(self.prefix):
            return None
        number = value[len(self.prefix):]
        if not number.isdigit() or int(number) < self.base:
            return None
        return int(number) - self.base


FOOTNOTE = Placeholder("", base=1_000_000)
LINK = Placeholder("paoLink")
LIST = Placeholder("paoList")
IMAGE = Placeholder("paoImage")
