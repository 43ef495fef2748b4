"""Decision letter templates in the admin: the placeholders of the service
listed beside the text, a check before saving (the sandbox's rules), a PDF
preview with sample values that saves nothing, and every saved change kept
as a version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import TabularInline
from django.contrib.admin import display as admin_display
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from forms_engine.catalog.admin_fields import service_title
from forms_engine.catalog.models import CityService
from forms_engine.staff.admin_site import CityOwnedAdmin, site

from . import letters
from .letter_models import LetterTemplate, LetterTemplateVersion


def _service_of(city_service: CityService | None) -> Any:
    return city_service.service if city_service is not None else None


class LetterTemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterTemplate
        # city and city_service come from the admin (scoped choices: no query at import)
        fields = ["name", "decision", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 90})}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        service = _service_of(cleaned.get("city_service"))
        for name in ("subject", "body"):
            for problem in letters.problems(service, cleaned.get(name) or ""):
                self.add_error(name, problem)
        return cleaned


class VersionInline(TabularInline):  # type: ignore[type-arg]
    model = LetterTemplateVersion
    fields = ["number", "created_at", "created_by", "subject"]
    readonly_fields = ["number", "created_at", "created_by", "subject"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("saved versions")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def placeholder_list(service: Any) -> SafeString:
    items = format_html_join("", "<li><code>{{{{ {} }}}}</code> – {}</li>", letters.placeholders(service).items())
    return format_html("<ul>{}</ul>", items)


class LetterTemplateAdmin(CityOwnedAdmin):
    form = LetterTemplateForm
    list_display = ["name", "service", "decision", "version", "updated_at"]
    list_filter = ["decision"]
    readonly_fields = ["placeholders", "version"]
    inlines = [VersionInline]
    change_form_template = "admin/backoffice/lettertemplate/change_form.html"

    @admin_display(description=_("online service"))
    def service(self, obj: LetterTemplate) -> str:
        return service_title(obj.city_service.service_slug)

    @admin_display(description=_("placeholders"))
    def placeholders(self, obj: LetterTemplate | None) -> SafeString:
        return placeholder_list(_service_of(obj.city_service) if obj is not None and obj.pk else None)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        first = ["city_service", "name", "decision", "version"]
        if getattr(request, "city", None) is None:
            first.insert(0, "city")
        return [(None, {"fields": first}), (_("Letter"), {"fields": ["subject", "body", "placeholders"]})]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        letters.save_version(obj, request.user)

    def get_urls(self) -> list[Any]:
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="backoffice_lettertemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The posted letter as PDF on the city's letterhead with sample values; nothing is saved."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        wanted = request.POST.get("city_service", "")
        city_service = CityService.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
        errors: list[str] = []
        if city_service is None:
            errors.append(str(_("Choose the online service first.")))
        else:
            service = _service_of(city_service)
            errors = letters.problems(service, subject) + letters.problems(service, body)
        if errors or city_service is None:
            context = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("Preview")}
            return render(request, "admin/catalog/citytext/preview.html", {**context, "errors": errors})
        pdf = letters.preview_pdf(city_service, subject, body)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="Vorschau.pdf"'
        response["Cache-Control"] = "no-store"
        return response


site.register(LetterTemplate, LetterTemplateAdmin)
