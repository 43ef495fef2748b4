"""Delivery targets in the admin, per city: each channel's settings as ordinary
typed fields (no JSON), secrets never shown again, "Verbindung testen"."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forms_engine.catalog import registry as services
from forms_engine.catalog.admin_fields import ServiceFilter, service_choices
from forms_engine.staff.admin_site import CityOwnedAdmin, site

from . import registry
from .base import Channel, ConnectionTestFailed
from .models import DeliveryTarget
from .options import ChannelOptionsForm


def option_field_name(channel: Channel, field: str) -> str:
    """The name of a channel's field in the target form: the channel's options
    form uses the channel name as its prefix, so both read the same POST key."""
    return f"{channel.name}-{field}"


def _shown(field: forms.Field) -> forms.Field:
    """A copy of a channel's field for display in the combined form. The target
    form does not validate it (the channel's own form does, for the chosen
    channel only), and it is never `required` in HTML, since the other
    channels' fieldsets are on the page too."""
    shown = copy.deepcopy(field)
    shown.required = False
    shown.validators = []
    shown.clean = lambda value: value  # type: ignore[method-assign]
    return shown


class DeliveryTargetFormBase(forms.ModelForm):  # type: ignore[type-arg]
    channel = forms.ChoiceField(label=gettext_lazy("channel"), choices=registry.choices)
    service_slug = forms.ChoiceField(
        label=gettext_lazy("online service"),
        choices=service_choices,
    )
    use_required_attribute = False

    class Meta:
        model = DeliveryTarget
        fields = ["name", "service_slug", "channel", "enabled"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_forms: dict[str, ChannelOptionsForm] = {}
        instance: DeliveryTarget = self.instance
        for channel in registry.all_channels():
            mine = bool(instance.pk) and instance.channel == channel.name
            option_form = channel.options_form(
                data=self.data if self.is_bound else None,
                initial=channel.options_form.initial_from(instance.options or {}) if mine else None,
                prefix=channel.name,
                stored_secrets=instance.secrets if mine else None,
            )
            self.option_forms[channel.name] = option_form
            for name, field in option_form.fields.items():
                key = option_field_name(channel, name)
                self.fields[key] = _shown(field)
                self.initial[key] = option_form.get_initial_for_field(field, name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        channel = registry.get(str(cleaned.get("channel") or ""))
        if channel is None:
            return cleaned
        option_form = self.option_forms[channel.name]
        if not option_form.is_valid():
            for name, errors in option_form.errors.items():
                self.add_error(None if name == NON_FIELD_ERRORS else option_field_name(channel, name), errors)
            return cleaned
        self.instance.options, self.instance.secrets = option_form.split()
        return cleaned


def target_form_class() -> type[DeliveryTargetFormBase]:
    """The target form with every registered channel's fields declared, so
    that the admin's fieldsets can name them."""
    fields: dict[str, Any] = {}
    for channel in registry.all_channels():
        for name, field in channel.options_form.base_fields.items():
            fields[option_field_name(channel, name)] = _shown(field)
    return type("DeliveryTargetForm", (DeliveryTargetFormBase,), fields)


def run_connection_test(request: HttpRequest, target: DeliveryTarget) -> None:
    channel = registry.get(target.channel)
    if channel is None:
        messages.error(request, _("%(target)s: unknown channel.") % {"target": target.name})
        return
    try:
        result = channel.test_connection(target)
    except ConnectionTestFailed as exc:
        messages.error(
            request, _("%(target)s: connection test failed. %(reason)s") % {"target": target.name, "reason": exc}
        )
    else:
        messages.success(
            request, _("%(target)s: connection works. %(result)s") % {"target": target.name, "result": result}
        )


@admin.action(description=gettext_lazy("Test connection"))
def test_connection(modeladmin: Any, request: HttpRequest, queryset: QuerySet[DeliveryTarget]) -> None:
    for target in queryset:
        run_connection_test(request, target)


@admin.action(description=gettext_lazy("Send a test delivery"))
def send_test_delivery(modeladmin: Any, request: HttpRequest, queryset: QuerySet[DeliveryTarget]) -> None:
    from .dispatch import test_delivery

    for target in queryset:
        try:
            test_delivery(target)
        except Exception as exc:
            messages.error(request, _("%(target)s: test delivery failed: %(error)s") % {"target": target, "error": exc})
        else:
            messages.success(request, _("%(target)s: test delivery sent.") % {"target": target})


class DeliveryTargetAdmin(CityOwnedAdmin):
    list_display = ["name", "service_title", "channel_label", "enabled", "breaker"]
    list_filter = [ServiceFilter, "channel", "enabled"]
    actions = [test_connection, send_test_delivery]

    class Media:
        js = ["gemeinsam/delivery-target-form.js"]

    @admin.display(description=gettext_lazy("online service"), ordering="service_slug")
    def service_title(self, obj: DeliveryTarget) -> str:
        service = services.get(obj.service_slug)
        return str(service.title) if service else obj.service_slug

    @admin.display(description=gettext_lazy("channel"), ordering="channel")
    def channel_label(self, obj: DeliveryTarget) -> str:
        channel = registry.get(obj.channel)
        return str(channel.label) if channel else obj.channel

    @admin.display(description=gettext_lazy("deliveries"))
    def breaker(self, obj: DeliveryTarget) -> str:
        """The circuit breaker (breaker.py), as the city administrator reads it."""
        if obj.paused_until is not None:
            until = date_format(timezone.localtime(obj.paused_until), "DATETIME_FORMAT")
            return _("paused until %(time)s after %(failures)s failures in a row") % {
                "time": until,
                "failures": obj.consecutive_failures,
            }
        if obj.consecutive_failures:
            return _("%(failures)s failures in a row") % {"failures": obj.consecutive_failures}
        return _("no failures")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = target_form_class()
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: list[tuple[Any, dict[str, Any]]] = [
            (None, {"fields": ["name", "service_slug", "channel", "enabled"]})
        ]
        if getattr(request, "city", None) is None:
            fieldsets[0][1]["fields"].insert(0, "city")
        for channel in registry.all_channels():
            fieldsets.append(
                (
                    _("Settings for: %(channel)s") % {"channel": channel.label},
                    {
                        "fields": [option_field_name(channel, n) for n in channel.options_form.base_fields],
                        "classes": ["channel-options", f"channel-{channel.name}"],
                        "description": _("Only needed when the channel is “%(channel)s”.") % {"channel": channel.label},
                    },
                )
            )
        return fieldsets

    def get_urls(self) -> list[Any]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/test-connection/",
                self.admin_site.admin_view(require_POST(self.test_connection_view)),
                name=f"{info[0]}_{info[1]}_test_connection",
            ),
            *super().get_urls(),
        ]

    def test_connection_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        target = self.get_object(request, object_id)
        if target is None:
            raise Http404
        if not self.has_change_permission(request, target):
            raise PermissionDenied
        run_connection_test(request, target)
        return HttpResponseRedirect(reverse("admin:delivery_deliverytarget_change", args=[target.pk]))


site.register(DeliveryTarget, DeliveryTargetAdmin)
