"""Service names instead of slugs in the admin: lists, filters and the
Zuständigkeit form show "Fundsache melden", never "fundsache"."""

from __future__ import annotations

import re
from typing import Any

from forms_engine.catalog import registry
from forms_engine.staff.models import StaffUser
from tests.conftest import enable_service, host_client, make_staff, sign_in


def _title(slug: str) -> str:
    service = registry.get(slug)
    assert service is not None
    return str(service.title)


def _cells(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, re.S)]


def test_lists_filters_and_choices_name_the_service(giessen: Any, giessen_admin: StaffUser) -> None:
    from django.utils import translation

    enable_service(giessen, "fundsache")
    worker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    with translation.override("de"):
        title = _title("fundsache")
    assert title != "fundsache"

    services = client.get("/admin/catalog/cityservice/").content.decode()
    assert title in _cells(services) and "fundsache" not in _cells(services)
    assert f">{title}</a>" in services  # the filter lists it by name
    assert "?service=fundsache" in services

    form = client.get("/admin/backoffice/serviceassignment/add/").content.decode()
    assert f'<option value="fundsache">{title}</option>' in form
    response = client.post("/admin/backoffice/serviceassignment/add/", {"user": worker.pk, "service_slug": "fundsache"})
    assert response.status_code == 302
    assignments = client.get("/admin/backoffice/serviceassignment/").content.decode()
    assert title in _cells(assignments) and "fundsache" not in _cells(assignments)
    filtered = client.get("/admin/backoffice/serviceassignment/?service=fundsache").content.decode()
    assert worker.username in filtered

    targets = client.get("/admin/delivery/deliverytarget/add/").content.decode()
    assert f'<option value="fundsache">{title}</option>' in targets
