"""A city administrator's admin shows and changes only their own city: a Marburg
admin cannot see or change Gießen, nor sign in on Gießen's host."""

from __future__ import annotations

import pytest

from forms_engine.staff.models import StaffUser
from tests.conftest import PASSWORD, host_client, make_staff, sign_in


@pytest.fixture
def marburg_client(marburg_admin, giessen):
    client = host_client("marburg.localhost")
    sign_in(client, marburg_admin.username)
    return client


@pytest.fixture
def giessen_worker(giessen):
    return make_staff("gerd-giessen-worker", giessen, StaffUser.Role.CASEWORKER)


def test_a_marburg_admin_cannot_sign_in_at_giessen(marburg_admin, giessen):
    client = host_client("giessen.localhost")
    response = client.post("/staff/login/", {"username": marburg_admin.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "does not belong to this city" in response.content.decode() or 'role="alert"' in response.content.decode()
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_a_city_admin_cannot_sign_in_on_the_platform_host(marburg_admin):
    client = host_client("localhost")
    response = client.post("/staff/login/", {"username": marburg_admin.username, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_the_city_list_shows_only_marburg(marburg_client, giessen):
    page = marburg_client.get("/admin/tenants/city/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Universitätsstadt Marburg" in text
    assert "Gießen" not in text


def test_the_staff_list_shows_only_marburg_staff(marburg_client, giessen_admin, giessen_worker, operator):
    page = marburg_client.get("/admin/backoffice/staffuser/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "mark-marburg-admin" in text
    assert giessen_admin.username not in text
    assert giessen_worker.username not in text
    assert operator.username not in text


@pytest.mark.parametrize("suffix", ["change/", "delete/", "history/"])
def test_giessen_rows_are_not_found(marburg_client, giessen, giessen_worker, suffix):
    assert marburg_client.get(f"/admin/tenants/city/{giessen.pk}/{suffix}").status_code == 404
    assert marburg_client.get(f"/admin/backoffice/staffuser/{giessen_worker.pk}/{suffix}").status_code == 404


def test_a_giessen_staff_members_password_cannot_be_set(marburg_client, giessen_worker):
    url = f"/admin/backoffice/staffuser/{giessen_worker.pk}/password/"
    assert marburg_client.get(url).status_code == 404
    response = marburg_client.post(url, {"password1": "Hijacked-Passwort-99", "password2": "Hijacked-Passwort-99"})
    assert response.status_code == 404
    giessen_worker.refresh_from_db()
    assert giessen_worker.check_password(PASSWORD)


def test_posting_a_change_to_giessen_changes_nothing(marburg_client, giessen, giessen_worker):
    response = marburg_client.post(
        f"/admin/tenants/city/{giessen.pk}/change/",
        {"accent_colour": "#5b2a86", "contact_email": "owned@evil.example", "draft_retention_days": 1},
    )
    assert response.status_code == 404
    giessen.refresh_from_db()
    assert giessen.accent_colour == "#004b87"
    assert giessen.contact_email == "info@giessen.example"

    response = marburg_client.post(
        f"/admin/backoffice/staffuser/{giessen_worker.pk}/change/",
        {"username": giessen_worker.username, "role": "city_admin", "is_active": "on"},
    )
    assert response.status_code == 404
    giessen_worker.refresh_from_db()
    assert giessen_worker.role == StaffUser.Role.CASEWORKER


def test_the_bulk_action_cannot_reach_giessen_staff(marburg_client, giessen_worker):
    device_count = giessen_worker.staticdevice_set.count()
    marburg_client.post(
        "/admin/backoffice/staffuser/",
        {"action": "reset_second_factor", "_selected_action": [str(giessen_worker.pk)]},
    )
    assert giessen_worker.staticdevice_set.count() == device_count == 1


def test_a_city_admin_cannot_grant_the_operator_role(marburg_client, marburg):
    colleague = make_staff("mia-marburg-worker", marburg, StaffUser.Role.CASEWORKER)
    page = marburg_client.get(f"/admin/backoffice/staffuser/{colleague.pk}/change/")
    assert page.status_code == 200
    assert 'value="operator"' not in page.content.decode()
    response = marburg_client.post(
        f"/admin/backoffice/staffuser/{colleague.pk}/change/",
        {"username": colleague.username, "role": "operator", "is_active": "on"},
    )
    assert response.status_code == 200  # the form again, with an error
    colleague.refresh_from_db()
    assert colleague.role == StaffUser.Role.CASEWORKER
    assert not colleague.is_superuser


def test_a_city_admin_can_change_their_own_citys_staff(marburg_client, marburg):
    colleague = make_staff("mia-marburg-worker", marburg, StaffUser.Role.CASEWORKER)
    response = marburg_client.post(
        f"/admin/backoffice/staffuser/{colleague.pk}/change/",
        {"username": colleague.username, "first_name": "Mia", "role": "team_lead", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague.refresh_from_db()
    assert (colleague.first_name, colleague.role, colleague.city) == ("Mia", StaffUser.Role.TEAM_LEAD, marburg)


def test_new_staff_added_by_a_city_admin_belong_to_that_city(marburg_client, marburg):
    response = marburg_client.post(
        "/admin/backoffice/staffuser/add/",
        {
            "username": "neu-marburg",
            "password1": "Ein-langes-Passwort-2026",
            "password2": "Ein-langes-Passwort-2026",
            "role": "caseworker",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert StaffUser.objects.get(username="neu-marburg").city == marburg


def test_a_city_admin_cannot_change_domains(marburg_client):
    assert marburg_client.get("/admin/tenants/domain/").status_code == 403
    assert marburg_client.get("/admin/tenants/domain/add/").status_code == 403
