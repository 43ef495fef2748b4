"""City administrators switch services on and set their parameters: one typed
form field per parameter the service declares, with its default."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forms_engine.staff.admin_site import CityOwnedAdmin, site

from . import registry
from .base import Parameter
from .models import CityService

PREFIX = "param_"


def parameter_field(parameter: Parameter) -> forms.Field:
    common: dict[str, Any] = {"label": parameter.label, "help_text": parameter.help_text, "required": False}
    if parameter.kind == "decimal":
        return forms.DecimalField(
            min_value=parameter.min_value, max_value=parameter.max_value, decimal_places=2, **common
        )
    if parameter.kind == "int":
        low, high = parameter.min_value, parameter.max_value
        return forms.IntegerField(
            min_value=int(low) if low is not None else None, max_value=int(high) if high is not None else None, **common
        )
    if parameter.kind == "bool":
        return forms.BooleanField(**common)
    if parameter.kind == "list":
        common["help_text"] = f"{parameter.help_text} " + str(_("One entry per line."))
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    return forms.CharField(**common)


class CityServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    service_slug = forms.ChoiceField(label=_("online service"), choices=())

    class Meta:
        model = CityService
        fields = [  # noqa: RUF100
            "city",
            "service_slug",
            "enabled",
            "office_name",
            "office_address",
            "office_email",
            "office_phone",
            "notes",
            "processing_days",
            "document_days",
            "retention_days",
            "draft_days",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.slug, f"{s.title} ({s.slug})") for s in registry.all_services()]
        self.fields["service_slug"].choices = choices  # type: ignore[attr-defined]
        service = registry.get(self.instance.service_slug) if self.instance.pk else None
        self.parameters = list(service.parameters) if service else []
        current = self.instance.parameters or {}
        for parameter in self.parameters:
            field = parameter_field(parameter)
            value = current.get(parameter.key, parameter.default)
            field.initial = "\n".join(value) if parameter.kind == "list" else value
            self.fields[PREFIX + parameter.key] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values: dict[str, Any] = {}
        for parameter in self.parameters:
            raw = cleaned.get(PREFIX + parameter.key)
            if raw in (None, "") and parameter.kind != "bool":
                raw = parameter.default  # empty means: the service's default
            if parameter.kind == "list" and isinstance(raw, str):
                raw = [line.strip() for line in raw.splitlines() if line.strip()]
            if isinstance(raw, Decimal):
                raw = str(raw)
            values[parameter.key] = raw
        self.instance.parameters = values
        return cleaned


class CityServiceAdmin(CityOwnedAdmin):
    form = CityServiceForm
    list_display = ["service_slug", "city", "enabled", "office_name"]
    list_filter = ["enabled"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        form = self.get_form(request, obj)(instance=obj) if obj else None
        base = [
            (None, {"fields": ["city", "service_slug", "enabled", "notes"]}),
            (_("Responsible office"), {"fields": ["office_name", "office_address", "office_email", "office_phone"]}),
            (_("Periods"), {"fields": ["processing_days", "document_days", "retention_days", "draft_days"]}),
        ]
        if form is not None and form.parameters:
            base.append((_("Parameters"), {"fields": [PREFIX + p.key for p in form.parameters]}))
        if getattr(request, "city", None) is not None:
            base[0] = (None, {"fields": ["service_slug", "enabled", "notes"]})
        return base

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_exclude(request, obj), "parameters"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # The parameter fields are not model fields: let the form's Meta decide.
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)


site.register(CityService, CityServiceAdmin)
