"""The proven identity of a submission as everything downstream shows it: the
PDF, every delivery payload, the back office. Never the attributes."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from .models import SubmissionIdentity


def submission_identity(submission: Any) -> SubmissionIdentity | None:
    if submission is None or submission.pk is None:
        return None
    with scope(city=submission.city):
        return SubmissionIdentity.objects.filter(submission_id=submission.pk).first()


def identity_data(submission: Any) -> dict[str, Any] | None:
    found = submission_identity(submission)
    return found.as_data() if found else None
