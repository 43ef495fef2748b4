"""The demo's cities deliver each submission to their office by email, so a
newcomer running `make run` sees the whole pipeline work."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.submissions.actions import submission_submit
from forms_engine.submissions.models import ProcessingStep
from forms_engine.submissions.tasks import deliver, render_pdf
from forms_engine.tenants.models import City


@pytest.mark.django_db
def test_demo_submission_is_rendered_and_delivered_by_email(settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("demo", "--force", "--quiet", stdout=io.StringIO())
    giessen = City.objects.get(slug="giessen")
    service = registry.get("hundesteuer")
    assert service is not None
    with scope(city=giessen):
        from forms_engine.catalog.models import CityService

        context = CityService.objects.get(service_slug="hundesteuer").context()
        submission = submission_submit(
            city=giessen,
            service=service,
            context=context,
            answers=Answers({}),
            snapshot=[],
            attachments=[],
            language="de",
        )
        steps = {s.kind: s for s in ProcessingStep.objects.filter(submission=submission)}
        assert set(steps) == {"pdf", "delivery"}
        render_pdf.apply(args=(giessen.pk, str(steps["pdf"].pk)))
        deliver.apply(args=(giessen.pk, str(steps["delivery"].pk)))
        steps["delivery"].refresh_from_db()
    assert steps["delivery"].state == "done", steps["delivery"].last_error
    assert [m.to for m in mail.outbox] == [["hundesteuer@giessen.example"]]
