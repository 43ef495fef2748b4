"""Forms of the back office: the inbox filters and the work on one submission."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import registry
from forms_engine.lib.forms import KernFormMixin
from forms_engine.lib.uploads import DOCUMENTS, CheckedUpload, UploadRefused, check_upload
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

from .inbox import SAVED_VIEWS, SORTS

DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_NAME_WORDS = 10
MAX_BULK = 200
SORT_CHOICES = [("", ""), *((f"{sign}{key}", f"{sign}{key}") for key in SORTS for sign in ("", "-"))]
PAYMENT_CHOICES = [
    ("", _("all")),
    ("paid", _("paid online")),
    ("open", _("payment outstanding")),
    ("late", _("paid after expiry (check)")),
    ("unpaid", _("not paid online")),
]
ASSIGNED_CHOICES = [("", _("anyone")), ("me", _("assigned to me")), ("none", _("unassigned"))]


class DigestListField(forms.Field):
    """The blind-index digests of the name words searched for (hidden, in the address)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = [str(v) for v in (value or []) if v]
        if len(values) > MAX_NAME_WORDS or not all(DIGEST.fullmatch(v) for v in values):
            raise forms.ValidationError(_("This search is not valid."), code="invalid")
        return values


class UUIDListField(forms.Field):
    """The ids of the ticked rows; which of them the user may touch is the view's business."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        try:
            ids = [uuid.UUID(str(v)) for v in (value or []) if v]
        except ValueError as exc:
            raise forms.ValidationError(_("This selection is not valid."), code="invalid") from exc
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(_("Choose at most %(n)s submissions at once.") % {"n": MAX_BULK})
        return ids


class InboxFilterForm(KernFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search: reference number or name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"data-shortcut": "/"}),
        help_text=_(
            'A reference number or its beginning ("GI-UVG"), or words of the applicant\'s name '
            '("Neumann", "neumann ben"). Names are searched through a keyed index, never decrypted.'
        ),
    )
    # The search as it stands in the address (see inbox.search_params).
    ref = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    name = DigestListField(required=False)
    view = forms.ChoiceField(required=False, choices=[("", ""), *SAVED_VIEWS], widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)
    service = forms.ChoiceField(label=_("Online service"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assigned = forms.ChoiceField(label=_("Assigned"), required=False, choices=ASSIGNED_CHOICES)
    payment = forms.ChoiceField(label=_("Payment"), required=False, choices=PAYMENT_CHOICES)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, services: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_choices = [("", _("all")), *((slug, service_title(slug)) for slug in services)]
        self.fields["service"].choices = service_choices  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("all")), *Submission.Status.choices]  # type: ignore[attr-defined]


class BulkForm(KernFormMixin, forms.Form):
    """Work on the rows ticked in the inbox: assign them, or move their status."""

    ids = UUIDListField(error_messages={"required": _("Tick at least one submission.")})
    action = forms.ChoiceField(choices=[("assign", "assign"), ("status", "status")])
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=StaffUser.objects.none(), required=False, empty_label=_("nobody")
    )
    to_status = forms.ChoiceField(label=_("New status"), required=False)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = candidates  # type: ignore[attr-defined]
        statuses = [(v, label) for v, label in Submission.Status.choices if v != Submission.Status.DELETED]
        self.fields["to_status"].choices = [("", _("please choose")), *statuses]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "status" and not data.get("to_status"):
            raise forms.ValidationError(_("Choose the new status."))
        return data


def service_title(slug: str) -> str:
    service = registry.get(slug)
    return str(service.title) if service else slug


class StatusForm(KernFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note (internal)"), required=False, max_length=5000, widget=forms.Textarea)
    notify_citizen = forms.BooleanField(
        label=_("Tell the citizen by email (approved or rejected only)"), required=False
    )

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .letters import templates_for

        # Built here: the templates' manager is scoped, so no query at import.
        templates = templates_for(submission)
        if templates.exists():
            self.fields["letter_template"] = forms.ModelChoiceField(
                label=_("Decision letter"),
                queryset=templates,
                required=False,
                empty_label=_("no letter"),
                help_text=_("Approved or rejected only: the letter is made as PDF, attached to the case and emailed."),
            )
        labels = dict(Submission.Status.choices)
        # Only the allowed paths are offered; the action checks them again.
        self.allowed = [(s, labels[s]) for s in submission.allowed_next()]
        # A blank first choice: nothing changes by an accidental click.
        self.fields["to_status"].choices = [("", _("please choose")), *self.allowed]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        letter = data.get("letter_template")
        if letter is not None and letter.decision != data.get("to_status"):
            self.add_error("letter_template", _("This letter is not for this decision."))
        return data


class NoteForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=5000, widget=forms.Textarea)


class AssignForm(KernFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=StaffUser.objects.none(), required=False, empty_label=_("nobody")
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = candidates  # type: ignore[attr-defined]


class DocumentRequestForm(KernFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Which documents are missing?"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("The citizen reads this on the upload page. Write no other personal data."),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple) and not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(KernFormMixin, forms.Form):
    files = MultipleFileField(label=_("Documents (PDF, PNG or JPEG)"))  # type: ignore[assignment]

    def clean_files(self) -> list[tuple[str, CheckedUpload]]:
        """Each file through the shared upload policy: (name, what to store)."""
        checked = []
        for upload in self.cleaned_data["files"]:
            name = str(upload.name or "datei")[:200]
            try:
                checked.append((name, check_upload(upload.read(), DOCUMENTS)))
            except UploadRefused as refusal:
                raise forms.ValidationError(
                    _("“%(name)s”: %(reason)s"), params={"name": name, "reason": str(refusal)}, code=refusal.code
                ) from refusal
        return checked
