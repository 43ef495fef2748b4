"""One step page: its form or repeating group, its uploads, and what a POST
does (continue, add or remove an entry, remove a file, save for later)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from forms_engine.catalog.base import Answers, AttachmentSpec, OnlineService, ServiceContext, Step
from forms_engine.submissions.models import Attachment

from . import engine
from .models import Draft
from .preview import record_usage
from .session import SESSION_CODE
from .uploads import UploadRefused, accept_upload


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

    # --- what the page shows -------------------------------------------------

    def specs(self) -> list[AttachmentSpec]:
        return [spec for spec in self.step.attachments if spec.applies(self.answers)]

    def uploaded(self) -> dict[str, list[Attachment]]:
        files: dict[str, list[Attachment]] = {}
        for attachment in Attachment.objects.filter(draft=self.draft, step=self.step.name).order_by("created_at"):
            files.setdefault(attachment.key, []).append(attachment)
        return files

    def render(self, form: Any = None, status: int = 200) -> HttpResponse:
        if form is None:
            form = engine.build_form(self.service, self.step, self.context, self.answers)
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

    def _bump(self, *fields: str) -> None:
        self.draft.revision += 1
        self.draft.language = translation.get_language() or self.draft.language
        self.draft.save(update_fields=[*fields, "revision", "language", "updated_at"])

    def handle_post(self) -> HttpResponse:
        post = self.request.POST
        action = post.get("action", "continue")
        with transaction.atomic():
            self.draft = Draft.objects.select_for_update().get(pk=self.draft.pk)
            if post.get("revision") != str(self.draft.revision):  # lost a race with another tab
                return self.render_stale()
            stored = self._store_uploads()
            if post.get("remove_file"):
                for attachment in Attachment.objects.filter(
                    draft=self.draft, step=self.step.name, pk=_uuid_or_none(post["remove_file"])
                ):
                    attachment.delete_file()
                    attachment.delete()
                engine.prune(self.service, self.draft)  # a required document may be missing now
                self._bump("completed_steps")
                return self.render(self._rebound())
            if self.step.repeat is not None and (action == "add" or action.startswith("remove-")):
                if stored:
                    self._bump()
                return self.render(self._changed_formset(action))
            form = engine.build_form(self.service, self.step, self.context, self.answers, data=post)
            valid = form is None or form.is_valid()
            if valid and form is not None:
                # Documents may depend on this very page's answers (e.g. proof of
                # use only when the holder is someone else): judge with them.
                self.draft.answers[self.step.name] = engine.form_answers(self.step, form)
                self.answers = Answers(self.draft.answers)
            missing = self._missing_documents()
            if not valid or missing or self.file_errors:
                for key in missing:
                    self.file_errors.setdefault(key, _("Please upload this document."))
                if valid or stored:  # keep what is good: the answers, the uploads
                    self._bump("answers")
                if action == "save":
                    return self._save_for_later()
                return self.render(form)
            if self.step.name not in self.draft.completed_steps:
                self.draft.completed_steps.append(self.step.name)
            engine.prune(self.service, self.draft)
            self._bump("answers", "completed_steps")
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

    def _store_uploads(self) -> bool:
        """Store this page's uploads; True when at least one was accepted."""
        stored = False
        for spec in self.specs():
            upload = self.request.FILES.get(f"file-{spec.key}")
            if upload is None:
                continue
            try:
                accept_upload(draft=self.draft, step=self.step.name, spec=spec, upload=upload)
                stored = True
            except UploadRefused as refusal:
                self.file_errors[spec.key] = str(refusal)
        return stored

    def _missing_documents(self) -> list[str]:
        present = set(Attachment.objects.filter(draft=self.draft, step=self.step.name).values_list("key", flat=True))
        return [spec.key for spec in self.specs() if spec.required and spec.key not in present]

    def _rebound(self) -> Any:
        """The page as posted, without validation errors (after removing a file)."""
        if self.step.repeat is not None:
            return self._changed_formset("keep")
        form = engine.build_form(self.service, self.step, self.context, self.answers, data=self.request.POST)
        if form is not None:
            form._errors = {}  # type: ignore[union-attr]  # shown as typed, not judged yet
        return form

    def _changed_formset(self, action: str) -> Any:
        """Add or remove an entry of a repeating group, keeping what was typed.
        Works without JavaScript: every button is a submit button."""
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
        return engine.build_form(
            self.service, self.step, self.context, self.answers, entries=[dict(entry) for entry in entries]
        )


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
