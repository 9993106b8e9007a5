"""After docxtpl: what the writer left as placeholders becomes real, and the package is written.

``finish`` numbers the footnotes and writes their bodies, gives hyperlinks
and images their relationships, starts each numbered list at its own number
(``_placeholders`` says what each placeholder stands for), widens table
columns to their longest word (``columns``), sets the document
properties and language, and writes the zip so that the same input always
gives the same bytes.
"""
from __future__ import annotations

import copy
import functools
from collections.abc import Iterable

from lxml import etree

from . import _placeholders as placeholder
from . import footnotes as notes
from .columns import fit_columns
from .names import WP, A, parse_xml, r, serialize, w
from .package import HYPERLINK, IMAGE, Package, Properties
from .writer import WordText


def finish(package: Package, text: WordText, properties: Properties) -> bytes:
    """Resolve placeholders, set properties and language in the rendered ``package``, and write reproducible bytes."""
    document, styles = package.xml("word/document.xml"), _styles(package.parts["word/styles.xml"])
    assert document is not None  # docxtpl rendered it; ``template`` checks the styles
    footnotes = _footnotes_part(package)
    _number_footnotes(document, footnotes, text)
    for part_name, root in (("word/document.xml", document), (notes.PART, footnotes)):
        _resolve_links(package, part_name, root, text)
    _resolve_lists(package, [document, footnotes], text, styles)
    _resolve_images(package, document, text)
    fit_columns(document, styles)
    package.set_xml("word/document.xml", document)
    package.set_xml(notes.PART, footnotes)
    package.parts["word/styles.xml"] = _styles_in(package.parts["word/styles.xml"], properties.language)
    package.set_properties(properties)
    return package.to_bytes()


def _footnotes_part(package: Package) -> etree._Element:
    """The footnotes part, created with its two separators when the template has none."""
    existing = package.xml(notes.PART)
    if existing is not None:
        return existing
    package.declare_part(notes.PART, notes.CONTENT_TYPE)
    package.relate("word/document.xml", notes.RELATIONSHIP, "footnotes.xml", external=False)
    return notes.empty_part()


def _number_footnotes(document: etree._Element, footnotes: etree._Element, text: WordText) -> None:
    """The writer's notes and the template's own, numbered 1…N in document order."""
    template_notes = notes.notes_by_id(footnotes)

    def body_of(mark: etree._Element, old_id: str) -> Iterable[etree._Element]:
        index = placeholder.FOOTNOTE.index(old_id)
        if index is not None:  # a copy: a template may show the same text, and so the same mark, twice
            return [copy.deepcopy(p) for p in text.footnote_bodies[index]]
        return list(template_notes[old_id]) if old_id in template_notes else []

    notes.renumber(document, footnotes, body_of)


def _resolve_links(package: Package, part_name: str, root: etree._Element, text: WordText) -> None:
    for link in root.iter(w("hyperlink")):
        index = placeholder.LINK.index(link.get(r("id")))
        if index is not None:
            link.set(r("id"), package.relate(part_name, HYPERLINK, text.links[index], external=True))


def _resolve_images(package: Package, document: etree._Element, text: WordText) -> None:
    """Each chart becomes a media part of the package, named by its order, as high as its PNG says (the
    PNG's header, IHDR, gives its size in pixels)."""
    for blip in document.iter(f"{{{A}}}blip"):
        index = placeholder.IMAGE.index(blip.get(r("embed")))
        if index is None:
            continue
        name = f"media/pao-chart-{index + 1}.png"
        png = package.parts[f"word/{name}"] = text.images[index].png()
        blip.set(r("embed"), package.relate("word/document.xml", IMAGE, name, external=False))
        inline = next(blip.iterancestors(f"{{{WP}}}inline"))
        extents = list(inline.iter(f"{{{WP}}}extent", f"{{{A}}}ext"))  # the inline's, then the picture's
        width = int(extents[0].get("cx", "0"))
        height = str(int(width * int.from_bytes(png[20:24], "big") / int.from_bytes(png[16:20], "big")))
        for extent in extents:
            extent.set("cy", height)
    if text.images:
        package.declare_extension("png", "image/png")


def _resolve_lists(package: Package, roots: list[etree._Element], text: WordText, styles: etree._Element) -> None:
    """Each numbered list of the prose restarts at its own first number: a ``w:num`` of its own,
    on the list definition of its paragraph style."""
    placeholders = [
        (node, index) for root in roots for node in root.iter(w("numId")) if (index := placeholder.LIST.index(node.get(w("val")))) is not None
    ]
    if not placeholders:
        return
    numbering = package.xml("word/numbering.xml")
    assert numbering is not None  # the template has list styles (``template`` checks)
    style_num = {}  # paragraph style id → its numbering
    for style in styles.iter(w("style")):
        num = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
        if num is not None:
            style_num[style.get(w("styleId"), "")] = num.get(w("val"), "")
    abstract_of = {}  # numbering → its list definition
    for num in numbering.findall(w("num")):
        definition = num.find(w("abstractNumId"))
        if definition is not None:
            abstract_of[num.get(w("numId"), "")] = definition.get(w("val"), "")
    next_id = max((int(n) for n in abstract_of), default=0) + 1
    created: dict[int, str] = {}  # list index → its w:num
    for node, key in placeholders:
        if key not in created:
            properties = next(node.iterancestors(w("pPr")), None)
            paragraph_style = properties.find(w("pStyle")) if properties is not None else None
            style_id = paragraph_style.get(w("val"), "") if paragraph_style is not None else ""
            abstract = abstract_of.get(style_num.get(style_id, ""))
            if abstract is None:  # the style has no numbering of its own: keep Word's default list
                abstract = next(iter(abstract_of.values()))
            num = etree.SubElement(numbering, w("num"))
            num.set(w("numId"), str(next_id))
            etree.SubElement(num, w("abstractNumId")).set(w("val"), abstract)
            override = etree.SubElement(num, w("lvlOverride"))
            override.set(w("ilvl"), "0")
            etree.SubElement(override, w("startOverride")).set(w("val"), str(text.list_starts[key]))
            created[key] = str(next_id)
            next_id += 1
        node.set(w("val"), created[key])
    package.set_xml("word/numbering.xml", numbering)


# The styles part (350 KB) is the template's in every document of a build: read once (only read from then on),
# and written once per language.
@functools.lru_cache(maxsize=8)
def _styles(data: bytes) -> etree._Element:
    return parse_xml(data)


@functools.lru_cache(maxsize=32)
def _styles_in(data: bytes, language: str) -> bytes:
    styles = copy.deepcopy(_styles(data))
    _set_language(styles, language)
    return serialize(styles)


def _set_language(styles: etree._Element, language: str) -> None:
    """The default language of the text, for Word's spell checker and screen readers."""
    defaults = styles.find(w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(w("docDefaults"))
        styles.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, w("rPr"))
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, w("lang"))
    lang.set(w("val"), language)
