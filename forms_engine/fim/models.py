from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class FimServiceVersion(models.Model):
    """One imported version of a data-defined service. Published versions never
    change: a newer FIM version is a new row, and submissions name the version
    they were made with (Submission.service_version)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("imported, not published")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(_("online service"), max_length=60, help_text=_("Derived from the FIM schema id."))
    schema_id = models.CharField(_("FIM schema id"), max_length=40, help_text=_("identifikation/id of the schema."))
    version = models.CharField(_("version"), max_length=20, help_text=_("identifikation/version of the schema."))
    title = models.CharField(_("title"), max_length=300, help_text=_("bezeichnungEingabe of the schema."))
    fim_format = models.CharField(_("XDatenfelder version"), max_length=10, help_text=_("2.0 or 3.0.0."))
    source_name = models.CharField(_("uploaded file"), max_length=200, help_text=_("Name of the uploaded file."))
    definition = models.JSONField(_("definition"), help_text=_("Steps and fields built from the document."))
    report = models.JSONField(_("import report"), help_text=_("Every element and what became of it."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, help_text=_("Only published runs.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, help_text=_("When it was uploaded."))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, help_text=_("When published."))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("imported by"),
        help_text=_("The operator who uploaded it."),
    )

    class Meta:
        verbose_name = _("FIM service version")
        verbose_name_plural = _("FIM service versions")
        ordering = ["slug", "-imported_at"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="unique_fim_service_version")]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and FimServiceVersion.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise ValidationError(_("A published service version cannot be changed."))
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
