"""Refuses request bodies over MAX_REQUEST_BODY_BYTES before Django reads them,
with a readable page instead of a 500 or a dropped connection."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            response = TemplateResponse(
                request,
                "request_too_large.html",
                {"limit_mb": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024), "city": getattr(request, "city", None)},
                status=413,
            )
            return response.render()
        return self.get_response(request)
