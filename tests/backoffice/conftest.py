"""Back-office fixtures. Gießen has a caseworker for Unterhaltsvorschuss
(carla), a caseworker without it (dora), a team lead (tom); Marburg has its own
caseworker (mia). Every access test reads as "who tries what on whose data"."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from forms_engine.backoffice.models import ServiceAssignment
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.actions import next_reference
from forms_engine.submissions.models import Submission
from forms_engine.submissions.names import store_name
from forms_engine.tenants.models import City
from tests.conftest import enable_service, host_client, make_staff, sign_in

SERVICE = "unterhaltsvorschuss"
GIESSEN_HOST = "giessen.localhost"
MARBURG_HOST = "marburg.localhost"

SNAPSHOT = [
    {
        "step": "antragsteller",
        "title": "Antragsteller",
        "fields": [
            {"name": "vorname", "label": "Vorname", "value": "Erika"},
            {"name": "nachname", "label": "Nachname", "value": "Mustermann"},
        ],
        "entries": [],
    },
    {
        "step": "kinder",
        "title": "Kinder",
        "fields": [],
        "entries": [[{"name": "kind_vorname", "label": "Vorname des Kindes", "value": "Max"}]],
    },
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Hashing strength is not what these tests are about; sign-ins are many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_submission(
    city: City,
    *,
    service_slug: str = SERVICE,
    name: str = "Erika Mustermann",
    status: str = Submission.Status.RECEIVED,
    submitted_at: datetime | None = None,
    email: str | None = "erika@example.org",
    language: str = "de",
    **fields: Any,
) -> Submission:
    submitted_at = submitted_at or timezone.now()
    fields.setdefault("due_on", timezone.localdate(submitted_at) + timedelta(days=30))
    with scope(city=city), transaction.atomic():
        submission = Submission.objects.create(
            city=city,
            service_slug=service_slug,
            service_version="1",
            data_schema_version="1",
            reference=next_reference(city, "UVG", 2026),
            data={"antragsteller": {"name": name}},
            snapshot=SNAPSHOT,
            contact_email=email,
            language=language,
            submitted_at=submitted_at,
            status=status,
            **fields,
        )
        store_name(submission, name)
        return submission


def assign_service(user: StaffUser, slug: str = SERVICE) -> None:
    assert user.city is not None
    with scope(city=user.city):
        ServiceAssignment.objects.create(city=user.city, user=user, service_slug=slug)


@pytest.fixture
def services(giessen: City, marburg: City) -> None:
    enable_service(giessen, SERVICE)
    enable_service(giessen, "parkausweis")
    enable_service(marburg, SERVICE)


@pytest.fixture
def carla(giessen: City, services: None) -> StaffUser:
    user = make_staff("carla-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(user)
    return user


@pytest.fixture
def dora(giessen: City, services: None) -> StaffUser:
    user = make_staff("dora-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(user, "parkausweis")
    return user


@pytest.fixture
def tom(giessen: City, services: None) -> StaffUser:
    return make_staff("tom-giessen-teamlead", giessen, StaffUser.Role.TEAM_LEAD)


@pytest.fixture
def mia(marburg: City, services: None) -> StaffUser:
    user = make_staff("mia-marburg-caseworker", marburg, StaffUser.Role.CASEWORKER)
    assign_service(user)
    return user


def signed_in(user: StaffUser, host: str, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(HTTP_HOST=host)
    sign_in(client, user.username)
    # Checked from here on: the sign-in itself is not what is under test.
    client.handler.enforce_csrf_checks = enforce_csrf_checks
    return client


@pytest.fixture
def carla_client(carla: StaffUser) -> Client:
    return signed_in(carla, GIESSEN_HOST)


@pytest.fixture
def tom_client(tom: StaffUser) -> Client:
    return signed_in(tom, GIESSEN_HOST)


@pytest.fixture
def submission(giessen: City, services: None) -> Submission:
    return make_submission(giessen)


def reload(submission: Submission) -> Submission:
    with scope(city=submission.city):
        return Submission.objects.select_related("assignee").get(pk=submission.pk)


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


__all__ = ["host_client"]
