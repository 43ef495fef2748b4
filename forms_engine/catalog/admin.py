"""City administrators switch services on and set their parameters: one typed
form field per parameter the service declares, with its default, shown as soon
as the service is chosen (the add page first asks which service)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from forms_engine.staff.admin_site import CityOwnedAdmin, is_operator, site

from . import registry
from .admin_fields import ServiceFilter, service_choices, service_title
from .base import OnlineService, Parameter
from .models import CityService, ConfirmationAttachment

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
            "processing_days",
            "document_days",
            "retention_days",
            "draft_days",
            "confirmation_attachment",
            "payment_mode",
            "four_eyes",
            "fees_confirmed",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_slug"].choices = service_choices()  # type: ignore[attr-defined]
        service = self.chosen_service()
        self.parameters = list(service.parameters) if service else []
        current = self.instance.parameters or {}
        for parameter in self.parameters:
            field = parameter_field(parameter)
            value = current.get(parameter.key, parameter.default)
            field.initial = "\n".join(value) if parameter.kind == "list" else value
            self.fields[PREFIX + parameter.key] = field
        if service is not None and not self.instance.pk:
            self.initial.setdefault("retention_days", service.retention_days_default)
        if service is not None:
            # Only what the service allows, its default named on the empty choice.
            labels = dict(ConfirmationAttachment.choices)
            default = labels[service.confirmation_attachments[0]]
            self.fields["confirmation_attachment"].choices = [  # type: ignore[attr-defined]
                ("", _("Service default: %(choice)s") % {"choice": default}),
                *((c, labels[c]) for c in service.confirmation_attachments),
            ]
        allowed = set(service.payment_modes) if service else set()
        self.fields["payment_mode"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in CityService.PaymentMode.choices if not value or value in allowed
        ]

    def chosen_service(self) -> OnlineService | None:
        """The saved service, else the one chosen on the add page (?service_slug=),
        else the posted one: its parameters are fields from the first page on."""
        if self.instance.pk:
            return registry.get(self.instance.service_slug)
        slug = self.data.get("service_slug") if self.is_bound else self.initial.get("service_slug")
        return registry.get(str(slug or ""))

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
    list_display = ["title", "city", "enabled", "fees_confirmed", "office_name"]
    list_filter = ["enabled", "fees_confirmed", ServiceFilter]
    change_form_template = "admin/catalog/cityservice/change_form.html"

    @admin.display(description=_("online service"), ordering="service_slug")
    def title(self, obj: CityService) -> str:
        return service_title(obj.service_slug)

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = list(super().get_list_display(request))
        return [f for f in shown if f != "city"] if getattr(request, "city", None) is not None else shown

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        form = self.get_form(request, obj)(instance=obj, initial=self.get_changeform_initial_data(request))
        first = (
            ["service_slug", "enabled"]
            if getattr(request, "city", None) is not None
            else ["city", "service_slug", "enabled"]
        )
        base: list[tuple[Any, dict[str, Any]]] = [
            (None, {"fields": first}),
            (_("Responsible office"), {"fields": ["office_name", "office_address", "office_email", "office_phone"]}),
            (_("Periods"), {"fields": ["processing_days", "document_days", "retention_days", "draft_days"]}),
            (_("Confirmation email"), {"fields": ["confirmation_attachment"]}),
            (_("Decisions"), {"fields": ["four_eyes"]}),
        ]
        service = form.chosen_service()
        if service is not None and service.payment_modes:
            base.append((_("Online payment"), {"fields": ["payment_mode"]}))
        if form.parameters:
            base.append(
                (
                    _("Fees and settings"),
                    {
                        "fields": [PREFIX + p.key for p in form.parameters] + ["fees_confirmed"],
                        "description": _(
                            "The values shown are the service's suggestions until you change them. "
                            "Check them and tick “fees and settings checked”."
                        ),
                    },
                )
            )
        return base

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_exclude(request, obj), "parameters"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # The parameter fields are not model fields: let the form's Meta decide.
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None) -> Any:
        """Without a chosen service the add page is a list of services: each
        link opens the form with that service's fees and settings already shown."""
        if request.method == "GET" and not registry.get(request.GET.get("service_slug", "")):
            taken = set(CityService.objects.values_list("service_slug", flat=True))
            choices = [(slug, title, slug in taken) for slug, title in service_choices()]
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Which online service do you want to offer?"),
                "choices": choices,
                "operator_view": getattr(request, "city", None) is None,
            }
            return render(request, "admin/catalog/cityservice/choose_service.html", context)
        return super().add_view(request, form_url, extra_context)

    def get_urls(self) -> list[Any]:
        return [
            path("new-city/", self.admin_site.admin_view(self.city_setup_view), name="catalog_city_setup"),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="catalog_cityservice_preview",
            ),
            *super().get_urls(),
        ]

    def city_setup_view(self, request: HttpRequest) -> HttpResponse:
        """The operator's guided pass for a new city (catalog/city_setup.py)."""
        from .actions import city_create
        from .city_setup import CitySetupForm

        if not is_operator(request):
            raise PermissionDenied
        form = CitySetupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            city = city_create(
                city=form.save(commit=False),
                host=data["host"],
                service_slugs=data["services"],
                delivery_email=data.get("delivery_email") or "",
                admin_username=data["admin_username"],
                admin_email=data.get("admin_email") or "",
                admin_password=data["admin_password"],
            )
            messages.success(request, _("%(city)s is set up. What is left is listed below.") % {"city": city.name})
            return redirect("admin:tenants_city_change", city.pk)
        groups = [
            (_("City"), ["name", "slug", "short_code", "ags", "population", "accent_colour"]),
            (_("Web address and contact"), ["host", "contact_email", "sender_email"]),
            (_("Online services"), ["services", "delivery_email"]),
            (_("City administrator"), ["admin_username", "admin_email", "admin_password"]),
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Set up a new city"),
            "form": form,
            "groups": [(title, [form[name] for name in names]) for title, names in groups],
            "media": self.media + form.media,
        }
        return render(request, "admin/catalog/city_setup.html", context)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Walk the service as a citizen would, with this city's settings; the
        wizard then submits nothing and records no usage (wizard/preview.py)."""
        from forms_engine.wizard.preview import start_preview

        city_service = self.get_object(request, object_id)
        if city_service is None or getattr(request, "city", None) is None:
            raise Http404  # a preview needs the city's own host: its theme, its texts
        start_preview(request, city_service.service_slug)
        return redirect("wizard-start", city_service.service_slug)

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        obj = kwargs.get("obj")
        if obj is not None:
            from .texts import text_overview

            context["city_texts"] = text_overview(obj)
            context["text_add_url"] = reverse("admin:catalog_citytext_add")
        return super().render_change_form(request, context, *args, **kwargs)


site.register(CityService, CityServiceAdmin)

# The texts' admin lives in its own module; importing it registers it.
from . import admin_texts  # noqa: E402,F401
