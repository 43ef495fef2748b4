"""At submission time the applicant's name is stored encrypted and as one
blind-index row per word, and the due date follows the city's processing
deadline for the service; `reindex_names` rebuilds both for older rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from forms_engine.catalog.models import CityService
from forms_engine.lib.crypto import name_token_digest
from forms_engine.submissions.models import NameToken, Submission
from forms_engine.tenants.models import City

from .helpers import SERVICE, submit


def _digests(submission: Submission) -> set[str]:
    with scope(city=submission.city):
        return set(NameToken.objects.filter(submission=submission).values_list("digest", flat=True))


@pytest.mark.django_db
def test_submit_stores_the_name_encrypted_with_word_tokens_and_the_due_date(giessen: City) -> None:
    submission = submit(giessen)
    with scope(city=giessen):
        CityService.objects.filter(service_slug=SERVICE).update(processing_days=10)
    later = submit(giessen)
    assert submission.applicant_name == "Jörg Müßig"
    assert _digests(submission) == {name_token_digest("joerg"), name_token_digest("muessig")}
    today = timezone.localdate()
    assert submission.due_on == today + timedelta(days=30)  # the default Bearbeitungsfrist
    assert later.due_on == today + timedelta(days=10)


@pytest.mark.django_db
def test_reindex_names_rebuilds_names_tokens_and_missing_due_dates(giessen: City) -> None:
    submission = submit(giessen)
    with scope(city=giessen):
        NameToken.objects.all().delete()
        Submission.objects.filter(pk=submission.pk).update(applicant_name=None, due_on=None)
    out = io.StringIO()
    call_command("reindex_names", stdout=out)
    assert out.getvalue().strip() == "reindexed 1 submissions"  # counts only, no names
    assert _digests(submission) == {name_token_digest("joerg"), name_token_digest("muessig")}
    with scope(city=giessen):
        again = Submission.objects.get(pk=submission.pk)
    assert again.applicant_name == "Jörg Müßig" and again.due_on == timezone.localdate(again.submitted_at) + timedelta(
        days=30
    )
