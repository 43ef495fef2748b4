"""Service preview: a city administrator walks a service as a citizen would,
with the city's settings, texts and theme, and nothing counts.

The admin's "Preview as a citizen" link puts the service into the session's
preview set. While it is there, and only for a signed-in administrator of the
host's city (or an operator), the wizard is in preview mode: its drafts are
marked `preview` (never counted as abandoned, never resumable by code), it
records no usage event, and the final "submit" shows what would happen instead
of creating a submission. Every page carries a "Vorschau" banner with a button
that ends the preview. The wizard asks `is_preview()` and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from forms_engine.analytics.recorder import record
from forms_engine.staff.models import StaffUser

SESSION_PREVIEW = "gemeinsam_preview"


def may_preview(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    city = getattr(request, "city", None)
    if not isinstance(user, StaffUser) or not user.is_authenticated or city is None:
        return False
    if user.is_operator:
        return True
    return user.role == StaffUser.Role.CITY_ADMIN and user.city_id == city.pk


def start_preview(request: HttpRequest, service_slug: str) -> None:
    services = set(request.session.get(SESSION_PREVIEW, []))
    services.add(service_slug)
    request.session[SESSION_PREVIEW] = sorted(services)


def previewed_services(request: HttpRequest) -> list[str]:
    if not hasattr(request, "session") or not may_preview(request):
        return []
    return list(request.session.get(SESSION_PREVIEW, []))


def is_preview(request: HttpRequest, service_slug: str) -> bool:
    return service_slug in previewed_services(request)


def record_usage(request: HttpRequest, *, service_slug: str, **kwargs: Any) -> None:
    """analytics.record(), except in preview."""
    if not is_preview(request, service_slug):
        record(service_slug=service_slug, request=request, **kwargs)


@require_POST
def end_preview(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_PREVIEW, None)
    return redirect("/admin/catalog/cityservice/" if may_preview(request) else "/")


def context(request: HttpRequest) -> dict[str, Any]:
    """Template context: the banner shows while any service is previewed. The
    503 page of a database outage renders through here too: without a database
    there is no signed-in user to preview with."""
    try:
        return {"preview_services": previewed_services(request)}
    except (DatabaseError, AttributeError):  # the session (in the database) cannot be read
        return {"preview_services": []}
