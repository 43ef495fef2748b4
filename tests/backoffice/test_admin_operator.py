"""The platform operator signs in on a platform host and sees every city there."""

from __future__ import annotations

from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import Domain
from tests.conftest import host_client, make_staff, sign_in


def test_the_operator_sees_all_cities_on_the_platform_host(operator, giessen, marburg):
    client = host_client("localhost")
    sign_in(client, operator.username)
    text = client.get("/admin/tenants/city/").content.decode()
    assert "Universitätsstadt Gießen" in text
    assert "Universitätsstadt Marburg" in text
    assert client.get(f"/admin/tenants/city/{giessen.pk}/change/").status_code == 200
    domains = client.get("/admin/tenants/domain/")
    assert domains.status_code == 200
    assert "giessen.localhost" in domains.content.decode()
    assert "marburg.localhost" in domains.content.decode()


def test_the_operator_sees_all_staff(operator, giessen_admin, marburg_admin):
    client = host_client("localhost")
    sign_in(client, operator.username)
    text = client.get("/admin/backoffice/staffuser/").content.decode()
    assert giessen_admin.username in text
    assert marburg_admin.username in text


def test_the_operator_can_move_a_domain(operator, giessen, marburg):
    client = host_client("localhost")
    sign_in(client, operator.username)
    with scopes_disabled():
        domain = Domain.objects.get(host="giessen.localhost")
    response = client.post(
        f"/admin/tenants/domain/{domain.pk}/change/", {"host": "www.giessen.de", "city": giessen.pk, "is_primary": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert host_client("www.giessen.de").get("/").status_code == 200
    assert host_client("giessen.localhost").get("/").status_code == 404


def test_an_operator_cannot_be_given_a_city(operator, giessen):
    client = host_client("localhost")
    sign_in(client, operator.username)
    other = make_staff("otto-operator", None, StaffUser.Role.OPERATOR)
    response = client.post(
        f"/admin/backoffice/staffuser/{other.pk}/change/",
        {"username": other.username, "role": "operator", "city": giessen.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.city is None


def test_on_a_city_host_the_operator_sees_only_that_city(operator, giessen, marburg):
    client = host_client("giessen.localhost")
    sign_in(client, operator.username)
    text = client.get("/admin/tenants/city/").content.decode()
    assert "Gießen" in text
    assert "Marburg" not in text
