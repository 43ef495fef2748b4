"""City administrators switch services on and set typed parameters in the admin."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scope

from forms_engine.catalog.models import CityService
from tests.conftest import enable_service, host_client, sign_in


def _form_data(cs: CityService, **overrides: Any) -> dict[str, Any]:
    data = {
        "service_slug": cs.service_slug,
        "enabled": "on",
        "notes": "",
        "office_name": "Ordnungsamt",
        "office_address": "",
        "office_email": "",
        "office_phone": "",
        "retention_days": "90",
        "draft_days": "30",
        "processing_days": "30",
        "document_days": "14",
    }
    data.update(overrides)
    return data


def test_parameters_are_typed_fields_with_defaults(giessen: Any, giessen_admin: Any) -> None:
    cs = enable_service(giessen, "hundesteuer")
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get(f"/admin/catalog/cityservice/{cs.pk}/change/").content.decode()
    assert 'name="param_rate_first_dog"' in page or "param_" in page
    service = cs.service
    assert service is not None
    decimal_params = [p for p in service.parameters if p.kind == "decimal"]
    assert decimal_params, "hundesteuer declares decimal parameters"
    key = decimal_params[0].key
    response = client.post(f"/admin/catalog/cityservice/{cs.pk}/change/", _form_data(cs, **{f"param_{key}": "123.45"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    with scope(city=giessen):
        cs.refresh_from_db()
        assert cs.params()[key] == Decimal("123.45")
    bad = client.post(f"/admin/catalog/cityservice/{cs.pk}/change/", _form_data(cs, **{f"param_{key}": "viel"}))
    assert bad.status_code == 200
    with scope(city=giessen):
        cs.refresh_from_db()
        assert cs.params()[key] == Decimal("123.45")


def test_model_validation_refuses_unknown_and_mistyped_parameters(giessen: Any) -> None:
    cs = enable_service(giessen, "hundesteuer")
    with scope(city=giessen):
        cs.parameters = {"gibt_es_nicht": 1}
        with pytest.raises(ValidationError, match="Unbekannte Einstellungen"):
            cs.full_clean()
        key = next(p.key for p in cs.service.parameters if p.kind == "decimal")  # type: ignore[union-attr]
        cs.parameters = {key: "abc"}
        with pytest.raises(ValidationError):
            cs.full_clean()


def test_services_command_lists_registered_services() -> None:
    out = io.StringIO()
    call_command("services", stdout=out)
    text = out.getvalue()
    assert "unterhaltsvorschuss" in text and "99107021017000" in text


def test_switching_on_a_service_twice_is_a_form_error_not_a_crash(giessen: Any, giessen_admin: Any) -> None:
    cs = enable_service(giessen, "hundesteuer")
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post("/admin/catalog/cityservice/add/", _form_data(cs))
    assert response.status_code == 200
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    with scope(city=giessen):
        assert CityService.objects.filter(service_slug="hundesteuer").count() == 1


def test_the_confirmation_email_offers_only_what_the_service_allows(giessen: Any, giessen_admin: Any) -> None:
    cs = enable_service(giessen, "unterhaltsvorschuss")
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    url = f"/admin/catalog/cityservice/{cs.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="confirmation_attachment"' in page and "Vorgabe des Dienstes: einen Link" in page
    assert 'value="pdf"' not in page  # Unterhaltsvorschuss never attaches the PDF
    params = {f"param_{p.key}": str(p.default) for p in cs.service.parameters}  # type: ignore[union-attr]
    refused = client.post(url, _form_data(cs, confirmation_attachment="pdf", **params))
    assert refused.status_code == 200 and "keine gültige Auswahl" in refused.content.decode()
    with scope(city=giessen):
        cs.refresh_from_db()
        assert cs.confirmation_attachment == "" and cs.confirmation_mode() == "link"
    saved = client.post(url, _form_data(cs, confirmation_attachment="none", **params))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with scope(city=giessen):
        cs.refresh_from_db()
        assert cs.confirmation_mode() == "none"
    other = enable_service(giessen, "fundsache")
    assert 'value="pdf"' in client.get(f"/admin/catalog/cityservice/{other.pk}/change/").content.decode()
