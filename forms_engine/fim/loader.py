"""Published data services for the catalog registry. The list of published
versions is read through the fail-open cache (publishing clears it); each
version is built once per process, since a published row never changes."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError

from forms_engine.catalog.base import OnlineService
from forms_engine.lib import cache

from .build import build_service

CACHE_KEY = "fim:published:v1"
CACHE_SECONDS = 300
_built: dict[int, OnlineService] = {}


def _published() -> list[tuple[int, str, str]]:
    rows = cache.get(CACHE_KEY)
    if rows is None:
        from .models import FimServiceVersion

        rows = [
            (pk, slug, version)
            for pk, slug, version in FimServiceVersion.objects.filter(status=FimServiceVersion.Status.PUBLISHED)
            .order_by("slug", "published_at", "pk")
            .values_list("pk", "slug", "version")
        ]
        cache.set(CACHE_KEY, rows, CACHE_SECONDS)
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _service(pk: int) -> OnlineService | None:
    if pk not in _built:
        from .models import FimServiceVersion

        row = FimServiceVersion.objects.filter(pk=pk).values("definition", "version").first()
        if row is None:
            return None
        _built[pk] = build_service(row["definition"], version=row["version"])
    return _built[pk]


def build_row(row: Any) -> OnlineService:
    """Any row, published or not: for the operator's preview of a draft."""
    return build_service(row.definition, version=row.version)


def services() -> dict[str, OnlineService]:
    """{slug: the latest published version}."""
    try:
        latest = {slug: pk for pk, slug, _version in _published()}
        found = {slug: _service(pk) for slug, pk in latest.items()}
    except (DatabaseError, RuntimeError):  # no database (outage, or test collection): code services only
        return {}
    return {slug: s for slug, s in found.items() if s is not None}


def service_version(slug: str, version: str) -> OnlineService | None:
    try:
        pk = next((p for p, s, v in _published() if s == slug and v == version), None)
        return _service(pk) if pk is not None else None
    except (DatabaseError, RuntimeError):
        return None


def forget() -> None:
    cache.delete(CACHE_KEY)
