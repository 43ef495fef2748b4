"""Usage events (anonymous, coarse) and their daily roll-up.

An event row holds what happened, in which service and step, the hour it
happened in, a coarse device class and the page language — never an IP
address, a cookie, the user agent, a draft id, an answer or a precise time.
The dashboard and open data read DailyAggregate only.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Event(models.TextChoices):
    STARTED = "started", _("started")
    STEP_SHOWN = "step_shown", _("step shown")
    STEP_COMPLETED = "step_completed", _("step completed")
    SAVED = "saved", _("saved for later")
    RESUMED = "resumed", _("resumed")
    SUBMITTED = "submitted", _("submitted")
    RATING = "rating", _("satisfaction rating")
    ABANDONED = "abandoned", _("abandoned (no activity for a day, or expired)")
    PAID = "paid", _("paid online (step: the payment method)")


class Device(models.TextChoices):
    MOBILE = "mobile", _("mobile")
    DESKTOP = "desktop", _("desktop")
    UNKNOWN = "unknown", _("unknown")


class UsageEvent(models.Model):
    """One anonymous event in a citizen's use of an online service."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    service_slug = models.SlugField(_("online service"), help_text=_("Slug of the online service."))
    event = models.CharField(_("event"), max_length=20, choices=Event.choices, help_text=_("What happened."))
    step = models.CharField(_("step"), max_length=50, blank=True, help_text=_("Step name, where the event has one."))
    hour = models.DateTimeField(_("hour"), help_text=_("Start of the hour the event happened in (never more precise)."))
    device = models.CharField(
        _("device class"),
        max_length=10,
        choices=Device.choices,
        default=Device.UNKNOWN,
        help_text=_("Mobile or desktop, guessed coarsely; the user agent itself is not stored."),
    )
    language = models.CharField(_("language"), max_length=8, blank=True, help_text=_("Language of the page, e.g. de."))
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"), null=True, blank=True, help_text=_("Submitted events: seconds from start to submit.")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, help_text=_("Rating events: satisfaction from 1 (poor) to 5 (very good).")
    )

    objects: ClassVar[models.Manager[UsageEvent]] = ScopedManager(city="city")

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        indexes = [models.Index(fields=["city", "hour"], name="usage_event_city_hour")]

    def __str__(self) -> str:
        return f"{self.service_slug} {self.event} {self.step}".strip()


class DailyAggregate(models.Model):
    """Figures of one service in one city on one (local) day, rebuilt by the roll-up."""

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    service_slug = models.SlugField(_("online service"), help_text=_("Slug of the online service."))
    day = models.DateField(_("day"), help_text=_("Calendar day in the site's time zone."))
    starts = models.PositiveIntegerField(_("starts"), default=0, help_text=_("Services started."))
    submissions = models.PositiveIntegerField(_("submissions"), default=0, help_text=_("Services submitted."))
    saved = models.PositiveIntegerField(_("saved"), default=0, help_text=_("Saved for later."))
    resumed = models.PositiveIntegerField(_("resumed"), default=0, help_text=_("Resumed from a saved draft."))
    abandoned = models.PositiveIntegerField(
        _("abandoned"), default=0, help_text=_("Drafts left without activity (or expired) unsubmitted.")
    )
    steps_shown = models.JSONField(_("steps shown"), default=dict, blank=True, help_text=_("{step: times shown}."))
    steps_completed = models.JSONField(
        _("steps completed"), default=dict, blank=True, help_text=_("{step: times completed}.")
    )
    abandoned_at = models.JSONField(
        _("abandoned at step"), default=dict, blank=True, help_text=_("{last step reached: abandoned drafts}.")
    )
    durations = models.JSONField(
        _("durations"),
        default=list,
        blank=True,
        help_text=_("Seconds from start to submit, sorted, one per submission."),
    )
    ratings = models.JSONField(_("ratings"), default=dict, blank=True, help_text=_("{1..5: number of ratings}."))
    devices = models.JSONField(_("devices"), default=dict, blank=True, help_text=_("{device class: starts}."))
    languages = models.JSONField(_("languages"), default=dict, blank=True, help_text=_("{language: starts}."))
    payment_methods = models.JSONField(
        _("payment methods"), default=dict, blank=True, help_text=_("{payment method: online payments}.")
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True, help_text=_("When the roll-up last ran."))

    objects: ClassVar[models.Manager[DailyAggregate]] = ScopedManager(city="city")

    class Meta:
        verbose_name = _("daily usage figures")
        verbose_name_plural = _("daily usage figures")
        constraints = [
            models.UniqueConstraint(fields=["city", "service_slug", "day"], name="unique_daily_aggregate"),
        ]
        indexes = [models.Index(fields=["city", "day"], name="daily_aggregate_city_day")]

    def __str__(self) -> str:
        return f"{self.service_slug} {self.day}"
