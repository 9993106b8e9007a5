"""docxtpl, wrapped: sandboxed, strict about undefined names and broken XML, errors located in the template.

A template may come from someone else: its tags run in Jinja's sandbox, so a
tag can read the document's variables but never reach Python itself.  Every
mistake in it — a damaged file, a tag Jinja cannot read, a name that does not
exist, a tag that fails while rendering — is a ``SourceError`` naming the
template and, where it can be found, the paragraph of the tag as Word shows it.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime
import difflib
import functools
import hashlib
import html
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import IO, Any

import jinja2
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import Unmarshaller
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import _ContentTypesItem  # python-docx's own [Content_Types].xml, without its zip
from docx.package import Package as DocxPackage
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ..diagnostics import Location, SourceError, display_path, fail
from ..model.prose import Footnote
from .finish import finish
from .names import parse_xml, qn, serialize
from .package import Package, Properties
from .reader import TemplateParagraph, template_paragraphs
from .writer import TEXT_WIDTH, WordText, required_styles


class _StrictTemplate(DocxTemplate):
    """docxtpl re-parses the rendered body in lxml's recover mode, which silently
    drops text after a broken tag; parse strictly first so that it is an error."""

    docx: Any  # docxtpl's, set by ``init_docx``
    is_rendered: bool

    def __init__(self, template_file: IO[bytes], unrendered: dict[str, bytes]) -> None:
        """``unrendered``: as ``parts`` takes it; once it holds the parts docxtpl leaves as they are, python-docx
        need not parse them (the styles alone, 350 KB, are a tenth of a fact sheet's rendering)."""
        super().__init__(template_file)
        self._unrendered = unrendered

    def init_docx(self, reload: bool = True) -> None:
        if not self._unrendered:
            super().init_docx(reload)
        elif not self.docx or (self.is_rendered and reload):  # as docxtpl decides
            self.docx = _RenderedPartsOnly.open(self.template_file).main_document_part.document
            self.is_rendered = False

    def fix_tables(self, xml: str | bytes) -> etree._Element:
        """docxtpl's repair of the tables whose rows have more or fewer cells than their grid has columns (a
        ``{%tc %}`` loop); a body whose tables need none is the tree parsed here, as docxtpl would give it back."""
        tree = etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
        return super().fix_tables(xml) if _tables_to_fix(tree) else tree

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def map_tree(self, tree: etree._Element) -> None:
        """docxtpl moves the rendered body into the document with lxml, which takes time quadratic in its runs (it
        reconciles the namespace of every ``xml:space``): the body is kept apart, and ``parts`` writes it in place."""
        self._rendered_body = tree

    def parts(self) -> dict[str, bytes]:
        """Every part of the rendered package as python-docx would save it, without zipping it: ``finish`` writes
        the only zip.  The bytes of the parts docxtpl leaves as they are (styles, theme, settings…), the same for
        every document of a template, are those of the first (``unrendered``, filled by it)."""
        unrendered = self._unrendered
        package = self.docx.part.package
        parts = list(package.iter_parts())
        for part in parts:
            part.before_marshal()
        found = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob, "_rels/.rels": package.rels.xml}
        for part in parts:
            name = part.partname.membername
            if part is self.docx.part:
                found[name] = self._document()
            elif part.content_type in _RENDERED:
                found[name] = part.blob
            else:
                found[name] = unrendered.get(name) or unrendered.setdefault(name, part.blob)
            if len(part.rels):
                found[part.partname.rels_uri.membername] = part.rels.xml
        return found

    def _document(self) -> bytes:
        """document.xml with the rendered body in place of the template's, spliced as text: each namespace the body
        declares is the document's own (docxtpl copied them from it), so the body's declarations go."""
        root, body = self.docx.element, self._rendered_body
        name = f"{body.prefix}:body".encode() if body.prefix else b"body"
        if body.tag != root.body.tag or any(root.nsmap.get(prefix) != uri for prefix, uri in body.nsmap.items()):
            root.replace(root.body, body)  # not expected: lxml reconciles
            return serialize(root)
        # the declarations the body's own elements repeat (the writer's fragments carry theirs) go too, as lxml's move would
        etree.cleanup_namespaces(body, top_nsmap=root.nsmap)
        shell = copy.copy(root)
        shell.replace(shell.body, etree.Element(body.tag))
        before, after = serialize(shell).split(b"<" + name + b"/>")
        text = etree.tostring(body, encoding="UTF-8")
        declarations = re.compile(rb"<" + re.escape(name) + rb"""(?:\s+xmlns(?::[^\s=]+)?\s*=\s*(?:"[^"]*"|'[^']*'))*""").match(text)
        assert declarations is not None  # lxml writes the element's own tag first
        return before + b"<" + name + text[declarations.end():] + after

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns tabs, line and page breaks typed in a text (``\\t``, ``\\n``, ``\\a``, ``\\f``) into Word's; with
        nested regular expressions and a Python call per paragraph, run and text, a second for a PAO of 800
        actions.  When no text of the part holds one (pao's own texts never do), there is nothing to resolve."""
        if any(_BREAKS.search(text[0]) for text in _TEXT.finditer(xml)):
            return str(super().resolve_listing(xml))
        return xml


def _tables_to_fix(tree: etree._Element) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table of ``tree``: a row (its own, or a nested table's, as
    docxtpl counts them) with more cells than the grid has columns, or a grid with more columns than the widest
    row spans; or a table it cannot read, which it is left to report."""
    for table in tree.iter(_TBL):
        grid = table.find(_TBL_GRID)
        if grid is None:
            return True
        columns, widest = len(grid.findall(_GRID_COL)), 0
        for row in table.iter(_TR):
            cells = row.findall(_TC)
            spans = [cell.find(_GRID_SPAN) for cell in cells]
            if len(cells) > columns or any(span is not None and not (span.get(_VAL) or "").isdigit() for span in spans):
                return True
            widest = max(widest, sum(int(span.get(_VAL, "1")) if span is not None else 1 for span in spans))
        if columns > widest:
            return True
    return False


_TBL, _TBL_GRID, _GRID_COL, _TR, _TC, _VAL = (qn(f"w:{name}") for name in ("tbl", "tblGrid", "gridCol", "tr", "tc", "val"))
_GRID_SPAN = f"{qn('w:tcPr')}/{qn('w:gridSpan')}"


def compile_part(environment: _Environment, source: str) -> tuple[str, nodes.Template]:
    """A part's source (as ``_patched`` gives it) compiled as docxtpl's ``render_xml_part`` hands it to Jinja, each
    paragraph on a line of its own, so that the render finds it compiled: what Jinja read, and its tree."""
    rendered = _PARAGRAPH.sub(r"\n<w:p\1", source)
    return rendered, environment.parsed(rendered)


_PARAGRAPH = re.compile(r"<w:p([ >])")

# the parts docxtpl renders, besides the document itself
_RENDERED = {CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.OPC_CORE_PROPERTIES}


class _RenderedPartsOnly(DocxPackage):
    """python-docx's package, in which only the document and the parts docxtpl renders are read as XML: the
    others stay bytes, unread."""

    @classmethod
    def open(cls, pkg_file: str | IO[bytes]) -> _RenderedPartsOnly:
        package = cls()
        Unmarshaller.unmarshal(PackageReader.from_file(pkg_file), package, _rendered_parts_only)
        return package


def _rendered_parts_only(partname: PackURI, content_type: str, reltype: str, blob: bytes, package: DocxPackage) -> Part:
    if content_type in _RENDERED or content_type == CT.WML_DOCUMENT_MAIN:
        return PartFactory(partname, content_type, reltype, blob, package)  # type: ignore[return-value]  # its __new__ makes a Part
    return Part.load(partname, content_type, blob, package)


@functools.lru_cache(maxsize=64)
def _patched(source: str) -> str:
    """docxtpl's clean-up of a part's XML before Jinja reads it (a dozen regular expressions over the whole part),
    done once per part of a template rather than once per document."""
    return str(DocxTemplate.patch_xml(None, source))  # it uses nothing of its template


# docxtpl's own pattern of a text element, and the characters its ``resolve_listing`` replaces in one
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_BREAKS = re.compile("[\t\a\n\f]")


class Template:
    """A Word template of ``templates/``, checked and opened once, rendered many times."""

    def __init__(
        self, path: Path, require_styles: bool = True, sound: Callable[[str], bool] = lambda sha256: False, compiled: CompiledParts | None = None,
    ) -> None:
        """``require_styles``: a template that lacks a style prose needs is an error here (otherwise ``missing_styles``
        says which).  ``sound``: whether a template of these bytes (their sha256) was opened before by this pao: its
        parts are not checked again for well-formed XML, nor opened by docxtpl until something needs them.
        ``compiled``: where Jinja's code of each part is kept from one build to the next (of this pao)."""
        self.path = path
        self.shown = display_path(path)
        if not path.is_file():
            raise fail(Location(self.shown), "template not found", "template.missing")
        self.data = path.read_bytes()
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        package = self._package(checked=not sound(self.sha256))
        self.style_ids = package.style_ids()
        self.text_width = package.text_width() or TEXT_WIDTH
        self.missing_styles = [name for name in required_styles() if name.lower() not in self.style_ids]
        if self.missing_styles and require_styles:
            raise self.styles_error()
        self.compiled = compiled
        self._environment = _Environment(compiled, hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16])
        self._unrendered: dict[str, bytes] = {}  # ``_StrictTemplate.parts``

    @functools.cached_property
    def sources(self) -> list[str]:
        """The body, headers and footers as docxtpl hands them to Jinja (before ``compile_part``'s line breaks)."""
        opened = self._opened
        found = [_patched(opened.get_xml())]
        for uri in (RT.HEADER, RT.FOOTER):
            found += [_patched(opened.get_part_xml(part)) for _, part in opened.get_headers_footers(uri)]
        return found

    @functools.cached_property
    def _opened(self) -> DocxTemplate:
        """The template as docxtpl opens it (which makes sure that it can)."""
        try:
            opened = DocxTemplate(io.BytesIO(self.data))
            opened.init_docx()
        except Exception as exc:  # python-docx has no error type of its own for a package it cannot read
            raise self._invalid(f"{exc}; open it in Word and save it as .docx") from None
        return opened

    def styles_error(self) -> SourceError:
        """The styles prose needs that the template lacks."""
        missing = ", ".join(repr(name) for name in self.missing_styles)
        return fail(Location(self.shown), f"the template lacks the style(s) {missing}: add them in Word (Styles pane)", "template.missing-style")

    def _package(self, checked: bool) -> Package:
        """The template's parts; ``checked``: each XML part parsed, and the whole opened by docxtpl, to make sure
        that it can be rendered."""
        if not zipfile.is_zipfile(io.BytesIO(self.data)):
            raise self._invalid("open it in Word and save it as .docx")
        try:
            package = Package(self.data)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            # a CRC that does not match, a truncated or encrypted part, an unknown compression
            raise fail(Location(self.shown), f"the file is damaged ({exc}): open it in Word and save it again, or restore a copy", "template.damaged") from None
        for part in ("word/document.xml", "word/styles.xml"):
            if part not in package.parts:
                raise self._invalid(f"it has no {part}; open it in Word and save it as .docx")
        if not checked:
            return package
        for name, data in package.parts.items():
            if name.endswith((".xml", ".rels")):
                try:
                    parse_xml(data)
                except etree.XMLSyntaxError as exc:
                    message = f"the file is damaged: its part {name} is not well-formed XML ({exc.msg}): open it in Word and save it again, or restore a copy"
                    raise fail(Location(self.shown), message, "template.damaged") from None
        _ = self._opened  # docxtpl opens it: the check that it can
        return package

    def _invalid(self, advice: str) -> SourceError:
        return fail(Location(self.shown), f"not a Word document (.docx): {advice}", "template.invalid")

    def prepare(self, footnotes: dict[str, Footnote], context_for: Callable[[WordText], dict], properties: Properties) -> Prepared:
        """What the template will receive: ``context_for`` builds its variables with a WordText of this template."""
        text = WordText(footnotes, self.style_ids, self.text_width)
        return Prepared(context_for(text), text, properties)

    def digest(self, prepared: Prepared) -> str:
        """The digest of everything the document is made from: this template and what it receives.  The same
        digest gives the same bytes (with the same pao and libraries), so a document need not be rendered again."""
        digest = hashlib.sha256(bytes.fromhex(self.sha256))
        for part in _canonical(prepared):
            digest.update(part)
        return digest.hexdigest()

    def render(self, prepared: Prepared) -> bytes:
        """The finished .docx."""
        context, text, properties = prepared.context, prepared.text, prepared.properties
        try:
            template = _StrictTemplate(io.BytesIO(self.data), self._unrendered)
            template.render(context, jinja_env=self._environment)
            package = Package.of_parts(template.parts())
        except jinja2.TemplateError as exc:
            raise self._tag_error(exc, context) from None
        except etree.XMLSyntaxError as exc:
            raise fail(Location(self.shown), f"the template produced broken XML ({exc.msg}): check its tags", "template.xml") from None
        except Exception as exc:
            if not _raised_by_a_tag(exc):
                raise
            raise self._tag_error(exc, context) from None
        return finish(package, text, properties)

    def _tag_error(self, exc: Exception, context: dict) -> SourceError:
        """The error of the tag that failed, at the paragraph where the template's author typed it."""
        source = self._environment.rendering
        compiled = _compiled_tags(source)
        if isinstance(exc, jinja2.TemplateSyntaxError) and exc.message and exc.message.startswith("Unexpected end of template"):
            index = _unclosed_block(compiled)  # Jinja points at the end: the block left open is the mistake
        else:
            line = exc.lineno if isinstance(exc, jinja2.TemplateSyntaxError) else _template_line(exc)
            index = _tag_at(compiled, line)
        found = _typed_tag(compiled, index, _part_of(source), template_paragraphs(self.data)) if index is not None else None
        if found is None:  # the part, and the tag as Jinja read it
            place = {"properties": "document properties", "hdr": "header", "ftr": "footer", "footnotes": "footnotes"}.get(_part_of(source), "")
            location, text = Location(self.shown, place=place), ""
            tag = " ".join(compiled[index].text.split()) if index is not None else ""
        else:
            tag, paragraph = found
            location = Location.paragraph(self.shown, paragraph.number, paragraph.where)
            tag, text = " ".join(tag.split()), " ".join(paragraph.text.split())
        near = f', near "{text[:120]}{"…" * (len(text) > 120)}"' if text else ""
        around = near if text != tag else ""  # where the message names the tag: only what else the paragraph says
        named = f"'{tag}'" if tag else "a tag"
        if isinstance(exc, jinja2.TemplateSyntaxError):
            if tag and not _CLOSING.search(tag):
                return fail(location, f"{named} is not closed: end it with '{'}}' if tag.startswith('{{') else '%}'}'{around}", "template.syntax")
            return fail(location, f"template syntax error: {(exc.message or '').rstrip('.')}{near}", "template.syntax")
        if isinstance(exc, jinja2.exceptions.SecurityError):
            reason = (exc.message or "").rstrip(".")
            return fail(location, f"{named} reaches into Python itself ({reason}): a template may use only the document's variables{around}", "template.unsafe")
        if isinstance(exc, jinja2.UndefinedError):
            texts = [tag] if tag else [p.text for p in template_paragraphs(self.data)]
            return fail(location, _undefined(exc, context, texts), "template.undefined")
        if isinstance(exc, jinja2.TemplateError):
            return fail(location, f"template error: {exc}{near}", "template.error")
        return fail(location, f"{named} cannot be computed: {exc} ({type(exc).__name__}){around}", "template.error")


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A document's variables, and the prose, footnotes and images they hold, ready to render."""

    context: dict
    text: WordText
    properties: Properties


