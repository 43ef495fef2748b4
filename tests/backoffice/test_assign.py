"""Assigning work: team leads assign anyone who works the service; caseworkers
take a submission or give back their own."""

from __future__ import annotations

from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

from .conftest import reload


def test_a_caseworker_takes_and_gives_back(carla_client: Client, carla: StaffUser, submission: Submission) -> None:
    carla_client.post(f"/backoffice/{submission.pk}/assign/", {"take": "1"})
    assert reload(submission).assignee_id == carla.pk
    carla_client.post(f"/backoffice/{submission.pk}/assign/", {"assignee": ""})
    assert reload(submission).assignee_id is None
    with scope(city=submission.city):
        details = list(
            AuditEvent.objects.filter(action=AuditEvent.Action.ASSIGN, submission_id=submission.pk)
            .order_by("at")
            .values_list("detail", "reference", "user_id")
        )
    assert details == [(carla.username, submission.reference, carla.pk), ("-", submission.reference, carla.pk)]


def test_a_caseworker_cannot_assign_someone_else(carla_client: Client, tom: StaffUser, submission: Submission) -> None:
    carla_client.post(f"/backoffice/{submission.pk}/assign/", {"assignee": tom.pk})
    assert reload(submission).assignee_id is None


def test_the_team_lead_assigns_a_caseworker_of_the_service(
    tom_client: Client, carla: StaffUser, dora: StaffUser, mia: StaffUser, submission: Submission
) -> None:
    tom_client.post(f"/backoffice/{submission.pk}/assign/", {"assignee": dora.pk})  # not her service
    assert reload(submission).assignee_id is None
    tom_client.post(f"/backoffice/{submission.pk}/assign/", {"assignee": mia.pk})  # another city
    assert reload(submission).assignee_id is None
    tom_client.post(f"/backoffice/{submission.pk}/assign/", {"assignee": carla.pk})
    assert reload(submission).assignee_id == carla.pk
    page = tom_client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert carla.username in page and dora.username not in page and mia.username not in page
