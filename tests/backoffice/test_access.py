"""Isolation for every back-office URL: other cities, other services, missing
second factor, guessed ids."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.conftest import make_staff

from .conftest import GIESSEN_HOST, MARBURG_HOST, make_submission, reload, signed_in

# (method, path pattern): every back-office URL that names a submission.
SUBMISSION_URLS = [
    ("get", "/backoffice/{pk}/"),
    ("get", "/backoffice/{pk}/pdf/"),
    ("get", "/backoffice/{pk}/files/{attachment}/"),
    ("post", "/backoffice/{pk}/assign/"),
    ("post", "/backoffice/{pk}/status/"),
    ("post", "/backoffice/{pk}/notes/"),
    ("post", "/backoffice/{pk}/request-documents/"),
    ("post", "/backoffice/{pk}/steps/{step}/retry/"),
]
LIST_URLS = [("get", "/backoffice/"), ("get", "/backoffice/export.csv")]
POST_DATA = {"to_status": "in_progress", "text": "note", "message": "Geburtsurkunde", "take": "1"}


@pytest.fixture
def target(giessen: City, services: None) -> dict[str, Any]:
    submission = make_submission(giessen)
    with scope(city=giessen):
        attachment = Attachment.store(
            city=giessen,
            content=b"%PDF-1.4 test",
            submission=submission,
            step="s",
            key="nachweis",
            filename="a.pdf",
            content_type="application/pdf",
        )
        step = (
            ProcessingStep.objects.get(submission=submission, kind="pdf")
            if ProcessingStep.objects.filter(submission=submission, kind="pdf").exists()
            else ProcessingStep.objects.create(city=giessen, submission=submission, kind="pdf")
        )
        step.state = ProcessingStep.State.FAILED
        step.save()
    return {"submission": submission, "pk": submission.pk, "attachment": attachment.pk, "step": step.pk}


def _request(client: Client, method: str, pattern: str, target: dict[str, Any]) -> Any:
    url = pattern.format(**target)
    return client.post(url, POST_DATA) if method == "post" else client.get(url)


def _assert_refused(response: Any) -> None:
    """Not found, or (when the session is not honoured on a foreign host) back to sign-in."""
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith("/staff/login/")


def _unchanged(target: dict[str, Any]) -> None:
    submission = reload(target["submission"])
    assert submission.status == Submission.Status.RECEIVED
    assert submission.assignee_id is None
    with scope(city=submission.city):
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("method", "pattern"), SUBMISSION_URLS)
def test_a_marburg_caseworker_gets_404_on_a_giessen_submission(
    mia: StaffUser, target: dict[str, Any], method: str, pattern: str
) -> None:
    client = signed_in(mia, MARBURG_HOST)
    assert _request(client, method, pattern, target).status_code == 404
    # The session cookie carried over to Gießen's host does not help either.
    client.defaults["HTTP_HOST"] = GIESSEN_HOST
    _assert_refused(_request(client, method, pattern, target))
    _unchanged(target)


@pytest.mark.parametrize(("method", "pattern"), LIST_URLS)
def test_a_marburg_caseworker_is_refused_on_giessens_host(mia: StaffUser, method: str, pattern: str) -> None:
    client = signed_in(mia, MARBURG_HOST)
    client.defaults["HTTP_HOST"] = GIESSEN_HOST
    _assert_refused(_request(client, method, pattern, {}))


@pytest.mark.parametrize(("method", "pattern"), SUBMISSION_URLS)
def test_a_caseworker_without_the_service_gets_404(
    dora: StaffUser, target: dict[str, Any], method: str, pattern: str
) -> None:
    client = signed_in(dora, GIESSEN_HOST)
    assert _request(client, method, pattern, target).status_code == 404
    _unchanged(target)


@pytest.mark.parametrize(("method", "pattern"), SUBMISSION_URLS + LIST_URLS)
def test_without_a_verified_second_factor_you_are_sent_to_sign_in(
    carla: StaffUser, target: dict[str, Any], method: str, pattern: str
) -> None:
    client = Client(HTTP_HOST=GIESSEN_HOST)
    client.force_login(carla)  # password only: no device verified in this session
    response = _request(client, method, pattern, target)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=%2Fbackoffice%2F")
    _unchanged(target)


@pytest.mark.parametrize(("method", "pattern"), SUBMISSION_URLS + LIST_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(target: dict[str, Any], method: str, pattern: str) -> None:
    response = _request(Client(HTTP_HOST=GIESSEN_HOST), method, pattern, target)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize(("method", "pattern"), SUBMISSION_URLS)
def test_a_guessed_or_sequential_id_never_works(
    carla: StaffUser, target: dict[str, Any], method: str, pattern: str
) -> None:
    client = signed_in(carla, GIESSEN_HOST)
    guessed = {**target, "pk": uuid.uuid4(), "attachment": uuid.uuid4(), "step": uuid.uuid4()}
    assert _request(client, method, pattern, guessed).status_code == 404
    sequential = {**target, "pk": 1, "attachment": 1, "step": 1}
    assert _request(client, method, pattern, sequential).status_code == 404
    _unchanged(target)


@pytest.mark.parametrize("role", [StaffUser.Role.CITY_ADMIN])
def test_a_city_administrator_does_not_work_cases(giessen: City, target: dict[str, Any], role: str) -> None:
    admin = make_staff("ada-giessen-admin", giessen, role)
    client = signed_in(admin, GIESSEN_HOST)
    assert client.get("/backoffice/").status_code == 404
    assert client.get(f"/backoffice/{target['pk']}/").status_code == 404


def test_the_caseworker_with_the_service_gets_in(carla: StaffUser, target: dict[str, Any]) -> None:
    client = signed_in(carla, GIESSEN_HOST)
    assert client.get("/backoffice/").status_code == 200
    assert client.get(f"/backoffice/{target['pk']}/").status_code == 200
    assert client.get(f"/backoffice/{target['pk']}/files/{target['attachment']}/").content == b"%PDF-1.4 test"
