"""Resolve the city from the request host and open its django-scopes scope."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_scopes import scope

from .hosts import city_for_host, forget_host, is_platform_host, split_port

__all__ = ["CityMiddleware", "HealthCheckMiddleware", "city_for_host", "forget_host", "is_platform_host"]

HEALTH_PATHS = {"/healthz/live", "/healthz/live/", "/healthz/ready", "/healthz/ready/"}


class HealthCheckMiddleware:
    """Health endpoints answer on any host, the bare IP included, before
    sessions, CSRF or tenant resolution can get in the way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in HEALTH_PATHS:
            from . import health

            return health.dispatch(request)
        return self.get_response(request)


def _anonymous() -> AnonymousUser:
    user = AnonymousUser()
    # What django_otp's middleware installs on every user.
    user.otp_device = None  # type: ignore[attr-defined]
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    return user


class CityMiddleware:
    """City hosts run inside that city's scope. Platform hosts run without any
    scope, so a query on a city-owned model fails there unless a view opens one
    on purpose (the operator's admin does, see backoffice.admin_site).

    A staff session is only honoured on hosts where that person may sign in: a
    Gießen session cookie carried over to Marburg counts as signed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()
        check_port(host)
        if is_platform_host(host):
            request.city = None  # type: ignore[attr-defined]
            self._drop_foreign_session(request, None)
            return self.get_response(request)
        city = city_for_host(host)
        if city is None:
            return unknown_host(request)
        request.city = city  # type: ignore[attr-defined]
        self._drop_foreign_session(request, city.pk)
        with scope(city=city):
            return self.get_response(request)

    @staticmethod
    def _drop_foreign_session(request: HttpRequest, city_id: int | None) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        may_sign_in_at = getattr(user, "may_sign_in_at", None)
        if may_sign_in_at is None or not may_sign_in_at(city_id):
            request.user = _anonymous()


def check_port(host: str) -> None:
    """Only the ports in settings.ALLOWED_PORTS may appear in the Host header
    (none in production: the ingress serves 443 and the header carries no port).
    Anything else is a forged or misrouted request: 400, like Django's DisallowedHost."""
    _name, port = split_port(host)
    if port and port not in {str(p) for p in settings.ALLOWED_PORTS}:
        raise DisallowedHost("Host header with a port that is not in ALLOWED_PORTS")


def unknown_host(request: HttpRequest) -> HttpResponse:
    request.city = None  # type: ignore[attr-defined]
    response = TemplateResponse(request, "tenants/unknown_host.html", {"city": None}, status=404)
    return response.render()