def _canonical(prepared: Prepared) -> Iterator[bytes]:
    """Every part of ``prepared`` as bytes, in an order and form that only their content decides."""

    def plain(value: object) -> object:
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise TypeError(f"a template variable of type {type(value).__name__} has no digest")  # a new type: say how it prints

    yield json.dumps(prepared.context, sort_keys=True, ensure_ascii=False, default=plain).encode("utf-8")
    text = prepared.text
    yield json.dumps([text.links, text.list_starts, dataclasses.asdict(prepared.properties)], default=plain).encode("utf-8")
    for body in text.footnote_bodies:
        yield b"\0note\0" + b"".join(etree.tostring(element) for element in body)
    for image in text.images:  # its key decides its bytes: a chart need not be drawn to know the document is up to date
        yield b"\0image\0" + image.key.encode("ascii")


class _Environment(SandboxedEnvironment):
    """Jinja for Word templates: sandboxed, escaping XML, strict about undefined names.

    Each part a template renders (body, headers, footers) is compiled once and
    reused for every document: docxtpl hands over the same source each time.
    Each tag starts a line of its own in what Jinja compiles, so the line of an
    error names its tag; the newline goes inside the tag, where Jinja ignores it.
    """

    def __init__(self, cache: CompiledParts | None = None, name: str = "") -> None:
        """``name``: the template's, in the keys of ``cache``."""
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined, bytecode_cache=cache)
        self.name = name
        self.rendering = ""  # the source of the part being rendered
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if not isinstance(source, str) or globals is not None or template_class is not None:  # not how docxtpl calls it
            return super().from_string(source, globals, template_class)
        self.rendering = source
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = self._from_cache(_one_tag_a_line(source))
        return compiled

    def _from_cache(self, source: str, tree: nodes.Template | None = None) -> jinja2.Template:
        """``source`` (read as ``tree``, when given) compiled, or its code as an earlier build compiled it: Jinja's
        bytecode cache, as its loaders use it (the part's bucket holds code only when made from the same source)."""
        cache = self.bytecode_cache
        if cache is None:
            return self.template_class.from_code(self, self.compile(source if tree is None else tree), self.make_globals(None), None)
        bucket = cache.get_bucket(self, f"{self.name}-{len(self._compiled)}", None, source)  # parts come in one order
        if bucket.code is None:
            bucket.code = self.compile(source if tree is None else tree)
            cache.set_bucket(bucket)
        return self.template_class.from_code(self, bucket.code, self.make_globals(None), None)

    def parsed(self, source: str) -> nodes.Template:
        """The tree of a part's source, compiled on the way (read once: ``from_string`` then finds it compiled).
        The compiler folds the constant expressions of the tree it is given: no name or attribute is among them."""
        self.rendering = source
        read = _one_tag_a_line(source)
        tree = self.parse(read)
        self._compiled[source] = self._from_cache(read, tree)
        return tree


