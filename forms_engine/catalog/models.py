from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager, scopes_disabled

from forms_engine.lib import cache

from . import registry
from .base import OnlineService, Parameter, ServiceContext


class ConfirmationAttachment(models.TextChoices):
    """What the confirmation email carries (base.CONFIRMATION_ATTACHMENTS)."""

    PDF = "pdf", _("the application as PDF attachment")
    LINK = "link", _("a link to download the application (with the code shown after submitting)")
    NONE = "none", _("no copy of the application")


class CityServiceQuerySet(models.QuerySet["CityService"]):
    def active(self) -> CityServiceQuerySet:
        return self.filter(enabled=True, service_slug__in=[s.slug for s in registry.all_services()])


def _coerce(parameter: Parameter, raw: Any) -> Any:
    """Type-check one parameter value; raises ValidationError with its label."""
    try:
        if parameter.kind == "decimal":
            value: Any = Decimal(str(raw))
        elif parameter.kind == "int":
            value = int(raw)
        elif parameter.kind == "bool":
            if not isinstance(raw, bool):
                raise TypeError
            value = raw
        elif parameter.kind == "list":
            if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
                raise TypeError
            value = raw
        else:
            value = str(raw)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            _("%(label)s: %(value)r is not a valid %(kind)s."),
            params={"label": parameter.label, "value": raw, "kind": parameter.kind},
        ) from exc
    if parameter.min_value is not None and value < parameter.min_value:
        raise ValidationError(
            _("%(label)s must be at least %(min)s."), params={"label": parameter.label, "min": parameter.min_value}
        )
    if parameter.max_value is not None and value > parameter.max_value:
        raise ValidationError(
            _("%(label)s must be at most %(max)s."), params={"label": parameter.label, "max": parameter.max_value}
        )
    return value


