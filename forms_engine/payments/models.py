"""A city's payment provider and one row per payment attempt. No card or
account data exists here: the provider's page collects it and keeps it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from forms_engine.lib.fields import EncryptedTextField


class PaymentProvider(models.Model):
    """The XBezahldienste interface of one city (epay21, pmPayment, ePayBL ...)."""

    class Auth(models.TextChoices):
        BASIC = "basic", _("HTTP Basic (e.g. epay21)")
        OAUTH2 = "oauth2", _("OAuth2 client credentials (e.g. pmPayment)")
        CERTIFICATE = "certificate", _("TLS client certificate (e.g. ePayBL)")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    enabled = models.BooleanField(_("enabled"), default=False, help_text=_("Citizens pay fees online."))
    base_url = models.CharField(
        _("base URL"), max_length=500, help_text=_("The provider's XBezahldienste API, ending in /.")
    )
    originator_id = models.CharField(
        _("originator id"), max_length=36, help_text=_("originatorId given by the provider (letters, digits, -).")
    )
    endpoint_id = models.CharField(
        _("endpoint id"), max_length=36, help_text=_("endPointId given by the provider, often the AGS.")
    )
    auth = models.CharField(
        _("authentication"), max_length=16, choices=Auth.choices, default=Auth.BASIC, help_text=_("As required.")
    )
    username = models.CharField(_("user name / client id"), max_length=200, blank=True, help_text=_("Basic, OAuth2."))
    secret = EncryptedTextField(_("password / client secret"), blank=True, default="", help_text=_("Stored encrypted."))
    oauth_url = models.CharField(_("OAuth2 token URL"), max_length=500, blank=True, help_text=_("OAuth2 only."))
    client_certificate = EncryptedTextField(
        _("client certificate and key (PEM)"),
        blank=True,
        default="",
        help_text=_("Client certificate only: certificate and private key in PEM, stored encrypted."),
    )
    server_ca = models.TextField(
        _("CA certificate of the provider (PEM)"),
        blank=True,
        default="",
        help_text=_("Only if the provider's server certificate is not from a public CA: its CA certificate in PEM."),
    )
    methods = models.CharField(
        _("allowed payment methods"),
        max_length=200,
        default="CREDITCARD,PAYPAL,GIROPAY,PAYDIRECT",
        help_text=_("Comma-separated: GIROPAY, PAYDIRECT, CREDITCARD, PAYPAL, OTHER."),
    )
    purpose_template = models.CharField(
        _("purpose text"),
        max_length=100,
        default="{reference}",
        help_text=_("Verwendungszweck, at most 27 characters after filling in {reference}."),
    )
    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("payment provider")
        verbose_name_plural = _("payment providers")
        constraints = [models.UniqueConstraint(fields=["city"], name="one_payment_provider_per_city")]

    def __str__(self) -> str:
        return self.base_url

    def purpose(self, reference: str) -> str:
        return self.purpose_template.replace("{reference}", reference)[:27]


class PaymentRequest(models.Model):
    """One attempt to pay a submission's fee. `request_id` is our idempotent
    requestId at the provider; a new attempt (after cancel/fail) gets a new row.
    Paying after submission starts with one row `offered` (the pay link on the
    confirmation), which becomes the first attempt when the citizen uses it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("pay link offered, not used yet")
        NEW = "new", _("being created")
        INITIAL = "INITIAL", _("open")
        PAYED = "PAYED", _("paid")
        CANCELED = "CANCELED", _("canceled")
        FAILED = "FAILED", _("failed")
        UNREACHABLE = "unreachable", _("provider not reachable")
        EXPIRED = "expired", _("expired")

    class Mode(models.TextChoices):
        BEFORE = "before", _("before submission")
        AFTER = "after", _("after submission")

    OPEN = ("new", "INITIAL")
    # Still asked after the attempt expired: a citizen may have paid late (docs/payments.md).
    LATE_WINDOW = timedelta(hours=24)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city = models.ForeignKey("tenants.City", on_delete=models.PROTECT, verbose_name=_("city"))
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="payments", verbose_name=_("submission")
    )
    request_id = models.CharField(_("request id"), max_length=36, unique=True, help_text=_("requestId sent."))
    mode = models.CharField(
        _("when paid"),
        max_length=8,
        choices=Mode.choices,
        default=Mode.BEFORE,
        help_text=_("Before or after submission."),
    )
    amount_cents = models.PositiveIntegerField(_("amount (cent)"), help_text=_("grosAmount, computed server-side."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW, help_text="")
    method = models.CharField(_("payment method"), max_length=20, blank=True, help_text=_("As the provider says."))
    transaction_id = models.CharField(_("transaction id"), max_length=100, blank=True, help_text=_("Provider's."))
    transaction_url = models.CharField(_("transaction URL"), max_length=2082, blank=True, help_text=_("Status URL."))
    pay_url = models.CharField(_("pay page"), max_length=2082, blank=True, help_text=_("Where the citizen pays."))
    reference = models.CharField(
        _("transaction reference"), max_length=100, blank=True, help_text=_("e.g. the Kassenzeichen.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, help_text="")
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, help_text="")
    polls = models.PositiveIntegerField(_("status polls"), default=0, help_text=_("How often we asked."))
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, help_text=_("For the poller."))
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Unpaid after this: the attempt expires.")
    )
    released_draft = models.UUIDField(
        _("released draft"), null=True, blank=True, help_text=_("The draft given back to the citizen on expiry.")
    )
    late = models.BooleanField(
        _("paid after expiry"),
        default=False,
        help_text=_("The provider booked it after the attempt had expired: the back office checks it."),
    )

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["status", "next_poll_at"], name="payment_due_poll")]
        constraints = [
            # Exactly once: a submission is paid by one request at most.
            models.UniqueConstraint(
                fields=["submission"], condition=models.Q(status="PAYED"), name="one_paid_request_per_submission"
            )
        ]

    def __str__(self) -> str:
        return self.request_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def may_still_be_paid(self) -> bool:
        """Expired at the provider's INITIAL, still within the late window: a
        citizen who paid late is booked, not lost (docs/payments.md)."""
        return (
            self.status == self.Status.EXPIRED
            and not self.late
            and bool(self.transaction_id)
            and self.expires_at is not None
            and timezone.now() < self.expires_at + self.LATE_WINDOW
        )

    @property
    def amount(self) -> str:
        return f"{self.amount_cents / 100:.2f}"

    def schedule_poll(self, now: Any = None) -> None:
        """Back off: 30 s, 1, 2, 4 ... minutes, at most 30 minutes apart."""
        now = now or timezone.now()
        self.next_poll_at = now + timedelta(seconds=min(30 * 2**self.polls, 1800))

    def as_data(self) -> dict[str, Any]:
        """What travels downstream (PDF, payloads, back office)."""
        return {
            "status": self.status,
            "method": self.method,
            "amount": self.amount,
            "currency": "EUR",
            "transactionId": self.transaction_id,
            "transactionReference": self.reference,
            "paidAt": self.paid_at.isoformat() if self.paid_at else None,
        }
