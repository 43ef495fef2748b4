"""Decision letters (Bescheide): the city's templates per city service,
versioned, and the letters issued from them. Imported by models.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.fields import EncryptedTextField

DECISION_CHOICES = [("approved", _("approval")), ("rejected", _("rejection"))]


class LetterTemplate(models.Model):
    """A decision letter of one city service, written by the city administrator.
    Each saved change is a new version (LetterTemplateVersion); a letter keeps
    the version it was made from."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    city_service = models.ForeignKey(
        "catalog.CityService",
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("online service"),
        help_text=_("The service of this city the letter belongs to."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Bewohnerparkausweis – Bewilligung”."))
    decision = models.CharField(
        _("for the decision"), max_length=24, choices=DECISION_CHOICES, help_text=_("Approval or rejection.")
    )
    subject = models.CharField(
        _("subject of the letter"),
        max_length=200,
        help_text=_("Heading of the letter and subject of the email, e.g. “Bescheid zu {{ reference }}”."),
    )
    body = models.TextField(
        _("text of the letter"),
        max_length=10000,
        help_text=_("Placeholders are written as {{ name }}, conditions as {% if name %}…{% endif %}."),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False, help_text=_("Saved versions."))
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("decision letter template")
        verbose_name_plural = _("decision letter templates")
        constraints = [models.UniqueConstraint(fields=["city_service", "name"], name="unique_letter_template_name")]

    def __str__(self) -> str:
        return self.name


class LetterTemplateVersion(models.Model):
    """One saved state of a template, never changed afterwards."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.CASCADE, related_name="versions", verbose_name=_("template")
    )
    number = models.PositiveIntegerField(_("version"))
    subject = models.CharField(_("subject of the letter"), max_length=200)
    body = models.TextField(_("text of the letter"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("saved by"),
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("version of a decision letter template")
        verbose_name_plural = _("versions of decision letter templates")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="unique_letter_template_version")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class DecisionLetter(models.Model):
    """A letter issued on a case: its text as rendered when the decision took
    effect (encrypted), the PDF once the letter step made it (an attachment
    of the case), and the email step that sends it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="letters", verbose_name=_("submission")
    )
    template_version = models.ForeignKey(
        LetterTemplateVersion,
        null=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        verbose_name=_("template version"),
    )
    decision = models.CharField(_("decision"), max_length=24, choices=DECISION_CHOICES)
    subject = EncryptedTextField(_("subject"), help_text=_("As rendered (encrypted)."))
    body = EncryptedTextField(_("text"), help_text=_("As rendered (encrypted)."))
    attachment = models.ForeignKey(
        "submissions.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF"),
        help_text=_("The letter as PDF/UA, attached to the case."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_by_rule = models.CharField(_("issued by rule"), max_length=200, blank=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.created_at:%Y-%m-%d}"
