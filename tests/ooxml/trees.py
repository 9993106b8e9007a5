"""Looking into WordprocessingML trees in tests: an element that must be there, the words a reader sees."""
from __future__ import annotations

from lxml import etree

from generator.ooxml.names import w


def one(parent: etree._Element, path: str) -> etree._Element:
    """The first element at ``path`` under ``parent``, which must be there."""
    found = parent.find(path)
    assert found is not None, f"no {path} in {etree.QName(parent).localname}"
    return found


def words(element: etree._Element) -> str:
    """The text of an element, deleted text included, tabs and line breaks as characters."""
    pieces = {w("tab"): "\t", w("br"): "\n"}
    return "".join(pieces.get(node.tag, node.text or "") for node in element.iter(w("t"), w("delText"), w("tab"), w("br")))
