"""After the idle period the back office signs you out; the next sign-in asks
for the second factor again."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from forms_engine.staff.middleware import LAST_ACTIVITY_KEY
from forms_engine.submissions.models import Submission


def _age_session(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_active_use_keeps_you_signed_in(carla_client: Client, settings: Any) -> None:
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 600
    _age_session(carla_client, 599 - 5)
    assert carla_client.get("/backoffice/").status_code == 200


def test_idle_too_long_signs_you_out(carla_client: Client, submission: Submission, settings: Any) -> None:
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 600
    carla_client.get("/backoffice/")
    _age_session(carla_client, 601)
    response = carla_client.get(f"/backoffice/{submission.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next=%2Fbackoffice%2F{submission.pk}%2F"
    # Signed out for good: not just this one request.
    assert carla_client.get("/backoffice/").status_code == 302
    assert "_auth_user_id" not in carla_client.session
