"""Write-side actions of the citizen flow. Each takes the draft's row lock,
refuses a form rendered before the latest change (the revision), does one
business action and leaves the draft consistent. Views only turn the outcome
into a page or a redirect."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forms_engine.catalog.base import Answers, AttachmentSpec, OnlineService, ServiceContext, Step
from forms_engine.identity import prefill as bundid_prefill
from forms_engine.payments.actions import payment_mode, payment_offer
from forms_engine.submissions import citizen_email
from forms_engine.submissions.actions import submission_submit
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission

from . import engine
from .models import Draft
from .uploads import UploadRefused, accept_upload


@dataclass
class StepSaved:
    """What saving a step came to. `stale`: nothing changed, the form was older
    than the draft. `completed`: the step is done. Otherwise `form` carries the
    errors and `file_errors` the refused or missing documents."""

    draft: Draft
    stale: bool = False
    completed: bool = False
    form: Any = None
    file_errors: dict[str, str] = field(default_factory=dict)
    stored_upload: bool = False


@dataclass
class Submitted:
    """`submission` is set when the draft is (or already was) submitted;
    otherwise `failing` is the step that must be answered again."""

    submission: Submission | None = None
    failing: Step | None = None
    new: bool = False  # False when a second click found the first submission
    duration_seconds: int = 0


def mark_locked(draft: Draft) -> None:
    """The caller read `draft` FOR UPDATE in the transaction open now."""
    draft._locked_by = transaction.get_connection().atomic_blocks[0]  # type: ignore[attr-defined]


def _lock(draft: Draft) -> Draft:
    """The draft's row, locked until the transaction ends: read again, unless
    the caller read it locked in this same transaction (views._draft)."""
    blocks = transaction.get_connection().atomic_blocks
    if blocks and getattr(draft, "_locked_by", None) is blocks[0]:
        return draft
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if Draft.city.is_cached(draft):  # type: ignore[attr-defined]
        locked.city = draft.city  # the request's city, not read again
    return locked


def draft_upgrade(*, draft: Draft, service: OnlineService) -> Draft:
    """A draft begun with an earlier version of the service, brought to this
    version's step layout once (OnlineService.upgrade_answers: questions that
    moved to a page of their own take their saved answers along). The revision
    rises, so a page of the old layout still open in a tab is stale."""
    if draft.service_version == service.version:
        return draft
    with transaction.atomic():
        locked = _lock(draft)
        if locked.service_version != service.version:
            service.upgrade_answers(locked.answers, locked.completed_steps)
            locked.service_version = service.version
            locked.bump("answers", "completed_steps", "service_version")
    return locked


def _specs(step: Step, answers: Answers) -> list[AttachmentSpec]:
    return [spec for spec in step.attachments if spec.applies(answers)]


def _store_uploads(draft: Draft, step: Step, files: Any, errors: dict[str, str]) -> bool:
    """Store this page's uploads; True when at least one was accepted."""
    stored = False
    for spec in _specs(step, Answers(draft.answers)):
        upload = files.get(f"file-{spec.key}")
        if upload is None:
            continue
        try:
            accept_upload(draft=draft, step=step.name, spec=spec, upload=upload)
            stored = True
        except UploadRefused as refusal:
            errors[spec.key] = str(refusal)
    return stored


# Not part of what the citizen typed: kept out of the page shown again.
_CONTROL_FIELDS = {"csrfmiddlewaretoken", "draft", "step", "revision", "action", "remove_file", "return"}


