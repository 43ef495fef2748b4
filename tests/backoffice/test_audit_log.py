"""City administrators read their city's audit log in the admin; nobody can add,
change or delete events there."""

from __future__ import annotations

from django.test import Client
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City

from .conftest import GIESSEN_HOST, MARBURG_HOST, make_submission, signed_in


def test_the_city_administrator_reads_only_her_citys_events(
    carla_client: Client,
    giessen_admin: StaffUser,
    marburg_admin: StaffUser,
    mia: StaffUser,
    submission: Submission,
    marburg: City,
) -> None:
    carla_client.get(f"/backoffice/{submission.pk}/")
    other = make_submission(marburg)
    signed_in(mia, MARBURG_HOST).get(f"/backoffice/{other.pk}/")
    admin = signed_in(giessen_admin, GIESSEN_HOST)
    page = admin.get("/admin/backoffice/auditevent/")
    assert page.status_code == 200
    text = page.content.decode()
    assert submission.reference in text and other.reference not in text


def test_nobody_edits_or_deletes_events(carla_client: Client, giessen_admin: StaffUser, submission: Submission) -> None:
    carla_client.get(f"/backoffice/{submission.pk}/")
    with scope(city=submission.city):
        event = AuditEvent.objects.get()
    admin = signed_in(giessen_admin, GIESSEN_HOST)
    assert admin.get("/admin/backoffice/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/backoffice/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    change = admin.post(f"/admin/backoffice/auditevent/{event.pk}/change/", {"action": "export", "username": "x"})
    assert change.status_code in (200, 403)
    with scope(city=submission.city):
        assert AuditEvent.objects.get().action == "view"


def test_caseworkers_have_no_admin(carla: StaffUser) -> None:
    client = signed_in(carla, GIESSEN_HOST)
    response = client.get("/admin/backoffice/auditevent/")
    assert response.status_code == 302
