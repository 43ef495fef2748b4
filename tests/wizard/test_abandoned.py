"""An expired draft becomes an 'abandoned' usage event with the step reached."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scope

from forms_engine.analytics.models import UsageEvent
from forms_engine.submissions.retention import purge_drafts
from forms_engine.wizard.models import Draft
from tests.wizard.conftest import PERSON, SLUG, answer, start


def test_expired_draft_is_counted_as_abandoned_at_its_step(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    with scope(city=giessen):
        Draft.objects.update(expires_at=timezone.now() - timedelta(days=1))
        assert purge_drafts(giessen, timezone.now()) == 1
        abandoned = UsageEvent.objects.get(event="abandoned")
        assert not Draft.objects.exists()
    assert abandoned.service_slug == SLUG and abandoned.step == "nachweise"
