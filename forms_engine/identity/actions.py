"""Writes of the identity app."""

from __future__ import annotations

from typing import Any

from .access import Citizen
from .models import SubmissionIdentity


def submission_record_identity(*, submission: Any, citizen: Citizen) -> SubmissionIdentity:
    """At submit, in its transaction: that and how the applicant proved their
    identity, and the attributes received (encrypted, like the answers)."""
    return SubmissionIdentity.objects.create(
        city=submission.city,
        submission=submission,
        owner=citizen.owner,
        provider="BundID",
        level=citizen.level,
        stork_level=citizen.stork_level,
        authenticated_at=citizen.authenticated_at,
        attributes=citizen.attributes,
    )
