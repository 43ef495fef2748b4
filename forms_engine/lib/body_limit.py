"""Refuses request bodies over MAX_REQUEST_BODY_BYTES before Django reads them,
with a readable page instead of a 500 or a dropped connection. A wizard step
sent too large goes back to that step (303, nothing read, nothing saved), which
shows the error on its upload fields in the city's layout."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve

TOO_LARGE_PARAMETER = "too_large"


class BodySizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            if request.method == "POST" and _is_wizard_step(request.path_info):
                back = HttpResponseRedirect(f"{request.path}?{TOO_LARGE_PARAMETER}=1")
                back.status_code = 303
                return back
            response = TemplateResponse(
                request,
                "request_too_large.html",
                {"limit_mb": settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024), "city": getattr(request, "city", None)},
                status=413,
            )
            return response.render()
        return self.get_response(request)


def _is_wizard_step(path: str) -> bool:
    try:
        return resolve(path).url_name == "wizard-step"
    except Resolver404:
        return False
