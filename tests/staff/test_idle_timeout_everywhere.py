"""The staff idle timeout holds on every staff page, /admin/ included, measured
with the real clock: the session is left alone, only time passes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from forms_engine.staff.models import StaffUser
from tests.conftest import make_staff, sign_in

TIMEOUT = 2  # seconds; the tests wait for the real clock to pass it


def _wait_past(seconds: float) -> None:
    """Let the real clock run past ``seconds`` (the feature under test is time itself)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,host,page",
    [
        (StaffUser.Role.CITY_ADMIN, "giessen.localhost", "/admin/"),
        (StaffUser.Role.OPERATOR, "localhost", "/admin/tenants/city/"),
        (StaffUser.Role.CASEWORKER, "giessen.localhost", "/backoffice/"),
    ],
)
def test_idle_staff_are_signed_out_of_every_staff_page(
    role: str, host: str, page: str, giessen: Any, settings: Any
) -> None:
    settings.STAFF_IDLE_TIMEOUT_SECONDS = TIMEOUT
    make_staff("idle-ida", None if role == StaffUser.Role.OPERATOR else giessen, role)
    client = Client(HTTP_HOST=host)
    sign_in(client, "idle-ida")
    assert client.get(page).status_code == 200
    _wait_past(TIMEOUT + 0.5)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")
    assert "_auth_user_id" not in client.session  # signed out, not only redirected once
    assert client.get(page).status_code == 302


@pytest.mark.django_db
def test_activity_keeps_an_admin_signed_in_past_the_timeout(giessen: Any, settings: Any) -> None:
    settings.STAFF_IDLE_TIMEOUT_SECONDS = TIMEOUT
    make_staff("busy-bea", giessen, StaffUser.Role.CITY_ADMIN)
    client = Client(HTTP_HOST="giessen.localhost")
    sign_in(client, "busy-bea")
    started = time.monotonic()
    while time.monotonic() - started < TIMEOUT * 2:  # twice the timeout, never idle for long
        assert client.get("/admin/").status_code == 200
        _wait_past(TIMEOUT / 4)
