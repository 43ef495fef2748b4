"""The identity app's part of retention (submissions/retention.py): a
tombstone keeps that and how the identity was proven, not the attributes nor
the tie to the citizen; logins never finished and assertion IDs past any
assertion's lifetime go with the city's daily run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .models import LoginAttempt, SeenAssertion, SubmissionIdentity


def on_tombstoning(sender: Any, submission: Any, **kwargs: Any) -> None:
    for proof in SubmissionIdentity.objects.filter(submission=submission):
        proof.attributes = {}
        proof.owner = ""
        proof.save(update_fields=["attributes", "owner"])


def on_retention_run(sender: Any, city: Any, now: datetime, **kwargs: Any) -> dict[str, int]:
    attempts, _detail = LoginAttempt.objects.filter(city=city, created_at__lt=now - LoginAttempt.LIFETIME).delete()
    seen, _detail = SeenAssertion.objects.filter(city=city, seen_at__lt=now - SeenAssertion.KEEP).delete()
    return {"bundid_logins": attempts, "bundid_assertion_ids": seen}
