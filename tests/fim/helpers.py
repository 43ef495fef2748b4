"""The hand-written XDatenfelder fixtures and how to import them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms_engine.fim.actions import fim_import, fim_publish
from forms_engine.fim.models import FimServiceVersion

FIXTURES = Path(__file__).parent / "fixtures"
CODELIST = "codeliste-tierart.xml"
# The documents that import, with the code lists each needs.
DOCUMENTS = {"v2-tierhaltung.xml": [CODELIST], "v3-veranstaltung.xml": []}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(name: str, *, publish: bool = True, by: Any = None) -> FimServiceVersion:
    row = fim_import(
        document=fixture(name),
        source_name=name,
        codelists=[(c, fixture(c)) for c in DOCUMENTS.get(name, [CODELIST])],
        by=by,
    )
    return fim_publish(version=row) if publish else row
