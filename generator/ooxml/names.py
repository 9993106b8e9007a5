"""The layer's XML toolkit: namespaces, qualified names, building, editing, parsing and writing parts.

Every module of the layer names elements through these helpers: ``w("p")``
for the main namespace, ``r("id")`` for relationships, ``qn("a:blip")`` for
any prefix of ``PREFIXES``; it builds elements with ``E`` and edits parsed
trees with ``remove`` and ``unwrap``.
"""
from __future__ import annotations

import functools

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
DCMITYPE = "http://purl.org/dc/dcmitype/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"

PREFIXES = {
    "w": W, "r": R, "wp": WP, "a": A, "pic": PIC, "cp": CP, "dc": DC, "dcterms": DCTERMS,
    "dcmitype": DCMITYPE, "xsi": XSI, "xml": XML,
}

_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False)


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


def r(name: str) -> str:
    """The qualified name of a relationship attribute (``r:id``, ``r:embed``)."""
    return f"{{{R}}}{name}"


@functools.cache  # a few dozen names, asked for by every element a document is made of
def qn(prefixed: str) -> str:
    """``"a:blip"`` → ``"{http://…/drawingml/2006/main}blip"``; a name without a prefix stays as it is."""
    prefix, colon, local = prefixed.partition(":")
    return f"{{{PREFIXES[prefix]}}}{local}" if colon else prefixed


Content = etree._Element | dict[str, str] | str | None


def E(tag: str, *content: Content, nsmap: dict[str, str] | None = None) -> etree._Element:
    """An element named with a prefix of ``PREFIXES`` (``E("w:pStyle", {"w:val": "Title"})``).

    ``content`` in order: dicts of attributes (prefixed names too), text, child
    elements; None is left out.  The element declares the namespaces of its
    name and attributes unless ``nsmap`` says which; lxml drops a declaration
    an ancestor already makes when the element is appended to it.
    """
    if nsmap is None:
        nsmap = _declarations(tag, *(name for item in content if isinstance(item, dict) for name in item))
    element = etree.Element(qn(tag), nsmap=nsmap)
    for item in content:
        if isinstance(item, dict):
            for name, value in item.items():
                element.set(qn(name), value)
        elif isinstance(item, str):
            element.text = item
        elif item is not None:
            element.append(item)
    return element


@functools.cache  # by the element's name and its attributes' (lxml copies the map it is given)
def _declarations(*names: str) -> dict[str, str]:
    prefixes = [name.partition(":")[0] for name in names if ":" in name]
    return {prefix: PREFIXES[prefix] for prefix in prefixes if prefix != "xml"}


def remove(element: etree._Element) -> None:
    """Take an element (and all it holds) out of its tree."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def unwrap(element: etree._Element) -> None:
    """Put an element's children in its place: a link's runs without the link, a change without its mark."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    parent.remove(element)


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def serialize(element: etree._Element) -> bytes:
    """A part's bytes, as python-docx writes them (so that parts left alone keep their bytes)."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
