from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forms_engine.staff.admin_site import (
    CityBoundChoicesMixin,
    CityOwnedAdmin,
    NotFoundOutsideQuerysetMixin,
    is_operator,
    site,
    staff_user,
)

from .models import City, Domain
from .validators import checked_coat_of_arms


class CityAdmin(CityBoundChoicesMixin, NotFoundOutsideQuerysetMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Operators manage all cities on a platform host; a city administrator sees
    and edits only the city of the host they signed in on, and not its identity
    (name, slug, AGS), which the operator owns."""

    list_display = ["name", "slug", "ags", "population"]
    search_fields = ["name", "ags"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_code", "ags", "population"]}),
        (_("Branding"), {"fields": ["coat_of_arms", "accent_colour"]}),
        (
            _("Contact"),
            {"fields": ["contact_address", "contact_phone", "contact_email", "opening_hours", "sender_email"]},
        ),
        (_("Statements"), {"fields": ["imprint", "privacy_statement", "accessibility_statement", "feedback_contact"]}),
        (_("Drafts"), {"fields": ["draft_retention_days"]}),
        (_("Usage statistics"), {"fields": ["analytics_opt_in"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[City]:
        qs = super().get_queryset(request)
        city = getattr(request, "city", None)
        if city is None and is_operator(request):
            return qs
        return qs.filter(pk=city.pk if city else None)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [] if is_operator(request) else ["name", "slug", "short_code", "ags", "population"]

    def save_model(self, request: HttpRequest, obj: City, form: Any, change: bool) -> None:
        # Validated already (the model field's validator); store the re-encoded PNG,
        # never the uploaded bytes with whatever trails them.
        if "coat_of_arms" in form.changed_data:
            obj.coat_of_arms = checked_coat_of_arms(form.cleaned_data.get("coat_of_arms"))
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return bool(user and user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)


class DomainAdmin(CityOwnedAdmin):
    """Hosts are the operator's business: a city admin could otherwise claim
    another city's host."""

    list_display = ["host", "city", "is_primary"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)


site.register(City, CityAdmin)
site.register(Domain, DomainAdmin)
