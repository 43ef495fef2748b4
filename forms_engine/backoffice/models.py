"""Models of the caseworkers' work: who works which service, the history of a
submission (status changes, notes), requests for documents and the audit log.
Every row belongs to a city and is read through a scoped manager."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.catalog.registry import title as service_title
from forms_engine.lib.crypto import keyed_hash
from forms_engine.lib.fields import EncryptedTextField


class ServiceAssignment(models.Model):
    """A caseworker works the submissions of one online service of their city."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_assignments",
        verbose_name=_("caseworker"),
        help_text=_("Staff member of this city."),
    )
    service_slug = models.SlugField(_("online service"), help_text=_("Slug of the online service they work on."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("service assignment")
        verbose_name_plural = _("service assignments")
        constraints = [
            models.UniqueConstraint(fields=["city", "user", "service_slug"], name="unique_service_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {service_title(self.service_slug)}"


class StatusChange(models.Model):
    """One step along the allowed status paths, with an optional note."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("submission"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
        help_text=_("Empty when the citizen or the system changed it."),
    )
    from_status = models.CharField(_("from"), max_length=24, help_text=_("Status before."))
    to_status = models.CharField(_("to"), max_length=24, help_text=_("Status after."))
    note = EncryptedTextField(_("note"), blank=True, help_text=_("Internal note on the change (encrypted)."))
    at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When the status changed."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Note(models.Model):
    """An internal note of the back office; never shown to the citizen."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="notes", verbose_name=_("submission")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
        help_text=_("The staff member who wrote it."),
    )
    text = EncryptedTextField(_("text"), help_text=_("The note (encrypted)."))
    at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When it was written."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.at:%Y-%m-%d %H:%M}"


def hash_document_token(token: str) -> str:
    return keyed_hash(token, purpose="document-request")


class DocumentRequest(models.Model):
    """A link sent to the citizen to hand in missing documents. Only the hash of
    the secret token is kept; the link works once and until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        related_name="document_requests",
        verbose_name=_("submission"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("The staff member who asked."),
    )
    message = models.TextField(
        _("message to the citizen"), help_text=_("Which documents are missing; shown on the upload page.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, help_text=_("Only the hash is kept."))
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, help_text=_("When it was sent."))
    expires_at = models.DateTimeField(_("expires at"), help_text=_("The link stops working after this."))
    fulfilled_at = models.DateTimeField(
        _("handed in at"), null=True, blank=True, help_text=_("When the citizen uploaded the documents.")
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        indexes = [models.Index(fields=["expires_at"], name="document_request_expiry")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """Who did what to which submission, when and from where. Holds references
    only, never answers. Written by the application, never changed by it."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed detail")
        DOWNLOAD = "download", _("downloaded a file")
        EXPORT = "export", _("exported the list")
        EXPORT_ANSWERS = "export_answers", _("exported the list with answers")
        STATUS = "status", _("changed status")
        ASSIGN = "assign", _("assigned")
        NOTE = "note", _("wrote a note")
        REQUEST_DOCUMENTS = "request_documents", _("requested documents")
        RETRY = "retry", _("retried a processing step")
        PROPOSE_DECISION = "propose_decision", _("proposed a decision")
        CONFIRM_DECISION = "confirm_decision", _("confirmed a decision")
        DISCARD_DECISION = "discard_decision", _("discarded a proposed decision")
        LETTER = "letter", _("issued a decision letter")
        RULE = "rule", _("automated action (rule)")
        RULE_FAILED = "rule_failed", _("rule failed")

    id = models.BigAutoField(primary_key=True)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True, help_text=_("When it happened."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff member"),
        help_text=_("Who did it."),
    )
    username = models.CharField(
        _("user name"), max_length=150, help_text=_("Kept even if the account is deleted later.")
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices, help_text=_("What was done."))
    submission_id = models.UUIDField(_("submission id"), null=True, blank=True, help_text=_("Which submission."))
    reference = models.CharField(_("reference number"), max_length=40, blank=True, help_text=_("Its reference."))
    detail = models.CharField(
        _("detail"), max_length=200, blank=True, help_text=_("e.g. new status or file kind; never answers.")
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, help_text=_("From where."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["city", "submission_id"], name="audit_by_submission")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.reference}"


class Decision(models.Model):
    """An approval or rejection proposed under four eyes (CityService.four_eyes):
    it takes effect only when a second caseworker of the city confirms it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DISCARDED = "discarded", _("discarded")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="decisions", verbose_name=_("submission")
    )
    to_status = models.CharField(
        _("decision"), max_length=24, choices=Outcome.choices, help_text=_("The status it sets once confirmed.")
    )
    note = EncryptedTextField(_("note"), blank=True, help_text=_("Internal note of the proposal (encrypted)."))
    notify_citizen = models.BooleanField(
        _("tell the citizen"), default=False, help_text=_("Email the citizen once the decision takes effect.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
        help_text=_("Empty when a rule proposed it."),
    )
    proposed_by_rule = models.CharField(
        _("proposed by rule"), max_length=200, blank=True, help_text=_("Name of the rule that proposed it.")
    )
    letter_template = models.ForeignKey(
        "backoffice.LetterTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decision letter"),
        help_text=_("The letter issued once the decision takes effect."),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING, help_text=_("Where it stands.")
    )
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed or discarded by"),
        help_text=_("The second caseworker."),
    )
    settled_at = models.DateTimeField(_("confirmed or discarded at"), null=True, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"], condition=models.Q(state="pending"), name="one_pending_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} ({self.get_state_display()})"


# Decision letters live in their own module; Django finds models it imports.
from .letter_models import DecisionLetter, LetterTemplate, LetterTemplateVersion  # noqa: E402
from .rule_models import Rule, RuleAction, RuleCondition  # noqa: E402

__all__ = [
    "AuditEvent",
    "Decision",
    "DecisionLetter",
    "DocumentRequest",
    "LetterTemplate",
    "LetterTemplateVersion",
    "Note",
    "Rule",
    "RuleAction",
    "RuleCondition",
    "ServiceAssignment",
    "StatusChange",
]
