"""Malformed, unknown and hostile documents: a precise German error, nothing imported."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from forms_engine.fim.actions import fim_import
from forms_engine.fim.models import FimServiceVersion
from forms_engine.fim.safexml import ImportRefused
from tests.fim.helpers import fixture


def refused(document: bytes, codelists: list[tuple[str, bytes]] | None = None) -> list[str]:
    with translation.override("de"), pytest.raises(ImportRefused) as caught:
        fim_import(document=document, source_name="x.xml", codelists=codelists or [])
    with translation.override("de"):
        texts = [p.text() for p in caught.value.problems]
    assert not FimServiceVersion.objects.exists()
    return texts


@pytest.mark.parametrize(
    "name", ["hostile-billion-laughs.xml", "hostile-external-entity.xml", "hostile-external-dtd.xml"]
)
def test_dtds_and_entities_are_refused(db: Any, name: str) -> None:
    [text] = refused(fixture(name))
    assert text.startswith("Zeile 2: ")
    assert "DTD" in text and "Sicherheitsgründen" in text


def test_a_huge_document_is_refused(db: Any, settings: Any) -> None:
    settings.FIM_MAX_DOCUMENT_BYTES = 1024 * 1024
    [text] = refused(b"<a>" + b" " * (1024 * 1024) + b"</a>")
    assert "größer als 1 MB" in text


def test_malformed_xml_names_the_line(db: Any) -> None:
    [text] = refused(fixture("malformed-unclosed.xml"))
    assert text.startswith("Zeile 4: ") and "kein wohlgeformtes XML" in text


def test_unknown_namespace_names_line_and_element(db: Any) -> None:
    [text] = refused(fixture("unknown-namespace.xml"))
    assert text.startswith("Zeile 2, Element xdatenfelder.stammdatenschema.0102: ")
    assert "Unbekannter Namensraum urn:example:not-fim" in text


def test_a_missing_code_list_is_named(db: Any) -> None:
    [text] = refused(fixture("v2-tierhaltung.xml"))
    assert "Element codelisteReferenz" in text
    assert "urn:de:gemeinsam:codeliste:tierart fehlt" in text


def test_a_bad_cardinality_is_named(db: Any) -> None:
    texts = refused(fixture("bad-cardinality.xml"), [("c.xml", fixture("codeliste-tierart.xml"))])
    assert any("Element anzahl" in t and "'drei'" in t for t in texts)


def test_a_code_list_that_is_not_genericode(db: Any) -> None:
    [text] = refused(fixture("v2-tierhaltung.xml"), [("liste.xml", b"<liste/>")])
    assert text.startswith("liste.xml: ") and "keine Genericode-Codeliste" in text
