from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_scopes import scopes_disabled

from forms_engine.lib.files import sniff_content_type

from .models import City, Domain


def _city(request: HttpRequest) -> City:
    city: City | None = getattr(request, "city", None)
    if city is None:
        raise Http404
    return city


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    city = getattr(request, "city", None)
    if city is None:
        return platform_start(request)
    from forms_engine.catalog.models import CityService

    offered = [cs for cs in CityService.objects.active() if cs.service is not None]
    # In the order citizens read them: by the title in the current language.
    offered.sort(key=lambda cs: str(cs.service.title).casefold() if cs.service else "")
    return render(request, "tenants/start.html", {"services": offered})


def platform_start(request: HttpRequest) -> HttpResponse:
    """The neutral page of a platform host: which cities run here."""
    with scopes_disabled():
        domains = Domain.objects.filter(is_primary=True).select_related("city").order_by("city__name")
        cities = [(d.city, d.host) for d in domains]
    return render(request, "tenants/platform_start.html", {"cities": cities})


PAGES = {
    "impressum": (_("Imprint"), "imprint"),
    "datenschutz": (_("Privacy statement"), "privacy_statement"),
    "barrierefreiheit": (_("Accessibility statement"), "accessibility_statement"),
}


@require_GET
def city_page(request: HttpRequest, page: str) -> HttpResponse:
    city = _city(request)
    if page == "leichte-sprache":
        return render(request, "tenants/leichte_sprache.html")
    if page not in PAGES:
        raise Http404
    title, field = PAGES[page]
    return render(request, "tenants/text_page.html", {"title": title, "text": getattr(city, field), "page": page})


@require_GET
def coat_of_arms(request: HttpRequest) -> HttpResponse:
    """Served through Django so it works without a media server; SVG is sandboxed."""
    city = _city(request)
    if not city.coat_of_arms:
        raise Http404
    with city.coat_of_arms.open("rb") as arms:
        data = arms.read()
    kind = sniff_content_type(data[:2048]) or "application/octet-stream"
    response = HttpResponse(data, content_type=kind)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def theme_css(request: HttpRequest) -> HttpResponse:
    """The city's accent colour as CSS custom properties (no inline styles: CSP)."""
    city = _city(request)
    css = (
        ":root{"
        f"--kern-color-action-default:{city.accent_colour};"
        f"--kern-color-action-default-contextual:{city.accent_colour};"
        f"--kern-color-layout-text-link:{city.accent_colour};"
        "}\n"
        f"a{{color:{city.accent_colour};}}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "tenants/csrf_failure.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database outage (PostgreSQL restarting, failing over) is
    not a bug: the citizen gets a 503 "please try again" page in the city's
    layout. Nothing was stored (the submit transaction rolled back), so the
    page names no reference. Any other error keeps the plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # messages live in the session, which lives in the database.
        response = render(request, "tenants/unavailable.html", {"messages": []}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return render(request, "500.html", status=500)
