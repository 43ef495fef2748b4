"""One step page: its form or repeating group, its uploads, and which action
a POST calls (continue, add or remove an entry, remove a file, save for later).
The writes are in actions.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from forms_engine.catalog.base import Answers, AttachmentSpec, OnlineService, ServiceContext, Step
from forms_engine.submissions.models import Attachment

from . import actions, engine
from .models import Draft
from .preview import record_usage
from .session import SESSION_CODE


class StepPage:
    def __init__(
        self, request: HttpRequest, service: OnlineService, context: ServiceContext, draft: Draft, step: Step
    ) -> None:
        self.request = request
        self.service = service
        self.context = context
        self.draft = draft
        self.step = step
        self.answers = Answers(draft.answers)
        self.file_errors: dict[str, str] = {}
        self.body_too_large = False  # the last POST was refused unread (lib/body_limit.py)

    # --- what the page shows -------------------------------------------------

    def specs(self) -> list[AttachmentSpec]:
        return [spec for spec in self.step.attachments if spec.applies(self.answers)]

    def uploaded(self) -> dict[str, list[Attachment]]:
        files: dict[str, list[Attachment]] = {}
        if not self.step.attachments:
            return files  # a step without documents has no uploads to look for
        for attachment in Attachment.objects.filter(draft=self.draft, step=self.step.name).order_by("created_at"):
            files.setdefault(attachment.key, []).append(attachment)
        return files

    def pending_form(self) -> Any:
        """The page as last sent with errors (after the redirect), or None."""
        pending = self.draft.pending_for(self.step.name)
        if not pending:
            return None
        self.file_errors = dict(pending.get("file_errors") or {})
        if "entries" in pending:
            return engine.build_form(
                self.service, self.step, self.context, self.answers, entries=list(pending["entries"])
            )
        data = QueryDict(mutable=True)
        for key, values in (pending.get("data") or {}).items():
            data.setlist(key, list(values))
        form = engine.build_form(self.service, self.step, self.context, self.answers, data=data)
        if form is not None and pending.get("quiet"):
            form._errors = {}  # type: ignore[union-attr]  # shown as typed, not judged yet
        return form

    def render(self, form: Any = None, status: int = 200) -> HttpResponse:
        if form is None:
            form = self.pending_form()
        if form is None:
            form = engine.build_form(self.service, self.step, self.context, self.answers)
        if self.body_too_large:
            self.file_errors = dict.fromkeys((spec.key for spec in self.specs()), too_large_message())
        uploaded = self.uploaded()
        documents = [
            {"spec": spec, "files": uploaded.get(spec.key, []), "error": self.file_errors.get(spec.key)}
            for spec in self.specs()
        ]
        has_errors = bool(self.file_errors) or bool(form is not None and form.is_bound and not form.is_valid())
        steps = self.service.active_steps(self.answers)
        index = next((i for i, s in enumerate(steps) if s.name == self.step.name), 0)
        previous = steps[index - 1] if index > 0 else None
        return render(
            self.request,
            "wizard/step.html",
            {
                "service": self.service,
                "step": self.step,
                "draft": self.draft,
                "form": form,
                "is_formset": self.step.repeat is not None,
                "documents": documents,
                "has_errors": has_errors,
                "progress": engine.progress(self.service, self.answers, self.step),
                "back_url": reverse("wizard-step", args=[self.service.slug, previous.name])
                if previous
                else reverse("wizard-start", args=[self.service.slug]),
                "return_to": self.request.GET.get("return", self.request.POST.get("return", "")),
            },
            status=status,
        )

    def render_stale(self) -> HttpResponse:
        """An outdated or foreign form (replayed, another tab, another draft):
        nothing is changed; the citizen sees the current state."""
        return render(
            self.request,
            "wizard/stale.html",
            {"service": self.service, "continue_url": reverse("wizard-step", args=[self.service.slug, self.step.name])},
            status=409,
        )

    # --- what a POST does ----------------------------------------------------

    def post_matches_draft(self) -> bool:
        post = self.request.POST
        return (
            post.get("draft") == str(self.draft.pk)
            and post.get("step") == self.step.name
            and post.get("revision") == str(self.draft.revision)
        )

    def handle_post(self) -> HttpResponse:
        post = self.request.POST
        action = post.get("action", "continue")
        revision = post.get("revision", "")
        language = translation.get_language() or self.draft.language
        if post.get("remove_file"):
            outcome = actions.draft_remove_file(
                draft=self.draft,
                service=self.service,
                step=self.step,
                attachment_id=_uuid_or_none(post["remove_file"]),
                data=post,
                files=self.request.FILES,
                revision=revision,
                language=language,
                entries=self._entries("keep") if self.step.repeat is not None else None,
            )
        elif self.step.repeat is not None and (action == "add" or action.startswith("remove-")):
            outcome = actions.draft_keep_uploads(
                draft=self.draft,
                step=self.step,
                files=self.request.FILES,
                entries=self._entries(action),
                revision=revision,
                language=language,
            )
        else:
            outcome = actions.draft_save_step(
                draft=self.draft,
                service=self.service,
                context=self.context,
                step=self.step,
                data=post,
                files=self.request.FILES,
                revision=revision,
                language=language,
            )
        self.draft = outcome.draft
        self.answers = Answers(self.draft.answers)
        self.file_errors = outcome.file_errors
        if outcome.stale:
            return self.render_stale()
        if not outcome.completed:
            if action == "save" and not post.get("remove_file"):
                return self._save_for_later()
            # Post/redirect/get also with errors: the page is shown again from
            # draft.pending, so the back button never asks to resubmit.
            url = reverse("wizard-step", args=[self.service.slug, self.step.name])
            return redirect(url + ("?return=check" if post.get("return") == "check" else ""))
        record_usage(
            self.request,
            city=self.draft.city,
            service_slug=self.service.slug,
            event="step_completed",
            step=self.step.name,
        )
        if action == "save":
            return self._save_for_later()
        next_step = engine.first_incomplete(self.service, self.draft)
        if next_step is None:
            return redirect("wizard-check", self.service.slug)
        if post.get("return") == "check" and next_step.name == self.step.name:
            return redirect("wizard-check", self.service.slug)
        return redirect("wizard-step", self.service.slug, next_step.name)

    def _save_for_later(self) -> HttpResponse:
        if self.draft.preview:  # no resume code for a preview: the save page explains
            return redirect("wizard-save", self.service.slug)
        self.request.session[SESSION_CODE] = self.draft.issue_resume_code()
        record_usage(
            self.request, city=self.draft.city, service_slug=self.service.slug, event="saved", step=self.step.name
        )
        return redirect("wizard-save", self.service.slug)

    def _entries(self, action: str) -> list[dict[str, Any]]:
        """The entries of a repeating group as typed, after adding or removing
        one. Works without JavaScript: every button is a submit button."""
        prefix = self.step.name
        post = self.request.POST
        total = _int(post.get(f"{prefix}-TOTAL_FORMS"), 0)
        entries = []
        for index in range(total):
            start = f"{prefix}-{index}-"
            entries.append({k[len(start) :]: v for k, v in post.items() if k.startswith(start)})
        assert self.step.repeat is not None
        if action == "add" and len(entries) < self.step.repeat.max_entries:
            entries.append({})
        elif action.startswith("remove-"):
            index = _int(action.removeprefix("remove-"), -1)
            if 0 <= index < len(entries) and len(entries) > self.step.repeat.min_entries:
                entries.pop(index)
        return entries


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _uuid_or_none(value: str) -> str:
    """A valid UUID string, or the nil UUID (matches nothing)."""
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return str(uuid.UUID(int=0))


def too_large_message() -> str:
    return _(
        "The files sent were larger than %(limit)d MB together and were not received. "
        "Upload one file at a time, at most %(file_limit)d MB per file."
    ) % {
        "limit": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024),
        "file_limit": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024),
    }
