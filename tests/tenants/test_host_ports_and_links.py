"""The Host header is not trusted beyond naming the city: only ALLOWED_PORTS may
appear in it (none in production), and links in emails come from the city's
canonical address (its primary domain), never from the request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from forms_engine.tenants.models import Domain
from tests.citizen_mail import send_citizen_emails
from tests.conftest import host_client, sign_in

ALIAS = "antraege.giessen.localhost"


@pytest.mark.parametrize("host", ["giessen.localhost:8443", "localhost:8000", "giessen.localhost:0"])
def test_a_port_outside_allowed_ports_is_refused(giessen: Any, settings: Any, host: str) -> None:
    settings.ALLOWED_PORTS = []  # production
    response = host_client(host).get("/")
    assert response.status_code == 400
    assert "Gießen" not in response.content.decode()


def test_an_allowed_port_is_accepted(giessen: Any, settings: Any) -> None:
    settings.ALLOWED_PORTS = ["8443"]
    assert host_client("giessen.localhost:8443").get("/").status_code == 200
    assert host_client("giessen.localhost:8444").get("/").status_code == 400


def test_health_and_metrics_answer_on_any_port(giessen: Any, settings: Any) -> None:
    """The kubelet and Prometheus reach pods by address and port."""
    settings.ALLOWED_PORTS = []
    assert host_client("10.0.0.5:8000").get("/healthz/live").status_code == 200


@pytest.fixture
def alias(giessen: Any) -> str:
    with scopes_disabled():
        Domain.objects.create(city=giessen, host=ALIAS, is_primary=False)
    return ALIAS


def test_the_resume_link_in_the_email_uses_the_canonical_address(alias: str, settings: Any) -> None:
    from tests.conftest import enable_service
    from tests.wizard.conftest import SLUG, start
    from tests.wizard.test_resume import _save

    settings.ALLOWED_PORTS = ["8000"]
    with scopes_disabled():
        giessen = Domain.objects.get(host=alias).city
    enable_service(giessen, SLUG)
    citizen = host_client(f"{alias}:8000")
    start(citizen)
    _save(citizen)
    citizen.post(f"/{SLUG}/save/", {"email": "erika@example.org", "action": "email"})
    send_citizen_emails()  # the email is a processing step: sent as the worker would
    (message,) = mail.outbox
    assert re.search(r"https://giessen\.localhost/resume/[A-Z0-9-]+/", str(message.body)), message.body
    assert alias not in str(message.body) and ":8000" not in str(message.body)


def test_the_hand_in_link_uses_the_canonical_address(
    alias: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from forms_engine.staff.models import StaffUser
    from tests.backoffice.conftest import make_submission
    from tests.conftest import make_staff

    settings.ALLOWED_PORTS = ["8000"]
    with scopes_disabled():
        giessen = Domain.objects.get(host=alias).city
    lead = make_staff("lea-lead", giessen, StaffUser.Role.TEAM_LEAD)
    submission = make_submission(giessen, status="in_progress")
    client = host_client(f"{alias}:8000")
    sign_in(client, lead.username)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/backoffice/{submission.pk}/request-documents/", {"message": "Bitte die Urkunde."})
    assert response.status_code == 302
    send_citizen_emails()
    (message,) = mail.outbox
    assert re.search(r"https://giessen\.localhost/nachreichen/[\w-]+/", str(message.body)), message.body
    assert alias not in str(message.body)
