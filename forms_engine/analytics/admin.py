"""Daily figures are read-only in the admin (the roll-up writes them); the
dashboard is linked from here. Raw events are not shown at all."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest

from forms_engine.staff.admin_site import CityOwnedAdmin, site

from .models import DailyAggregate


class DailyAggregateAdmin(CityOwnedAdmin):
    list_display = ["day", "service_slug", "starts", "submissions", "abandoned"]
    list_filter = ["service_slug"]
    date_hierarchy = "day"
    ordering = ["-day", "service_slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [f.name for f in DailyAggregate._meta.fields]


site.register(DailyAggregate, DailyAggregateAdmin)
