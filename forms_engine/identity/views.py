"""BundID login pages: SP metadata, the signed request on its way to the IdP,
the assertion consumer, the hand-over to the browser that started the login,
logout, and "Meine Anträge"."""

from __future__ import annotations

import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.lib.csp import POLICY
from forms_engine.submissions.models import Submission
from forms_engine.tenants.links import city_base_url

from . import access, levels, saml
from .models import BundIdSettings, LoginAttempt, SubmissionIdentity

logger = logging.getLogger(__name__)


def _settings(request: HttpRequest) -> BundIdSettings:
    if getattr(request, "city", None) is None:
        raise Http404
    config = access.city_settings(request)
    if config is None:
        raise Http404
    return config


def metadata(request: HttpRequest) -> HttpResponse:
    """The SP metadata of this city, at a stable URL (the default entity id)."""
    config = _settings(request)
    return HttpResponse(saml.metadata(config), content_type="application/samlmetadata+xml")


def _next_url(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None) and wanted.startswith("/"):
        return wanted
    return fallback


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """A signed AuthnRequest for the service's level and prefill attributes,
    sent to BundID with the HTTP-POST binding (a form the browser submits)."""
    config = _settings(request)
    slug = request.POST.get("service") or request.GET.get("service") or ""
    service = registry.get(slug) if slug else None
    if service is not None and not CityService.objects.filter(service_slug=slug, enabled=True).exists():
        service = None
    level = getattr(service, "bundid_level", "basic") if service else "basic"
    wanted = sorted({p.attribute for p in getattr(service, "bundid_prefill", {}).values()}) if service else []
    fallback = reverse("wizard-start", args=[service.slug]) if service else reverse("identity-mine")
    attempt = LoginAttempt(city=request.city, service_slug=service.slug if service else "")  # type: ignore[attr-defined]
    attempt.next_url = _next_url(request, fallback)
    outgoing = saml.authn_request(
        config,
        level=level,
        attributes=wanted,
        service_id=service.leika_key if service else "",
        lang=(translation.get_language() or "de")[:2],
        back_url=city_base_url(config.city) + fallback,
    )
    attempt.request_id = outgoing.request_id
    attempt.save()
    attempts = [a for a in request.session.get(access.SESSION_ATTEMPTS, []) if a][-4:]
    request.session[access.SESSION_ATTEMPTS] = [*attempts, str(attempt.pk)]
    response = render(
        request,
        "identity/redirect.html",
        {"destination": outgoing.destination, "saml_request": outgoing.saml_request, "relay_state": attempt.pk},
    )
    # The form goes to BundID: CSP form-action must allow its SSO endpoint.
    response["Content-Security-Policy"] = _csp_with_form_action(response, outgoing.destination)
    return response


def _csp_with_form_action(response: HttpResponse, destination: str) -> str:
    parts = urlsplit(destination)
    return POLICY.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def _refused(request: HttpRequest, reason: str, service: Any = None, status: int = 400, **extra: Any) -> HttpResponse:
    logger.warning("bundid login refused", extra={"reason": reason})
    return render(
        request,
        "identity/refused.html",
        {"reason": reason, "service": service, **extra},
        status=status,
    )


@csrf_exempt  # the IdP posts here cross-site; the answer is checked by its signature and InResponseTo
@never_cache
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """Assertion consumer: verify the answer against the login it answers,
    keep the verified identity (encrypted) on that login for the browser to
    pick up. The SAML response itself is not stored."""
    config = _settings(request)
    try:
        attempt_id = uuid.UUID(request.POST.get("RelayState", ""))
    except ValueError:
        return _refused(request, "unknown")
    attempt = LoginAttempt.objects.filter(pk=attempt_id, identity__isnull=True).first()
    if attempt is None:
        return _refused(request, "unknown")
    service = registry.get(attempt.service_slug) if attempt.service_slug else None
    if attempt.expired:
        attempt.delete()
        return _refused(request, "expired", service)
    try:
        identity = saml.verify_response(config, request.POST.get("SAMLResponse", ""), request_id=attempt.request_id)
    except saml.LoginRefused as refusal:
        return _refused(request, refusal.reason, service)
    attempt.identity = identity.as_session()
    attempt.save(update_fields=["identity"])
    return redirect("identity-finish", attempt.pk)


@never_cache
def finish(request: HttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """The browser that started the login picks up the verified identity."""
    _settings(request)
    if str(attempt_id) not in request.session.get(access.SESSION_ATTEMPTS, []):
        return _refused(request, "unknown")
    attempt = LoginAttempt.objects.filter(pk=attempt_id, identity__isnull=False).first()
    if attempt is None or attempt.expired:
        return _refused(request, "expired")
    identity, next_url = attempt.identity, attempt.next_url
    service = registry.get(attempt.service_slug) if attempt.service_slug else None
    attempt.delete()
    level = getattr(service, "bundid_level", "basic") if service else "basic"
    if int(identity["stork_level"]) < levels.STORK[level]:
        return _refused(
            request,
            "level",
            service,
            status=403,
            needed=levels.LEVEL_LABELS[level],
            had=levels.LEVEL_LABELS[levels.level_name(int(identity["stork_level"]))],
        )
    citizen = access.login_in_session(request, identity)
    access.bind_drafts(request, citizen)
    messages.success(request, _("You are logged in with BundID."))
    return redirect(next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """POST: end our session, then send the browser on to BundID's single
    logout where the IdP offers it. GET: the page after logging out, where
    BundID's LogoutResponse comes back to (our session has already ended)."""
    if getattr(request, "city", None) is None:
        raise Http404
    if request.method == "GET":
        return render(request, "identity/logged_out.html")
    citizen = access.current(request)
    access.logout_from_session(request)
    config = access.city_settings(request)
    if citizen is not None and config is not None and citizen.name_id:
        # A page, not a redirect: CSP form-action would hold a form's redirect to BundID.
        single_logout = saml.logout_location(config, citizen.name_id)
        if single_logout:
            return render(request, "identity/logged_out.html", {"single_logout": single_logout})
    return redirect("identity-logout")


@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """ "Meine Anträge": the logged-in citizen's open drafts and submissions here."""
    _settings(request)
    citizen = access.current(request)
    drafts: list[dict[str, Any]] = []
    submissions: list[Any] = []
    if citizen is not None:
        for draft in access.open_drafts(citizen):
            service = registry.get(draft.service_slug)
            if service is not None:
                drafts.append({"draft": draft, "service": service})
        ids = SubmissionIdentity.objects.filter(owner=citizen.owner).values_list("submission_id", flat=True)
        for submission in Submission.objects.filter(pk__in=list(ids)).order_by("-submitted_at"):
            submissions.append({"submission": submission, "service": registry.get(submission.service_slug)})
    return render(request, "identity/mine.html", {"citizen": citizen, "drafts": drafts, "submissions": submissions})
