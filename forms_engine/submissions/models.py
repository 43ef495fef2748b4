from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.crypto import decrypt_bytes, encrypt_bytes
from forms_engine.lib.fields import EncryptedJSONField


class Submission(models.Model):
    """A submitted application. Answers and the label snapshot are encrypted."""

    class Status(models.TextChoices):
        # Paying online before submission (forms_engine/payments): reference
        # reserved, no pipeline and no back-office work until the fee is booked.
        AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
        RECEIVED = "received", _("received")
        IN_PROGRESS = "in_progress", _("in progress")
        WAITING = "waiting_for_citizen", _("waiting for citizen")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed")
        DELETED = "deleted", _("deleted (retention)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    service_slug = models.SlugField(_("online service"), help_text=_("Slug of the online service."))
    service_version = models.CharField(_("service version"), max_length=20, help_text=_("Version the citizen used."))
    data_schema_version = models.CharField(_("data schema version"), max_length=20, help_text=_("Of `data`."))
    reference = models.CharField(_("reference number"), max_length=40, help_text=_("e.g. GI-UVG-2026-004711."))
    data = EncryptedJSONField(_("answers"), help_text=_("The answers as JSON, encrypted."))
    snapshot = EncryptedJSONField(_("label snapshot"), help_text=_("Steps, labels and shown values, encrypted."))
    contact_email = EncryptedJSONField(_("citizen email"), null=True, blank=True, help_text=_("For confirmations."))
    applicant_name = EncryptedJSONField(
        _("applicant name"),
        null=True,
        blank=True,
        help_text=_("For the inbox list, encrypted; searched via NameToken."),
    )
    due_on = models.DateField(
        _("due on"),
        null=True,
        blank=True,
        help_text=_("End of the processing deadline (Bearbeitungsfrist) of the city's service."),
    )
    fee = models.JSONField(_("fee"), null=True, blank=True, help_text=_("Computed fee: amount, currency, explanation."))
    language = models.CharField(_("language"), max_length=8, default="de", help_text=_("The citizen's language."))
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("When the citizen submitted."))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED, help_text=_("Back-office status.")
    )
    # Back-office work (issue 5). The allowed status paths are TRANSITIONS below.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
        verbose_name=_("assigned to"),
        help_text=_("The caseworker working on this submission."),
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), null=True, blank=True, help_text=_("Last change of the back-office status.")
    )
    decided_at = models.DateTimeField(
        _("decided at"), null=True, blank=True, help_text=_("When it was approved, rejected or closed.")
    )
    final_status = models.CharField(
        _("final status"),
        max_length=24,
        blank=True,
        choices=Status.choices,
        help_text=_("The status it had when retention deleted its data."),
    )
    deleted_at = models.DateTimeField(
        _("data deleted at"), null=True, blank=True, help_text=_("When retention deleted answers and files.")
    )

    # The one table of allowed back-office status changes.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        "awaiting_payment": (),
        "received": ("in_progress", "closed"),
        "in_progress": ("waiting_for_citizen", "approved", "rejected", "closed"),
        "waiting_for_citizen": ("in_progress", "closed"),
        "approved": (),
        "rejected": (),
        "closed": (),
        "deleted": (),
    }
    DECIDED: ClassVar[tuple[str, ...]] = ("approved", "rejected", "closed")

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["city", "reference"], name="unique_reference_per_city")]
        indexes = [
            models.Index(fields=["city", "-submitted_at"], name="submission_city_recent"),
            # Back-office inbox: filter by service and status, newest first.
            # The included columns let the counts per status be index-only scans.
            models.Index(
                fields=["city", "service_slug", "status", "-submitted_at"],
                include=["assignee"],
                name="submission_inbox",
            ),
            models.Index(
                fields=["city", "status", "-submitted_at"],
                include=["service_slug", "assignee"],
                name="submission_inbox_status",
            ),
            models.Index(fields=["city", "assignee", "-submitted_at"], name="submission_inbox_assignee"),
            # Inbox sorted by due date; overdue and due-this-week views.
            models.Index(fields=["city", "due_on", "id"], include=["status"], name="submission_inbox_due"),
            # Reference prefix search (LIKE 'GI-UVG-2026%') under any collation.
            models.Index(fields=["reference"], name="submission_reference_prefix", opclasses=["varchar_pattern_ops"]),
            # Retention: decided submissions by date.
            models.Index(fields=["status", "decided_at"], name="submission_retention"),
        ]

    def __str__(self) -> str:
        return self.reference

    def allowed_next(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())

    @property
    def is_open(self) -> bool:
        return self.status not in (*self.DECIDED, self.Status.DELETED)


