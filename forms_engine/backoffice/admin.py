"""Admin for the city administrator: which caseworker works which service, and
the city's audit log (read-only for everyone)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.admin_fields import ServiceFilter, service_choices, service_title
from forms_engine.catalog.models import CityService
from forms_engine.staff.admin_site import CityOwnedAdmin, site
from forms_engine.staff.models import StaffUser

from .models import AuditEvent, ServiceAssignment


class ServiceAssignmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ServiceAssignment
        fields = ["city", "user", "service_slug"]

    def clean(self) -> dict[str, Any]:
        # The city is pinned on the instance, not a form field, so Django's own
        # unique check skips the constraint; check it here instead of crashing.
        cleaned: dict[str, Any] = super().clean() or {}
        user, slug = cleaned.get("user"), cleaned.get("service_slug")
        city_id = self.instance.city_id or (cleaned["city"].pk if cleaned.get("city") else None)
        if user and slug and city_id:
            twins = ServiceAssignment.objects.filter(city_id=city_id, user=user, service_slug=slug)
            if twins.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("This person already works on this online service."))
        return cleaned


class ServiceAssignmentAdmin(CityOwnedAdmin):
    form = ServiceAssignmentForm
    list_display = ["user", "service"]
    list_filter = [ServiceFilter]
    search_fields = ["user__username", "user__last_name"]

    @admin.display(description=_("online service"), ordering="service_slug")
    def service(self, obj: ServiceAssignment) -> str:
        return service_title(obj.service_slug)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            city = getattr(request, "city", None)
            staff = StaffUser.objects.filter(role=StaffUser.Role.CASEWORKER, is_active=True)
            kwargs["queryset"] = staff.filter(city=city) if city is not None else staff
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        city = getattr(request, "city", None)
        if db_field.name == "service_slug" and city is not None:
            slugs = CityService.objects.filter(city=city).values_list("service_slug", flat=True)
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=_("The online service this person works on."),
                choices=service_choices(slugs),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AuditEventAdmin(CityOwnedAdmin):
    list_display = ["at", "username", "action", "reference", "detail", "ip_address"]
    list_filter = ["action"]
    search_fields = ["reference", "username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


site.register(ServiceAssignment, ServiceAssignmentAdmin)
site.register(AuditEvent, AuditEventAdmin)
# The letter templates' and the rules' admins register themselves.
from . import letter_admin, rule_admin  # noqa: E402,F401
