"""Retention also takes what casework automation wrote about a case: the text of
its decision letters (the PDF goes with the other attachments) and the notes of
proposed decisions."""

from __future__ import annotations

from django.db import transaction
from django_scopes import scope

from forms_engine.backoffice import letters
from forms_engine.backoffice.models import Decision, DecisionLetter
from forms_engine.submissions.tasks import run_retention
from forms_engine.tenants.models import City

from .conftest import days_ago, make_submission, reload
from .test_letters import make_template


def test_a_tombstone_keeps_no_letter_and_no_proposal_note(giessen: City, services: None) -> None:
    template = make_template(giessen)
    expired = make_submission(giessen, status="approved", submitted_at=days_ago(120), decided_at=days_ago(91))
    kept = make_submission(giessen, status="approved", submitted_at=days_ago(20), decided_at=days_ago(10))
    with scope(city=giessen):
        for case in (expired, kept):
            with transaction.atomic():
                letters.letter_issue(submission=case, template=template, by=None, rule_name="Test")
            Decision.objects.create(
                city=giessen, submission=case, to_status="approved", note="Fahrzeugschein geprüft", state="confirmed"
            )
    run_retention()
    assert reload(expired).status == "deleted"
    with scope(city=giessen):
        assert not DecisionLetter.objects.filter(submission=expired).exists()
        assert Decision.objects.get(submission=expired).note == ""
        assert DecisionLetter.objects.filter(submission=kept).count() == 1
        assert Decision.objects.get(submission=kept).note == "Fahrzeugschein geprüft"
