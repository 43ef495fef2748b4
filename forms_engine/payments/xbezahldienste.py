"""Client of the XBezahldienste REST interface v1.0.0 (docs.fitko.de/xbezahldienste):
create a paymentTransaction, read its status. Every call goes through
lib.outbound (the base URL is typed by a city admin). Authentication as the
provider requires: HTTP Basic (epay21), OAuth2 client credentials (pmPayment)
or a TLS client certificate (ePayBL)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

import requests

from forms_engine.lib import outbound

from .models import PaymentProvider

TIMEOUT = (5, 15)


class ProviderError(Exception):
    """The provider could not be reached or refused the call. `code` is its
    errorCode (problem+json) when it sent one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Transaction:
    transaction_id: str
    status: str
    pay_url: str = ""
    transaction_url: str = ""
    reference: str = ""
    method: str = ""

    @classmethod
    def from_wire(cls, doc: Any) -> Transaction:
        info = doc.get("paymentInformation") if isinstance(doc, dict) else None
        if not isinstance(info, dict) or not info.get("transactionId") or not info.get("status"):
            raise ProviderError("answer without paymentInformation")
        return cls(
            transaction_id=str(info["transactionId"]),
            status=str(info["status"]),
            pay_url=str(info.get("transactionRedirectUrl") or ""),
            transaction_url=str(info.get("transactionUrl") or ""),
            reference=str(info.get("transactionReference") or ""),
            method=str(info.get("paymentMethod") or ""),
        )


def _pem_file(pem: str, files: list[str]) -> str:
    """requests reads certificates from a path: a private temporary file
    (mode 0600), removed right after the call."""
    fd, path = tempfile.mkstemp(suffix=".pem")
    files.append(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(pem)
    return path


class Client:
    def __init__(self, provider: PaymentProvider) -> None:
        self.provider = provider
        self.session = outbound.session()

    def _url(self, *parts: str) -> str:
        p = self.provider
        return p.base_url.rstrip("/") + "/" + "/".join(["paymenttransaction", p.originator_id, p.endpoint_id, *parts])

    def _auth(self, kwargs: dict[str, Any]) -> None:
        p = self.provider
        if p.auth == PaymentProvider.Auth.BASIC:
            kwargs["auth"] = (p.username, p.secret)
        elif p.auth == PaymentProvider.Auth.OAUTH2:
            kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {self._token()}"}

    def _token(self) -> str:
        p = self.provider
        form = {"grant_type": "client_credentials", "client_id": p.username, "client_secret": p.secret}
        answer = self._send("POST", p.oauth_url, {"data": form})
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not token:
            raise ProviderError("token endpoint gave no access_token")
        return str(token)

    def _send(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
        files: list[str] = []
        try:
            if self.provider.auth == PaymentProvider.Auth.CERTIFICATE and self.provider.client_certificate:
                kwargs["cert"] = _pem_file(self.provider.client_certificate, files)
            if self.provider.server_ca.strip():
                kwargs["verify"] = _pem_file(self.provider.server_ca, files)
            response = self.session.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise ProviderError(f"{type(exc).__name__}") from exc
        finally:
            for path in files:
                os.unlink(path)
        if response.status_code != 200:
            code = ""
            if "json" in response.headers.get("Content-Type", ""):
                try:
                    code = str(response.json().get("errorCode") or "")
                except ValueError:
                    code = ""
            raise ProviderError(f"HTTP {response.status_code} {code}".strip(), code=code)
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderError("answer is not JSON") from exc

    def create(self, payment_request: dict[str, Any]) -> Transaction:
        kwargs: dict[str, Any] = {"json": payment_request}
        self._auth(kwargs)
        return Transaction.from_wire(self._send("POST", self._url(), kwargs))

    def status(self, transaction_id: str) -> Transaction:
        kwargs: dict[str, Any] = {}
        self._auth(kwargs)
        return Transaction.from_wire(self._send("GET", self._url(transaction_id), kwargs))