class CompiledParts(FileSystemBytecodeCache):
    """Jinja's code of the templates' parts from one build to the next (Jinja's bytecode cache): read from the
    files of ``folder``, one per template (by its path) and part, each holding the digest of the source it was
    compiled from.  What a build compiles is only kept in ``made`` (the file's bytes, by key), for the build to
    write once it has succeeded.  A file that cannot be read is compiled again, never an error."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder), "%s.jinja")
        self.folder = folder
        self.made: dict[str, bytes] = {}

    def file(self, key: str) -> Path:
        return self.folder / (self.pattern % key)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return name

    def load_bytecode(self, bucket: Bucket) -> None:
        made = self.made.get(bucket.key)
        try:
            if made is not None:
                bucket.bytecode_from_string(made)
            else:
                super().load_bytecode(bucket)
        except Exception:  # a file damaged by hand: Jinja's reading of it may raise anything pickle does
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.made[bucket.key] = bucket.bytecode_to_string()

    def take(self) -> dict[str, bytes]:
        """What was compiled since the last ``take`` (in a worker process: for the build to keep)."""
        made, self.made = self.made, {}
        return made


# where a tag starts (``{{``, ``{%``, with Jinja's whitespace control); a raw block is left as it is
_OPENING = re.compile(r"(?P<raw>\{%[-+]?\s*raw\s*[-+]?%\}.*?\{%[-+]?\s*endraw\s*[-+]?%\})|\{[{%][-+]?", re.DOTALL)
_CLOSING = re.compile(r"[-+]?(?:\}\}|%\})")
_XML_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})  # docxtpl straightens Word's quotes in tags


def _one_tag_a_line(source: str) -> str:
    return _OPENING.sub(lambda m: m[0] if m["raw"] else m[0] + "\n", source)


@dataclasses.dataclass(frozen=True)
class _Tag:
    text: str  # from its opening to its closing, or to the next tag or the paragraph's end when it is not closed
    key: str  # what it says, whatever docxtpl's markers and the spacing: the same in the typed and compiled text
    first_line: int = 0  # the lines its content spans in what Jinja compiled
    last_line: int = 0


def _tags_in(text: str) -> list[_Tag]:
    """The tags of a typed paragraph."""
    starts = [m.start() for m in _OPENING.finditer(text) if not m["raw"]]
    tags = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        closing = _CLOSING.search(text, start + 2, end)
        typed = text[start : closing.end() if closing else end]
        tags.append(_Tag(typed, _key(typed)))
    return tags


def _compiled_tags(source: str) -> list[_Tag]:
    """The tags of a part's source as Jinja compiled it (one a line), with their lines."""
    numbered = _one_tag_a_line(source)
    openings = [m for m in _OPENING.finditer(numbered) if not m["raw"]]
    tags = []
    for index, opening in enumerate(openings):
        end = openings[index + 1].start() if index + 1 < len(openings) else len(numbered)
        closing = _CLOSING.search(numbered, opening.end(), end)
        stop = closing.end() if closing else end
        text = html.unescape(_XML_TAG.sub("", numbered[opening.start() : stop]))
        content = opening.end() + 1  # after the newline that puts it on a line of its own
        first = numbered.count("\n", 0, content) + 1
        tags.append(_Tag(text, _key(text), first, first + numbered.count("\n", content, stop)))
    return tags


