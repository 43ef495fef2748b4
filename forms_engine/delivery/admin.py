"""Delivery targets and pull API tokens in the admin, per city."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forms_engine.backoffice.admin_site import CityOwnedAdmin, site
from forms_engine.catalog import registry as services

from . import registry
from .models import DeliveryTarget, PullApiToken, hash_token, new_token


class DeliveryTargetForm(forms.ModelForm):  # type: ignore[type-arg]
    channel = forms.ChoiceField(label=_("channel"), choices=registry.choices)
    service_slug = forms.ChoiceField(
        label=_("online service"), choices=lambda: [(s.slug, str(s.title)) for s in services.all_services()]
    )

    class Meta:
        model = DeliveryTarget
        fields = ["name", "service_slug", "channel", "options", "enabled"]
        help_texts = {
            "options": _(
                'email: {"to": ["office@city.example"]}; webhook: {"url": "https://…", "secret": "…"}; '
                'pull API: {"system": "name-of-the-system"}'
            )
        }


@admin.action(description=_("Send a test delivery"))
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
    form = DeliveryTargetForm
    list_display = ["name", "service_slug", "channel", "enabled"]
    list_filter = ["channel", "enabled"]
    actions = [send_test_delivery]


class PullApiTokenForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PullApiToken
        fields = ["system", "active"]


class PullApiTokenAdmin(CityOwnedAdmin):
    form = PullApiTokenForm
    list_display = ["system", "token_prefix", "active", "created_at", "last_used_at"]
    readonly_fields = ["token_prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            token = new_token()
            obj.token_hash = hash_token(token)
            obj.token_prefix = token[:8]
            messages.warning(
                request,
                _("The token is shown only now; copy it into the back-office system: %(token)s") % {"token": token},
            )
        super().save_model(request, obj, form, change)


site.register(DeliveryTarget, DeliveryTargetAdmin)
site.register(PullApiToken, PullApiTokenAdmin)
