"""One idle timeout for every staff page: back office, /admin/, dashboard.

A signed-in staff member who makes no request for STAFF_IDLE_TIMEOUT_SECONDS
is signed out at the next request (the next sign-in asks for the second factor
again) and sent to the sign-in page with ?next= pointing back."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LAST_ACTIVITY_KEY = "_staff_last_activity"
# The session is written at most this often (not on every click), and at least
# ten times per timeout period so a short timeout still sees the activity.
ACTIVITY_RESOLUTION_SECONDS = 60.0


def _resolution() -> float:
    return min(ACTIVITY_RESOLUTION_SECONDS, float(settings.STAFF_IDLE_TIMEOUT_SECONDS) / 10)


class StaffIdleTimeoutMiddleware:
    """Place after AuthenticationMiddleware (and OTPMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - float(last) > settings.STAFF_IDLE_TIMEOUT_SECONDS:
            logout(request)
            return redirect(f"{reverse('staff-login')}?{urlencode({'next': request.get_full_path()})}")
        if last is None or now - float(last) > _resolution():
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
