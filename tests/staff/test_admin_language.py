"""One language per admin page: German by default, English when chosen, and
Django's own staff-user and password pages included (their German catalogue
leaves some strings untranslated; ours fill them in or replace them)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from forms_engine.staff.models import StaffUser
from tests.conftest import enable_service, host_client, make_staff, sign_in

# Words that only occur in English text (checked as whole words).
ENGLISH = re.compile(
    r"\b(the|you|your|you’ll|you’ve|is|are|and|or|not|password|user|users|options|stored|Reset|Raw|Enabled|"
    r"Disabled|Whether|After|Save|Delete|History|Add|Change|Set|Algorithm|Salt|Hash)\b"
)
GERMAN = re.compile(r"\b(und|oder|nicht|Passwort|Benutzer|Speichern|Löschen|Hinzufügen|ändern|Sie)\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def admin_pages(city_admin: StaffUser, caseworker: StaffUser, city: Any, language: str = "de") -> list[str]:
    cs = enable_service(city, "fundsache")
    return [
        "/admin/",
        "/admin/backoffice/staffuser/",
        "/admin/backoffice/staffuser/add/",
        f"/admin/backoffice/staffuser/{caseworker.pk}/change/",
        f"/admin/backoffice/staffuser/{caseworker.pk}/password/",
        f"/admin/tenants/city/{city.pk}/change/",
        "/admin/catalog/cityservice/",
        "/admin/catalog/cityservice/add/",
        "/admin/catalog/cityservice/add/?service_slug=hundesteuer",
        f"/admin/catalog/cityservice/{cs.pk}/change/",
        f"/admin/catalog/citytext/add/?city_service={cs.pk}&kind=confirmation&language={language}",
        "/admin/backoffice/serviceassignment/add/",
        "/admin/delivery/deliverytarget/add/",
        "/admin/delivery/deliverytarget/",
        "/admin/delivery/pullapitoken/",
        "/admin/delivery/pullapitoken/add/",
        "/admin/backoffice/auditevent/",
        "/admin/backoffice/serviceassignment/",
        "/admin/submissions/processingstep/",
        "/admin/catalog/citytext/",
        "/admin/password_change/",
    ]


def test_admin_pages_are_german_throughout(giessen: Any, giessen_admin: StaffUser) -> None:
    caseworker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    leftovers = {}
    for url in admin_pages(giessen_admin, caseworker, giessen):
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        found = sorted(set(ENGLISH.findall(text)))
        if found:
            leftovers[url] = found
    assert not leftovers, leftovers


def test_the_password_hash_is_not_shown(giessen: Any, giessen_admin: StaffUser) -> None:
    caseworker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get(f"/admin/backoffice/staffuser/{caseworker.pk}/change/").content.decode()
    assert "Algorithmus" not in page and "Salt" not in page and caseworker.password.split("$")[-1][:6] not in page
    assert "Neues Passwort festlegen" in page
    password_page = client.get(f"/admin/backoffice/staffuser/{caseworker.pk}/password/").content.decode()
    assert 'name="usable_password"' not in password_page  # staff always sign in with a password


def test_a_password_is_required_when_staff_are_added(giessen: Any, giessen_admin: StaffUser) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        "/admin/backoffice/staffuser/add/",
        {"username": "ohne-passwort", "password1": "", "password2": "", "role": "caseworker"},
    )
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not StaffUser.objects.filter(username="ohne-passwort").exists()


def test_admin_pages_are_english_when_chosen(giessen: Any, giessen_admin: StaffUser) -> None:
    caseworker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client: Client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    mixed = {}
    for url in admin_pages(giessen_admin, caseworker, giessen, language="en"):
        text = visible_text(client.get(url).content.decode())
        found = sorted(set(GERMAN.findall(text)))
        if found:
            mixed[url] = found
    assert not mixed, mixed
    page = client.get(f"/admin/backoffice/staffuser/{caseworker.pk}/change/").content.decode()
    assert "Set a new password" in page


def test_the_operators_pages_are_german_too(giessen: Any, operator: StaffUser) -> None:
    client = host_client("localhost")
    sign_in(client, operator.username)
    leftovers = {}
    for url in [
        "/admin/",
        "/admin/tenants/city/",
        "/admin/tenants/city/add/",
        f"/admin/tenants/city/{giessen.pk}/change/",
        "/admin/catalog/cityservice/new-city/",
        "/admin/backoffice/staffuser/add/",
        "/admin/catalog/cityservice/add/?service_slug=fundsache",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        found = sorted(set(ENGLISH.findall(visible_text(response.content.decode()))))
        if found:
            leftovers[url] = found
    assert not leftovers, leftovers
