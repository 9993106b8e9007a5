"""The only module that edits WordprocessingML packages directly.

After docxtpl has rendered a template, ``finish`` resolves what ``richtext``
left as placeholders (footnotes, hyperlinks, restarted lists), writes the
document properties and language, and writes the zip so that the same input
always gives the same bytes.
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import zipfile
from xml.sax.saxutils import escape

from lxml import etree

from .writer import FOOTNOTE_BASE, IMAGE_PREFIX, LINK_PREFIX, LIST_PREFIX, WordText

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
HYPERLINK_TYPE = f"{R}/hyperlink"
IMAGE_TYPE = f"{R}/image"
FOOTNOTES_TYPE = f"{R}/footnotes"
FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"

_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclasses.dataclass(frozen=True)
class Properties:
    """Document properties written to docProps/core.xml."""

    title: str
    subject: str
    creator: str
    keywords: str
    language: str  # BCP 47 tag, e.g. es-ES
    date: datetime.date


def parse_xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def style_names(styles_xml: bytes) -> dict[str, str]:
    """Style name in lower case → style id (Word stores built-in names as "heading 1")."""
    root = parse_xml(styles_xml)
    result = {}
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        if name is not None:
            result[name.get(w("val")).lower()] = style.get(w("styleId"))
    return result


class Package:
    """The parts of a .docx as bytes, in their original order."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {info.filename: archive.read(info) for info in archive.infolist()}

    def xml(self, name: str) -> etree._Element | None:
        return parse_xml(self.parts[name]) if name in self.parts else None

    def set_xml(self, name: str, element: etree._Element) -> None:
        self.parts[name] = serialize(element)

    def to_bytes(self) -> bytes:
        """A zip whose bytes depend only on the parts: fixed dates, fixed order."""
        names = sorted(self.parts, key=lambda n: (n != "[Content_Types].xml", n))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                info = zipfile.ZipInfo(name, _FIXED_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, self.parts[name], compresslevel=9)
        return buffer.getvalue()


def finish(rendered: bytes, text: WordText, properties: Properties) -> bytes:
    """Resolve placeholders, set properties and language, and write reproducible bytes."""
    package = Package(rendered)
    document = package.xml("word/document.xml")
    footnotes = _footnotes_part(package)
    _number_footnotes(document, footnotes, text)
    for part_name, root in (("word/document.xml", document), ("word/footnotes.xml", footnotes)):
        _resolve_links(package, part_name, root, text)
    _resolve_lists(package, [document, footnotes], text)
    _resolve_images(package, document, text)
    package.set_xml("word/document.xml", document)
    package.set_xml("word/footnotes.xml", footnotes)
    _set_language(package, properties.language)
    package.parts["docProps/core.xml"] = _core_properties(properties)
    return package.to_bytes()


# ------------------------------------------------------------------ footnotes


def _footnotes_part(package: Package) -> etree._Element:
    """The footnotes part, created with its two separators when the template has none."""
    existing = package.xml("word/footnotes.xml")
    if existing is not None:
        return existing
    root = parse_xml(
        f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        "</w:footnotes>".encode()
    )
    types = parse_xml(package.parts["[Content_Types].xml"])
    override = etree.SubElement(types, f"{{{CT}}}Override")
    override.set("PartName", "/word/footnotes.xml")
    override.set("ContentType", FOOTNOTES_CONTENT_TYPE)
    package.set_xml("[Content_Types].xml", types)
    _add_relationship(package, "word/document.xml", FOOTNOTES_TYPE, "footnotes.xml", external=False)
    return root


def _number_footnotes(document: etree._Element, footnotes: etree._Element, text: WordText) -> None:
    """Ids 1…N in document order: LibreOffice pairs marks with bodies by sorted id."""
    template_bodies = {
        note.get(w("id")): note for note in footnotes.findall(w("footnote")) if note.get(w("type")) in (None, "normal")
    }
    for note in template_bodies.values():
        footnotes.remove(note)
    for number, reference in enumerate(document.iter(w("footnoteReference")), start=1):
        old = reference.get(w("id"))
        reference.set(w("id"), str(number))
        note = etree.SubElement(footnotes, w("footnote"))
        note.set(w("id"), str(number))
        if old.isdigit() and int(old) >= FOOTNOTE_BASE:
            wrapper = parse_xml(f'<w:body xmlns:w="{W}" xmlns:r="{R}">{text.footnote_bodies[int(old)]}</w:body>'.encode())
            note.extend(list(wrapper))
        elif old in template_bodies:
            note.extend(list(template_bodies[old]))


# ------------------------------------------------------------------ hyperlinks


def _rels_name(part_name: str) -> str:
    folder, _, file = part_name.rpartition("/")
    return f"{folder}/_rels/{file}.rels"


