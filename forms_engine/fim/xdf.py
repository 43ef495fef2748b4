"""Reading XDatenfelder elements, the same way for 2.0 and 3.0.0: both put the
schema's content under namespaced elements with mostly the same local names.
The differences (praezisierung as JSON text or attributes, inline code lists,
`script` or `skript`) are handled here, so parser.py reads one tree."""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from lxml import etree

from .safexml import Problem, local

NAMESPACES = {
    "urn:xoev-de:fim:standard:xdatenfelder_2": "2.0",
    "urn:xoev-de:fim:standard:xdatenfelder_3.0.0": "3.0.0",
}
ROOTS = {"xdatenfelder.stammdatenschema.0102", "xdatenfelder.datenfeldgruppe.0103"}
CARDINALITY = re.compile(r"^\s*(\d+)\s*:\s*(\d+|\*|n)\s*$")


def child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if local(c) == name), None)


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local(c) == name]


def text(element: etree._Element, name: str) -> str:
    found = child(element, name)
    return " ".join((found.text or "").split()) if found is not None else ""


def multiline(element: etree._Element, name: str) -> str:
    found = child(element, name)
    return (found.text or "").strip() if found is not None else ""


def code(element: etree._Element, name: str) -> str:
    """A code-typed element: <xdf:feldart><code>input</code></xdf:feldart>."""
    found = child(element, name)
    if found is None:
        return ""
    inner = child(found, "code")
    return ((inner.text if inner is not None else found.text) or "").strip()


def identifier(element: etree._Element) -> tuple[str, str]:
    ident = child(element, "identifikation")
    if ident is None:
        return "", ""
    return text(ident, "id"), text(ident, "version")


def cardinality(element: etree._Element) -> tuple[int, int | None]:
    """`anzahl` of a struktur: (min, max); max None for n/*."""
    raw = text(element, "anzahl") or "1:1"
    match = CARDINALITY.match(raw)
    if not match:
        raise ValueError(raw)
    low, high = int(match.group(1)), match.group(2)
    if high in {"n", "*"}:
        return low, None
    if int(high) < low or int(high) == 0:
        raise ValueError(raw)
    return low, int(high)


def precision(field: etree._Element, problems: list[Problem]) -> dict[str, Any]:
    """praezisierung: v2 JSON text, v3 attributes. Unknown keys are ignored."""
    found = child(field, "praezisierung")
    if found is None:
        return {}
    raw: dict[str, Any] = dict(found.attrib)
    if (found.text or "").strip():
        try:
            parsed = json.loads(found.text or "")
            if not isinstance(parsed, dict):
                raise ValueError
            raw.update(parsed)
        except ValueError:
            problems.append(Problem(_("praezisierung is not valid JSON."), found.sourceline, "praezisierung"))
            return {}
    result: dict[str, Any] = {}
    for key, target in (("minLength", "min_length"), ("maxLength", "max_length")):
        if str(raw.get(key, "")).strip():
            try:
                result[target] = int(str(raw[key]))
            except ValueError:
                problems.append(Problem(_("%(key)s is not a whole number.") % {"key": key}, found.sourceline, key))
    for key, target in (("minValue", "min_value"), ("maxValue", "max_value")):
        if str(raw.get(key, "")).strip():
            try:
                result[target] = str(float(str(raw[key]).replace(",", ".")))
            except ValueError:
                problems.append(Problem(_("%(key)s is not a number.") % {"key": key}, found.sourceline, key))
    if str(raw.get("pattern", "")).strip():
        try:
            re.compile(str(raw["pattern"]))
            result["pattern"] = str(raw["pattern"])
        except re.error:
            problems.append(Problem(_("The pattern is not a valid expression."), found.sourceline, "pattern"))
    return result


def inline_values(field: etree._Element) -> list[list[str]]:
    """v3: <xdf:werte><xdf:wert><xdf:code/><xdf:name/></xdf:wert></xdf:werte>."""
    found = child(field, "werte")
    if found is None:
        return []
    return [[text(w, "code"), text(w, "name") or text(w, "code")] for w in children(found, "wert") if text(w, "code")]


def codelist_uri(field: etree._Element) -> str:
    ref = child(field, "codelisteReferenz")
    if ref is None:
        return ""
    generic = child(ref, "genericodeIdentification")
    return text(generic if generic is not None else ref, "canonicalIdentification")


def rules(element: etree._Element) -> list[dict[str, Any]]:
    found = []
    for rule in children(element, "regel"):
        rule_id, _version = identifier(rule)
        found.append(
            {
                "id": rule_id,
                "name": text(rule, "name"),
                "script": multiline(rule, "script") or multiline(rule, "skript"),
                "description": text(rule, "definition") or text(rule, "freitextRegel"),
                "line": rule.sourceline,
            }
        )
    return found