class CityService(models.Model):
    """An online service switched on (or off) for one city, with its settings."""

    class PaymentMode(models.TextChoices):
        NONE = "", _("not online (the fee is only shown)")
        BEFORE = "before", _("required before submission")
        AFTER = "after", _("allowed after submission (pay link on the confirmation)")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"), related_name="services")
    service_slug = models.SlugField(_("online service"), help_text=_("Which registered online service this is."))
    enabled = models.BooleanField(
        _("switched on"), default=False, help_text=_("Only switched-on services are offered.")
    )
    office_name = models.CharField(_("responsible office"), max_length=200, blank=True, help_text=_("e.g. Jugendamt."))
    office_address = models.TextField(_("office address"), blank=True, help_text=_("Postal address of the office."))
    office_email = models.EmailField(_("office email"), blank=True, help_text=_("Shown to citizens for questions."))
    office_phone = models.CharField(_("office phone"), max_length=40, blank=True, help_text=_("Shown to citizens."))
    parameters = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_("Fees and other settings the service declares.")
    )
    retention_days = models.PositiveIntegerField(
        _("retention (days after closing)"), default=90, help_text=_("Closed submissions are deleted after this.")
    )
    draft_days = models.PositiveIntegerField(
        _("draft period (days)"), default=30, help_text=_("Unsubmitted drafts are deleted after this.")
    )
    processing_days = models.PositiveIntegerField(
        _("processing deadline (days)"),
        default=30,
        help_text=_("Bearbeitungsfrist: a submission is due this many days after it was received."),
    )
    document_days = models.PositiveIntegerField(
        _("deadline for requested documents (days)"),
        default=14,
        help_text=_("How long the citizen has to hand in documents the back office asks for."),
    )
    confirmation_attachment = models.CharField(
        _("confirmation email carries"),
        max_length=8,
        blank=True,
        choices=ConfirmationAttachment.choices,
        help_text=_(
            "Empty: the service's default. Only the choices the service allows are accepted: services with "
            "social data (e.g. Unterhaltsvorschuss) never send the application as an email attachment."
        ),
    )
    payment_mode = models.CharField(
        _("online payment"),
        max_length=8,
        blank=True,
        default="",
        choices=PaymentMode.choices,
        help_text=_(
            "How citizens pay the fee online (needs the city's payment provider). Only the modes the "
            "online service allows can be chosen."
        ),
    )
    four_eyes = models.BooleanField(
        _("four eyes for decisions"),
        default=False,
        help_text=_(
            "An approval or rejection takes effect only when a second caseworker of the city confirms it; "
            "the one who proposed it cannot confirm it."
        ),
    )
    fees_confirmed = models.BooleanField(
        _("fees and settings checked"),
        default=False,
        help_text=_(
            "Tick once the fees and settings below are this city's own: until then they are the service's "
            "suggested values and the admin warns about them."
        ),
    )

    objects = ScopedManager(city="city", _manager_class=models.Manager.from_queryset(CityServiceQuerySet))

    class Meta:
        verbose_name = _("online service of a city")
        verbose_name_plural = _("online services of a city")
        constraints = [models.UniqueConstraint(fields=["city", "service_slug"], name="unique_service_per_city")]

    def __str__(self) -> str:
        service = self.service
        return f"{service.title if service else self.service_slug} ({self.city})"

    @property
    def service(self) -> OnlineService | None:
        return registry.get(self.service_slug)

    def params(self) -> dict[str, Any]:
        """The service's parameters: this city's values over the defaults, typed."""
        service = self.service
        if service is None:
            return {}
        values = service.default_params()
        for parameter in service.parameters:
            if parameter.key in (self.parameters or {}):
                values[parameter.key] = _coerce(parameter, self.parameters[parameter.key])
            elif parameter.kind == "decimal":
                values[parameter.key] = Decimal(str(parameter.default))
        return values

    def confirmation_mode(self) -> str:
        """What this city's confirmation email carries: its choice if the
        service allows it, else the service's default."""
        return confirmation_mode(self.service, self)

    def context(self) -> ServiceContext:
        return ServiceContext(city_service=self, params=self.params())

    def clean(self) -> None:
        service = self.service
        if service is None:
            raise ValidationError({"service_slug": _("No online service with this name is installed.")})
        known = {p.key: p for p in service.parameters}
        unknown = set(self.parameters or {}) - set(known)
        if unknown:
            raise ValidationError(
                {"parameters": _("Unknown parameters: %(keys)s") % {"keys": ", ".join(sorted(unknown))}}
            )
        if self.confirmation_attachment and self.confirmation_attachment not in service.confirmation_attachments:
            labels = [str(ConfirmationAttachment(c).label) for c in service.confirmation_attachments]
            raise ValidationError(
                {
                    "confirmation_attachment": _("This service allows only: %(allowed)s.")
                    % {"allowed": "; ".join(labels)}
                }
            )
        errors = []
        for key, raw in (self.parameters or {}).items():
            try:
                _coerce(known[key], raw)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError({"parameters": errors})
        if self.payment_mode and self.payment_mode not in service.payment_modes:
            modes = ", ".join(str(self.PaymentMode(m).label) for m in service.payment_modes) or _("none")
            raise ValidationError(
                {
                    "payment_mode": _("This online service does not allow this kind of payment. Allowed: %(allowed)s.")
                    % {"allowed": modes}
                }
            )


# A city's service settings are read on every citizen page (step, check page,
# start page) and change a few times a year: cached like the host → city lookup
# (tenants/hosts.py), forgotten on every save and delete; other processes with a
# per-process cache see a change after at most this long. The row holds no
# secret (delivery targets and their credentials are rows of their own).
OFFERED_CACHE_SECONDS = 60


def _offered_key(city_id: int, service_slug: str) -> str:
    return f"catalog:cityservice:{city_id}:{service_slug}"


