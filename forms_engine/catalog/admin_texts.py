"""The city's own texts in the admin: the placeholders of each kind listed
beside the text, the service's default as the starting point, a check before
saving and a preview with sample values that saves nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import display as admin_display
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from forms_engine.staff.admin_site import CityOwnedAdmin, site

from . import texts
from .admin_fields import service_title
from .models import CityService, CityText


class CityTextForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CityText
        # city and city_service come from the admin (scoped choices: no query at import)
        fields = ["kind", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 80})}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned.get("kind")
        if kind not in texts.KINDS:
            return cleaned
        for name in ("subject", "body"):
            for problem in texts.problems(kind, cleaned.get(name) or ""):
                self.add_error(name, problem)
        if texts.KINDS[kind].is_email and not (cleaned.get("subject") or "").strip():
            self.add_error("subject", _("An email needs a subject."))
        city_service, language = cleaned.get("city_service"), cleaned.get("language")
        if city_service and language:
            twins = CityText.objects.filter(city_service=city_service, kind=kind, language=language)
            if twins.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("This service already has its own text of this kind in this language."))
        return cleaned


def placeholder_list(kind: str | None) -> SafeString:
    kinds = [kind] if kind in texts.KINDS else list(texts.KINDS)
    labels = dict(CityText.Kind.choices)
    blocks = []
    for key in kinds:
        items = format_html_join("", "<li><code>{{{{ {} }}}}</code> – {}</li>", texts.KINDS[key].placeholders.items())
        blocks.append(format_html("<p><strong>{}</strong></p><ul>{}</ul>", labels[key], items))
    return format_html_join("", "{}", ((b,) for b in blocks))


class CityTextAdmin(CityOwnedAdmin):
    form = CityTextForm
    list_display = ["service", "kind", "language", "updated_at"]
    list_filter = ["kind", "language"]
    readonly_fields = ["placeholders"]
    change_form_template = "admin/catalog/citytext/change_form.html"

    @admin_display(description=_("online service"))
    def service(self, obj: CityText) -> str:
        return service_title(obj.city_service.service_slug)

    @admin_display(description=_("placeholders"))
    def placeholders(self, obj: CityText | None) -> SafeString:
        return placeholder_list(obj.kind if obj is not None and obj.pk else None)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        first = ["city_service", "kind", "language"]
        if getattr(request, "city", None) is None:
            first.insert(0, "city")
        return [(None, {"fields": first}), (_("Text"), {"fields": ["subject", "body", "placeholders"]})]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """Opened from a service's page (?city_service=&kind=&language=): the
        text starts as the service's default in that language."""
        initial = super().get_changeform_initial_data(request)
        kind, language = request.GET.get("kind", ""), request.GET.get("language", "")
        wanted = request.GET.get("city_service", "")
        city_service = CityService.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if kind in texts.KINDS and city_service is not None:
            with translation.override(language or None):
                initial["subject"], initial["body"] = texts.default_source(city_service.service, kind)
        return initial

    def get_urls(self) -> list[Any]:
        return [
            path(
                "preview/", self.admin_site.admin_view(require_POST(self.preview_view)), name="catalog_citytext_preview"
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The posted text rendered with sample values; nothing is saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        kind = request.POST.get("kind", "")
        context: dict[str, Any] = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("Preview")}
        if kind not in texts.KINDS:
            context["errors"] = [_("Choose which text this is.")]
        else:
            subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
            errors = texts.problems(kind, subject) + texts.problems(kind, body)
            context["errors"] = errors
            if not errors:
                samples = texts.sample_values(kind)
                context["subject"] = texts.render_source(subject, kind, samples)
                context["body"] = texts.render_source(body, kind, samples)
                context["is_email"] = texts.KINDS[kind].is_email
        return render(request, "admin/catalog/citytext/preview.html", context)


site.register(CityText, CityTextAdmin)
