"""A new city ready in one guided pass, and the setup checklist that says what
is left: on the city's page and on the admin index, with a link to each fix."""

from __future__ import annotations

import html
from typing import Any

from django_scopes import scope, scopes_disabled

from forms_engine.backoffice.models import ServiceAssignment
from forms_engine.catalog.models import CityService
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City, Domain
from tests.conftest import PASSWORD, enable_service, host_client, make_staff, sign_in
from tests.submissions.helpers import make_target

SETUP = "/admin/catalog/cityservice/new-city/"


def _kassel(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "documenta-Stadt Kassel",
        "slug": "kassel",
        "short_code": "KS",
        "ags": "06611000",
        "population": "204000",
        "accent_colour": "#7a1f3d",
        "host": "Kassel.Localhost",
        "contact_email": "info@kassel.example",
        "sender_email": "noreply@kassel.example",
        "services": ["fundsache", "hundesteuer"],
        "delivery_email": "fundbuero@kassel.example",
        "admin_username": "kai-kassel-admin",
        "admin_email": "kai@kassel.example",
        "admin_password": PASSWORD,
    }
    data.update(overrides)
    return data


def _page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_operator_sets_up_kassel_in_one_pass(operator: StaffUser) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    assert "Neue Stadt einrichten" in _page_text(client.get("/admin/"))
    assert client.get(SETUP).status_code == 200
    response = client.post(SETUP, _kassel())
    assert response.status_code == 302, _page_text(response)[:3000]

    with scopes_disabled():
        kassel = City.objects.get(slug="kassel")
        assert Domain.objects.get(city=kassel).host == "kassel.localhost"
        services = {cs.service_slug: cs for cs in CityService.objects.filter(city=kassel)}
        assert set(services) == {"fundsache", "hundesteuer"} and all(cs.enabled for cs in services.values())
        targets = DeliveryTarget.objects.filter(city=kassel)
        assert {t.service_slug for t in targets} == {"fundsache", "hundesteuer"}
        assert all(t.settings()["to"] == ["fundbuero@kassel.example"] for t in targets)
    admin = StaffUser.objects.get(username="kai-kassel-admin")
    assert admin.city == kassel and admin.role == StaffUser.Role.CITY_ADMIN and admin.check_password(PASSWORD)

    # What is left, on the city's page: fees to check and caseworkers, each with its link.
    city_page = _page_text(client.get(response["Location"]))
    assert "Hunde­steuer" in city_page or "Hundesteuer" in city_page
    assert "Gebühren und Einstellungen sind noch nicht geprüft" in city_page
    assert "Keine Sachbearbeitung ist zuständig" in city_page
    assert "kein Zustellziel" not in city_page  # the pass created them
    assert "/admin/backoffice/serviceassignment/add/?service_slug=fundsache" in city_page

    # The new administrator signs in on Kassel's host and sees the same list.
    kassel_client = host_client("kassel.localhost")
    response = kassel_client.post("/staff/login/", {"username": "kai-kassel-admin", "password": PASSWORD})
    assert response.status_code == 302 and "enrol" in response["Location"]  # next: set up the second factor


def test_the_pass_refuses_bad_input_and_changes_nothing(operator: StaffUser, giessen: City) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    response = client.post(
        SETUP, _kassel(host="giessen.localhost", accent_colour="#ffff00", admin_password="kurz", admin_username="")
    )
    page = _page_text(response)
    assert response.status_code == 200
    assert "Diese Webadresse gehört schon zu einer Stadt." in page
    assert "Kontrast" in page  # the accent colour's contrast check
    assert "Dieses Feld ist zwingend erforderlich." in page
    with scopes_disabled():
        assert not City.objects.filter(slug="kassel").exists()
    assert not StaffUser.objects.filter(username="kai-kassel-admin").exists()


def test_city_admins_cannot_set_up_cities(giessen_admin: StaffUser) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, _kassel()).status_code == 403


def test_the_checklist_warns_until_each_enabled_service_is_ready(giessen: City, giessen_admin: StaffUser) -> None:
    cs = enable_service(giessen, "unterhaltsvorschuss")
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    index = _page_text(client.get("/admin/"))
    title = "Unterhaltsvorschuss beantragen"
    for warning in ("noch nicht geprüft", "kein Zustellziel", "Keine Sachbearbeitung"):
        assert f"{title}: " in index and warning in index, warning
    assert warning in _page_text(client.get(f"/admin/tenants/city/{giessen.pk}/change/"))

    make_target(giessen, "email", {"to": ["jugendamt@example.org"]})
    worker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    with scope(city=giessen):
        ServiceAssignment.objects.create(city=giessen, user=worker, service_slug="unterhaltsvorschuss")
        cs.fees_confirmed = True
        cs.save()
    index = _page_text(client.get("/admin/"))
    assert "Bevor Bürgerinnen und Bürger es nutzen können" not in index
    city_page = _page_text(client.get(f"/admin/tenants/city/{giessen.pk}/change/"))
    assert "Eingerichtet:" in city_page


def test_switching_a_service_on_shows_its_fees_at_once(giessen: City, giessen_admin: StaffUser) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    chooser = _page_text(client.get("/admin/catalog/cityservice/add/"))
    assert "Welchen Online-Dienst möchten Sie anbieten?" in chooser
    assert "?service_slug=hundesteuer" in chooser
    form = _page_text(client.get("/admin/catalog/cityservice/add/?service_slug=hundesteuer"))
    assert 'name="param_' in form and "Gebühren und Einstellungen geprüft" in form
    assert 'value="hundesteuer" selected' in form


def test_the_domain_is_edited_on_the_citys_own_form(
    operator: StaffUser, giessen: City, giessen_admin: StaffUser
) -> None:
    from tests.tenants.test_accent_colour import _city_form_data

    with scopes_disabled():
        domain = Domain.objects.get(city=giessen)
    data = _city_form_data(
        giessen, name=giessen.name, slug=giessen.slug, short_code=giessen.short_code, ags=giessen.ags,
        population=giessen.population,
    )  # fmt: skip
    data.update(
        {
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "1",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-id": str(domain.pk),
            "domains-0-city": str(giessen.pk),
            "domains-0-host": "giessen.localhost",
            "domains-0-is_primary": "on",
            "domains-1-city": str(giessen.pk),
            "domains-1-host": "www.giessen.localhost",
        }
    )
    client = host_client("localhost")
    sign_in(client, operator.username)
    response = client.post(f"/admin/tenants/city/{giessen.pk}/change/", data)
    assert response.status_code == 302, _page_text(response)[:3000]
    with scopes_disabled():
        assert set(Domain.objects.filter(city=giessen).values_list("host", flat=True)) == {
            "giessen.localhost",
            "www.giessen.localhost",
        }
    # The city administrator sees the addresses on the same page, without editing them.
    city_admin = host_client("giessen.localhost")
    sign_in(city_admin, giessen_admin.username)
    page = _page_text(city_admin.get(f"/admin/tenants/city/{giessen.pk}/change/"))
    assert "www.giessen.localhost" in page and 'name="domains-TOTAL_FORMS"' not in page
