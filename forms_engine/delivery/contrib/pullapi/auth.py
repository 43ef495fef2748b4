"""Bearer-token authentication of back-office systems. The token names one
city and one system; on a city's host it must be that city's token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from forms_engine.delivery.models import PullApiToken, hash_token


@dataclass
class PullClient:
    token: PullApiToken
    is_authenticated: bool = True
    is_active: bool = True


class PullTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[PullClient, PullApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        # The one lookup across cities: the token is what names the city. The
        # view opens that city's scope right after (PullApiView.initial).
        with scopes_disabled():
            row = PullApiToken.objects.select_related("city").filter(token_hash=hash_token(token.strip())).first()
            if row is None or not row.active:
                raise AuthenticationFailed("invalid token")
            city = getattr(request._request, "city", None)
            if city is not None and city.pk != row.city_id:
                raise AuthenticationFailed("invalid token")
            PullApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return PullClient(row), row

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="gemeinsam"'


class HasPullToken(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, PullApiToken)


class PullTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc,no-untyped-call]
    """Describes the bearer token in the OpenAPI schema."""

    target_class = PullTokenAuthentication
    name = "pullToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Token of one city and back-office system."}
