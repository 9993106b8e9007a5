"""A .docx package: its parts, their relationships and content types, its core properties.

``Package`` reads a .docx into parts and writes it back so that the same
parts always give the same bytes (fixed dates, fixed order).
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
import zlib
from typing import cast

from lxml import etree

from ..diagnostics import Location, fail
from .names import CP, CT, DC, DCMITYPE, DCTERMS, PKG_REL, XSI, E, R, parse_xml, serialize, w

HYPERLINK = f"{R}/hyperlink"
IMAGE = f"{R}/image"

_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# the declaration as Word spells it (lxml writes single quotes): core.xml keeps its bytes
_WORD_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# between the keywords of core.xml, as Word separates tags; pdf/worker.py splits on it (LibreOffice itself
# would split "Nº 06/2022/TID" at its space)
KEYWORD_SEPARATOR = "; "


@dataclasses.dataclass(frozen=True)
class Properties:
    """Document properties written to docProps/core.xml."""

    title: str
    subject: str
    creator: str
    keywords: tuple[str, ...]  # whole terms: "Nº 06/2022/TID" is one
    language: str  # BCP 47 tag, e.g. es-ES
    date: datetime.date


class Package:
    """The parts of a .docx as bytes, in their original order (``read`` for a file a person gives)."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {info.filename: archive.read(info) for info in archive.infolist()}

    @classmethod
    def of_parts(cls, parts: dict[str, bytes]) -> Package:
        """The package of these parts (by name in the zip)."""
        package = cls.__new__(cls)
        package.parts = parts
        return package

    def xml(self, name: str) -> etree._Element | None:
        return parse_xml(self.parts[name]) if name in self.parts else None

    def malformed(self) -> tuple[str, str] | None:
        """The first XML part that is not well-formed, and what is wrong with it (None if every part is)."""
        for name, data in self.parts.items():
            if name.endswith((".xml", ".rels")):
                try:
                    parse_xml(data)
                except etree.XMLSyntaxError as exc:
                    return name, exc.msg
        return None

    def set_xml(self, name: str, element: etree._Element) -> None:
        self.parts[name] = serialize(element)

    def relate(self, part_name: str, rel_type: str, target: str, external: bool) -> str:
        """A new relationship of ``part_name`` to ``target``: its id, unused by the part's others."""
        rels_name = _rels_name(part_name)
        rels = self.xml(rels_name)
        if rels is None:
            # the default namespace: a None prefix, which some of lxml's type stubs do not allow for
            rels = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap=cast("dict[str, str]", {None: PKG_REL}))
        taken = {rel.get("Id") for rel in rels}
        number = 1
        while f"rIdPao{number}" in taken:
            number += 1
        rel_id = f"rIdPao{number}"
        attributes = {"Id": rel_id, "Type": rel_type, "Target": target}
        if external:
            attributes["TargetMode"] = "External"
        etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", attributes)
        self.set_xml(rels_name, rels)
        return rel_id

    def external_targets(self, part_name: str) -> dict[str, str]:
        """Relationship id → URL of the external relationships of ``part_name`` (its hyperlinks)."""
        rels = self.xml(_rels_name(part_name))
        if rels is None:
            return {}
        return {rel.get("Id") or "": rel.get("Target") or "" for rel in rels if rel.get("TargetMode") == "External"}

    def declare_part(self, part_name: str, content_type: str) -> None:
        """Give a new part its content type."""
        self._declare_type("Override", "PartName", f"/{part_name}", content_type)

    def declare_extension(self, extension: str, content_type: str) -> None:
        """Give the parts named ``*.extension`` a content type, unless they have one."""
        self._declare_type("Default", "Extension", extension, content_type)

    def _declare_type(self, kind: str, key: str, value: str, content_type: str) -> None:
        types = parse_xml(self.parts["[Content_Types].xml"])
        if any(t.get(key) == value for t in types.findall(f"{{{CT}}}{kind}")):
            return
        etree.SubElement(types, f"{{{CT}}}{kind}", {key: value, "ContentType": content_type})
        self.set_xml("[Content_Types].xml", types)

    def set_properties(self, properties: Properties) -> None:
        """Write ``docProps/core.xml`` (title, subject, author… as File › Properties shows them)."""
        stamp = f"{properties.date.isoformat()}T00:00:00Z"
        core = E(
            "cp:coreProperties",
            E("dc:title", properties.title),
            E("dc:subject", properties.subject),
            E("dc:creator", properties.creator),
            E("cp:keywords", KEYWORD_SEPARATOR.join(properties.keywords)),
            E("dc:language", properties.language),
            E("cp:lastModifiedBy", properties.creator),
            E("cp:revision", "1"),
            E("dcterms:created", {"xsi:type": "dcterms:W3CDTF"}, stamp),
            E("dcterms:modified", {"xsi:type": "dcterms:W3CDTF"}, stamp),
            nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "dcmitype": DCMITYPE, "xsi": XSI},
        )
        self.parts["docProps/core.xml"] = _WORD_DECLARATION + etree.tostring(core, encoding="UTF-8", xml_declaration=False)

    def style_ids(self) -> dict[str, str]:
        """Style name in lower case → style id (Word stores built-in names as "heading 1")."""
        styles = self.xml("word/styles.xml")
        result = {}
        for style in styles.iter(w("style")) if styles is not None else ():
            name = style.find(w("name"))
            if name is not None:
                result[(name.get(w("val")) or "").lower()] = style.get(w("styleId")) or ""
        return result

    def text_width(self) -> int | None:
        """Twips between the left and right margins of the body's last section (None when it does not say)."""
        document = self.xml("word/document.xml")
        section = document.find(f"{w('body')}/{w('sectPr')}") if document is not None else None
        size = section.find(w("pgSz")) if section is not None else None
        margins = section.find(w("pgMar")) if section is not None else None
        if size is None or margins is None:
            return None
        try:
            width = int(size.get(w("w"), "")) - int(margins.get(w("left"), "0")) - int(margins.get(w("right"), "0"))
        except ValueError:
            return None
        return width if width > 0 else None

    def to_bytes(self) -> bytes:
        """A zip whose bytes depend only on the parts: fixed dates, fixed order."""
        names = sorted(self.parts, key=lambda n: (n != "[Content_Types].xml", n))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                info = zipfile.ZipInfo(name, _FIXED_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # "made on Unix", which zipfile says only off Windows: the same bytes on every system
                info.external_attr = 0o644 << 16
                archive.writestr(info, self.parts[name], compresslevel=6)  # zlib's default: 9 takes twice as long for 6 % less
        return buffer.getvalue()


# what zipfile raises for a damaged archive: a CRC that does not match, a part cut short, compressed by an unknown
# method or encrypted, an offset before the start of the file ("negative seek value")
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


def read(data: bytes, shown: str) -> Package:
    """The package of a .docx a person gives (``shown`` as they name it), or SourceError saying why it cannot be read."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise fail(Location(shown), "not a Word document (.docx)", "docx.invalid")
    try:
        package = Package(data)
    except DAMAGED as exc:
        raise fail(Location(shown), f"the file is damaged ({exc}): restore a copy or make it again", "docx.damaged") from None
    if "word/document.xml" not in package.parts:
        raise fail(Location(shown), "not a Word document (.docx): it has no word/document.xml", "docx.invalid")
    return package


def _rels_name(part_name: str) -> str:
    folder, _, file = part_name.rpartition("/")
    return f"{folder}/_rels/{file}.rels"