def pending_page(step: Step, data: Any, file_errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A page sent with errors, to show again after the redirect (post/redirect/
    get: the back button never meets a "resubmit form?" page)."""
    values = {key: data.getlist(key) for key in data if key not in _CONTROL_FIELDS} if data is not None else {}
    return {"step": step.name, "data": values, "file_errors": file_errors, **extra}


def _missing_documents(draft: Draft, step: Step) -> list[str]:
    required = [s.key for s in _specs(step, Answers(draft.answers)) if s.required]
    if not required:
        return []  # nothing to look for: no query
    present = set(Attachment.objects.filter(draft=draft, step=step.name).values_list("key", flat=True))
    return [key for key in required if key not in present]


def draft_save_step(
    *,
    draft: Draft,
    service: OnlineService,
    context: ServiceContext,
    step: Step,
    data: Any,
    files: Any,
    revision: str,
    language: str,
) -> StepSaved:
    """Continue (or save for later) on a step: store its uploads, validate its
    answers, and mark it done when answers and documents are complete. What is
    good is kept even when the page has errors: valid answers, accepted files."""
    with transaction.atomic():
        locked = _lock(draft)
        if str(locked.revision) != revision:  # lost a race with another tab
            return StepSaved(draft=locked, stale=True)
        errors: dict[str, str] = {}
        stored = _store_uploads(locked, step, files, errors)
        form = engine.build_form(service, step, context, Answers(locked.answers), data=data)
        valid = form is None or form.is_valid()
        if valid and form is not None:
            # Documents may depend on this very page's answers (e.g. proof of
            # use only when the holder is someone else): judge with them.
            locked.answers[step.name] = engine.form_answers(step, form)
        missing = _missing_documents(locked, step)
        if not valid or missing or errors:
            for key in missing:
                errors.setdefault(key, _("Please upload this document."))
            locked.pending = pending_page(step, data, errors)
            locked.bump("answers", "pending", language=language)
            return StepSaved(draft=locked, form=form, file_errors=errors, stored_upload=stored)
        if step.name not in locked.completed_steps:
            locked.completed_steps.append(step.name)
        engine.prune(service, locked)
        locked.pending = {}
        locked.bump("answers", "completed_steps", "pending", language=language)
    return StepSaved(draft=locked, completed=True, form=form, stored_upload=stored)


def draft_keep_uploads(
    *, draft: Draft, step: Step, files: Any, entries: list[dict[str, Any]], revision: str, language: str
) -> StepSaved:
    """Adding or removing an entry of a repeating group saves no answers, but
    files chosen on the page are stored rather than lost, and the entries as
    typed (`entries`, after the change) are shown again."""
    with transaction.atomic():
        locked = _lock(draft)
        if str(locked.revision) != revision:
            return StepSaved(draft=locked, stale=True)
        errors: dict[str, str] = {}
        stored = _store_uploads(locked, step, files, errors)
        locked.pending = pending_page(step, None, errors, entries=entries)
        locked.bump("pending", language=language)
    return StepSaved(draft=locked, file_errors=errors, stored_upload=stored)


def draft_remove_file(
    *,
    draft: Draft,
    service: OnlineService,
    step: Step,
    attachment_id: str,
    data: Any,
    files: Any,
    revision: str,
    language: str,
    entries: list[dict[str, Any]] | None = None,
) -> StepSaved:
    """Remove one uploaded file of this step. A required document may now be
    missing, so the step (and any later one asking for it) is open again."""
    with transaction.atomic():
        locked = _lock(draft)
        if str(locked.revision) != revision:
            return StepSaved(draft=locked, stale=True)
        errors: dict[str, str] = {}
        _store_uploads(locked, step, files, errors)  # files chosen before clicking "remove" are kept
        for attachment in Attachment.objects.filter(draft=locked, step=step.name, pk=attachment_id):
            attachment.delete_file()
            attachment.delete()
        engine.prune(service, locked)
        # The page as typed, not judged yet: removing a file is not "continue".
        if entries is not None:  # a repeating group: its entries as typed
            locked.pending = pending_page(step, None, errors, entries=entries)
        else:
            locked.pending = pending_page(step, data, errors, quiet=True)
        locked.bump("answers", "completed_steps", "pending", language=language)
    return StepSaved(draft=locked, file_errors=errors)


def _revalidate(service: OnlineService, context: ServiceContext, draft: Draft) -> Step | None:
    """Re-check every saved step on the server before submitting: a tampered or
    outdated draft never becomes a submission. Returns the first failing step."""
    answers = Answers(draft.answers)
    uploaded = {(a.step, a.key) for a in Attachment.objects.filter(draft=draft)}
    for candidate in service.active_steps(answers):
        if candidate.form_class is not None:
            form = engine.build_form(
                service,
                candidate,
                context,
                answers,
                data=engine.answers_as_data(candidate, answers.step(candidate.name)),
            )
            if form is None or not form.is_valid():
                return candidate
        for spec in candidate.attachments:
            if spec.required and spec.applies(answers) and (candidate.name, spec.key) not in uploaded:
                return candidate
    return None


def draft_submit(
    *, draft: Draft, service: OnlineService, context: ServiceContext, language: str, citizen: Any = None
) -> Submitted:
    """Turn the draft into a submission in one transaction: lock the draft, a
    second click returns the first submission, every step is re-checked, then
    submission_submit and the draft is wiped."""
    with transaction.atomic():
        locked = _lock(draft)
        if locked.submission_id is not None:  # double click: the first one won
            return Submitted(submission=Submission.objects.get(pk=locked.submission_id))
        failing = _revalidate(service, context, locked) or bundid_prefill.changed_locked_step(
            service, context, Answers(locked.answers)
        )
        if failing is not None:
            locked.reopen(failing.name)
            return Submitted(failing=failing)
        answers = Answers(locked.answers)
        attachments = list(Attachment.objects.filter(draft=locked))
        mode = payment_mode(locked.city, context.city_service, service, service.fee(answers, context))
        awaiting_payment = mode == "before"
        submission = submission_submit(
            city=locked.city,
            service=service,
            context=context,
            answers=answers,
            snapshot=engine.snapshot(service, context, answers, attachments)
            + engine.extra_lines(service, context, answers),
            attachments=attachments,
            language=language,
            awaiting_payment=awaiting_payment,
        )
        if mode == "after":  # delivered now; the confirmation offers the pay link
            payment_offer(submission=submission)
        if citizen is not None:  # logged in with BundID: the proven identity goes with it
            from forms_engine.identity.actions import submission_record_identity

            submission_record_identity(submission=submission, citizen=citizen)
        duration = int((timezone.now() - locked.created_at).total_seconds())
        if awaiting_payment:  # the answers stay until the fee is booked (payments.actions)
            locked.submission = submission
            locked.save(update_fields=["submission", "updated_at"])
        else:
            locked.mark_submitted(submission)
    return Submitted(submission=submission, new=True, duration_seconds=duration)


def draft_email_resume_link(
    *, draft: Draft, service: OnlineService, email: str, links: Callable[[str], tuple[str, str]], language: str
) -> tuple[str, ProcessingStep]:
    """Issue a new resume code and email it as a processing step (retried like
    the pipeline's own). `links(code)` gives the resume link and the resume
    page. Returns the code, which the page shows as well."""
    with transaction.atomic():
        locked = _lock(draft)
        code = locked.issue_resume_code()
        link, resume_page = links(code)
        with translation.override(language):
            subject = _("Continue your application: %(title)s") % {"title": service.title}
            body = _(
                "You saved your application „%(title)s“. Continue here until %(until)s:\n\n%(link)s\n\n"
                "Or enter this code at %(resume)s: %(code)s\n\n%(city)s"
            ) % {
                "title": service.title,
                "until": timezone.localtime(locked.expires_at).strftime("%d.%m.%Y"),
                "link": link,
                "resume": resume_page,
                "code": code,
                "city": locked.city.name,
            }
        step = citizen_email.plan(
            city=locked.city,
            draft=locked,
            to=email,
            subject=subject,
            body=body,
            purpose=f"resume:{uuid.uuid4().hex}",
        )
    draft.resume_code_hash = locked.resume_code_hash
    return code, step
