from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.crypto import keyed_hash
from forms_engine.lib.fields import EncryptedJSONField

RESUME_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RESUME_CODE_LENGTH = 20  # 20 symbols of 32: 100 bits


def new_resume_code() -> str:
    raw = "".join(secrets.choice(RESUME_CODE_ALPHABET) for _i in range(RESUME_CODE_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, RESUME_CODE_LENGTH, 5))


def normalise_resume_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def hash_resume_code(code: str) -> str:
    return keyed_hash(normalise_resume_code(code), purpose="resume")


class Draft(models.Model):
    """A citizen's unfinished application, server-side and encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    service_slug = models.SlugField(_("online service"), help_text=_("Slug of the online service."))
    service_version = models.CharField(_("service version"), max_length=20, help_text=_("Version it was started with."))
    answers = EncryptedJSONField(_("answers"), default=dict, help_text=_("Answers per step, encrypted."))
    completed_steps = models.JSONField(_("completed steps"), default=list, help_text=_("Names of completed steps."))
    revision = models.PositiveIntegerField(_("revision"), default=0, help_text=_("Increases with every saved change."))
    language = models.CharField(_("language"), max_length=8, default="de", help_text=_("Language at start."))
    resume_code_hash = models.CharField(
        _("resume code hash"), max_length=64, null=True, blank=True, unique=True, help_text=_("Only the hash is kept.")
    )
    expires_at = models.DateTimeField(_("expires at"), help_text=_("Deleted after this if not submitted."))
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    abandoned_counted_at = models.DateTimeField(
        _("counted as abandoned at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When usage statistics counted this draft as abandoned after a period without activity."),
    )
    submission = models.OneToOneField(
        "submissions.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft",
        verbose_name=_("submission"),
        help_text=_("Set once submitted; a second submit returns this one."),
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        indexes = [models.Index(fields=["expires_at"], name="draft_expiry")]

    def __str__(self) -> str:
        return f"{self.service_slug} draft {self.id}"

    @classmethod
    def start(cls, *, city: Any, service: Any, language: str, days: int) -> Draft:
        return cls.objects.create(
            city=city,
            service_slug=service.slug,
            service_version=service.version,
            language=language,
            expires_at=timezone.now() + timedelta(days=days),
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def issue_resume_code(self) -> str:
        """A new code (the old one stops working). Only its hash is stored."""
        code = new_resume_code()
        self.resume_code_hash = hash_resume_code(code)
        self.save(update_fields=["resume_code_hash", "updated_at"])
        return code
