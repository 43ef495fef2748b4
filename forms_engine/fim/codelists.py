"""Genericode 1.0 code lists (OASIS), as FIM publishes them on XRepository.
A list supplied with the upload is matched by its canonical URI."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from lxml import etree

from .safexml import ImportRefused, Problem, local, parse

GENERICODE_NS = "http://docs.oasis-open.org/codelist/ns/genericode/1.0/"


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if local(c) == name), None)


def read_codelist(data: bytes) -> tuple[str, list[list[str]]]:
    """(canonical URI, [[code, label], ...]) of one genericode document."""
    root = parse(data)
    if etree.QName(root).namespace != GENERICODE_NS or local(root) != "CodeList":
        raise ImportRefused(
            [Problem(_("This is not a genericode code list."), root.sourceline, etree.QName(root).localname)]
        )
    ident = _child(root, "Identification")
    uri = _child(ident, "CanonicalUri") if ident is not None else None
    if uri is None or not (uri.text or "").strip():
        raise ImportRefused([Problem(_("The code list has no CanonicalUri."), root.sourceline, "Identification")])
    columns = _child(root, "ColumnSet")
    key_ref = ""
    column_ids: list[str] = []
    if columns is not None:
        column_ids = [str(c.get("Id")) for c in columns if local(c) == "Column"]
        key = _child(columns, "Key")
        ref = _child(key, "ColumnRef") if key is not None else None
        key_ref = str(ref.get("Ref")) if ref is not None else ""
    key_ref = key_ref or (column_ids[0] if column_ids else "")
    label_ref = next((c for c in column_ids if c != key_ref), key_ref)
    rows: list[list[str]] = []
    body = _child(root, "SimpleCodeList")
    for row in body if body is not None else []:
        if local(row) != "Row":
            continue
        values = {
            str(v.get("ColumnRef")): ((_child(v, "SimpleValue").text or "").strip())  # type: ignore[union-attr]
            for v in row
            if local(v) == "Value" and _child(v, "SimpleValue") is not None
        }
        code = values.get(key_ref, "")
        if code:
            rows.append([code, values.get(label_ref) or code])
    if not rows:
        raise ImportRefused([Problem(_("The code list has no entries."), root.sourceline, "SimpleCodeList")])
    return (uri.text or "").strip(), rows