def _key(tag: str) -> str:
    inside = re.sub(r"[-+]?(?:\}\}|%\})\s*$", "", re.sub(r"^\{[{%][-+]?", "", tag))
    inside = re.sub(r"^(?:tr|tc|p|r)\s", "", inside)  # docxtpl's {%tr …%}, {{p …}}: typed right after the delimiter
    inside = re.sub(r"^\s*(?:cellbg|colspan)\s", "", inside)  # docxtpl compiles {% cellbg x %} to {{x}}
    return " ".join(inside.translate(_QUOTES).split())


def _part_of(source: str) -> str:
    """What docxtpl was rendering: document (its body), hdr, ftr, footnotes, or the document properties."""
    root = re.match(r"\s*(?:<\?xml[^>]*\?>\s*)?<w:(\w+)", source)
    if not root:
        return "properties"
    return "document" if root[1] == "body" else root[1]


def _tag_at(compiled: list[_Tag], line: int | None) -> int | None:
    """The index of the tag at ``line`` of the compiled source, if the line is in a tag."""
    return next((index for index, tag in enumerate(compiled) if line is not None and tag.first_line <= line <= tag.last_line), None)


_OPENS = {"if", "for", "macro", "call", "filter", "with", "block", "autoescape", "trans"}


def _unclosed_block(compiled: list[_Tag]) -> int | None:
    """The index of the innermost block tag (``{% if %}``, ``{% for %}``…) that no end tag closes."""
    open_blocks: list[tuple[str, int]] = []
    for index, tag in enumerate(compiled):
        word = tag.key.split(" ", 1)[0] if tag.text.startswith("{%") else ""
        if word in _OPENS or (word == "set" and "=" not in tag.key):
            open_blocks.append((word, index))
        elif word.startswith("end") and open_blocks and open_blocks[-1][0] == word[3:]:
            open_blocks.pop()
    return open_blocks[-1][1] if open_blocks else None