class NameToken(models.Model):
    """The blind index of one normalised word of the applicant's name: an HMAC
    (lib.crypto.name_token_digest), never the word. Searching "Neumann ben"
    looks up both digests; the plaintext name exists only encrypted."""

    id = models.BigAutoField(primary_key=True)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="name_tokens", verbose_name=_("submission")
    )
    digest = models.CharField(_("digest"), max_length=64, help_text=_("HMAC of one normalised name word."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("name token")
        verbose_name_plural = _("name tokens")
        constraints = [models.UniqueConstraint(fields=["submission", "digest"], name="unique_name_token")]
        indexes = [models.Index(fields=["city", "digest"], include=["submission"], name="name_token_lookup")]

    def __str__(self) -> str:
        return self.digest[:12]


class ReferenceCounter(models.Model):
    """Running number per city, service code and year for readable references."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    code = models.CharField(_("service code"), max_length=8, help_text=_("e.g. UVG."))
    year = models.PositiveIntegerField(_("year"), help_text=_("Calendar year."))
    last = models.PositiveIntegerField(_("last number"), default=0, help_text=_("Last number handed out."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [models.UniqueConstraint(fields=["city", "code", "year"], name="unique_reference_counter")]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.last}"


def _private_storage() -> Any:
    return storages["private"]


class Attachment(models.Model):
    """An uploaded document, encrypted on disk outside public media. Belongs to a
    draft until submit, then to the submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    draft = models.ForeignKey(
        "wizard.Draft",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("draft"),
    )
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("submission"),
    )
    step = models.CharField(_("step"), max_length=50, help_text=_("Step the document was uploaded on."))
    key = models.CharField(_("document"), max_length=50, help_text=_("Which requested document this is."))
    filename = EncryptedJSONField(_("file name"), help_text=_("As uploaded, encrypted."))
    content_type = models.CharField(_("content type"), max_length=100, help_text=_("Recognised from the content."))
    size = models.PositiveIntegerField(_("size"), help_text=_("Bytes, before encryption."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Checksum of the original file."))
    path = models.CharField(_("stored path"), max_length=255, help_text=_("Path in private storage."))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.key} ({self.size} B)"

    @classmethod
    def store(cls, *, city: Any, content: bytes, **fields: Any) -> Attachment:
        import hashlib

        from django.core.files.base import ContentFile

        attachment_id = uuid.uuid4()
        path = _private_storage().save(
            f"{city.slug}/attachments/{attachment_id}.bin", ContentFile(encrypt_bytes(content))
        )
        return cls.objects.create(
            id=attachment_id,
            city=city,
            path=path,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            **fields,
        )

    def read(self) -> bytes:
        with _private_storage().open(self.path, "rb") as handle:
            return decrypt_bytes(handle.read())

    def delete_file(self) -> None:
        _private_storage().delete(self.path)


class ProcessingStep(models.Model):
    """One piece of post-submit work (PDF, a delivery, the confirmation email),
    or one email to a citizen (resume link, document request, status change).
    The rows, not the queue, are the truth: the sweep re-finds lost work."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("render PDF")
        DELIVERY = "delivery", _("deliver to back office")
        CONFIRMATION = "confirmation", _("confirm to citizen")
        STAFF_NOTICE = "staff_notice", _("notify staff")
        CITIZEN_EMAIL = "citizen_email", _("email to citizen")
        # Casework automation (backoffice/letters.py, backoffice/rules.py).
        LETTER = "letter", _("render decision letter")
        RULES = "rules", _("run rules")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    submission = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="processing_steps",
        verbose_name=_("submission"),
        help_text=_("Empty for work about many submissions (the daily digest) or about a draft (the resume link)."),
    )
    draft = models.ForeignKey(
        "wizard.Draft",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="processing_steps",
        verbose_name=_("draft"),
        help_text=_("The draft a resume-link email belongs to."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, help_text=_("What this step does."))
    target_id = models.CharField(
        _("target"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Delivery target id, for deliveries; what the notice is about, for staff notices."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, help_text=_("Progress of the step.")
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0, help_text=_("How often it was tried."))
    last_error = models.TextField(_("last error"), blank=True, help_text=_("Error of the last failed attempt."))
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True, help_text=_("When it is due again."))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, help_text=_("Start of the running try."))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, help_text=_("When it was done."))
    result = models.JSONField(_("result"), default=dict, blank=True, help_text=_("Checkpoint: what the step produced."))
    task_id = models.CharField(
        _("task id"), max_length=64, blank=True, default="", help_text=_("Celery task of the running try.")
    )
    payload = EncryptedJSONField(
        _("message"),
        null=True,
        blank=True,
        help_text=_("A citizen email as rendered (recipient, subject, text), encrypted; emptied once sent."),
    )
    worker = models.CharField(
        _("worker"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Celery worker of the running try; its heartbeat tells whether it is still alive."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind", "target_id"], name="unique_processing_step"),
            # Steps without a submission (the daily digest) are unique per city and key.
            models.UniqueConstraint(
                fields=["city", "kind", "target_id"],
                condition=models.Q(submission__isnull=True),
                name="unique_processing_step_city",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_try_at"], name="processing_step_due")]

    def __str__(self) -> str:
        return f"{self.kind}{':' + self.target_id if self.target_id else ''} [{self.state}]"

    @property
    def needs_pdf(self) -> bool:
        """Deliveries and the confirmation wait for the receipt; emails do not."""
        return self.kind in (self.Kind.DELIVERY, self.Kind.CONFIRMATION)


class ReceiptLink(models.Model):
    """A link in the confirmation email to download the receipt on the city's
    host, for services that do not email the PDF (docs/security.md). Only the
    keyed hash of the link's token is kept; opening it also asks for the code
    shown to the citizen after submitting (submissions/receipt_links.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="receipt_links", verbose_name=_("submission")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, help_text=_("Only the hash is kept."))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, help_text=_("When the link was made."))
    expires_at = models.DateTimeField(_("expires at"), help_text=_("The link stops working after this."))
    failures = models.PositiveSmallIntegerField(
        _("wrong codes"), default=0, help_text=_("Too many wrong codes lock the link for good.")
    )
    downloads = models.PositiveIntegerField(_("downloads"), default=0, help_text=_("How often it was downloaded."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("receipt link")
        verbose_name_plural = _("receipt links")
        indexes = [models.Index(fields=["expires_at"], name="receipt_link_expiry")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"
