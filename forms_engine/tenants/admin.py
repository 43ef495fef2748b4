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
from .widgets import ColourInput


class DomainInline(admin.TabularInline):  # type: ignore[type-arg]
    """The city's web addresses on its own page. Only operators change them: a
    city administrator could otherwise claim another city's host."""

    model = Domain
    extra = 1
    fields = ["host", "is_primary"]

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 0 if obj is not None and obj.domains.exists() else 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)


class CityAdmin(CityBoundChoicesMixin, NotFoundOutsideQuerysetMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Operators manage all cities on a platform host; a city administrator sees
    and edits only the city of the host they signed in on, and not its identity
    (name, slug, AGS), which the operator owns."""

    list_display = ["name", "slug", "ags", "population"]
    search_fields = ["name", "ags"]

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return [DomainInline] if is_operator(request) else []

    fieldsets = [
        (None, {"fields": ["name", "article", "slug", "short_code", "ags", "population"]}),
        (_("Branding"), {"fields": ["coat_of_arms", "accent_colour"]}),
        (
            _("Contact"),
            {"fields": ["contact_address", "contact_phone", "contact_email", "opening_hours", "sender_email"]},
        ),
        (_("Statements"), {"fields": ["imprint", "privacy_statement", "accessibility_statement", "feedback_contact"]}),
        (_("Drafts"), {"fields": ["draft_retention_days"]}),
        (_("Usage statistics"), {"fields": ["analytics_opt_in"]}),
    ]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "accent_colour":
            kwargs["widget"] = ColourInput()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[City]:
        qs = super().get_queryset(request)
        city = getattr(request, "city", None)
        if city is None and is_operator(request):
            return qs
        return qs.filter(pk=city.pk if city else None)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [] if is_operator(request) else ["name", "slug", "short_code", "ags", "population", "web_addresses"]

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if is_operator(request):
            return fieldsets  # the operator edits the domains in the inline below
        first = (fieldsets[0][0], {**fieldsets[0][1], "fields": [*fieldsets[0][1]["fields"], "web_addresses"]})
        return [first, *fieldsets[1:]]

    @admin.display(description=_("web addresses"))
    def web_addresses(self, obj: City | None) -> str:
        if obj is None or obj.pk is None:
            return ""
        return ", ".join(Domain.objects.filter(city=obj).values_list("host", flat=True))

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
