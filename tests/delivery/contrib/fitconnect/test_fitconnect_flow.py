"""FIT-Connect delivery against the local Zustelldienst: the whole flow, the
event log (delivered, accepted, rejected, forged), and no personal data in logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django_scopes import scope

from forms_engine.delivery.contrib.fitconnect.tasks import poll_events
from forms_engine.demo.zustelldienst import Zustelldienst
from forms_engine.submissions import actions
from tests.submissions.helpers import submit

from .conftest import deliver, fitconnect_target, reload

pytestmark = pytest.mark.django_db


def backoffice_page(city: Any, submission: Any) -> str:
    """The case detail as a caseworker of the city sees it."""
    from forms_engine.staff.models import StaffUser
    from tests.conftest import host_client, make_staff, sign_in

    if not StaffUser.objects.filter(username="kai-caseworker").exists():
        make_staff("kai-caseworker", city, StaffUser.Role.TEAM_LEAD)
    client = host_client(f"{city.slug}.localhost")
    sign_in(client, "kai-caseworker")
    response = client.get(f"/backoffice/{submission.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_submission_reaches_accepted(giessen: Any, zustelldienst: Zustelldienst, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    target = fitconnect_target(zustelldienst, giessen)
    submission = submit(giessen)
    state, step = deliver(submission, target)
    assert state == "done", step.last_error
    assert zustelldienst.refused == []
    [sent] = zustelldienst.submitted
    checkpoint = step.result["fitconnect"]
    assert checkpoint["submission_id"] == sent["submissionId"] and checkpoint["case_id"] == sent["caseId"]
    assert checkpoint["status"] == "submitted"
    assert sent["data"] == submission.data
    metadata = sent["metadata"]
    assert metadata["publicServiceType"]["identifier"] == "urn:de:fim:leika:leistung:99107021017000"
    assert metadata["additionalReferenceInfo"]["senderReference"] == submission.reference
    assert metadata["replyChannel"] == {"eMail": {"address": "joerg@example.org"}}
    attachments = {a["purpose"]: a for a in metadata["contentStructure"]["attachments"]}
    assert attachments["form"]["mimeType"] == "application/pdf"
    assert attachments["attachment"]["filename"] == "Geburtsurkunde Jörg.pdf"
    _header, upload = sent["attachments"][attachments["attachment"]["attachmentId"]]
    assert upload == b"%PDF-1.4 Geburtsurkunde"

    zustelldienst.forward(sent["submissionId"])
    assert poll_events.apply().get() == 1
    assert reload(step).result["fitconnect"]["status"] == "delivered"
    zustelldienst.accept(sent["submissionId"])
    poll_events.apply().get()
    assert reload(step).result["fitconnect"]["status"] == "accepted"
    page = backoffice_page(giessen, submission)
    assert f"Vorgang {sent['caseId']}: vom Fachverfahren angenommen" in page
    assert poll_events.apply().get() == 0  # accepted is final: not polled again

    for secret in ("Müßig", "joerg@example.org", target.secrets["client_secret"]):
        assert secret not in caplog.text


def test_rejection_fails_the_step_and_retry_sends_a_new_submission(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    submission = submit(giessen)
    _state, step = deliver(submission, target)
    [first] = zustelldienst.submitted
    zustelldienst.reject(first["submissionId"], "Unterlagen unvollständig", "Die Geburtsurkunde ist unleserlich.")
    poll_events.apply().get()
    step = reload(step)
    assert step.state == "failed"
    assert "Die Geburtsurkunde ist unleserlich." in step.last_error
    assert step.result["fitconnect_rejected"][0]["submission_id"] == first["submissionId"]
    page = backoffice_page(giessen, submission)
    assert f"FIT-Connect-Einreichung {first['submissionId']}, Vorgang {first['caseId']}: zurückgewiesen" in page
    assert "Vom Fachverfahren zurückgewiesen (FIT-Connect): Unterlagen unvollständig" in page
    assert "Jetzt wiederholen" in page

    with scope(city=giessen):
        actions.processing_step_retry(step=step)
    state, step = deliver(submission, target)
    assert state == "done"
    assert len(zustelldienst.submitted) == 2
    assert step.result["fitconnect"]["submission_id"] != first["submissionId"]


def test_forged_event_is_ignored(giessen: Any, zustelldienst: Zustelldienst) -> None:
    target = fitconnect_target(zustelldienst, giessen)
    _state, step = deliver(submit(giessen), target)
    [sent] = zustelldienst.submitted
    zustelldienst.add_forged_event(sent["submissionId"], "accept-submission")
    poll_events.apply().get()
    assert reload(step).result["fitconnect"]["status"] == "submitted"
