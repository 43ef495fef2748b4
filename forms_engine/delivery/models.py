"""Where a city's submissions go: delivery targets per service, and the tokens
of back-office systems that pull."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.fields import EncryptedJSONField


class DeliveryTarget(models.Model):
    """One back office that receives a city's submissions of one service."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    service_slug = models.SlugField(_("online service"), help_text=_("Submissions of this service are delivered here."))
    name = models.CharField(_("name"), max_length=120, help_text=_("e.g. Jugendamt case management."))
    channel = models.CharField(_("channel"), max_length=30, help_text=_("How submissions are delivered."))
    options = models.JSONField(
        _("options"), default=dict, blank=True, editable=False, help_text=_("Settings of the channel, without secrets.")
    )
    secrets = EncryptedJSONField(
        _("secrets"), default=dict, blank=True, editable=False, help_text=_("Secret settings, encrypted at rest.")
    )
    enabled = models.BooleanField(_("enabled"), default=True, help_text=_("Only enabled targets receive submissions."))
    # Circuit breaker (breaker.py): written by the workers, shown in the admin.
    consecutive_failures = models.PositiveIntegerField(
        _("failures in a row"), default=0, editable=False, help_text=_("Failed deliveries since the last success.")
    )
    paused_until = models.DateTimeField(
        _("paused until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "After repeated failures deliveries to this target wait until then; one delivery then tests whether "
            "the back office is back."
        ),
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("delivery target")
        verbose_name_plural = _("delivery targets")

    def __str__(self) -> str:
        return f"{self.name} ({self.channel})"

    def clean(self) -> None:
        from . import registry

        if registry.get(self.channel) is None:
            raise ValidationError({"channel": _("Unknown channel.")})

    def settings(self) -> dict[str, Any]:
        """What the channel reads: its options with the decrypted secrets."""
        return {**(self.options or {}), **(self.secrets or {})}

    def configure(self, values: dict[str, Any]) -> None:
        """Validate channel settings given as one dict (code, the demo, tests)
        and store them split into plain options and encrypted secrets."""
        from . import registry

        channel = registry.get(self.channel)
        if channel is None:
            raise ValidationError({"channel": _("Unknown channel.")})
        self.options, self.secrets = channel.options_from(values, self.secrets).split()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "gmt_" + secrets.token_urlsafe(32)


class PullApiToken(models.Model):
    """Access of one back-office system of one city to the pull API. Only the
    hash of the token is stored; the token is shown once, when it is created."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    system = models.SlugField(
        _("system"), help_text=_("Name of the back-office system; pull delivery targets name it in their options.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False, help_text=_("SHA-256."))
    token_prefix = models.CharField(
        _("token prefix"), max_length=8, editable=False, help_text=_("First characters, to recognise a token.")
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Revoked tokens are refused."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, help_text=_("Last API request."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("pull API token")
        verbose_name_plural = _("pull API tokens")

    def __str__(self) -> str:
        return f"{self.system} ({self.token_prefix}…)"

    @classmethod
    def issue(cls, *, city: Any, system: str) -> tuple[PullApiToken, str]:
        """A new token; returns the row and the plain token (never stored)."""
        token = new_token()
        row = cls.objects.create(city=city, system=system, token_hash=hash_token(token), token_prefix=token[:8])
        return row, token
