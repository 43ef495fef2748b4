from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .hosts import forget_host, normalise_host
from .validators import validate_accent_colour, validate_coat_of_arms


class City(models.Model):
    """A municipality: the tenant. Every city-owned row points here."""

    name = models.CharField(_("name"), max_length=120, help_text=_("Official name, e.g. Universitätsstadt Gießen."))
    article = models.CharField(
        _("article of the name"),
        max_length=3,
        blank=True,
        choices=[("die", "die"), ("der", "der"), ("das", "das")],
        help_text=_(
            'The German article the official name takes, e.g. "die" for "Universitätsstadt Gießen"; '
            'empty for a bare place name such as "Fulda". Texts then say "an die Universitätsstadt Gießen".'
        ),
    )
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Short identifier used in URLs and file names."))
    short_code = models.CharField(
        _("reference prefix"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters."))],
        help_text=_("Prefix of reference numbers, e.g. GI for Gießen."),
    )
    ags = models.CharField(
        _("municipality key (AGS)"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", _("The AGS has exactly eight digits."))],
        help_text=_("Amtlicher Gemeindeschlüssel, eight digits."),
    )
    population = models.PositiveIntegerField(
        _("population"), default=0, help_text=_("Inhabitants, for per-capita figures.")
    )
    coat_of_arms = models.FileField(
        _("coat of arms"),
        upload_to="coats-of-arms/",
        blank=True,
        validators=[validate_coat_of_arms],
        help_text=_("PNG or SVG, at most 512 KB. SVG files with scripts are refused."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#004b87",
        validators=[validate_accent_colour],
        help_text=_("#rrggbb; needs a contrast of at least 4.5:1 against white."),
    )
    contact_address = models.TextField(
        _("contact address"), blank=True, help_text=_("Postal address of the city hall.")
    )
    contact_phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, help_text=_("Central phone number.")
    )
    contact_email = models.EmailField(_("contact email"), blank=True, help_text=_("Central email address."))
    opening_hours = models.TextField(_("opening hours"), blank=True, help_text=_("Shown in the footer."))
    imprint = models.TextField(_("imprint"), blank=True, help_text=_("Impressum, plain text."))
    privacy_statement = models.TextField(
        _("privacy statement"), blank=True, help_text=_("Datenschutzerklärung, plain text.")
    )
    accessibility_statement = models.TextField(
        _("accessibility statement"), blank=True, help_text=_("Erklärung zur Barrierefreiheit, plain text.")
    )
    feedback_contact = models.EmailField(
        _("feedback contact"), blank=True, help_text=_("Where citizens report barriers (answered within six weeks).")
    )
    sender_email = models.EmailField(
        _("sender email address"), blank=True, help_text=_("From address of emails to citizens.")
    )
    draft_retention_days = models.PositiveIntegerField(
        _("draft period (days)"), default=30, help_text=_("Unsubmitted drafts and resume codes expire after this.")
    )
    analytics_opt_in = models.BooleanField(
        _("takes part in the city comparison and open data"),
        default=False,
        help_text=_(
            "Share anonymous monthly usage figures with the participating cities and publish them as open data."
        ),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # The host cache holds the City object itself: drop it so name, colour
        # and texts change at once.
        self.forget_hosts()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.forget_hosts()
        return super().delete(*args, **kwargs)

    def forget_hosts(self) -> None:
        for host in Domain._base_manager.filter(city=self).values_list("host", flat=True):
            forget_host(host)

    def name_to(self) -> str:
        """The city as the addressee in the page's language, with its article:
        "an die Universitätsstadt Gießen", "an Fulda"; "to Universitätsstadt Gießen"."""
        patterns = {
            "die": pgettext("sent to a city whose name takes the article die", "to %(name)s"),
            "der": pgettext("sent to a city whose name takes the article der", "to %(name)s"),
            "das": pgettext("sent to a city whose name takes the article das", "to %(name)s"),
        }
        return patterns.get(self.article, gettext("to %(name)s")) % {"name": self.name}


class Domain(models.Model):
    """A host name that serves one city."""

    host = models.CharField(
        _("host"), max_length=253, unique=True, help_text=_("Host name without port, e.g. giessen.localhost.")
    )
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="domains", verbose_name=_("city"))
    is_primary = models.BooleanField(_("primary"), default=True, help_text=_("Used when the city's links are built."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.host

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.host = normalise_host(self.host)
        if self.pk:
            old_host = Domain._base_manager.filter(pk=self.pk).values_list("host", flat=True).first()
            if old_host:
                forget_host(old_host)
        super().save(*args, **kwargs)
        forget_host(self.host)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        forget_host(self.host)
        return super().delete(*args, **kwargs)


class Heartbeat(models.Model):
    """Last sign of life of a Celery worker or of beat, read by /healthz/ready."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("worker")
        BEAT = "beat", _("beat")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, help_text=_("Worker or beat."))
    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Worker host name or 'beat'."))
    seen_at = models.DateTimeField(_("seen at"), help_text=_("Time of the last heartbeat."))
    queues = models.CharField(
        _("queues"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Queues the worker consumes, comma-separated; recorded only while it is connected to the broker."),
    )

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%H:%M:%S}"