def _add_relationship(package: Package, part_name: str, rel_type: str, target: str, external: bool) -> str:
    rels_name = _rels_name(part_name)
    rels = package.xml(rels_name)
    if rels is None:
        rels = parse_xml(f'<Relationships xmlns="{PKG_REL}"/>'.encode())
    taken = {rel.get("Id") for rel in rels}
    number = 1
    while f"rIdPao{number}" in taken:
        number += 1
    rel_id = f"rIdPao{number}"
    rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", rel_id)
    rel.set("Type", rel_type)
    rel.set("Target", target)
    if external:
        rel.set("TargetMode", "External")
    package.set_xml(rels_name, rels)
    return rel_id


def _resolve_links(package: Package, part_name: str, root: etree._Element, text: WordText) -> None:
    for link in root.iter(w("hyperlink")):
        rel = link.get(f"{{{R}}}id") or ""
        if rel.startswith(LINK_PREFIX):
            url = text.links[int(rel[len(LINK_PREFIX):])]
            link.set(f"{{{R}}}id", _add_relationship(package, part_name, HYPERLINK_TYPE, url, external=True))


def _resolve_images(package: Package, document: etree._Element, text: WordText) -> None:
    """Each chart becomes a media part of the package, named by its order."""
    blip = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
    for node in document.iter(blip):
        rel = node.get(f"{{{R}}}embed") or ""
        if not rel.startswith(IMAGE_PREFIX):
            continue
        index = int(rel[len(IMAGE_PREFIX):])
        name = f"media/pao-chart-{index + 1}.png"
        package.parts[f"word/{name}"] = text.images[index]
        node.set(f"{{{R}}}embed", _add_relationship(package, "word/document.xml", IMAGE_TYPE, name, external=False))
    if text.images:
        types = parse_xml(package.parts["[Content_Types].xml"])
        if not any(d.get("Extension") == "png" for d in types.findall(f"{{{CT}}}Default")):
            default = etree.SubElement(types, f"{{{CT}}}Default")
            default.set("Extension", "png")
            default.set("ContentType", "image/png")
            package.set_xml("[Content_Types].xml", types)


# ------------------------------------------------------------------ numbering


def _resolve_lists(package: Package, roots: list[etree._Element], text: WordText) -> None:
    """Each numbered list of the prose restarts at its own first number."""
    placeholders = [node for root in roots for node in root.iter(w("numId")) if node.get(w("val"), "").startswith(LIST_PREFIX)]
    if not placeholders:
        return
    numbering = package.xml("word/numbering.xml")
    styles = package.xml("word/styles.xml")
    style_num = {}
    for style in styles.iter(w("style")):
        num = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        if num is not None:
            style_num[style.get(w("styleId"))] = num.get(w("val"))
    abstract_of = {num.get(w("numId")): num.find(w("abstractNumId")).get(w("val")) for num in numbering.findall(w("num"))}
    next_id = max((int(n) for n in abstract_of), default=0) + 1
    created: dict[str, str] = {}
    for node in placeholders:
        key = node.get(w("val"))
        if key not in created:
            paragraph_style = node.getparent().getparent().find(w("pStyle"))
            abstract = abstract_of.get(style_num.get(paragraph_style.get(w("val")) if paragraph_style is not None else ""))
            if abstract is None:  # the style has no numbering of its own: keep Word's default list
                abstract = next(iter(abstract_of.values()))
            num = etree.SubElement(numbering, w("num"))
            num.set(w("numId"), str(next_id))
            etree.SubElement(num, w("abstractNumId")).set(w("val"), abstract)
            override = etree.SubElement(num, w("lvlOverride"))
            override.set(w("ilvl"), "0")
            etree.SubElement(override, w("startOverride")).set(w("val"), str(text.list_starts[int(key[len(LIST_PREFIX):])]))
            created[key] = str(next_id)
            next_id += 1
        node.set(w("val"), created[key])
    package.set_xml("word/numbering.xml", numbering)


# ------------------------------------------------------------------ properties


def _set_language(package: Package, language: str) -> None:
    """The default language of the text, for Word's spell checker and screen readers."""
    styles = package.xml("word/styles.xml")
    defaults = styles.find(w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(w("docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.SubElement(defaults, w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, w("rPr"))
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, w("lang"))
    lang.set(w("val"), language)
    package.set_xml("word/styles.xml", styles)


def _core_properties(properties: Properties) -> bytes:
    stamp = f"{properties.date.isoformat()}T00:00:00Z"
    fields = [
        ("dc:title", properties.title),
        ("dc:subject", properties.subject),
        ("dc:creator", properties.creator),
        ("cp:keywords", properties.keywords),
        ("dc:language", properties.language),
        ("cp:lastModifiedBy", properties.creator),
        ("cp:revision", "1"),
    ]
    body = "".join(f"<{tag}>{escape(value)}</{tag}>" for tag, value in fields)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
