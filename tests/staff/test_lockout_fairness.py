"""Sign-in protection an attacker cannot turn against a named colleague:
the client address is only read from X-Forwarded-For behind TRUSTED_PROXIES,
one address is slowed down (growing delays) and locked for a name, but never
locks that name for everyone; many addresses against one name (credential
stuffing) lock the password alone, and the real person still gets in with a
backup code; the city administrator sees the locks."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from forms_engine.lib.client_ip import client_address
from forms_engine.staff.models import StaffUser
from tests.conftest import PASSWORD, make_staff, sign_in

PROXY = "10.0.0.2"
HOST = "giessen.localhost"


def via_proxy(client_ip: str) -> Client:
    """A browser at ``client_ip`` behind the ingress at PROXY."""
    return Client(HTTP_HOST=HOST, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{client_ip}, {PROXY}")


def fail(client: Client, username: str, times: int = 1) -> int:
    status = 0
    for _attempt in range(times):
        status = client.post("/staff/login/", {"username": username, "password": "not-the-password-1"}).status_code
    return status


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


class _Request:
    def __init__(self, remote: str, forwarded: str = "") -> None:
        self.META = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.mark.parametrize(
    "remote,forwarded,trusted,expected",
    [
        ("203.0.113.9", "1.2.3.4", [], "203.0.113.9"),  # no trusted proxies: the header is ignored
        ("203.0.113.9", "1.2.3.4", ["10.0.0.0/8"], "203.0.113.9"),  # the peer is no proxy of ours
        (PROXY, "198.51.100.7", ["10.0.0.0/8"], "198.51.100.7"),
        (PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.3", ["10.0.0.0/8"], "198.51.100.7"),  # rightmost untrusted hop
        (PROXY, "not-an-address", ["10.0.0.0/8"], PROXY),
    ],
)
def test_the_client_address_is_read_only_from_trusted_proxies(
    settings: Any, remote: str, forwarded: str, trusted: list[str], expected: str
) -> None:
    settings.TRUSTED_PROXIES = trusted
    assert client_address(_Request(remote, forwarded)) == expected  # type: ignore[arg-type]


def test_one_address_cannot_lock_a_named_colleague_out(giessen_admin: StaffUser, behind_proxy: None) -> None:
    attacker = via_proxy("203.0.113.66")
    assert fail(attacker, giessen_admin.username, settings.AXES_FAILURE_LIMIT) == 429
    assert attacker.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD}).status_code == 429
    colleague = via_proxy("198.51.100.7")  # same ingress, another client
    response = colleague.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/login/verify/"


def test_a_forged_forwarded_for_does_not_escape_the_lock(giessen_admin: StaffUser, behind_proxy: None) -> None:
    """Straight from the internet (not via the proxy) the header counts for nothing."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(HTTP_HOST=HOST, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        status = fail(forged, giessen_admin.username)
    assert status == 429


def test_one_address_is_slowed_down_with_growing_delays(giessen: Any, behind_proxy: None, settings: Any) -> None:
    settings.STAFF_LOGIN_FREE_FAILURES = 3
    settings.STAFF_LOGIN_DELAY_SECONDS = 1
    sprayer = via_proxy("203.0.113.77")
    for n in range(3):
        assert fail(sprayer, f"name-{n}") == 200  # many names, each below the axes limit
    assert fail(sprayer, "name-3") == 200  # this failure starts the delay
    response = sprayer.post("/staff/login/", {"username": "name-4", "password": "x"})
    assert response.status_code == 429 and "Sekunde" in response.content.decode()
    assert fail(via_proxy("198.51.100.8"), "name-5") == 200  # another address is not slowed
    deadline = time.monotonic() + 1.2
    while time.monotonic() < deadline:  # the real clock runs out the one-second delay
        time.sleep(0.05)
    assert fail(sprayer, "name-6") == 200  # allowed again, and the next delay is longer (2 s)
    response = sprayer.post("/staff/login/", {"username": "name-7", "password": "x"})
    assert response.status_code == 429 and "2 Sekunden" in response.content.decode()


def test_credential_stuffing_locks_the_password_alone_but_not_the_backup_code(
    giessen_admin: StaffUser, behind_proxy: None, settings: Any
) -> None:
    for n in range(settings.STAFF_NAME_LOCK_ADDRESSES):
        fail(via_proxy(f"203.0.113.{10 + n}"), giessen_admin.username)
    owner = via_proxy("198.51.100.9")
    response = owner.post("/staff/login/", {"username": giessen_admin.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Sicherungscode" in response.content.decode()
    assert "_auth_user_id" not in owner.session
    response = owner.post(
        "/staff/login/", {"username": giessen_admin.username, "password": PASSWORD, "backup_code": "12345678"}
    )
    assert response.status_code == 302
    assert owner.get("/admin/").status_code == 200  # signed in with both factors


def test_the_city_administrator_sees_lockouts_of_their_city_only(
    giessen_admin: StaffUser, marburg: Any, behind_proxy: None
) -> None:
    caseworker = make_staff("karl-kaputt", giessen_admin.city, StaffUser.Role.CASEWORKER)
    marburger = make_staff("mia-marburg", marburg, StaffUser.Role.CASEWORKER)
    fail(via_proxy("203.0.113.5"), caseworker.username, settings.AXES_FAILURE_LIMIT)
    fail(Client(HTTP_HOST="marburg.localhost", REMOTE_ADDR="203.0.113.6"), marburger.username, 2)
    admin = Client(HTTP_HOST=HOST)
    sign_in(admin, giessen_admin.username)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "karl-kaputt" in text and "203.0.113.5" in text
    assert "mia-marburg" not in text
