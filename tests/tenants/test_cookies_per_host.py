"""Cookies stay on the host that set them: a Gießen session is worth nothing
on Marburg's host."""

from __future__ import annotations

from django.conf import settings

from tests.conftest import host_client, sign_in


def test_no_shared_cookie_domain_is_configured():
    assert settings.SESSION_COOKIE_DOMAIN is None
    assert settings.CSRF_COOKIE_DOMAIN is None
    assert settings.LANGUAGE_COOKIE_DOMAIN is None


def test_the_session_cookie_has_no_domain_attribute(giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    assert morsel["domain"] == ""
    assert morsel["httponly"]


def test_a_giessen_session_does_not_authenticate_on_marburg(giessen_admin, marburg):
    giessen_client = host_client("giessen.localhost")
    sign_in(giessen_client, giessen_admin.username)
    assert giessen_client.get("/admin/").status_code == 200

    # Someone carries the cookie over to Marburg's host by hand.
    marburg_client = host_client("marburg.localhost")
    marburg_client.cookies[settings.SESSION_COOKIE_NAME] = giessen_client.cookies[settings.SESSION_COOKIE_NAME].value
    response = marburg_client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/staff/login/"
    assert response.context["user"].is_anonymous
    assert marburg_client.get("/admin/tenants/city/").status_code == 302


def test_a_city_session_does_not_authenticate_on_the_platform_host(giessen_admin):
    giessen_client = host_client("giessen.localhost")
    sign_in(giessen_client, giessen_admin.username)
    platform = host_client("localhost")
    platform.cookies[settings.SESSION_COOKIE_NAME] = giessen_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert platform.get("/admin/").status_code == 302
