from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from .admin_site import CityOwnedAdmin, is_operator, site
from .models import StaffUser


@admin.action(description=_("Reset second factor (the person enrols a new device at next sign-in)"))
def reset_second_factor(modeladmin: Any, request: HttpRequest, queryset: QuerySet[StaffUser]) -> None:
    for user in queryset:
        for device in devices_for_user(user, confirmed=None):
            device.delete()
    messages.success(request, _("Second factor reset for %(count)d people.") % {"count": queryset.count()})


class StaffUserAdmin(CityOwnedAdmin, UserAdmin):  # type: ignore[misc,type-arg]
    list_display = ["username", "first_name", "last_name", "role", "city", "is_active"]
    list_filter = ["role", "is_active"]
    actions = [reset_second_factor]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["city", "role", "is_active"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "city", "role"]})]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not is_operator(request):
            kwargs["choices"] = [c for c in StaffUser.Role.choices if c[0] != StaffUser.Role.OPERATOR]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


site.register(StaffUser, StaffUserAdmin)

# Lockouts (django-axes access attempts) for city administrators.
from . import lockouts_admin  # noqa: E402,F401
