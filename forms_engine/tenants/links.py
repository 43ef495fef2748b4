"""A city's canonical base URL, for links that leave the request (deliveries,
schema ids): built from the city's primary domain, never from a request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_scopes import scopes_disabled


def city_base_url(city: Any) -> str:
    from .models import Domain

    with scopes_disabled():
        domain = Domain.objects.filter(city=city).order_by("-is_primary", "pk").first()
    host = domain.host if domain else "localhost"
    return f"{settings.SITE_SCHEME}://{host}{settings.SITE_PORT_SUFFIX}"
