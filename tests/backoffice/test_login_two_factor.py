"""/admin/ needs a password and a second factor; the password alone never gets in."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, host_client, sign_in


def _password_step(client: Client, username: str) -> Any:
    return client.post("/staff/login/", {"username": username, "password": PASSWORD})


def lands_on_staff_login(client: Client, path: str) -> bool:
    """The admin's own login URL passes straight on to the two-step staff sign-in."""
    response = client.get(path, follow=True)
    return response.status_code == 200 and response.request["PATH_INFO"] == "/staff/login/"


def test_the_admin_sends_anonymous_visitors_to_the_staff_login(giessen):
    client = host_client("giessen.localhost")
    response = client.get("/admin/tenants/city/", follow=True)
    assert response.request["PATH_INFO"] == "/staff/login/"
    assert response.redirect_chain[-1][0] == "/staff/login/?next=%2Fadmin%2Ftenants%2Fcity%2F"


def test_the_password_alone_never_reaches_the_admin(giessen_admin):
    client = host_client("giessen.localhost")
    response = _password_step(client, giessen_admin.username)
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/verify/"
    for path in ("/admin/", "/admin/tenants/city/", f"/admin/tenants/city/{giessen_admin.city_id}/change/"):
        assert lands_on_staff_login(client, path), path


def test_a_wrong_password_stays_on_the_login_page(giessen_admin):
    client = host_client("giessen.localhost")
    response = client.post("/staff/login/", {"username": giessen_admin.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert client.get("/staff/login/verify/")["Location"] == "/staff/login/"


def test_a_wrong_backup_code_fails(giessen_admin):
    client = host_client("giessen.localhost")
    _password_step(client, giessen_admin.username)
    response = client.post("/staff/login/verify/", {"token": "87654321"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_wrong_totp_code_fails(giessen_admin):
    device = TOTPDevice.objects.create(user=giessen_admin, name="phone", confirmed=True)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    client = host_client("giessen.localhost")
    _password_step(client, giessen_admin.username)
    assert client.post("/staff/login/verify/", {"token": wrong}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_password_and_totp_reach_the_admin(giessen_admin):
    device = TOTPDevice.objects.create(user=giessen_admin, name="phone", confirmed=True)
    client = host_client("giessen.localhost")
    _password_step(client, giessen_admin.username)
    response = client.post("/staff/login/verify/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username, "12345678")
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token="12345678").exists()


def test_the_next_page_is_kept_but_only_on_this_host(giessen_admin):
    client = host_client("giessen.localhost")
    client.post("/staff/login/?next=/admin/tenants/city/", {"username": giessen_admin.username, "password": PASSWORD})
    response = client.post("/staff/login/verify/", {"token": "12345678"})
    assert response["Location"] == "/admin/tenants/city/"

    other = host_client("giessen.localhost")
    other.post("/staff/login/?next=https://evil.example/", {"username": giessen_admin.username, "password": PASSWORD})
    StaticToken.objects.create(device=giessen_admin.staticdevice_set.get(), token="22223333")
    response = other.post("/staff/login/verify/", {"token": "22223333"})
    assert response["Location"] == "/admin/"


def test_a_signed_in_session_without_otp_verification_is_refused_by_the_admin(giessen_admin):
    """django-otp's is_verified() is what the admin checks, not just a session."""
    client = host_client("giessen.localhost")
    client.force_login(giessen_admin)
    assert lands_on_staff_login(client, "/admin/")


def test_a_caseworker_gets_no_admin(giessen):
    from forms_engine.staff.models import StaffUser
    from tests.conftest import make_staff

    worker = make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, worker.username)
    assert client.get("/admin/").status_code == 302
