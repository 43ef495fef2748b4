"""Emails to the back office: a reminder before a case's due date, the daily
digest of new submissions, and a notice when a citizen hands in documents.

Each email is a ProcessingStep of kind "staff notice" (docs/processing.md): planned
inside the transaction of what caused it (or by the daily beat run), sent by a
Celery worker, retried with backoff, failed visibly, re-found by the sweep;
never sent inside a request. The step's target_id says what it is about:

    handin:<document request id>      (step of the submission)
    reminder:<due date>               (step of the submission)
    digest:<staff id>:<day>           (step of the city, no submission)

Emails carry references and counts only, never names or answers."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forms_engine.staff.models import StaffUser
from forms_engine.submissions import pipeline
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.links import city_base_url

from .forms import service_title
from .inbox import OPEN_STATUSES
from .models import DocumentRequest, ServiceAssignment
from .permissions import BACKOFFICE_ROLES

logger = logging.getLogger(__name__)
NOTICE = ProcessingStep.Kind.STAFF_NOTICE


class NoRecipient(Exception):
    """Nobody of the back office has an email address for this notice."""


def _plan(city: Any, target_id: str, submission: Submission | None = None) -> None:
    """Write the step once (planning the same notice again is a no-op) and
    enqueue it when the transaction commits; else the sweep finds it."""
    step = ProcessingStep(
        city=city, submission=submission, kind=NOTICE, target_id=target_id, next_try_at=timezone.now()
    )
    ProcessingStep.objects.bulk_create([step], ignore_conflicts=True)
    if ProcessingStep.objects.filter(pk=step.pk).exists():  # ours, not an earlier one
        transaction.on_commit(lambda: pipeline.enqueue(step))


def plan_handin_notice(request: DocumentRequest) -> None:
    _plan(request.submission.city, f"handin:{request.pk}", request.submission)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _staff(city: Any) -> Any:
    return StaffUser.objects.filter(city=city, role__in=BACKOFFICE_ROLES, is_active=True).exclude(email="")


def plan_daily(city: Any, today: date) -> dict[str, int]:
    """The beat's daily run for one city (inside its scope): one digest per
    member of the back office about yesterday's submissions of their services,
    and one reminder per open case due within BACKOFFICE_REMINDER_DAYS.
    Running it twice on a day plans nothing new."""
    counts = {"digests": 0, "reminders": 0}
    start, end = _day_bounds(today - timedelta(days=1))
    new = Submission.objects.filter(city=city, submitted_at__gte=start, submitted_at__lt=end)
    with transaction.atomic():
        for user in _staff(city):
            if _visible_to(user, new).exists():
                _plan(city, f"digest:{user.pk}:{today.isoformat()}")
                counts["digests"] += 1
        horizon = today + timedelta(days=settings.BACKOFFICE_REMINDER_DAYS)
        due = Submission.objects.filter(
            city=city, status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=horizon
        ).only("id", "city", "due_on")
        for submission in due:
            _plan(city, f"reminder:{submission.due_on}", submission)
            counts["reminders"] += 1
    return counts


def _visible_to(user: StaffUser, qs: Any) -> Any:
    if user.role == StaffUser.Role.TEAM_LEAD:
        return qs
    return qs.filter(service_slug__in=ServiceAssignment.objects.filter(user=user).values("service_slug"))


def team_of(submission: Submission) -> list[StaffUser]:
    """Who hears about a case nobody is assigned to: the caseworkers of its
    service, or, if none has an address, the team leads."""
    staff = _staff(submission.city_id)
    workers = ServiceAssignment.objects.filter(service_slug=submission.service_slug).values("user_id")
    team = list(staff.filter(pk__in=workers).order_by("pk"))
    return team or list(staff.filter(role=StaffUser.Role.TEAM_LEAD).order_by("pk"))


def recipients_for(submission: Submission) -> list[StaffUser]:
    assignee = submission.assignee
    if assignee is not None and assignee.is_active and assignee.email:
        return [assignee]
    return team_of(submission)


def _digest(step: ProcessingStep) -> tuple[list[StaffUser], str, str]:
    _kind, user_id, day = step.target_id.split(":")
    user = _staff(step.city_id).filter(pk=user_id).first()
    if user is None:
        return [], "", ""
    start, end = _day_bounds(date.fromisoformat(day) - timedelta(days=1))
    new = _visible_to(user, Submission.objects.filter(city=step.city_id, submitted_at__gte=start, submitted_at__lt=end))
    rows = list(new.order_by("submitted_at").values("reference", "service_slug", "due_on"))
    context = {"user": user, "rows": [{**r, "service": service_title(r["service_slug"])} for r in rows]}
    context["day"] = start.date()
    subject = _("New submissions on %(day)s: %(n)s") % {"day": start.date().strftime("%d.%m.%Y"), "n": len(rows)}
    return [user], subject, _render("digest", step, context)


def _about_submission(step: ProcessingStep) -> tuple[list[StaffUser], str, str]:
    assert step.submission_id is not None  # only digests have no submission
    submission = Submission.objects.select_related("assignee").get(pk=step.submission_id)
    kind, _sep, key = step.target_id.partition(":")
    context = {"submission": submission, "service": service_title(submission.service_slug)}
    if kind == "handin":
        subject = _("Documents handed in for %(reference)s") % {"reference": submission.reference}
    else:
        if not submission.is_open or str(submission.due_on) != key:
            return [], "", ""  # decided, or its due date moved since: nothing to remind of
        subject = _("%(reference)s is due on %(day)s") % {
            "reference": submission.reference,
            "day": submission.due_on.strftime("%d.%m.%Y") if submission.due_on else "",
        }
    return recipients_for(submission), subject, _render(kind, step, context)


def _render(kind: str, step: ProcessingStep, context: dict[str, Any]) -> str:
    context["inbox_url"] = f"{city_base_url(step.city)}/backoffice/"
    return render_to_string(f"backoffice/email/staff_{kind}.txt", context)


def send_staff_notice(step: ProcessingStep) -> dict[str, Any]:
    """The work of one staff-notice step (pipeline.run_step retries it)."""
    with translation.override(settings.LANGUAGE_CODE):
        if step.target_id.startswith("digest:"):
            recipients, subject, body = _digest(step)
        else:
            recipients, subject, body = _about_submission(step)
    if not subject:
        return {"skipped": "nothing to tell"}
    if not recipients:
        raise NoRecipient("nobody of the back office has an email address")
    sender = step.city.sender_email or settings.DEFAULT_FROM_EMAIL
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=f"{step.city.name} <{sender}>",
        to=[u.email for u in recipients],
        headers={"Message-ID": f"<step-{step.pk}@{sender.rpartition('@')[2]}>", "Auto-Submitted": "auto-generated"},
    )
    message.send(fail_silently=False)
    logger.info("backoffice.staff_notice step=%s recipients=%s", step.pk, len(recipients))
    return {"recipients": len(recipients), "sent_at": timezone.now().isoformat()}
