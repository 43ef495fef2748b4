"""A city's BundID settings, the logins under way, the assertion IDs seen,
and what ties drafts and submissions to a citizen (an HMAC of the BundID
pseudonym, never the pseudonym)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.crypto import keyed_hash
from forms_engine.lib.fields import EncryptedJSONField, EncryptedTextField

TEST_IDP = "https://int.id.bund.de/idp"
PROD_IDP = "https://id.bund.de/idp"


def owner_hash(pseudonym: str) -> str:
    """What identifies a citizen's drafts and submissions: HMAC of the pseudonym."""
    return keyed_hash(pseudonym, purpose="bundid-owner")


class BundIdSettings(models.Model):
    """One city's service provider at BundID."""

    class Environment(models.TextChoices):
        TEST = "test", _("test (int.id.bund.de)")
        PROD = "prod", _("production (id.bund.de)")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    enabled = models.BooleanField(
        _("enabled"), default=False, help_text=_("Citizens may log in with BundID on this city's services.")
    )
    environment = models.CharField(
        _("environment"),
        max_length=8,
        choices=Environment.choices,
        default=Environment.TEST,
        help_text=_("Which BundID the IdP metadata belongs to."),
    )
    entity_id = models.CharField(
        _("SP entity id"),
        max_length=500,
        blank=True,
        help_text=_("As registered with BundID. Empty: the city's metadata URL (https://<host>/bundid/metadata/)."),
    )
    sp_key = EncryptedTextField(
        _("SP private key (PEM)"),
        blank=True,
        default="",
        help_text=_("Signs requests and decrypts assertions. Stored encrypted."),
    )
    sp_certificate = models.TextField(
        _("SP certificate (PEM)"), blank=True, help_text=_("The certificate registered with BundID for the key.")
    )
    idp_metadata = models.TextField(
        _("IdP metadata (XML)"), blank=True, help_text=_("BundID's metadata, uploaded; or fetched from the URL below.")
    )
    idp_metadata_url = models.CharField(
        _("IdP metadata URL"),
        max_length=500,
        blank=True,
        help_text=_("e.g. https://int.id.bund.de/idp; the admin fetches it on save."),
    )
    required_services = models.CharField(
        _("services that require the login"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated service slugs whose optional BundID login this city requires."),
    )
    organisation_name = models.CharField(
        _("name shown at BundID"),
        max_length=200,
        blank=True,
        help_text=_("OrganizationDisplayName in the request. Empty: the city's name."),
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("BundID settings")
        verbose_name_plural = _("BundID settings")
        constraints = [models.UniqueConstraint(fields=["city"], name="one_bundid_settings_per_city")]

    def __str__(self) -> str:
        return self.entity_id or str(self.city)

    def required(self) -> set[str]:
        """The services that can be used only logged in."""
        return {s.strip() for s in self.required_services.split(",") if s.strip()}

    def requires(self, service_slug: str) -> bool:
        return service_slug in self.required()

    @property
    def ready(self) -> bool:
        return self.enabled and bool(self.sp_key and self.sp_certificate and self.idp_metadata)


class LoginAttempt(models.Model):
    """An AuthnRequest on its way. The IdP posts its answer cross-site, where
    the session cookie (SameSite=Lax) is not sent: the answer is checked against
    this row (InResponseTo), and handed to the browser whose session started it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    request_id = models.CharField(_("request id"), max_length=100, unique=True, help_text=_("AuthnRequest ID."))
    service_slug = models.SlugField(_("online service"), blank=True, help_text=_("Where the login started."))
    next_url = models.CharField(_("next page"), max_length=500, help_text=_("Where the citizen goes after login."))
    identity = EncryptedJSONField(
        _("verified identity"), null=True, blank=True, help_text=_("Set by the ACS until the browser picks it up.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, help_text="")

    objects = ScopedManager(city="city")

    LIFETIME = timedelta(minutes=30)

    class Meta:
        verbose_name = _("BundID login under way")
        verbose_name_plural = _("BundID logins under way")

    def __str__(self) -> str:
        return self.request_id

    @property
    def expired(self) -> bool:
        return self.created_at + self.LIFETIME < timezone.now()


class SeenAssertion(models.Model):
    """Assertion IDs already accepted: the same assertion twice is a replay."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    assertion_id = models.CharField(_("assertion id"), max_length=200, help_text="")
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now, help_text="")

    objects = ScopedManager(city="city")

    # Longer than any assertion we accept is valid (NotOnOrAfter, minutes at BundID).
    KEEP = timedelta(days=1)

    class Meta:
        verbose_name = _("seen assertion")
        verbose_name_plural = _("seen assertions")
        constraints = [models.UniqueConstraint(fields=["assertion_id"], name="assertion_seen_once")]

    def __str__(self) -> str:
        return self.assertion_id


class DraftOwner(models.Model):
    """A draft started or continued while logged in belongs to that citizen."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    draft = models.OneToOneField(
        "wizard.Draft", on_delete=models.CASCADE, related_name="bundid_owner", verbose_name=_("draft")
    )
    owner = models.CharField(_("citizen (HMAC)"), max_length=64, help_text=_("HMAC of the BundID pseudonym."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("draft owner")
        verbose_name_plural = _("draft owners")
        indexes = [models.Index(fields=["city", "owner"], name="draft_owner_lookup")]

    def __str__(self) -> str:
        return self.owner[:12]


class SubmissionIdentity(models.Model):
    """How the applicant proved their identity, recorded at submit."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="identity", verbose_name=_("submission")
    )
    owner = models.CharField(_("citizen (HMAC)"), max_length=64, help_text=_("HMAC of the BundID pseudonym."))
    provider = models.CharField(_("provider"), max_length=20, default="BundID", help_text="")
    level = models.CharField(_("trust level"), max_length=16, help_text=_("basic, substantial or high."))
    stork_level = models.PositiveSmallIntegerField(_("STORK-QAA level"), help_text=_("As BundID sent it, 1-4."))
    authenticated_at = models.DateTimeField(_("authenticated at"), help_text=_("AuthnInstant of the assertion."))
    attributes = EncryptedJSONField(
        _("attributes"), default=dict, help_text=_("The BundID attributes received, encrypted.")
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("proven identity")
        verbose_name_plural = _("proven identities")
        indexes = [models.Index(fields=["city", "owner"], name="submission_owner_lookup")]

    def __str__(self) -> str:
        return f"{self.provider} {self.level}"

    def as_data(self) -> dict[str, str | int]:
        """What travels downstream (PDF, payloads, back office): never the attributes."""
        return {
            "provider": self.provider,
            "trustLevel": self.level,
            "storkQaaLevel": self.stork_level,
            "authenticatedAt": self.authenticated_at.isoformat(),
        }


@receiver(post_save, sender=BundIdSettings, dispatch_uid="identity.settings.saved")
@receiver(post_delete, sender=BundIdSettings, dispatch_uid="identity.settings.deleted")
def _forget_gate(sender: type, instance: BundIdSettings, **kwargs: Any) -> None:
    from .access import forget_gate

    forget_gate(instance.city_id)
