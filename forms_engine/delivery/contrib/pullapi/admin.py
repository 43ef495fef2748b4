"""Pull API tokens in the admin, per city: the token is shown once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from forms_engine.delivery.models import PullApiToken, hash_token, new_token
from forms_engine.staff.admin_site import CityOwnedAdmin, site


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


site.register(PullApiToken, PullApiTokenAdmin)
