"""Finding a destination through the Routing API: by the service's LeiKa key
and the city's AGS. The route's destinationSignature (a PS512 JWT of the
self-service portal) must verify against the portal's published keys and name
the same destination, our service and the host we will submit to; the result
is cached for the target's configured time."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.utils.translation import gettext as _

from forms_engine.delivery.base import PermanentDeliveryError

from .client import Client
from .crypto import SignatureRefused, key_set, verify_signed
from .environments import Endpoints
from .metadata import LEIKA_URN


def _cache_key(endpoints: Endpoints, leika_key: str, ags: str) -> str:
    digest = hashlib.sha256(f"{endpoints.routing_url}\0{leika_key}\0{ags}".encode()).hexdigest()
    return f"fitconnect:route:{digest}"


def resolve(client: Client, leika_key: str, ags: str, cache_seconds: int) -> str:
    """The destination id for a service in a municipality; PermanentDeliveryError
    when there is none or its signature does not hold."""
    endpoints = client.endpoints
    key = _cache_key(endpoints, leika_key, ags)
    cached = cache.get(key)
    if cached:
        return str(cached)
    found = client.public_json(endpoints.routing(f"routes?leikaKey={leika_key}&ags={ags}"), _("the routing query"))
    routes = list(found.get("routes") or [])
    if not routes:
        raise PermanentDeliveryError(
            _("The routing knows no destination for LeiKa key %(leika)s in AGS %(ags)s.")
            % {"leika": leika_key, "ags": ags}
        )
    route = routes[0]
    destination_id = str(route.get("destinationId") or "")
    verify_route(client, route, leika_key)
    if cache_seconds:
        cache.set(key, destination_id, cache_seconds)
    return destination_id


def verify_route(client: Client, route: dict[str, Any], leika_key: str) -> dict[str, Any]:
    endpoints = client.endpoints
    if not endpoints.portal_jwks_url:
        raise PermanentDeliveryError(_("Routing needs the key address of the self-service portal."))
    keys = key_set(client.public_json(endpoints.portal_jwks_url, _("the keys of the self-service portal")))
    try:
        claims = verify_signed(str(route.get("destinationSignature") or ""), keys)
    except SignatureRefused as exc:
        raise PermanentDeliveryError(_("The destination signature of the routing does not verify.")) from exc
    services = claims.get("services") or []
    offered = {str(s) for entry in services for s in (entry.get("leistungIDs") or [])}
    if claims.get("destinationId") != route.get("destinationId"):
        raise PermanentDeliveryError(_("The destination signature names another destination."))
    if str(claims.get("submissionHost") or "") != (urlsplit(endpoints.submission_url).netloc):
        raise PermanentDeliveryError(_("The destination signature names another submission host."))
    if LEIKA_URN + leika_key not in offered:
        raise PermanentDeliveryError(_("The destination signature does not cover this service."))
    return claims
