"""HTTP to FIT-Connect: the OAuth2 token (client credentials, cached until
shortly before it expires, refreshed once on a 401) and every API call, all
through `send()`, the one function that opens connections (so the address
guard can be switched in one place). API errors are RFC 7807 problem details;
`Problem` turns them into a German sentence instead of raw JSON."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from forms_engine.delivery.base import DeliveryError, PermanentDeliveryError
from forms_engine.lib import outbound

from .environments import Endpoints

RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
TOKEN_MARGIN_SECONDS = 60  # refresh this long before the token expires


class Problem(DeliveryError):
    """The Zustelldienst (or its token service) answered with an error."""

    def __init__(self, status: int, problem: dict[str, Any] | None, what: str) -> None:
        self.status, self.problem, self.what = status, problem or {}, what
        super().__init__(self.german())

    @property
    def permanent(self) -> bool:
        return self.status not in RETRYABLE and self.status != 401

    def german(self) -> str:
        title = str(self.problem.get("title") or "").strip()
        detail = str(self.problem.get("detail") or "").strip()
        text = _("FIT-Connect refused %(what)s (HTTP %(status)s).") % {"what": self.what, "status": self.status}
        if title:
            text += " " + _("Reason given: %(reason)s") % {"reason": title + (f" – {detail}" if detail else "")}
        return text


class PermanentProblem(Problem, PermanentDeliveryError):
    pass


def send(method: str, url: str, **kwargs: Any) -> requests.Response:
    """The only place that opens a connection. Network trouble is a retryable
    DeliveryError (no personal data in its text: only the exception's type)."""
    kwargs.setdefault("timeout", settings.FITCONNECT_TIMEOUT)
    try:
        # The SSRF guard's session: connects to the address it checked (a city may set own URLs).
        with outbound.session() as http:
            return http.request(method, url, allow_redirects=False, **kwargs)
    except outbound.OutboundBlocked as exc:
        raise PermanentDeliveryError(_("The address is not a public address on the internet.")) from exc
    except requests.RequestException as exc:
        raise DeliveryError(_("No connection to FIT-Connect (%(error)s).") % {"error": type(exc).__name__}) from exc


def raise_for(response: requests.Response, what: str) -> None:
    if response.status_code < 400:
        return
    try:
        problem = response.json() if "json" in response.headers.get("Content-Type", "") else None
    except ValueError:
        problem = None
    error = Problem(response.status_code, problem if isinstance(problem, dict) else None, what)
    if error.permanent:
        raise PermanentProblem(response.status_code, error.problem, what)
    raise error


class Client:
    def __init__(self, endpoints: Endpoints, client_id: str, client_secret: str) -> None:
        self.endpoints, self.client_id, self.client_secret = endpoints, client_id, client_secret
        digest = hashlib.sha256(f"{endpoints.token_url}\0{client_id}\0{client_secret}".encode()).hexdigest()
        self.cache_key = f"fitconnect:token:{digest}"

    def token(self, *, fresh: bool = False) -> str:
        cached = None if fresh else cache.get(self.cache_key)
        if cached:
            return str(cached)
        response = send(
            "POST",
            self.endpoints.token_url,
            data={"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret},
        )
        if response.status_code in (400, 401):
            raise PermanentProblem(response.status_code, None, _("the client ID or secret"))
        raise_for(response, _("the token request"))
        body = response.json()
        lifetime = int(body.get("expires_in") or 300)
        cache.set(self.cache_key, body["access_token"], max(lifetime - TOKEN_MARGIN_SECONDS, 1))
        return str(body["access_token"])

    def call(self, method: str, path: str, what: str, *, expect: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        """An authenticated Submission API call; a 401 gets one fresh token."""
        url = self.endpoints.api(path)
        response = self._authorised(method, url, **kwargs)
        raise_for(response, what)
        if response.status_code not in expect:
            raise DeliveryError(
                _("FIT-Connect answered %(what)s with HTTP %(status)s.")
                % {"what": what, "status": response.status_code}
            )
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def _authorised(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        for fresh in (False, True):
            headers["Authorization"] = f"Bearer {self.token(fresh=fresh)}"
            response = send(method, url, headers=headers, **kwargs)
            if response.status_code != 401:
                return response
        return response

    def public_json(self, url: str, what: str) -> Any:
        """A published document (JWKS, routing) that needs no token."""
        response = send("GET", url)
        raise_for(response, what)
        return response.json()


def json_body(value: Any) -> dict[str, Any]:
    return {"data": json.dumps(value).encode(), "headers": {"Content-Type": "application/json"}}
