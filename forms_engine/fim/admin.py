"""The operator's FIM workflow: upload -> errors or the import report ->
preview walk of the generated steps -> publish. City administrators then
switch the service on in "online services of a city" like any other."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from forms_engine.staff.admin_site import is_operator, site, staff_user
from forms_engine.staff.models import StaffUser

from . import loader, report
from .actions import fim_import, fim_publish
from .forms import UploadForm
from .models import FimServiceVersion
from .safexml import ImportRefused


class FimServiceVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "slug", "version", "fim_format", "status", "imported_at", "published_at"]
    list_filter = ["status", "fim_format"]
    search_fields = ["title", "schema_id"]
    fields = ("title", "slug", "schema_id", "version", "fim_format", "source_name", "status", "imported_at")
    readonly_fields = fields
    change_form_template = "admin/fim/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="fim_preview"),
            path("<int:pk>/publish/", view(self.publish_view), name="fim_publish"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        """Adding a version is uploading a document."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            document = form.cleaned_data["document"]
            codelists = [(f.name, f.read()) for f in form.cleaned_data["codelists"]]
            try:
                row = fim_import(
                    document=document.read(), source_name=document.name, codelists=codelists, by=staff_user(request)
                )
            except ImportRefused as exc:
                problems = [p.text() for p in exc.problems]
            else:
                messages.success(request, _("Imported. Check the report and the preview, then publish."))
                return HttpResponseRedirect(reverse("admin:fim_fimserviceversion_change", args=[row.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import an XDatenfelder document"),
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/fim/upload.html", context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        row = get_object_or_404(FimServiceVersion, pk=object_id)
        extra = {
            "report_lines": report.lines(row.report),
            "listed_rules": row.definition.get("rules", []),
            "fim_row": row,
            "may_publish": self._allowed(request) and not row.is_published,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The generated steps one after another, as the citizen will see their
        forms (nothing is stored). The city's own preview walks the real wizard
        once the service is published and switched on."""
        if not self._may_view(request):
            raise Http404
        row = get_object_or_404(FimServiceVersion, pk=pk)
        service = loader.build_row(row)
        steps = list(service.steps)
        try:
            index = min(max(int(request.GET.get("step", "1")), 1), len(steps)) - 1
        except ValueError:
            index = 0
        step = steps[index]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(title)s") % {"title": row.title},
            "row": row,
            "step": step,
            "form": step.form_class() if step.form_class else None,
            "number": index + 1,
            "total": len(steps),
            "opts": self.model._meta,
        }
        return render(request, "admin/fim/preview.html", context)

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self._allowed(request) or request.method != "POST":
            raise Http404
        row = fim_publish(version=get_object_or_404(FimServiceVersion, pk=pk))
        messages.success(
            request,
            _("Published as %(slug)s version %(version)s: city administrators can now switch it on.")
            % {"slug": row.slug, "version": row.version},
        )
        return HttpResponseRedirect(reverse("admin:fim_fimserviceversion_change", args=[row.pk]))

    def _allowed(self, request: HttpRequest) -> bool:
        """Importing and publishing is the operator's."""
        return is_operator(request)

    def _may_view(self, request: HttpRequest) -> bool:
        """City administrators read the versions and their reports (what they may switch on)."""
        user = staff_user(request)
        return bool(user and user.role in (StaffUser.Role.OPERATOR, StaffUser.Role.CITY_ADMIN))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_view(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # published versions never change; a new import is a new version

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request) and obj is not None and not obj.is_published  # type: ignore[attr-defined]


site.register(FimServiceVersion, FimServiceVersionAdmin)
