"""Production headers on a citizen page and on a back-office page: HTTPS only
(redirect and HSTS), CSP on every page type, no sniffing, no framing, a strict
referrer policy, and session cookies that are Secure and HttpOnly."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD

CITY_HOST = "giessen.localhost"


@pytest.fixture
def production(settings: Any) -> Any:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def https_client(host: str) -> Client:
    # TLS ends at the load balancer, which says so in X-Forwarded-Proto.
    return Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")


def assert_secure_headers(response: Any) -> None:
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(giessen: Any, production: Any) -> None:
    response = Client(HTTP_HOST=CITY_HOST).get("/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{CITY_HOST}/"


def test_citizen_start_page(giessen: Any, production: Any) -> None:
    response = https_client(CITY_HOST).get("/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_citizen_error_page_has_the_same_headers(giessen: Any, production: Any) -> None:
    response = https_client(CITY_HOST).get("/no-such-page/at-all/")
    assert response.status_code == 404
    assert_secure_headers(response)


def test_staff_login_page_and_its_cookies(giessen_admin: Any, production: Any) -> None:
    client = https_client(CITY_HOST)
    page = client.get("/staff/login/")
    assert page.status_code == 200
    assert_secure_headers(page)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    response = client.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    assert_secure_headers(response)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert not session["domain"], "cookies stay on the city's own host"
