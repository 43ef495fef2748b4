"""Resolve the city from the request host and open its django-scopes scope."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_scopes import scope, scopes_disabled

from .models import City, Domain

HOST_CACHE_SECONDS = 60


def _host_cache_key(host: str) -> str:
    return f"tenants:host:{host}"


def forget_host(host: str) -> None:
    cache.delete(_host_cache_key(host))


def city_for_host(host: str) -> City | None:
    """The city serving `host`, cached; None for an unknown host."""
    host = host.lower().split(":", 1)[0]
    key = _host_cache_key(host)
    cached = cache.get(key)
    if cached is not None:
        return cached or None
    with scopes_disabled():
        domain = Domain.objects.select_related("city").filter(host=host).first()
    city = domain.city if domain else None
    cache.set(key, city or False, HOST_CACHE_SECONDS)
    return city


def is_platform_host(host: str) -> bool:
    return host.lower().split(":", 1)[0] in settings.PLATFORM_HOSTS


class HealthCheckMiddleware:
    """Health endpoints answer on any host, the bare IP included, before
    sessions, CSRF or tenant resolution can get in the way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/healthz/"):
            from . import health

            return health.dispatch(request)
        return self.get_response(request)


class CityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()
        if is_platform_host(host):
            request.city = None  # type: ignore[attr-defined]
            # The operator's admin is the one place that reads across cities;
            # it admits operators only (see backoffice.admin_site).
            with scopes_disabled():
                return self.get_response(request)
        city = city_for_host(host)
        if city is None:
            return unknown_host(request)
        request.city = city  # type: ignore[attr-defined]
        with scope(city=city):
            return self.get_response(request)


def unknown_host(request: HttpRequest) -> HttpResponse:
    response = TemplateResponse(request, "tenants/unknown_host.html", {"city": None}, status=404)
    return response.render()
