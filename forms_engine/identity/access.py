"""The logged-in citizen in the session, and what the wizard asks of it: may
this service be used now (login required, trust level), which drafts belong to
the citizen. The session holds the identity only encrypted; the pseudonym only
as an HMAC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.catalog.base import OnlineService
from forms_engine.lib import cache
from forms_engine.lib.crypto import decrypt_json, encrypt_json
from forms_engine.wizard.models import Draft
from forms_engine.wizard.session import SESSION_DRAFTS, remember_draft

from . import levels
from .models import BundIdSettings, DraftOwner, owner_hash

SESSION_IDENTITY = "gemeinsam_bundid"
SESSION_ATTEMPTS = "gemeinsam_bundid_attempts"


@dataclass
class Citizen:
    """Who is logged in: the owner HMAC, the trust level, the attributes."""

    owner: str
    stork_level: int
    authenticated_at: datetime
    attributes: dict[str, str]
    name_id: str
    city_id: int

    @property
    def level(self) -> str:
        return levels.level_name(self.stork_level)

    def reaches(self, level: str) -> bool:
        return self.stork_level >= levels.STORK[level]

    def __repr__(self) -> str:
        return f"<Citizen level={self.stork_level}>"


def login_in_session(request: HttpRequest, identity: dict[str, Any]) -> Citizen:
    """After a verified login: a new session key (no fixation), the identity
    stored encrypted."""
    request.session.cycle_key()
    token = {
        "owner": owner_hash(identity["pseudonym"]),
        "name_id": identity["pseudonym"],
        "stork_level": identity["stork_level"],
        "authenticated_at": identity["authenticated_at"],
        "attributes": identity["attributes"],
        "city_id": request.city.pk,  # type: ignore[attr-defined]
    }
    request.session[SESSION_IDENTITY] = encrypt_json(token)
    citizen = current(request)
    assert citizen is not None
    return citizen


def current(request: HttpRequest) -> Citizen | None:
    token = request.session.get(SESSION_IDENTITY)
    city = getattr(request, "city", None)
    if not token or city is None:
        return None
    data = decrypt_json(token)
    if data.get("city_id") != city.pk:
        return None
    return Citizen(
        owner=data["owner"],
        stork_level=int(data["stork_level"]),
        authenticated_at=datetime.fromisoformat(data["authenticated_at"]),
        attributes=dict(data.get("attributes") or {}),
        name_id=data.get("name_id", ""),
        city_id=data["city_id"],
    )


def logout_from_session(request: HttpRequest) -> None:
    """Our session ends: identity gone, and the drafts this browser knew only
    through the login are forgotten (a shared computer shows them no more)."""
    citizen = current(request)
    request.session.pop(SESSION_IDENTITY, None)
    if citizen is not None:
        owned = {str(d) for d in DraftOwner.objects.filter(owner=citizen.owner).values_list("draft_id", flat=True)}
        drafts = {k: v for k, v in request.session.get(SESSION_DRAFTS, {}).items() if v not in owned}
        request.session[SESSION_DRAFTS] = drafts
    request.session.cycle_key()


def city_settings(request: HttpRequest) -> BundIdSettings | None:
    """The city's BundID settings if switched on and complete; looked up once
    per request (a step asks for the gate and for the prefill)."""
    if not hasattr(request, "_bundid_settings"):
        config = BundIdSettings.objects.filter(enabled=True).select_related("city").first()
        request._bundid_settings = config if config is not None and config.ready else None  # type: ignore[attr-defined]
    return request._bundid_settings  # type: ignore[attr-defined,no-any-return]


# Every step of a service with a login asks whether BundID is on for the city:
# the answer (on and complete, and which services require it) is cached per
# city like the host lookup, never the settings row (it holds the key).
GATE_CACHE_SECONDS = 60


def _gate_key(city_id: int) -> str:
    return f"identity:bundid-gate:{city_id}"


def forget_gate(city_id: int) -> None:
    cache.delete(_gate_key(city_id))


def _gate(request: HttpRequest) -> frozenset[str] | None:
    """None when the city has no ready BundID; else the services that require it."""
    if not hasattr(request, "_bundid_gate"):
        city = request.city  # type: ignore[attr-defined]

        def lookup() -> tuple[str, list[str]] | None:
            config = BundIdSettings.objects.filter(city_id=city.pk, enabled=True).first()
            return ("on", sorted(config.required())) if config is not None and config.ready else None

        gate = cache.remember(_gate_key(city.pk), GATE_CACHE_SECONDS, lookup)
        request._bundid_gate = frozenset(gate[1]) if gate else None  # type: ignore[attr-defined]
    return request._bundid_gate  # type: ignore[attr-defined,no-any-return]


def login_mode(request: HttpRequest, service: OnlineService) -> str:
    """The service's login, if the city has BundID switched on; else none."""
    mode = getattr(service, "bundid_login", levels.LOGIN_NONE)
    required = _gate(request) if mode != levels.LOGIN_NONE and getattr(request, "city", None) else None
    if required is None:
        return levels.LOGIN_NONE
    return levels.LOGIN_REQUIRED if service.slug in required else mode


