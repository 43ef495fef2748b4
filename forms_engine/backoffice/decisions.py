"""Four eyes (Vier-Augen-Prinzip): where the city service asks for it, an
approval or rejection is only proposed; it takes effect when a second
caseworker of the city, not the one who proposed it, confirms it. A rule may
propose, never confirm: confirming needs a signed-in person."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

from . import audit
from .actions import ActionRefused, _locked, _set_status, take_effect
from .models import AuditEvent, Decision, LetterTemplate, ServiceAssignment
from .permissions import BACKOFFICE_ROLES

DECISIONS = (Submission.Status.APPROVED, Submission.Status.REJECTED)


def pending_decision(submission: Submission) -> Decision | None:
    return Decision.objects.filter(submission=submission, state=Decision.State.PENDING).first()


def automatic(rule_name: str) -> str:
    """How the history names an action of a rule, in the reader's language."""
    return _("automatic (rule “%(name)s”)") % {"name": rule_name}


def automatic_username(rule_name: str) -> str:
    """How the audit log names an action of a rule: stored once, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return automatic(rule_name)


def decision_propose(
    *,
    submission: Submission,
    to_status: str,
    by: StaffUser | None,
    ip: str | None,
    note: str = "",
    notify_citizen: bool = False,
    rule_name: str = "",
    letter_template: LetterTemplate | None = None,
) -> Decision:
    """By a caseworker (`by`) or a rule (`rule_name`, `by` None)."""
    if to_status not in DECISIONS:
        raise ActionRefused(_("Only an approval or a rejection needs a second caseworker."))
    if letter_template is not None and letter_template.decision != to_status:
        raise ActionRefused(_("This letter is not for this decision."))
    with transaction.atomic():
        locked = _locked(submission)
        if to_status not in locked.allowed_next():
            raise ActionRefused(_("This status change is not allowed."))
        if pending_decision(locked) is not None:
            raise ActionRefused(_("A decision on this submission is already waiting for confirmation."))
        decision = Decision.objects.create(
            city=locked.city,
            submission=locked,
            to_status=to_status,
            note=note.strip(),
            notify_citizen=notify_citizen,
            letter_template=letter_template,
            proposed_by=by,
            proposed_by_rule=rule_name if by is None else "",
        )
        audit.record(
            city=locked.city,
            user=by,
            username=automatic_username(rule_name) if by is None else "",
            action=AuditEvent.Action.PROPOSE_DECISION,
            submission=locked,
            detail=f"-> {to_status}",
            ip=ip,
        )
    return decision


def may_confirm(user: object, decision: Decision) -> bool:
    """A second person of the back office of the decision's city who works on
    the service (or leads the team); never the proposer, never a rule."""
    if not isinstance(user, StaffUser) or not user.is_active or user.role not in BACKOFFICE_ROLES:
        return False
    if user.city_id != decision.city_id or user.pk == decision.proposed_by_id:
        return False
    if user.role == StaffUser.Role.TEAM_LEAD:
        return True
    return ServiceAssignment.objects.filter(
        city=decision.city_id, user=user, service_slug=decision.submission.service_slug
    ).exists()


def decision_confirm(*, decision: Decision, by: StaffUser, ip: str | None) -> Decision:
    """The decision takes effect: status, history, audit, the citizen's email."""
    if not may_confirm(by, decision):
        raise ActionRefused(_("A second caseworker has to confirm this decision, not the one who proposed it."))
    with transaction.atomic():
        locked_decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked_decision.state != Decision.State.PENDING:
            raise ActionRefused(_("This decision is no longer waiting for confirmation."))
        submission = _locked(decision.submission)
        if locked_decision.to_status not in submission.allowed_next():
            raise ActionRefused(_("This status change is not allowed."))
        locked_decision.state = Decision.State.CONFIRMED
        locked_decision.settled_by = by
        locked_decision.settled_at = timezone.now()
        locked_decision.save(update_fields=["state", "settled_by", "settled_at"])
        change = _set_status(submission, locked_decision.to_status, by=by, note=locked_decision.note)
        audit.record(
            city=submission.city,
            user=by,
            action=AuditEvent.Action.CONFIRM_DECISION,
            submission=submission,
            detail=f"{change.from_status} -> {change.to_status}",
            ip=ip,
        )
        take_effect(
            submission,
            change,
            by=by,
            ip=ip,
            notify_citizen=locked_decision.notify_citizen,
            letter_template=locked_decision.letter_template,
        )
    return locked_decision


def decision_discard(*, decision: Decision, by: StaffUser, ip: str | None) -> Decision:
    """The proposer withdraws it, or the second caseworker sends it back."""
    if not (by.pk == decision.proposed_by_id or may_confirm(by, decision)):
        raise ActionRefused(_("You may not discard this decision."))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.state != Decision.State.PENDING:
            raise ActionRefused(_("This decision is no longer waiting for confirmation."))
        locked.state = Decision.State.DISCARDED
        locked.settled_by = by
        locked.settled_at = timezone.now()
        locked.save(update_fields=["state", "settled_by", "settled_at"])
        audit.record(
            city=locked.city,
            user=by,
            action=AuditEvent.Action.DISCARD_DECISION,
            submission=decision.submission,
            detail=f"-> {locked.to_status}",
            ip=ip,
        )
    return locked
