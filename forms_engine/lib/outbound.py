"""Every outgoing connection to an address a city configured goes through here
(SSRF guard): webhook targets, FIT-Connect custom URLs, payment providers,
IdP metadata URLs.

Two halves, both needed:

- ``check_url(url)`` at configuration time: https only, the host name must
  resolve, and every address it resolves to must be globally routable
  (``ip.is_global``: no private, carrier-grade NAT 100.64/10, loopback,
  link-local, IPv4-mapped/-translated or documentation ranges). Raises a
  translated ``ValidationError`` for the form.
- ``session()`` at connection time: a ``requests`` session whose adapter
  resolves the host name once, checks every address again and connects to
  exactly the address it checked. DNS rebinding (public at check time, private
  a second later) therefore gains nothing. TLS still verifies the certificate
  against the host name (SNI and hostname assertion use the name, not the
  address), and the Host header carries the name.

``settings.DELIVERY_ALLOW_PRIVATE_TARGETS`` (tests and local development only)
allows plain http and non-global addresses; resolution and pinning still apply.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

__all__ = [
    "OutboundBlocked",
    "OutboundUnresolvable",
    "check_url",
    "is_allowed_address",
    "resolve",
    "session",
]


class OutboundBlocked(requests.exceptions.ConnectionError):
    """The address is not one a city may make us connect to. Permanent."""


class OutboundUnresolvable(requests.exceptions.ConnectionError):
    """The host name does not resolve (now). May be transient."""


def _allow_private() -> bool:
    return bool(getattr(settings, "DELIVERY_ALLOW_PRIVATE_TARGETS", False))


def is_allowed_address(address: str) -> bool:
    """Globally routable unicast only. An IPv4-mapped IPv6 address
    (::ffff:127.0.0.1) is judged by the IPv4 address it maps to."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to, each checked; the first is the one
    to connect to. Raises OutboundUnresolvable or OutboundBlocked."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundUnresolvable(f"DNS: {host} does not resolve ({exc})") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OutboundUnresolvable(f"DNS: {host} has no address")
    # One non-global address refuses the name: a client might pick any of them.
    if not _allow_private() and not all(is_allowed_address(a) for a in addresses):
        raise OutboundBlocked(f"{host} resolves to an address that is not globally routable")
    return addresses


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def check_url(url: str) -> None:
    """Configuration-time check for a URL a city enters; raises a translated
    ValidationError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (_allow_private() and parts.scheme == "http"):
        raise ValidationError(_("Only https:// URLs are allowed."), code="scheme")
    if not parts.hostname:
        raise ValidationError(_("The URL has no host."), code="host")
    try:
        port = parts.port or _default_port(parts.scheme)
    except ValueError as exc:
        raise ValidationError(_("The port of this address is not valid."), code="port") from exc
    try:
        resolve(parts.hostname, port)
    except OutboundUnresolvable as exc:
        raise ValidationError(
            _("The host name of this address cannot be found (DNS). Please check the address."), code="dns"
        ) from exc
    except OutboundBlocked as exc:
        raise ValidationError(
            _(
                "The address leads to a private or internal network (e.g. private, carrier-grade NAT, "
                "loopback or link-local address). Only public addresses on the internet are allowed."
            ),
            code="not_global",
        ) from exc


class PinnedAdapter(HTTPAdapter):
    """Resolves and checks the host once per request and connects to that very
    address; certificate and SNI stay bound to the host name."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(str(request.url))
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise OutboundBlocked(f"scheme {parts.scheme!r} is not allowed")
        if parts.scheme == "http" and not _allow_private():
            raise OutboundBlocked("plain http is not allowed")
        port = parts.port or _default_port(parts.scheme)
        address = resolve(parts.hostname, port)[0]
        request.headers["Host"] = parts.netloc.rsplit("@", 1)[-1]
        # The pool is chosen in get_connection_with_tls_context below; the
        # checked address travels there on the request object.
        request._gemeinsam_pinned = (address, parts.hostname)  # type: ignore[attr-defined]
        return super().send(request, *args, **kwargs)

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: Any = None,
    ) -> Any:
        address, hostname = request._gemeinsam_pinned  # type: ignore[attr-defined]
        host_params, tls_kwargs = self.build_connection_pool_key_attributes(
            request, True if verify is None else verify, cert
        )
        pool_kwargs: dict[str, Any] = dict(tls_kwargs)
        host_params["host"] = address
        if host_params["scheme"] == "https":
            # Verify the certificate for the name, send the name as SNI.
            pool_kwargs["server_hostname"] = hostname
            pool_kwargs["assert_hostname"] = hostname
        return self.poolmanager.connection_from_host(**host_params, pool_kwargs=pool_kwargs)


def session() -> requests.Session:
    """A session for city-configured addresses. Environment proxies are not
    used: a proxy would resolve the name again, out of our sight."""
    s = requests.Session()
    s.trust_env = False
    adapter = PinnedAdapter(max_retries=0)
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    return s
