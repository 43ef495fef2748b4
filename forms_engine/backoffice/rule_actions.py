"""What the actions of a rule do (rule_models.RuleAction.Kind): each goes
through the same back-office actions as a person's, with `by=None` and the
rule's name as the audit user name; anything of another city is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import ProcessingStep, Submission

from . import audit
from .models import AuditEvent, Rule, RuleAction, ServiceAssignment

A = RuleAction.Kind


class RuleFailed(Exception):
    """An action of a rule cannot be done; the message is for the note on the case."""


def describe(action: RuleAction) -> str:
    """What the action does, for the dry run and the audit log (no answers)."""
    kind = action.kind
    if kind == A.ASSIGN and action.assignee is not None:
        return _("assign to %(name)s") % {"name": action.assignee.get_full_name() or action.assignee.username}
    if kind == A.ASSIGN_TEAM:
        return _("assign within the team of this online service")
    if kind == A.STATUS:
        return _("set the status to “%(status)s”") % {"status": action.get_status_display()}
    if kind == A.REQUEST_DOCUMENTS:
        return _("request documents") + (f" ({action.days} " + _("days") + ")" if action.days else "")
    if kind == A.FORWARD and action.delivery_target is not None:
        return _("forward to “%(target)s”") % {"target": action.delivery_target.name}
    if kind == A.LETTER and action.letter_template is not None:
        return _("decide and issue the letter “%(name)s”") % {"name": action.letter_template.name}
    return str(action.get_kind_display())


def _decides_alone(rule: Rule, submission: Submission) -> bool:
    from .actions import needs_confirmation

    return not rule.needs_confirmation and not needs_confirmation(submission)


def _own(obj: Any, submission: Submission, what: str) -> Any:
    if obj is None or obj.city_id != submission.city_id:
        raise RuleFailed(_("The %(what)s of this action is missing or not of this city.") % {"what": what})
    return obj


def _audit(rule: Rule, submission: Submission, detail: str, action: str = AuditEvent.Action.RULE) -> None:
    from .decisions import automatic_username

    audit.record(
        city=submission.city,
        user=None,
        username=automatic_username(rule.name),
        action=action,
        submission=submission,
        detail=detail,
    )


def _assign(rule: Rule, action: RuleAction, submission: Submission) -> None:
    from .actions import _locked

    person = _own(action.assignee, submission, _("person"))
    if not person.is_active or person.role not in (StaffUser.Role.CASEWORKER, StaffUser.Role.TEAM_LEAD):
        raise RuleFailed(_("This person does not work in the back office."))
    if (
        person.role == StaffUser.Role.CASEWORKER
        and not ServiceAssignment.objects.filter(
            city=submission.city_id, user=person, service_slug=submission.service_slug
        ).exists()
    ):
        raise RuleFailed(_("This caseworker does not work on this online service."))
    locked = _locked(submission)
    locked.assignee = person
    locked.save(update_fields=["assignee"])
    _audit(rule, locked, describe(action))


def _assign_team(rule: Rule, action: RuleAction, submission: Submission) -> None:
    """The team of a service is its caseworkers (ServiceAssignment); the case
    goes to the one with the fewest open cases, the longest-standing account
    first on a tie, so work spreads evenly and the choice is reproducible."""
    from django.db.models import Count, Q

    from .actions import _locked
    from .inbox import OPEN_STATUSES

    workers = ServiceAssignment.objects.filter(city=submission.city_id, service_slug=submission.service_slug).values(
        "user_id"
    )
    person = (
        StaffUser.objects.filter(
            city=submission.city_id, is_active=True, role=StaffUser.Role.CASEWORKER, pk__in=workers
        )
        .annotate(open_cases=Count("assigned_submissions", filter=Q(assigned_submissions__status__in=OPEN_STATUSES)))
        .order_by("open_cases", "pk")
        .first()
    )
    if person is None:
        raise RuleFailed(_("Nobody works on this online service: there is no team to assign to."))
    locked = _locked(submission)
    locked.assignee = person
    locked.save(update_fields=["assignee"])
    _audit(rule, locked, describe(action) + ": " + (person.get_full_name() or person.username))


def _decide(rule: Rule, submission: Submission, to_status: str, letter: Any, detail: str) -> None:
    from .actions import _locked, _set_status, take_effect
    from .decisions import automatic, decision_propose

    if not _decides_alone(rule, submission):
        decision_propose(
            submission=submission, to_status=to_status, by=None, ip=None, rule_name=rule.name, letter_template=letter
        )
        return
    locked = _locked(submission)
    if to_status not in locked.allowed_next():
        raise RuleFailed(_("This status change is not allowed."))
    change = _set_status(locked, to_status, by=None, note=automatic(rule.name))
    _audit(rule, locked, detail)
    take_effect(locked, change, by=None, ip=None, notify_citizen=False, letter_template=letter, rule_name=rule.name)


def _status(rule: Rule, action: RuleAction, submission: Submission) -> None:
    from .actions import _locked, _set_status
    from .decisions import DECISIONS, automatic

    if action.status in DECISIONS:
        _decide(rule, submission, action.status, None, describe(action))
        return
    locked = _locked(submission)
    if action.status not in locked.allowed_next():
        raise RuleFailed(_("This status change is not allowed."))
    _set_status(locked, action.status, by=None, note=automatic(rule.name))
    _audit(rule, locked, describe(action))


def _request_documents(rule: Rule, action: RuleAction, submission: Submission) -> None:
    from forms_engine.tenants.links import city_base_url

    from .actions import documents_request_create

    documents_request_create(
        submission=submission,
        message=action.text,
        by=None,
        ip=None,
        link_base=city_base_url(submission.city),
        days=action.days,
        rule_name=rule.name,
    )


def _forward(rule: Rule, action: RuleAction, submission: Submission) -> None:
    from forms_engine.submissions import pipeline

    target = _own(action.delivery_target, submission, _("delivery target"))
    step, created = ProcessingStep.objects.get_or_create(
        submission=submission,
        kind=ProcessingStep.Kind.DELIVERY,
        target_id=str(target.pk),
        defaults={
            "city": submission.city,
            "next_try_at": timezone.now() + timedelta(seconds=settings.PROCESSING_SWEEP_GRACE),
        },
    )
    if created:
        transaction.on_commit(lambda: pipeline.enqueue(step))
    _audit(rule, submission, describe(action))


def _letter(rule: Rule, action: RuleAction, submission: Submission) -> None:
    template = _own(action.letter_template, submission, _("letter template"))
    if template.city_service.service_slug != submission.service_slug:
        raise RuleFailed(_("The letter template is of another online service."))
    _decide(rule, submission, template.decision, template, describe(action))


_DO: dict[str, Any] = {
    A.ASSIGN: _assign,
    A.ASSIGN_TEAM: _assign_team,
    A.STATUS: _status,
    A.REQUEST_DOCUMENTS: _request_documents,
    A.FORWARD: _forward,
    A.LETTER: _letter,
}
