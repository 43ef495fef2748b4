"""Shared fixtures: two cities (Gießen and Marburg) and their staff, so that
access tests read naturally ("a Marburg caseworker gets 404 on a Gießen submission")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_scopes import scope, scopes_disabled

import tests.wizard.testservice  # noqa: F401  (registers the engine's test service)
from forms_engine.catalog.models import CityService
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City, Domain

# Browser fixtures (Playwright + chromium + axe-core) and a real clamd, shared by tests in any folder.
pytest_plugins = ["tests.e2e.browser", "tests.clamav"]

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2 takes about a second per hash on a loaded machine; tests don't test it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _analytics_written_per_request(settings: Any) -> Iterator[None]:
    """Usage events are written at the end of each request, so a test sees its
    request's events (the buffering itself: tests/analytics/test_event_buffer.py)."""
    from forms_engine.analytics.recorder import flush_events

    settings.ANALYTICS_BUFFER_EVENTS = 1
    yield
    flush_events()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _private_files(tmp_path: Any, settings: Any) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def make_city(slug: str, name: str, code: str, ags: str, population: int = 50000, article: str = "") -> City:
    with scopes_disabled():
        city = City.objects.create(
            slug=slug,
            name=name,
            article=article,
            short_code=code,
            ags=ags,
            population=population,
            accent_colour="#004b87",
            contact_email=f"info@{slug}.example",
            sender_email=f"noreply@{slug}.example",
            feedback_contact=f"a11y@{slug}.example",
        )
        Domain.objects.create(host=f"{slug}.localhost", city=city)
    return city


@pytest.fixture
def giessen(db: Any) -> City:
    return make_city("giessen", "Universitätsstadt Gießen", "GI", "06531005", 92000, article="die")


@pytest.fixture
def marburg(db: Any) -> City:
    return make_city("marburg", "Universitätsstadt Marburg", "MR", "06534014", 77000, article="die")


def enable_service(city: City, slug: str, **fields: Any) -> CityService:
    with scope(city=city):
        cs, _created = CityService.objects.update_or_create(
            city=city, service_slug=slug, defaults={"enabled": True, "office_name": "Fachdienst", **fields}
        )
    return cs


def make_staff(username: str, city: City | None, role: str, *, with_backup_code: str | None = "12345678") -> StaffUser:
    user = StaffUser.objects.create_user(username=username, password=PASSWORD, city=city, role=role)
    if with_backup_code:
        device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        StaticToken.objects.create(device=device, token=with_backup_code)
    return user


@pytest.fixture
def operator(db: Any) -> StaffUser:
    return make_staff("olga-operator", None, StaffUser.Role.OPERATOR)


@pytest.fixture
def giessen_admin(giessen: City) -> StaffUser:
    return make_staff("gina-giessen-admin", giessen, StaffUser.Role.CITY_ADMIN)


@pytest.fixture
def marburg_admin(marburg: City) -> StaffUser:
    return make_staff("mark-marburg-admin", marburg, StaffUser.Role.CITY_ADMIN)


def host_client(host: str) -> Client:
    return Client(HTTP_HOST=host)


def sign_in(client: Client, username: str, code: str = "12345678") -> None:
    """Password and second factor through the real login views."""
    response = client.post("/staff/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/staff/login/verify/", {"token": code})
    assert response.status_code == 302, response.content[:500]
