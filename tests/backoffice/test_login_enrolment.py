"""A staff member without a second factor enrols one at first sign-in: QR code,
then a code from the app signs in and shows the backup codes once."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from forms_engine.staff.models import StaffUser
from tests.conftest import PASSWORD, host_client, make_staff


def _start(client: Client, username: str) -> Any:
    response = client.post("/staff/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_first_sign_in_enrols_an_authenticator_and_shows_backup_codes_once(giessen):
    user = make_staff("nina-new", giessen, StaffUser.Role.CITY_ADMIN, with_backup_code=None)
    client = host_client("giessen.localhost")
    assert _start(client, user.username)["Location"] == "/staff/login/enrol/"

    page = client.get("/staff/login/enrol/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text  # the QR code, inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r"<code>[A-Z2-7]{32,}</code>", text)  # the key to type in
    assert client.get("/admin/").status_code == 302  # not signed in yet

    response = client.post("/staff/login/enrol/", {"token": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/staff/backup-codes/"
    device.refresh_from_db()
    assert device.confirmed

    codes_page = client.get("/staff/backup-codes/")
    assert codes_page.status_code == 200
    shown = re.findall(r"<code>([a-z0-9]+)</code>", codes_page.content.decode())
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(shown) == 10
    assert set(shown) == stored
    assert client.get("/staff/backup-codes/").status_code == 302  # shown once only
    assert client.get("/admin/").status_code == 200

    # A shown backup code works at the next sign-in.
    again = host_client("giessen.localhost")
    assert _start(again, user.username)["Location"] == "/staff/login/verify/"
    assert again.post("/staff/login/verify/", {"token": shown[0]}).status_code == 302
    assert again.get("/admin/").status_code == 200


def test_a_wrong_code_at_enrolment_does_not_confirm_the_device(giessen):
    user = make_staff("nina-new", giessen, StaffUser.Role.CITY_ADMIN, with_backup_code=None)
    client = host_client("giessen.localhost")
    _start(client, user.username)
    client.get("/staff/login/enrol/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post("/staff/login/enrol/", {"token": wrong})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def test_enrolment_needs_the_password_step_first(giessen):
    make_staff("nina-new", giessen, StaffUser.Role.CITY_ADMIN, with_backup_code=None)
    response = host_client("giessen.localhost").get("/staff/login/enrol/")
    assert response["Location"] == "/staff/login/"


def test_someone_with_a_device_cannot_enrol_another(giessen_admin):
    client = host_client("giessen.localhost")
    assert _start(client, giessen_admin.username)["Location"] == "/staff/login/verify/"
    assert client.get("/staff/login/enrol/")["Location"] == "/staff/login/verify/"
    assert not TOTPDevice.objects.filter(user=giessen_admin).exists()


def test_used_up_backup_codes_lead_to_enrolment(giessen_admin):
    StaticToken.objects.filter(device__user=giessen_admin).delete()
    client = host_client("giessen.localhost")
    assert _start(client, giessen_admin.username)["Location"] == "/staff/login/enrol/"