def _typed_tag(compiled: list[_Tag], index: int, kind: str, paragraphs: list[TemplateParagraph]) -> tuple[str, TemplateParagraph] | None:
    """The compiled tag ``index`` of a part of ``kind``, as typed, and its paragraph.

    docxtpl rewrites a part before Jinja reads it (joins runs, drops the
    paragraphs and rows of ``{%p``/``{%tr`` tags, adds tags of its own), but
    keeps the order of the tags: the compiled tags are matched to the typed
    ones in order, and the tag takes the place of its typed twin.
    """
    parts: dict[str, list[tuple[_Tag, TemplateParagraph]]] = {}
    for paragraph in paragraphs:
        if paragraph.kind == kind:
            parts.setdefault(paragraph.part, []).extend((tag, paragraph) for tag in _tags_in(paragraph.text))
    best: tuple[float, str, TemplateParagraph] | None = None
    for typed in parts.values():  # several headers: the one whose tags are the compiled ones
        matcher = difflib.SequenceMatcher(None, [t.key for t in compiled], [t.key for t, _ in typed], autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.a <= index < block.a + block.size and (best is None or matcher.ratio() > best[0]):
                tag, paragraph = typed[block.b + index - block.a]
                best = (matcher.ratio(), tag.text, paragraph)
    return (best[1], best[2]) if best else None


def _template_line(exc: BaseException) -> int | None:
    """The line of the compiled template where ``exc`` was raised (Jinja rewrites its frames to name them)."""
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _raised_by_a_tag(exc: BaseException) -> bool:
    """Whether a tag itself failed (``{{ 1/0 }}``, a filter given the wrong type), not the code it called."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if "<template>" not in frames:
        return False
    innermost = Path(frames[-1])
    return frames[-1] == "<template>" or Path(jinja2.__file__).parent in innermost.parents


def _undefined(exc: jinja2.UndefinedError, context: dict, texts: list[str]) -> str:
    """Name the tag that failed and what the template could have used instead."""
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", exc.message or "")
    if not match:
        return f"the template uses a name that does not exist: {exc.message}"
    name = match[1] or match[2]
    used = re.search(rf"([A-Za-z_][\w.]*\.)?{re.escape(name)}\b", "\n".join(texts))
    expression = used[0] if used else name
    owner = context
    for step in expression.split(".")[:-1]:
        owner = owner.get(step, {}) if isinstance(owner, dict) else {}
    if "." not in expression:
        known = sorted(context)
    else:
        known = sorted(owner) if isinstance(owner, dict) else []
        if not known:  # a loop variable: the names of its items
            known = _loop_item_keys(context)
    hint = f" (available: {', '.join(known)})" if known else ""
    return f"the template uses '{{{{ {expression} }}}}', but '{name}' does not exist{hint}"


def _loop_item_keys(context: dict) -> list[str]:
    """Keys of the dicts a loop variable may stand for: any list of dicts in the context."""
    found: set[str] = set()
    stack = [context]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    found.update(item)
                    stack.append(item)
    return sorted(found)
