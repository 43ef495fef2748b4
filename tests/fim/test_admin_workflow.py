"""The operator's workflow in the admin: upload (with code list) -> report ->
preview walk -> publish; a city administrator then switches it on; a
refused upload shows German errors and imports nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from forms_engine.catalog import registry
from forms_engine.fim.models import FimServiceVersion
from forms_engine.staff.models import StaffUser
from tests.conftest import host_client, sign_in
from tests.fim.helpers import CODELIST, fixture


def upload(client: Any, name: str, *codelists: str) -> Any:
    files = [SimpleUploadedFile(c, fixture(c), content_type="application/xml") for c in codelists]
    document = SimpleUploadedFile(name, fixture(name), content_type="application/xml")
    return client.post("/admin/fim/fimserviceversion/add/", {"document": document, "codelists": files})


def test_upload_report_preview_publish(operator: StaffUser, giessen: Any, giessen_admin: StaffUser) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    response = upload(client, "v2-tierhaltung.xml", CODELIST)
    assert response.status_code == 302, response.content.decode()[:3000]
    row = FimServiceVersion.objects.get()
    assert not row.is_published and registry.get(row.slug) is None  # a draft is not offered

    page = client.get(response["Location"]).content.decode()
    assert "Importbericht" in page
    assert "Wurde zu einer Bedingung: Schritt G00000003 wird nur gefragt, wenn F00000005 ja ist." in page
    assert "Nicht unterstützt (datentyp obj)" in page
    assert "Regeln für die Autorin oder den Autor" in page and "R00000002" in page

    for number, title in ((1, "Angaben zur antragstellenden Person"), (3, "Weitere haltende Personen")):
        preview = client.get(f"/admin/fim/fimserviceversion/{row.pk}/preview/?step={number}").content.decode()
        assert title in preview and f"Schritt {number} von 4" in preview

    assert client.post(f"/admin/fim/fimserviceversion/{row.pk}/publish/").status_code == 302
    row.refresh_from_db()
    assert row.is_published and registry.get(row.slug) is not None

    admin = host_client("giessen.localhost")
    sign_in(admin, giessen_admin.username)
    add = admin.get(f"/admin/catalog/cityservice/add/?service_slug={row.slug}")
    assert add.status_code == 200 and "Tierhaltung anzeigen (FIM 2.0)" in add.content.decode()
    # the FIM workflow itself is the operator's; city administrators read the report
    assert admin.get("/admin/fim/fimserviceversion/add/").status_code == 403
    report = admin.get(f"/admin/fim/fimserviceversion/{row.pk}/change/")
    assert report.status_code == 200 and "Importbericht" in report.content.decode()
    assert admin.post(f"/admin/fim/fimserviceversion/{row.pk}/publish/").status_code == 404


def test_a_refused_upload_shows_german_errors_and_imports_nothing(operator: StaffUser) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    response = upload(client, "v2-tierhaltung.xml")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Das Dokument wurde nicht importiert. Es wurde nichts geändert." in page
    assert "Element codelisteReferenz" in page
    response = upload(client, "hostile-external-entity.xml")
    assert "aus Sicherheitsgründen abgelehnt" in response.content.decode()
    assert not FimServiceVersion.objects.exists()


def test_a_published_version_cannot_be_changed_or_replaced(operator: StaffUser) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    upload(client, "v3-veranstaltung.xml")
    row = FimServiceVersion.objects.get()
    client.post(f"/admin/fim/fimserviceversion/{row.pk}/publish/")
    again = upload(client, "v3-veranstaltung.xml").content.decode()
    assert "ist bereits veröffentlicht" in again
    row.refresh_from_db()
    row.title = "geändert"
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        row.save()
