"""Namespaces of WordprocessingML and its package, and reading and writing a part's XML.

Every module of the layer names elements through these helpers: ``w("p")``
for the main namespace, ``r("id")`` for relationships, ``qn("a:blip")`` for
any prefix of ``PREFIXES``.
"""
from __future__ import annotations

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


def qn(prefixed: str) -> str:
    """``"a:blip"`` → ``"{http://…/drawingml/2006/main}blip"``; a name without a prefix stays as it is."""
    prefix, colon, local = prefixed.partition(":")
    return f"{{{PREFIXES[prefix]}}}{local}" if colon else prefixed


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def serialize(element: etree._Element) -> bytes:
    """A part's bytes, as python-docx writes them (so that parts left alone keep their bytes)."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
