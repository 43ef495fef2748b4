"""Retention: past the city's period, answers, files and PDF go; a tombstone
stays. Expired drafts and document links go. A second run changes nothing."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.backoffice.models import DocumentRequest, Note, StatusChange
from forms_engine.lib.crypto import encrypt_bytes
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission
from forms_engine.submissions.tasks import run_retention
from forms_engine.tenants.models import City
from forms_engine.wizard.models import Draft
from tests.conftest import enable_service

from .conftest import days_ago, make_submission, reload


def _with_files(submission: Submission) -> dict[str, Any]:
    city = submission.city
    with scope(city=city):
        attachment = Attachment.store(
            city=city,
            content=b"%PDF-1.4 x",
            submission=submission,
            step="s",
            key="k",
            filename="f.pdf",
            content_type="application/pdf",
        )
        pdf_path = storages["private"].save(f"{city.slug}/pdf/{submission.pk}.pdf", ContentFile(encrypt_bytes(b"%PDF")))
        ProcessingStep.objects.update_or_create(
            city=city,
            submission=submission,
            kind="pdf",
            target_id="",
            defaults={"state": "done", "result": {"path": pdf_path}},
        )
        Note.objects.create(city=city, submission=submission, text="Frau Mustermann rief an")
        StatusChange.objects.create(
            city=city,
            submission=submission,
            from_status="in_progress",
            to_status=submission.status,
            note="Bescheid raus",
        )
    return {"attachment": attachment.path, "pdf": pdf_path}


@pytest.fixture
def scene(giessen: City, services: None) -> dict[str, Any]:
    expired = make_submission(giessen, status="approved", submitted_at=days_ago(120), decided_at=days_ago(91))
    recent = make_submission(giessen, status="rejected", submitted_at=days_ago(120), decided_at=days_ago(10))
    open_old = make_submission(giessen, status="in_progress", submitted_at=days_ago(400))
    files = _with_files(expired)
    with scope(city=giessen):
        old_draft = Draft.objects.create(
            city=giessen,
            service_slug="unterhaltsvorschuss",
            service_version="1",
            answers={"a": "Erika"},
            expires_at=timezone.now() - timedelta(hours=1),
        )
        draft_file = Attachment.store(
            city=giessen,
            content=b"%PDF-1.4 d",
            draft=old_draft,
            step="s",
            key="k",
            filename="d.pdf",
            content_type="application/pdf",
        )
        live_draft = Draft.objects.create(
            city=giessen,
            service_slug="unterhaltsvorschuss",
            service_version="1",
            expires_at=timezone.now() + timedelta(days=3),
        )
        link = DocumentRequest.objects.create(
            city=giessen,
            submission=open_old,
            message="m",
            token_hash="x" * 64,
            created_at=days_ago(20),
            expires_at=days_ago(6),
        )
    return {
        "expired": expired,
        "recent": recent,
        "open_old": open_old,
        "files": files,
        "old_draft": old_draft,
        "draft_file": draft_file.path,
        "live_draft": live_draft,
        "link": link,
    }


def test_past_the_period_the_data_goes_and_a_tombstone_stays(scene: dict[str, Any]) -> None:
    run_retention()
    tomb = reload(scene["expired"])
    before = scene["expired"]
    assert (tomb.status, tomb.final_status) == ("deleted", "approved")
    assert tomb.data == {} and tomb.snapshot == {} and tomb.contact_email is None and tomb.applicant_name is None
    assert (tomb.reference, tomb.service_slug, tomb.city_id) == (before.reference, before.service_slug, before.city_id)
    assert tomb.submitted_at == before.submitted_at and tomb.decided_at == before.decided_at
    assert tomb.deleted_at is not None
    private = storages["private"]
    assert not private.exists(scene["files"]["attachment"]) and not private.exists(scene["files"]["pdf"])
    with scope(city=tomb.city):
        assert not Attachment.objects.filter(submission=tomb).exists()
        assert not Note.objects.filter(submission=tomb).exists()
        assert list(StatusChange.objects.filter(submission=tomb).values_list("note", flat=True)) == [""]
        assert ProcessingStep.objects.get(submission=tomb, kind="pdf").result == {}


def test_within_the_period_and_undecided_submissions_stay(scene: dict[str, Any]) -> None:
    run_retention()
    assert reload(scene["recent"]).status == "rejected"
    open_old = reload(scene["open_old"])
    assert open_old.status == "in_progress" and open_old.data != {}


def test_the_citys_own_period_counts(scene: dict[str, Any], giessen: City) -> None:
    enable_service(giessen, "unterhaltsvorschuss", retention_days=5)
    run_retention()
    assert reload(scene["recent"]).status == "deleted"


def test_expired_drafts_and_links_go(scene: dict[str, Any], giessen: City) -> None:
    run_retention()
    with scope(city=giessen):
        assert list(Draft.objects.values_list("pk", flat=True)) == [scene["live_draft"].pk]
        assert not DocumentRequest.objects.exists()
    assert not storages["private"].exists(scene["draft_file"])


def retention_counts(text: str, city: str = "giessen") -> dict[str, str]:
    """The counts of the last retention log line of the city (key=value pairs;
    other apps add their own keys through the retention signals)."""
    lines = [line for line in text.splitlines() if f"retention city={city} " in line]
    assert lines, text
    return dict(pair.split("=", 1) for pair in lines[-1].split("retention ", 1)[1].split() if "=" in pair)


def test_a_second_run_changes_nothing(scene: dict[str, Any], caplog: Any) -> None:
    run_retention()
    tomb = reload(scene["expired"])
    with caplog.at_level(logging.INFO, logger="forms_engine.submissions.retention"):
        run_retention()
    again = reload(scene["expired"])
    assert (again.status, again.final_status, again.deleted_at) == ("deleted", "approved", tomb.deleted_at)
    counts = retention_counts(caplog.text)
    assert (counts["submissions"], counts["drafts"], counts["document_requests"]) == ("0", "0", "0")


def test_the_log_holds_counts_only(scene: dict[str, Any], caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="forms_engine.submissions.retention"):
        run_retention()
    counts = retention_counts(caplog.text)
    assert (counts["submissions"], counts["drafts"], counts["document_requests"]) == ("1", "1", "1")
    assert "Erika" not in caplog.text and scene["expired"].reference not in caplog.text


def test_other_cities_are_untouched_by_giessens_period(scene: dict[str, Any], marburg: City) -> None:
    kept = make_submission(marburg, status="approved", submitted_at=days_ago(60), decided_at=days_ago(50))
    run_retention()
    with scopes_disabled():
        assert Submission.objects.get(pk=kept.pk).status == "approved"
