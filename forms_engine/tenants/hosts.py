"""Host name → city, cached. Shared by the middleware, the models (which forget a
cached host when a City or Domain changes) and the demo command.

The cache fails open (lib/cache.py): without Redis every request asks the
database, which is one indexed query, so citizen and staff pages keep working."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from forms_engine.lib import cache

if TYPE_CHECKING:
    from .models import City

# A change made through the models is forgotten at once in this process's cache;
# other processes with a per-process cache see it after at most this long.
HOST_CACHE_SECONDS = 60


def normalise_host(host: str) -> str:
    """Lower case, without port and without a trailing dot."""
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal, e.g. [::1]:8000
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


def split_port(host: str) -> tuple[str, str]:
    """(host, port) of a Host header value; port "" when there is none."""
    host = host.strip()
    if host.startswith("["):
        name, _bracket, rest = host.partition("]")
        return name + "]", rest.removeprefix(":")
    name, _colon, port = host.partition(":")
    return name, port


def _cache_key(host: str) -> str:
    return f"tenants:host:{normalise_host(host)}"


def forget_host(host: str) -> None:
    cache.delete(_cache_key(host))


def city_for_host(host: str) -> City | None:
    """The city serving `host`, or None for an unknown host."""
    from django_scopes import scopes_disabled

    from .models import Domain

    def lookup() -> City | None:
        with scopes_disabled():
            domain = Domain.objects.select_related("city").filter(host=normalise_host(host)).first()
        return domain.city if domain else None

    return cache.remember(_cache_key(host), HOST_CACHE_SECONDS, lookup)  # type: ignore[no-any-return]


def is_platform_host(host: str) -> bool:
    return normalise_host(host) in {h.lower() for h in settings.PLATFORM_HOSTS}
