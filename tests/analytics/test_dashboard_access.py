"""Only verified administrators of the host's city (and operators) read its
dashboard; a Gießen administrator gets 404 on Marburg's."""

from __future__ import annotations

from forms_engine.staff.models import StaffUser

from ..conftest import host_client, make_staff, sign_in


def test_city_admin_reads_own_dashboard(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.get("/statistik/")
    assert response.status_code == 200
    assert giessen.name in response.content.decode()


def test_city_admin_cannot_read_another_citys_dashboard(giessen, marburg, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    # The same session presented on Marburg's host: the tenant middleware drops it,
    # so the person is asked to sign in there (which Marburg refuses) and sees nothing.
    for url in ("/statistik/", "/statistik/?format=csv&table=summary", "/statistik/zsk.csv"):
        response = client.get(url, HTTP_HOST="marburg.localhost")
        assert response.status_code in (302, 404), url
        assert marburg.name not in response.content.decode()
        if response.status_code == 302:
            assert response["Location"].startswith("/staff/login/")


def test_dashboard_refuses_a_verified_admin_of_another_city(giessen, marburg, giessen_admin, rf):
    """The view's own check, behind the middleware's: Gießen's verified admin on Marburg's host."""
    import pytest
    from django.http import Http404

    from forms_engine.analytics.views import dashboard_cities

    request = rf.get("/statistik/", HTTP_HOST="marburg.localhost")
    giessen_admin.is_verified = lambda: True
    request.user = giessen_admin
    request.city = marburg
    with pytest.raises(Http404):
        dashboard_cities(request)
    request.city = giessen
    assert dashboard_cities(request) == ([giessen], None)


def test_caseworker_gets_404(giessen):
    make_staff("carl-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, "carl-caseworker")
    assert client.get("/statistik/").status_code == 404


def test_anonymous_and_unverified_are_sent_to_login(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    response = client.get("/statistik/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]

    client.force_login(giessen_admin)  # password only, no second factor
    response = client.get("/statistik/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_city_admin_gets_404_on_platform_host(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.get("/statistik/", HTTP_HOST="localhost")
    assert response.status_code in (302, 404)
    assert giessen.name not in response.content.decode()


def test_operator_sees_all_cities_on_platform_host(giessen, marburg, operator):
    client = host_client("localhost")
    sign_in(client, operator.username)
    page = client.get("/statistik/").content.decode()
    assert giessen.name in page and marburg.name in page
    assert client.get(f"/statistik/?city={marburg.slug}").status_code == 200
