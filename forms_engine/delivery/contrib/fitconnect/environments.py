"""The FIT-Connect environments a target can point at (Submission API v1 era
hosts, docs/fitconnect.md names the sources). "custom" takes the three base
URLs from the target's options, e.g. the local stand-in of the demo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Endpoints:
    token_url: str
    submission_url: str  # without the version prefix
    routing_url: str  # without the version prefix
    portal_jwks_url: str  # the Self-Service-Portal's keys: signs destinationSignature
    api_version: str = "v1"

    def api(self, path: str) -> str:
        return f"{self.submission_url.rstrip('/')}/{self.api_version}/{path.lstrip('/')}"

    def routing(self, path: str) -> str:
        return f"{self.routing_url.rstrip('/')}/{self.api_version}/{path.lstrip('/')}"

    @property
    def zustelldienst_jwks_url(self) -> str:
        return f"{self.submission_url.rstrip('/')}/.well-known/jwks.json"


ENVIRONMENTS: dict[str, Endpoints] = {
    "test": Endpoints(
        token_url="https://auth-testing.fit-connect.fitko.dev/token",  # noqa: S106 - an address, not a password
        submission_url="https://submission-api-testing.fit-connect.fitko.dev",
        routing_url="https://routing-api-testing.fit-connect.fitko.dev",
        portal_jwks_url="https://portal.auth-testing.fit-connect.fitko.dev/.well-known/jwks.json",
    ),
    "stage": Endpoints(
        token_url="https://auth-refz.fit-connect.fitko.net/token",  # noqa: S106 - an address, not a password
        submission_url="https://submission-api-refz.fit-connect.niedersachsen.de",
        routing_url="https://routing-api-refz.fit-connect.fitko.net",
        portal_jwks_url="https://portal.auth-refz.fit-connect.fitko.net/.well-known/jwks.json",
    ),
    "prod": Endpoints(
        token_url="https://auth-prod.fit-connect.fitko.net/token",  # noqa: S106 - an address, not a password
        submission_url="https://submission-api-prod.fit-connect.niedersachsen.de",
        routing_url="https://routing-api-prod.fit-connect.fitko.net",
        portal_jwks_url="https://portal.auth-prod.fit-connect.fitko.net/.well-known/jwks.json",
    ),
}


def endpoints_for(settings: dict[str, Any]) -> Endpoints:
    version = str(settings.get("api_version") or "v1")
    environment = str(settings.get("environment") or "test")
    if environment == "custom":
        return Endpoints(
            token_url=str(settings["token_url"]),
            submission_url=str(settings["submission_url"]),
            routing_url=str(settings.get("routing_url") or settings["submission_url"]),
            portal_jwks_url=str(settings.get("portal_jwks_url") or ""),
            api_version=version,
        )
    base = ENVIRONMENTS[environment]
    return Endpoints(base.token_url, base.submission_url, base.routing_url, base.portal_jwks_url, version)
