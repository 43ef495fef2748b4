"""Online services by their names in the admin: columns, filters and choice
lists of every app show the service's title, never its slug."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import registry

service_title = registry.title


def service_choices(slugs: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(slug, title) pairs sorted by title; all installed services by default."""
    chosen = [s.slug for s in registry.all_services()] if slugs is None else list(dict.fromkeys(slugs))
    return sorted(((slug, service_title(slug)) for slug in chosen), key=lambda pair: pair[1].lower())


class ServiceFilter(admin.SimpleListFilter):
    """ "By online service", listing the services the rows actually have."""

    title = _("online service")
    parameter_name = "service"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        slugs = model_admin.get_queryset(request).values_list("service_slug", flat=True).distinct()
        return service_choices(slugs)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(service_slug=value) if value else queryset
