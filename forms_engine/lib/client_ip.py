"""The client's address, as far as it can be trusted.

REMOTE_ADDR is the peer of the TCP connection. Behind the ingress that is the
proxy, and every client would share it: one client's failed sign-ins would
lock everyone out. X-Forwarded-For is read only when the peer is one of
settings.TRUSTED_PROXIES (addresses or networks), and then from the right: the
rightmost address that is not a trusted proxy is the client. Everything left of
it was written by the client itself and proves nothing."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104 (an address value, nothing binds to it)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's address (never empty: "0.0.0.0" when unknown)."""
    peer = str(request.META.get("REMOTE_ADDR") or UNKNOWN)
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _valid(hop):
            return peer  # a garbled header: fall back to what we know for sure
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer
