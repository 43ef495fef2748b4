"""A new city in one guided pass, for the operator: the city, its web address,
the services it offers, where their submissions go and its first administrator,
on one page; catalog.actions.city_create writes it. Afterwards the city's page
lists what is left (catalog/checklist.py):
checking the fees and assigning caseworkers, which the city does itself."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.hosts import normalise_host
from forms_engine.tenants.models import City, Domain
from forms_engine.tenants.widgets import ColourInput

from .admin_fields import service_choices


class CitySetupForm(forms.ModelForm):  # type: ignore[type-arg]
    host = forms.CharField(
        label=_("web address (host)"), max_length=253, help_text=_("Host name without port, e.g. kassel.example.")
    )
    services = forms.MultipleChoiceField(
        label=_("online services to switch on"),
        choices=service_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their fees start as the service's suggestions; the city checks them afterwards."),
    )
    delivery_email = forms.EmailField(
        label=_("deliver submissions by email to"),
        required=False,
        help_text=_("One email delivery target per service switched on; more can be added later."),
    )
    admin_username = forms.CharField(label=_("user name of the city administrator"), max_length=150)
    admin_email = forms.EmailField(label=_("email address of the city administrator"), required=False)
    admin_password = forms.CharField(
        label=_("first password of the city administrator"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("They set up their second factor at the first sign-in."),
    )

    class Meta:
        model = City
        fields = ["name", "slug", "short_code", "ags", "population", "accent_colour", "contact_email", "sender_email"]
        widgets = {"accent_colour": ColourInput()}

    def clean_host(self) -> str:
        host = normalise_host(self.cleaned_data["host"])
        with scopes_disabled():
            if Domain.objects.filter(host=host).exists():
                raise ValidationError(_("This web address already belongs to a city."))
        return host

    def clean_admin_username(self) -> str:
        username = self.cleaned_data["admin_username"]
        if StaffUser.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken."))
        return str(username)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        password = cleaned.get("admin_password")
        if password:
            candidate = StaffUser(username=cleaned.get("admin_username", ""), email=cleaned.get("admin_email", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("admin_password", exc)
        return cleaned
