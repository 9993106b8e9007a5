"""Checks a Word template before anything is rendered with it: every mistake at once, located as Word shows it.

``pao templates check`` and ``pao build`` read each template's parts as
docxtpl will hand them to Jinja, and report: tags Jinja cannot read, filters
that do not exist, names and attributes the document's variables do not have,
loops over a text, tags Word split across paragraphs, styles that prose needs.
What a kind of document receives is given as a *shape*: the tree of its
variables' names and types, taken from a context the kind really builds.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable, Iterator

import jinja2
from jinja2 import meta, nodes

from ..diagnostics import Diagnostic, Diagnostics, Location, SourceError
from ..model.prose import Footnote
from .reader import TemplateParagraph, template_paragraphs
from .template import (
    _CLOSING,
    Template,
    _compiled_tags,
    _part_of,
    _tag_at,
    _tags_in,
    _typed_tag,
    compile_part,
)
from .writer import WordText, Xml, required_styles


@dataclasses.dataclass(frozen=True)
class Items:
    """A list: the shape of its items (merged over all of them)."""

    item: Shape


# a dict's names and their shapes, a list, or a value's type: text, number, yes/no, date, prose (Word XML),
# or "unknown" (None, an empty list's items: nothing is checked beneath it)
Shape = dict[str, "Shape"] | Items | str
UNKNOWN = "unknown"


def shape_of(value: object) -> Shape:
    """The shape of a template variable's value."""
    if isinstance(value, dict):
        return {str(name): shape_of(item) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        item: Shape = UNKNOWN
        for each in value:
            item = merged(item, shape_of(each))
        return Items(item)
    if isinstance(value, Xml):
        return "prose"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.date):
        return "date"
    return UNKNOWN


def merged(a: Shape, b: Shape) -> Shape:
    """One shape for the values of a list or of several documents: a dict has the names of all of them."""
    if a == UNKNOWN:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {name: merged(a.get(name, UNKNOWN), b.get(name, UNKNOWN)) for name in {**a, **b}}
    if isinstance(a, Items) and isinstance(b, Items):
        return Items(merged(a.item, b.item))
    return a


# the names Jinja itself gives every template
_BUILTINS = set(jinja2.Environment().globals) | {"loop"}


def variables_of(template: Template, footnotes: dict[str, Footnote], context_for: Callable[[WordText], dict]) -> dict[str, Shape]:
    """The shape of what ``context_for`` gives a template (styles it lacks stand in for themselves: they are reported apart)."""
    style_ids = {name.lower(): name for name in required_styles()} | template.style_ids
    shape = shape_of(context_for(WordText(footnotes, style_ids)))
    assert isinstance(shape, dict)
    return shape


