"""Staff notices go through processing steps, never inside a request: the
daily digest per member of the back office, reminders before a due date, and
the notice to the assignee when a citizen hands in documents. Marburg's cases
never reach Gießen's staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone
from django_scopes import scope

from forms_engine.backoffice import notice_tasks as tasks
from forms_engine.backoffice.actions import documents_request_create, documents_request_fulfil
from forms_engine.backoffice.notifications import plan_daily
from forms_engine.lib.uploads import CheckedUpload
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import ProcessingStep
from forms_engine.tenants.models import City

from .conftest import days_ago, make_submission

NOTICE = ProcessingStep.Kind.STAFF_NOTICE


def _notices(city: City) -> list[ProcessingStep]:
    with scope(city=city):
        return list(ProcessingStep.objects.filter(kind=NOTICE).order_by("target_id"))


def _run(step: ProcessingStep) -> Any:
    return tasks.staff_notice.apply(args=(step.city_id, str(step.pk))).get()


def _with_email(*users: StaffUser) -> None:
    for user in users:
        user.email = f"{user.username}@giessen.example"
        user.save()


def test_the_daily_digest_per_person_lists_yesterdays_submissions_of_their_services(
    carla: StaffUser, dora: StaffUser, tom: StaffUser, mia: StaffUser, giessen: City, marburg: City
) -> None:
    _with_email(carla, dora, tom)
    mia.email = "mia@marburg.example"
    mia.save()
    yesterday = days_ago(1)
    uvg = make_submission(giessen, submitted_at=yesterday)
    park = make_submission(giessen, service_slug="parkausweis", submitted_at=yesterday)
    make_submission(giessen, submitted_at=days_ago(3))  # older: not in the digest
    make_submission(marburg, submitted_at=yesterday)
    today = timezone.localdate()
    with scope(city=giessen):
        assert plan_daily(giessen, today)["digests"] == 3
        assert plan_daily(giessen, today)["digests"] == 3  # again: nothing new is planned
    steps = _notices(giessen)
    assert len(steps) == 3 and all(s.submission_id is None for s in steps)
    for step in steps:
        assert _run(step) == "done"
    bodies = {m.to[0]: str(m.body) for m in mail.outbox}
    assert set(bodies) == {carla.email, dora.email, tom.email}
    assert uvg.reference in bodies[carla.email] and park.reference not in bodies[carla.email]
    assert park.reference in bodies[dora.email] and uvg.reference not in bodies[dora.email]
    assert uvg.reference in bodies[tom.email] and park.reference in bodies[tom.email]
    assert all("MR-" not in body and "Erika" not in body for body in bodies.values())
    assert _run(steps[0]) == "skipped" and len(mail.outbox) == 3  # done once, never twice


def test_a_reminder_goes_to_the_assignee_before_the_due_date(carla: StaffUser, tom: StaffUser, giessen: City) -> None:
    _with_email(carla, tom)
    today = timezone.localdate()
    soon = make_submission(giessen, assignee=carla, due_on=today + timedelta(days=2))
    unassigned = make_submission(giessen, due_on=today + timedelta(days=1))
    make_submission(giessen, due_on=today + timedelta(days=20))  # not yet
    make_submission(giessen, status="approved", due_on=today + timedelta(days=1))  # decided
    with scope(city=giessen):
        assert plan_daily(giessen, today)["reminders"] == 2
    by_submission = {s.submission_id: s for s in _notices(giessen)}
    assert set(by_submission) == {soon.pk, unassigned.pk}
    _run(by_submission[soon.pk])
    _run(by_submission[unassigned.pk])
    sent = {m.subject: m.to for m in mail.outbox}
    assert sent[f"{soon.reference} ist am {soon.due_on:%d.%m.%Y} fällig"] == [carla.email]
    assert sent[f"{unassigned.reference} ist am {unassigned.due_on:%d.%m.%Y} fällig"] == [carla.email]  # the team


def test_a_hand_in_notifies_the_assignee_through_a_processing_step(
    carla: StaffUser, giessen: City, django_capture_on_commit_callbacks: Any
) -> None:
    _with_email(carla)
    submission = make_submission(giessen, status="in_progress", assignee=carla)
    with scope(city=giessen), django_capture_on_commit_callbacks(execute=True):
        request = documents_request_create(
            submission=submission, message="Geburtsurkunde", by=carla, ip=None, link_base="http://giessen.localhost"
        )
    mail.outbox.clear()
    with scope(city=giessen):
        upload = CheckedUpload(content=b"%PDF-1.4 x", content_type="application/pdf")
        documents_request_fulfil(request=request, files=[("urkunde.pdf", upload)])
    assert mail.outbox == []  # not inside the request
    (step,) = _notices(giessen)
    assert step.submission_id == submission.pk and step.target_id == f"handin:{request.pk}"
    assert _run(step) == "done"
    assert mail.outbox[0].to == [carla.email] and submission.reference in mail.outbox[0].subject


def test_a_notice_nobody_can_receive_fails_visibly(carla: StaffUser, giessen: City) -> None:
    make_submission(giessen, assignee=carla, due_on=timezone.localdate())
    with scope(city=giessen):
        plan_daily(giessen, timezone.localdate())
    (step,) = _notices(giessen)
    assert _run(step) == "failed"
    (step,) = _notices(giessen)
    assert "NoRecipient" in step.last_error


def test_the_beat_task_plans_every_city_in_its_own_scope(
    carla: StaffUser, mia: StaffUser, giessen: City, marburg: City
) -> None:
    _with_email(carla)
    mia.email = "mia@marburg.example"
    mia.save()
    make_submission(giessen, submitted_at=days_ago(1))
    make_submission(marburg, submitted_at=days_ago(1))
    assert tasks.daily_notices.apply().get() == {"digests": 2, "reminders": 0, "deadline_rules": 0}
    (giessen_step,) = _notices(giessen)
    (marburg_step,) = _notices(marburg)
    assert giessen_step.target_id.startswith(f"digest:{carla.pk}:")
    assert marburg_step.target_id.startswith(f"digest:{mia.pk}:")


def test_the_daily_run_can_be_started_by_hand(carla: StaffUser, giessen: City) -> None:
    import io

    from django.core.management import call_command

    _with_email(carla)
    make_submission(giessen, submitted_at=days_ago(1), due_on=timezone.localdate() + timedelta(days=1))
    out = io.StringIO()
    call_command("daily_notices", stdout=out)
    assert out.getvalue().strip() == "planned 1 digests and 1 reminders"
    call_command("daily_notices", stdout=io.StringIO())
    assert len(_notices(giessen)) == 2  # nothing planned twice


def test_every_kind_of_step_has_its_task() -> None:
    from forms_engine.submissions import pipeline

    for kind in ProcessingStep.Kind:
        assert pipeline._task_for(kind).name == pipeline.TASK_NAMES[kind]
