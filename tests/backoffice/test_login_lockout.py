"""After AXES_FAILURE_LIMIT failures, sign-in is locked: with a friendly page,
and failed second-factor codes count as failures too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken

from tests.conftest import PASSWORD, host_client

LOCKED_STATUS = 429


def _fail_passwords(client: Client, username: str, times: int) -> Any:
    for _attempt in range(times):
        response = client.post("/staff/login/", {"username": username, "password": "not-the-password-1"})
    return response


def test_the_correct_password_is_refused_after_too_many_failures(giessen_admin):
    client = host_client("giessen.localhost")
    _fail_passwords(client, giessen_admin.username, settings.AXES_FAILURE_LIMIT - 1)
    last = _fail_passwords(client, giessen_admin.username, 1)
    assert last.status_code == LOCKED_STATUS

    response = client.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == LOCKED_STATUS
    text = response.content.decode()
    assert "<h1" in text
    assert "Universitätsstadt Gießen" in text  # the city's own page, not a bare error
    assert 'lang="de"' in text
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_failures_below_the_limit_do_not_lock(giessen_admin):
    client = host_client("giessen.localhost")
    _fail_passwords(client, giessen_admin.username, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_lockout_is_per_user_name(giessen_admin, giessen):
    from forms_engine.staff.models import StaffUser
    from tests.conftest import make_staff

    other = make_staff("otto-other", giessen, StaffUser.Role.CITY_ADMIN)
    client = host_client("giessen.localhost")
    _fail_passwords(client, giessen_admin.username, settings.AXES_FAILURE_LIMIT)
    response = client.post("/staff/login/", {"username": other.username, "password": PASSWORD})
    assert response.status_code == 302


def test_failed_second_factor_codes_lock_too(giessen_admin):
    client = host_client("giessen.localhost")
    client.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    statuses = [
        client.post("/staff/login/verify/", {"token": f"0000000{n}"}).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == LOCKED_STATUS
    # The valid backup code no longer helps, and neither does the password.
    assert client.post("/staff/login/verify/", {"token": "12345678"}).status_code == 302
    assert client.get("/admin/").status_code == 302
    response = client.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == LOCKED_STATUS
    assert StaticToken.objects.filter(token="12345678").exists()


def test_a_lockout_reached_elsewhere_stops_a_pending_second_factor(giessen_admin):
    """Someone who passed the password before the lockout cannot keep guessing codes."""
    pending = host_client("giessen.localhost")
    pending.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    _fail_passwords(host_client("giessen.localhost"), giessen_admin.username, settings.AXES_FAILURE_LIMIT)
    response = pending.post("/staff/login/verify/", {"token": "12345678"})
    assert response.status_code == LOCKED_STATUS
    assert StaticToken.objects.filter(token="12345678").exists()
