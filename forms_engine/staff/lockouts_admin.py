"""Lockouts in the admin: the city administrator sees the failed sign-ins and
locks of their city's staff (django-axes' AccessAttempt rows: name, address,
failures) and lifts a lock by deleting the row. Operators see every city."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_site import is_operator, site, staff_user
from .models import StaffUser


class AccessAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked"]
    search_fields = ["username"]
    ordering = ["-attempt_time"]
    fields = ["username", "ip_address", "failures_since_start", "attempt_time"]
    readonly_fields = ["username", "ip_address", "failures_since_start", "attempt_time"]

    @admin.display(boolean=True, description=_("locked"))
    def locked(self, obj: AccessAttempt) -> bool:
        return bool(obj.failures_since_start >= settings.AXES_FAILURE_LIMIT)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccessAttempt]:
        qs = super().get_queryset(request)
        city = getattr(request, "city", None)
        if city is None and is_operator(request):
            return qs
        names = StaffUser.objects.filter(city=city).values_list("username", flat=True) if city else []
        return qs.filter(username__in=list(names))

    def _allowed(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return bool(user and user.role in (StaffUser.Role.OPERATOR, StaffUser.Role.CITY_ADMIN))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)  # deleting the row lifts the lock


site.register(AccessAttempt, AccessAttemptAdmin)