def check_digest(template: Template, variables: dict[str, Shape] | None) -> str:
    """What ``check`` depends on, besides pao's code: the template's bytes and the shape of its variables."""
    def plain(shape: Shape | None) -> object:
        if isinstance(shape, dict):
            return {name: plain(item) for name, item in shape.items()}
        return {"items of": plain(shape.item)} if isinstance(shape, Items) else shape

    digest = hashlib.sha256(bytes.fromhex(template.sha256))
    digest.update(json.dumps(plain(variables), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def check(template: Template, variables: dict[str, Shape] | None) -> list[Diagnostic]:
    """Every mistake of ``template``; ``variables``: what its kind of document gives it (None: not known, only its tags are read)."""
    found = Diagnostics()
    if template.missing_styles:
        found.extend(_as_diagnostics(template.styles_error()))
    paragraphs = template_paragraphs(template.data)
    split = list(_split_tags(paragraphs))
    for paragraph, tag, rest in split:
        message = f"the tag '{tag}' starts in this paragraph and ends in the next one ('{rest}'): Word split it; type it again within one paragraph"
        found.error(Location.paragraph(template.shown, paragraph.number, paragraph.where), message, "template.split-tag")
    if not split:  # docxtpl would join the paragraphs: what Jinja then reads is not what Word shows
        for source in template.sources:
            _Part(template, source, paragraphs, variables, found).check()
    return found.sorted()


def _split_tags(paragraphs: list[TemplateParagraph]) -> Iterator[tuple[TemplateParagraph, str, str]]:
    """Tags left open at a paragraph's end whose closing opens the next paragraph: docxtpl would silently join them."""
    for paragraph, following in zip(paragraphs, paragraphs[1:]):
        tags = _tags_in(paragraph.text)
        if not tags or _CLOSING.search(tags[-1].text) or following.part != paragraph.part:
            continue
        closing = _CLOSING.search(following.text)
        if closing and not _tags_in(following.text[: closing.start()]):
            yield paragraph, tags[-1].text.strip(), following.text[: closing.end()].strip()


@dataclasses.dataclass
class _Part:
    template: Template
    source: str
    paragraphs: list[TemplateParagraph]
    variables: dict[str, Shape] | None
    found: Diagnostics

    def check(self) -> None:
        try:
            read, tree = compile_part(self.template._environment, self.source)  # with its filters and tests, as the render will
        except jinja2.TemplateError as exc:
            self.found.extend(_as_diagnostics(self.template._tag_error(exc, {})))
            return
        if self.variables is None:
            return
        self.compiled = _compiled_tags(read)
        for name in sorted(meta.find_undeclared_variables(tree) - set(self.variables) - _BUILTINS):
            line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == name and n.ctx == "load"), None)
            self._error(line, _as_typed(tree, name, line), name, sorted(self.variables))
        self._visit(tree, {})

    def _visit(self, node: nodes.Node, scope: dict[str, Shape]) -> None:
        if isinstance(node, nodes.For):
            shape = self._shape(node.iter, scope)
            if isinstance(shape, dict) or shape not in (UNKNOWN, "prose") and not isinstance(shape, Items):
                expression, what = _expression(node.iter), "group of values" if isinstance(shape, dict) else shape
                message = f"'{{% for … in {expression} %}}' loops over '{expression}', which is a {what}, not a list"
                self._report(node.lineno, message, "template.not-a-list")
            inner = dict(scope, loop=UNKNOWN)
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                inner[target.name] = shape.item if isinstance(shape, Items) and isinstance(node.target, nodes.Name) else UNKNOWN
            for child in (node.target, node.iter):
                self._visit(child, scope)
            for child in [*node.body, *([node.test] if node.test else [])]:
                self._visit(child, inner)
            for child in node.else_:
                self._visit(child, scope)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            self._shape(node, scope)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            for target in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                scope[target.name] = UNKNOWN  # a name the template sets itself: not checked beneath
        for child in node.iter_child_nodes():
            self._visit(child, scope)

    def _shape(self, node: nodes.Node, scope: dict[str, Shape]) -> Shape:
        """The shape of an expression; an attribute that does not exist is reported (once, at its innermost)."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return (self.variables or {}).get(node.name, UNKNOWN)
        attribute = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attribute = node.arg.value
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            owner = self._shape(node.node, scope)
            if isinstance(node, nodes.Getitem):
                self._visit(node.arg, scope)
            if attribute is None or not isinstance(owner, dict):
                return owner.item if isinstance(owner, Items) and attribute is None else UNKNOWN
            if attribute not in owner:
                self._error(node.lineno, _expression(node), attribute, sorted(owner))
                return UNKNOWN
            return owner[attribute]
        self._visit(node, scope)
        return UNKNOWN

    def _error(self, line: int | None, expression: str, name: str, known: list[str]) -> None:
        hint = f" (available: {', '.join(known)})" if known else ""
        message = f"the template uses '{{{{ {expression} }}}}', but '{name}' does not exist{hint}"
        self._report(line, message, "template.undefined")

    def _report(self, line: int | None, message: str, code: str) -> None:
        index = _tag_at(self.compiled, line)
        found = _typed_tag(self.compiled, index, _part_of(self.source), self.paragraphs) if index is not None else None
        if found is None:
            self.found.error(Location(self.template.shown, place=_PLACES.get(_part_of(self.source), "")), message, code)
            return
        tag, paragraph = found
        text = " ".join(paragraph.text.split())
        near = f', near "{text[:120]}{"…" * (len(text) > 120)}"' if text != " ".join(tag.split()) else ""
        self.found.error(Location.paragraph(self.template.shown, paragraph.number, paragraph.where), message + near, code)


_PLACES = {"hdr": "header", "ftr": "footer"}


def _expression(node: nodes.Node) -> str:
    """An expression as its author typed it, near enough: ``plan.title``, ``ao.kpis``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expression(node.node)}[{node.arg.value!r}]"
    return "…"


def _as_typed(tree: nodes.Template, name: str, line: int | None) -> str:
    """The longest expression of the tag at ``line`` that starts with ``name``: ``plann.title`` rather than ``plann``."""
    found = [_expression(n) for n in tree.find_all((nodes.Getattr, nodes.Getitem)) if n.lineno == line]
    return max((e for e in found if e.startswith(name + ".") or e.startswith(name + "[")), key=len, default=name)


def _as_diagnostics(error: SourceError) -> Diagnostics:
    found = Diagnostics()
    for diagnostic in error.diagnostics:
        found.error(diagnostic.location, diagnostic.message, diagnostic.code)
    return found