def start_options(request: HttpRequest, service: OnlineService) -> dict[str, Any]:
    """What the start page offers."""
    mode = login_mode(request, service)
    citizen = current(request) if mode != levels.LOGIN_NONE else None
    level = getattr(service, "bundid_level", "basic")
    return {
        "mode": mode,
        "citizen": citizen,
        "level": level,
        "level_label": levels.LEVEL_LABELS[level],
        "reaches": citizen.reaches(level) if citizen else False,
        "without_label": _("Continue without logging in"),
    }


def refuse(request: HttpRequest, service: OnlineService) -> HttpResponse | None:
    """A required login is checked on every step and at submit, not only at
    the start page: without it (or below the level), back to the start page."""
    if login_mode(request, service) != levels.LOGIN_REQUIRED:
        return None
    citizen = current(request)
    if citizen is not None and citizen.reaches(getattr(service, "bundid_level", "basic")):
        return None
    messages.info(request, _("This service requires you to log in with BundID."))
    return redirect("wizard-start", service.slug)


def prefill_source(request: HttpRequest, service: OnlineService) -> dict[str, str] | None:
    """The attributes to prefill from, when logged in for this service."""
    if login_mode(request, service) == levels.LOGIN_NONE:
        return None
    citizen = current(request)
    if citizen is None or not citizen.reaches(getattr(service, "bundid_level", "basic")):
        return None
    return citizen.attributes


def bind_drafts(request: HttpRequest, citizen: Citizen) -> None:
    """After login: this browser's drafts become the citizen's, and the
    citizen's open drafts (from another device) become this browser's."""
    city = request.city  # type: ignore[attr-defined]
    mine = dict(request.session.get(SESSION_DRAFTS, {}))
    for draft in Draft.objects.filter(pk__in=list(mine.values()), submission__isnull=True, preview=False):
        DraftOwner.objects.get_or_create(draft=draft, defaults={"city": city, "owner": citizen.owner})
    for draft in open_drafts(citizen):
        if draft.service_slug not in mine:
            remember_draft(request, draft)


def own_draft(request: HttpRequest, draft: Draft) -> None:
    """A draft started while logged in belongs to the citizen."""
    citizen = current(request)
    if citizen is not None and not draft.preview:
        DraftOwner.objects.get_or_create(draft=draft, defaults={"city": draft.city, "owner": citizen.owner})


def open_drafts(citizen: Citizen) -> list[Draft]:
    return list(
        Draft.objects.filter(
            bundid_owner__owner=citizen.owner,
            submission__isnull=True,
            expires_at__gt=timezone.now(),
            preview=False,
        ).order_by("-updated_at")
    )
