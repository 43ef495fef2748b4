"""Daily figures are read-only in the admin (the roll-up writes them); the
dashboard is linked from here. Raw events are not shown at all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.admin_fields import ServiceFilter, service_title
from forms_engine.staff.admin_site import CityOwnedAdmin, site

from .models import DailyAggregate


class DailyAggregateAdmin(CityOwnedAdmin):
    list_display = ["day", "service", "starts", "submissions", "abandoned"]
    list_filter = [ServiceFilter]
    date_hierarchy = "day"
    ordering = ["-day", "service_slug"]

    @admin.display(description=_("online service"), ordering="service_slug")
    def service(self, obj: DailyAggregate) -> str:
        return service_title(obj.service_slug)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [f.name for f in DailyAggregate._meta.fields]


site.register(DailyAggregate, DailyAggregateAdmin)
