"""Parsing uploaded XML safely. Operators upload documents they downloaded from
somewhere: a DTD, an entity (internal ones for billion laughs, external ones to
read files or reach the network) or a huge document is refused before lxml sees
it, and lxml itself runs with entities, DTD loading and the network off."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from lxml import etree

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One finding that stops an import: where (line, element) and what."""

    message: str | Promise
    line: int | None = None
    element: str = ""

    def text(self) -> str:
        if self.line is not None and self.element:
            return str(_("Line %(line)s, element %(element)s: %(message)s")) % {
                "line": self.line,
                "element": self.element,
                "message": self.message,
            }
        if self.line is not None:
            return str(_("Line %(line)s: %(message)s")) % {"line": self.line, "message": self.message}
        return str(self.message)


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def max_bytes() -> int:
    return int(getattr(settings, "FIM_MAX_DOCUMENT_BYTES", 5 * 1024 * 1024))


def parse(data: bytes) -> etree._Element:
    """The document's root element, or ImportRefused with the reason."""
    if len(data) > max_bytes():
        raise ImportRefused(
            [Problem(_("The document is larger than %(mb)s MB and is refused.") % {"mb": max_bytes() // 1048576})]
        )
    match = _DECLARATION.search(data)
    if match:
        line = data[: match.start()].count(b"\n") + 1
        raise ImportRefused(
            [Problem(_("Documents with a DTD or entity declarations are refused for security reasons."), line)]
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        error_line: int | None = exc.position[0] if exc.position else None
        problem = Problem(_("The document is not well-formed XML (%(error)s).") % {"error": exc.msg}, error_line)
        raise ImportRefused([problem]) from None
    return root


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