def city_service_for(city: Any, service_slug: str) -> CityService | None:
    """The city's row for the service, switched on or not (the caller decides
    whether a switched-off service may be shown, e.g. in a preview)."""
    row = cache.remember(
        _offered_key(city.pk, service_slug),
        OFFERED_CACHE_SECONDS,
        lambda: CityService.objects.filter(city_id=city.pk, service_slug=service_slug).first(),
    )
    if row is not None:
        row.city = city  # the request's city, already loaded
    return row  # type: ignore[no-any-return]


def forget_city_service(city_id: int, service_slug: str) -> None:
    cache.delete(_offered_key(city_id, service_slug))


@receiver(pre_save, sender=CityService, dispatch_uid="catalog.cityservice.renamed")
def _forget_renamed(sender: type, instance: CityService, **kwargs: Any) -> None:
    """A row moved to another service (or city) is forgotten under its old key too."""
    if instance.pk is None or kwargs.get("raw"):
        return
    with scopes_disabled():
        old = CityService.objects.filter(pk=instance.pk).values_list("city_id", "service_slug").first()
    if old is not None and old != (instance.city_id, instance.service_slug):
        forget_city_service(*old)


@receiver(post_save, sender=CityService, dispatch_uid="catalog.cityservice.saved")
@receiver(post_delete, sender=CityService, dispatch_uid="catalog.cityservice.deleted")
def _forget_saved(sender: type, instance: CityService, **kwargs: Any) -> None:
    forget_city_service(instance.city_id, instance.service_slug)


def confirmation_mode(service: OnlineService | None, city_service: CityService | None) -> str:
    """ "pdf", "link" or "none": the city's choice within what the service allows."""
    allowed = tuple(service.confirmation_attachments) if service else ("pdf",)
    chosen = city_service.confirmation_attachment if city_service else ""
    return chosen if chosen in allowed else allowed[0]


class CityText(models.Model):
    """A text the city wrote itself, in one language: the notes on a service's
    start page or one of the emails to citizens. Without one the service's
    default is used. Rendered by catalog.texts in Jinja2's sandbox over plain
    values, never over model objects."""

    class Kind(models.TextChoices):
        START_NOTES = "start_notes", _("notes on the start page")
        CONFIRMATION = "confirmation", _("confirmation email")
        DECISION_APPROVED = "decision_approved", _("decision email: approved")
        DECISION_REJECTED = "decision_rejected", _("decision email: rejected")
        DOCUMENT_REQUEST = "document_request", _("document request email")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    city_service = models.ForeignKey(
        CityService,
        on_delete=models.CASCADE,
        related_name="texts",
        verbose_name=_("online service"),
        help_text=_("The service of this city the text belongs to."),
    )
    kind = models.CharField(_("text"), max_length=30, choices=Kind.choices, help_text=_("Which text this is."))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, help_text=_("Shown to citizens using this language.")
    )
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("Subject line of the email; not used on pages.")
    )
    body = models.TextField(_("text"), max_length=10000, help_text=_("Placeholders are written as {{ name }}."))
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("text of a city")
        verbose_name_plural = _("texts of a city")
        constraints = [
            models.UniqueConstraint(fields=["city_service", "kind", "language"], name="unique_city_text"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_language_display()})"


class PublishedSchema(models.Model):
    """The JSON Schema of one data schema version of a service, as first
    published. Deliveries link to it; it is served forever, unchanged, also
    after the service's code has moved on to a newer version."""

    service_slug = models.SlugField(_("online service"))
    data_schema_version = models.CharField(_("data schema version"), max_length=20)
    service_version = models.CharField(_("service version"), max_length=20, help_text=_("When first published."))
    schema = models.JSONField(_("schema"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published data schema")
        verbose_name_plural = _("published data schemas")
        constraints = [
            models.UniqueConstraint(fields=["service_slug", "data_schema_version"], name="unique_published_schema")
        ]

    def __str__(self) -> str:
        return f"{self.service_slug} {self.data_schema_version}"
