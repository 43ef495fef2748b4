"""One submission: answers under their step headings, files, processing state,
history. Every look and every download is audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.files.storage import storages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from forms_engine.lib.crypto import decrypt_bytes
from forms_engine.lib.files import EXTENSIONS
from forms_engine.payments.downstream import history_items as payment_history
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission

from .. import audit
from ..actions import needs_confirmation
from ..answers import answer_sections
from ..decisions import automatic, may_confirm, pending_decision
from ..forms import AssignForm, DocumentRequestForm, NoteForm, StatusForm, service_title
from ..inbox import is_overdue
from ..models import AuditEvent, Decision, DecisionLetter, DocumentRequest, ServiceAssignment
from ..neighbours import neighbours
from ..permissions import BACKOFFICE_ROLES, backoffice_user, backoffice_view, is_team_lead, visible_submission


def assign_candidates(submission: Submission) -> Any:
    """Team leads of the city, and its caseworkers who work on this service."""
    workers = ServiceAssignment.objects.filter(service_slug=submission.service_slug).values("user_id")
    return (
        StaffUser.objects.filter(city=submission.city_id, role__in=BACKOFFICE_ROLES, is_active=True)
        .filter(Q(role=StaffUser.Role.TEAM_LEAD) | Q(pk__in=workers))
        .order_by("username")
    )


def pdf_step(submission: Submission) -> ProcessingStep | None:
    """The rendered PDF, if the pipeline's pdf step is done and says where it is."""
    step = ProcessingStep.objects.filter(submission=submission, kind=ProcessingStep.Kind.PDF).first()
    if step is None or step.state != ProcessingStep.State.DONE or not (step.result or {}).get("path"):
        return None
    return step


def _labelled(submission: Submission) -> list[tuple[Attachment, str]]:
    """Each attachment with the label the citizen saw (from the snapshot)."""
    labels = {
        a.get("key"): a.get("label")
        for step in (submission.snapshot or [])
        for a in (step.get("attachments") or [])
        if isinstance(a, dict)
    }
    labels["bescheid"] = labels.get("bescheid") or _("Decision letter")
    return [(a, labels.get(a.key) or a.key) for a in submission.attachments.order_by("created_at")]


def _inbox_position(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    """Previous and next case in the inbox the caseworker came from (its filters
    and sort travel in the query string)."""
    from .inbox import filtered, statuses_in_view, without

    form, qs = filtered(request)
    status, sort = statuses_in_view(form)
    qs = qs.filter(status=status) if status else qs.exclude(status=Submission.Status.DELETED)
    previous, following = neighbours(qs, submission, sort)
    return {"previous_id": previous, "next_id": following, "inbox_query": without(request.GET, "page")}


def _history(submission: Submission) -> list[dict[str, Any]]:
    labels = dict(Submission.Status.choices)
    items: list[dict[str, Any]] = [
        {
            "at": c.at,
            "by": c.by,
            "kind": "status",
            "from": labels.get(c.from_status, c.from_status),
            "to": labels.get(c.to_status, c.to_status),
            "text": c.note,
        }
        for c in submission.status_changes.select_related("by")
    ]
    items += [{"at": n.at, "by": n.by, "kind": "note", "text": n.text} for n in submission.notes.select_related("by")]
    items += payment_history(submission)  # bookings, also those after submission
    items += _decision_history(submission, labels)
    return sorted(items, key=lambda item: item["at"])


def _decision_history(submission: Submission, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Proposals under four eyes, and who confirmed or discarded them."""
    items: list[dict[str, Any]] = []
    for d in Decision.objects.filter(submission=submission).select_related("proposed_by", "settled_by"):
        to = labels.get(d.to_status, d.to_status)
        by_label = automatic(d.proposed_by_rule) if d.proposed_by_rule else ""
        items.append({"at": d.proposed_at, "by": d.proposed_by, "by_label": by_label, "kind": "proposed", "to": to})
        if d.settled_at and d.state != Decision.State.PENDING:
            items.append({"at": d.settled_at, "by": d.settled_by, "kind": d.state, "to": to})
    return items


def _decision_context(submission: Submission, user: StaffUser) -> dict[str, Any]:
    pending = pending_decision(submission)
    return {
        "pending_decision": pending,
        "pending_by_rule": automatic(pending.proposed_by_rule) if pending and pending.proposed_by_rule else "",
        "may_confirm": pending is not None and may_confirm(user, pending),
        "may_discard": pending is not None and (pending.proposed_by_id == user.pk or may_confirm(user, pending)),
        "four_eyes": needs_confirmation(submission),
    }


@require_GET
@backoffice_view
def detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = visible_submission(request, pk)
    user = backoffice_user(request)
    audit.record(
        city=submission.city,
        user=user,
        action=AuditEvent.Action.VIEW,
        submission=submission,
        ip=audit.client_ip(request),
    )
    tombstone = submission.status == Submission.Status.DELETED
    context: dict[str, Any] = {
        "submission": submission,
        "service_title": service_title(submission.service_slug),
        "tombstone": tombstone,
        "history": _history(submission),
        "overdue": is_overdue(submission),
        **_inbox_position(request, submission),
    }
    if not tombstone:
        context.update(
            {
                "sections": answer_sections(submission.snapshot),
                "letters": list(DecisionLetter.objects.filter(submission=submission).select_related("attachment")),
                "attachments": _labelled(submission),
                "pdf": pdf_step(submission),
                "processing": _processing(submission),
                "document_requests": list(
                    DocumentRequest.objects.filter(submission=submission).order_by("-created_at")
                ),
                "status_form": StatusForm(submission=submission),
                "note_form": NoteForm(),
                "documents_form": DocumentRequestForm(),
                "assign_form": AssignForm(
                    candidates=assign_candidates(submission), initial={"assignee": submission.assignee_id}
                ),
                "may_assign_others": is_team_lead(user),
                **_decision_context(submission, user),
            }
        )
    return render(request, "backoffice/detail.html", context)


def _file_response(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@backoffice_view
def attachment_download(request: HttpRequest, pk: UUID, attachment_id: UUID) -> HttpResponse:
    submission = visible_submission(request, pk)
    attachment = Attachment.objects.filter(submission=submission, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    audit.record(
        city=submission.city,
        user=backoffice_user(request),
        action=AuditEvent.Action.DOWNLOAD,
        submission=submission,
        detail=f"attachment {attachment.key}",
        ip=audit.client_ip(request),
    )
    extension = EXTENSIONS.get(attachment.content_type, "bin")
    return _file_response(
        attachment.read(), attachment.content_type, f"{submission.reference}-{attachment.key}.{extension}"
    )


@require_GET
@backoffice_view
def pdf_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = visible_submission(request, pk)
    step = pdf_step(submission)
    if step is None:
        raise Http404
    with storages["private"].open(step.result["path"], "rb") as handle:
        content = decrypt_bytes(handle.read())
    audit.record(
        city=submission.city,
        user=backoffice_user(request),
        action=AuditEvent.Action.DOWNLOAD,
        submission=submission,
        detail="pdf",
        ip=audit.client_ip(request),
    )
    return _file_response(content, "application/pdf", f"{submission.reference}.pdf")


def _processing(submission: Submission) -> list[ProcessingStep]:
    """The steps, each with its channel's note (e.g. the FIT-Connect case number)."""
    from forms_engine.delivery.dispatch import describe_step

    steps = list(submission.processing_steps.order_by("created_at"))
    for step in steps:
        step.note = describe_step(step)  # type: ignore[attr-defined]
    return steps
