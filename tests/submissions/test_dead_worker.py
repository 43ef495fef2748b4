"""The sweep re-claims a running step only when its worker is dead: heartbeat
stale or missing, and the step's advisory lock free."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.submissions import liveness, pipeline
from forms_engine.submissions.models import ProcessingStep
from forms_engine.tenants.models import Heartbeat
from tests.submissions.helpers import steps, submit

State = ProcessingStep.State


def _running_on(submission: Any, worker: str, seconds_ago: float) -> ProcessingStep:
    step = steps(submission)["pdf"]
    with scopes_disabled():
        ProcessingStep.objects.filter(pk=step.pk).update(
            state=State.RUNNING, task_id=f"task-{worker}", worker=worker,
            started_at=timezone.now() - timedelta(seconds=seconds_ago),
        )  # fmt: skip
    return step


def _state(step: ProcessingStep) -> str:
    with scopes_disabled():
        return ProcessingStep.objects.get(pk=step.pk).state


@pytest.mark.django_db
def test_only_steps_of_dead_workers_are_reclaimed(giessen: Any, settings: Any) -> None:
    settings.WORKER_DEAD_AFTER = 30
    now = timezone.now()
    Heartbeat.objects.create(kind="worker", name="alive@a", seen_at=now)
    Heartbeat.objects.create(kind="worker", name="dead@b", seen_at=now - timedelta(seconds=31))
    Heartbeat.objects.create(kind="worker", name="late@c", seen_at=now - timedelta(seconds=31))
    alive = _running_on(submit(giessen, email=None), "alive@a", 60)
    dead = _running_on(submit(giessen, email=None), "dead@b", 60)
    vanished = _running_on(submit(giessen, email=None), "never-seen@d", 60)
    young = _running_on(submit(giessen, email=None), "dead@b", 5)  # started after its worker's last heartbeat
    late = _running_on(submit(giessen, email=None), "late@c", 60)

    # The late worker's pool process still works: it holds the step's lock on its own connection.
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k not in ("cursor_factory", "context")}) as other:
        other.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", [liveness.LOCK_NAMESPACE, str(late.pk)])
        assert pipeline.sweep() == 2
        assert liveness.held_elsewhere(str(late.pk))
    assert _state(dead) == _state(vanished) == State.PENDING
    assert _state(alive) == _state(young) == _state(late) == State.RUNNING
    with scopes_disabled():
        assert ProcessingStep.objects.get(pk=dead.pk).worker == ""
