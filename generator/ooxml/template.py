"""docxtpl, wrapped: strict about undefined names and broken XML, located errors."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from lxml import etree

from ..diagnostics import Location, display_path, fail
from ..model.prose import Footnote
from .finish import finish
from .package import Package, Properties
from .reader import paragraph_texts
from .writer import STYLES, WordText


class _StrictTemplate(DocxTemplate):
    """docxtpl re-parses the rendered body in lxml's recover mode, which silently
    drops text after a broken tag; parse strictly first so that it is an error."""

    def fix_tables(self, xml: str | bytes) -> etree._Element:
        etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
        return super().fix_tables(xml)


class Template:
    """A Word template of ``templates/``, opened once and rendered many times."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shown = display_path(path)
        if not path.is_file():
            raise fail(Location(self.shown), "template not found", "template.missing")
        self.data = path.read_bytes()
        try:
            package = Package(self.data)
        except zipfile.BadZipFile:
            package = None
        if package is None or "word/styles.xml" not in package.parts:
            raise fail(Location(self.shown), "not a Word document (.docx): open it in Word and save it as .docx", "template.invalid")
        self.style_ids = package.style_ids()
        missing = [name for name in _required_styles() if name.lower() not in self.style_ids]
        if missing:
            raise fail(
                Location(self.shown),
                f"the template lacks the style(s) {', '.join(repr(m) for m in missing)}: add them in Word (Styles pane)",
                "template.missing-style",
            )

    def render(self, footnotes: dict[str, Footnote], context_for: Callable[[WordText], dict], properties: Properties) -> bytes:
        """The finished .docx: ``context_for`` builds the template's variables with the given WordText."""
        text = WordText(footnotes, self.style_ids)
        context = context_for(text)
        try:
            template = _StrictTemplate(io.BytesIO(self.data))
            environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
            template.render(context, jinja_env=environment)
            buffer = io.BytesIO()
            template.save(buffer)
        except jinja2.TemplateSyntaxError as exc:
            raise fail(Location(self.shown), f"template syntax error: {exc.message}{_near(exc)}", "template.syntax") from None
        except jinja2.UndefinedError as exc:
            raise fail(Location(self.shown), _undefined(exc, context, self.data), "template.undefined") from None
        except jinja2.TemplateError as exc:
            raise fail(Location(self.shown), f"template error: {exc}{_near(exc)}", "template.error") from None
        except etree.XMLSyntaxError as exc:
            raise fail(Location(self.shown), f"the template produced broken XML ({exc.msg}): check its tags", "template.xml") from None
        except PackageNotFoundError:
            raise fail(Location(self.shown), "not a Word document (.docx)", "template.invalid") from None
        return finish(buffer.getvalue(), text, properties)


def _undefined(exc: jinja2.UndefinedError, context: dict, template: bytes) -> str:
    """Name the tag that failed and what the template could have used instead."""
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", exc.message or "")
    if not match:
        return f"the template uses a name that does not exist: {exc.message}"
    name = match[1] or match[2]
    used = re.search(rf"([A-Za-z_][\w.]*\.)?{re.escape(name)}\b", "\n".join(paragraph_texts(template)))
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


def _near(exc: Exception) -> str:
    nearby = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
    nearby = re.sub(r"\s+", " ", nearby)[:120]
    return f', near "{nearby}"' if nearby else ""


def _required_styles() -> list[str]:
    names: list[str] = []
    for value in STYLES.values():
        if isinstance(value, list):
            names.extend(value)
        elif isinstance(value, str) and "{level}" in value:
            names.extend(value.format(level=level) for level in (1, 2, 3))
        elif isinstance(value, str):
            names.append(value)
    return names
