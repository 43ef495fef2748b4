"""The work on one submission: assign, change status, note, request documents,
retry a failed processing step. POST only, CSRF-protected (Django's default)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.links import city_base_url

from .. import actions, audit, decisions
from ..forms import AssignForm, DocumentRequestForm, NoteForm, StatusForm
from ..models import Decision
from ..permissions import backoffice_user, backoffice_view, visible_submission
from .detail import assign_candidates


def _back(submission: Submission) -> HttpResponse:
    return redirect("backoffice-detail", pk=submission.pk)


def _live(request: HttpRequest, pk: UUID) -> Submission:
    submission = visible_submission(request, pk)
    if submission.status == Submission.Status.DELETED:
        raise Http404
    return submission


def _refused(request: HttpRequest, submission: Submission, message: str) -> HttpResponse:
    messages.error(request, message)
    return _back(submission)


@require_POST
@backoffice_view
def assign(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = _live(request, pk)
    user = backoffice_user(request)
    if request.POST.get("take") == "1":
        assignee = user
    else:
        form = AssignForm(request.POST, candidates=assign_candidates(submission))
        if not form.is_valid():
            return _refused(request, submission, _("Choose a person from the list."))
        assignee = form.cleaned_data["assignee"]
    try:
        actions.submission_assign(submission=submission, assignee=assignee, by=user, ip=audit.client_ip(request))
    except actions.ActionRefused as exc:
        return _refused(request, submission, str(exc))
    messages.success(request, _("Assignment saved."))
    return _back(submission)


@require_POST
@backoffice_view
def change_status(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = _live(request, pk)
    form = StatusForm(request.POST, submission=submission)
    if not form.is_valid():
        letter_errors = form.errors.get("letter_template")
        message = str(letter_errors[0]) if letter_errors else _("This status change is not allowed.")
        return _refused(request, submission, message)
    to_status = form.cleaned_data["to_status"]
    four_eyes = to_status in decisions.DECISIONS and actions.needs_confirmation(submission)
    change = decisions.decision_propose if four_eyes else actions.submission_change_status
    try:
        change(
            submission=submission,
            to_status=to_status,
            note=form.cleaned_data["note"],
            notify_citizen=form.cleaned_data["notify_citizen"],
            letter_template=form.cleaned_data.get("letter_template"),
            by=backoffice_user(request),
            ip=audit.client_ip(request),
        )
    except actions.ActionRefused as exc:
        return _refused(request, submission, str(exc))
    if four_eyes:
        messages.success(request, _("Decision proposed. It takes effect when a second caseworker confirms it."))
    else:
        messages.success(request, _("Status changed."))
    return _back(submission)


def _decision(submission: Submission, decision_id: UUID) -> Decision:
    decision = Decision.objects.filter(submission=submission, pk=decision_id).first()
    if decision is None:
        raise Http404
    return decision


@require_POST
@backoffice_view
def confirm_decision(request: HttpRequest, pk: UUID, decision_id: UUID) -> HttpResponse:
    submission = _live(request, pk)
    decision = _decision(submission, decision_id)
    try:
        decisions.decision_confirm(decision=decision, by=backoffice_user(request), ip=audit.client_ip(request))
    except actions.ActionRefused as exc:
        return _refused(request, submission, str(exc))
    messages.success(request, _("Decision confirmed. It has taken effect."))
    return _back(submission)


@require_POST
@backoffice_view
def discard_decision(request: HttpRequest, pk: UUID, decision_id: UUID) -> HttpResponse:
    submission = _live(request, pk)
    decision = _decision(submission, decision_id)
    try:
        decisions.decision_discard(decision=decision, by=backoffice_user(request), ip=audit.client_ip(request))
    except actions.ActionRefused as exc:
        return _refused(request, submission, str(exc))
    messages.success(request, _("The proposed decision was discarded."))
    return _back(submission)


@require_POST
@backoffice_view
def add_note(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = _live(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, submission, _("Write a note first."))
    actions.submission_add_note(
        submission=submission, text=form.cleaned_data["text"], by=backoffice_user(request), ip=audit.client_ip(request)
    )
    messages.success(request, _("Note saved."))
    return _back(submission)


@require_POST
@backoffice_view
def request_documents(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = _live(request, pk)
    form = DocumentRequestForm(request.POST)
    if not form.is_valid():
        return _refused(request, submission, _("Say which documents are missing."))
    try:
        actions.documents_request_create(
            submission=submission,
            message=form.cleaned_data["message"],
            by=backoffice_user(request),
            ip=audit.client_ip(request),
            link_base=city_base_url(submission.city),  # the canonical address, never the request's Host
        )
    except actions.ActionRefused as exc:
        return _refused(request, submission, str(exc))
    messages.success(request, _("The citizen was asked for the documents by email."))
    return _back(submission)


@require_POST
@backoffice_view
def retry_step(request: HttpRequest, pk: UUID, step_id: UUID) -> HttpResponse:
    submission = _live(request, pk)
    step = ProcessingStep.objects.filter(submission=submission, pk=step_id, state=ProcessingStep.State.FAILED).first()
    if step is None:
        raise Http404
    actions.processing_step_retry(step=step, by=backoffice_user(request), ip=audit.client_ip(request))
    messages.success(request, _("The step will be tried again."))
    return _back(submission)
