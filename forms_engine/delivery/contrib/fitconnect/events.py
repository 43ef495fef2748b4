"""After delivery: the case's event log. Every Security Event Token is
verified (PS512, typ secevent+jwt) against the key of its issuer: the
Zustelldienst's JWKS for its own events, the destination's signing key for
the back office's accept/reject. Verified events are recorded on the step:
delivered (forwarded), accepted, or rejected, which fails the step with the
back office's reason so "retry now" sends a new submission."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.delivery.base import DeliveryError

from .client import Client
from .crypto import SignatureRefused, key_set, verify_signed

logger = logging.getLogger(__name__)
EVENTS = "https://schema.fitko.de/fit-connect/events/"
STATUS_OF = {
    EVENTS + "submit-submission": "submitted",
    EVENTS + "notify-submission": "delivered",
    EVENTS + "forward-submission": "delivered",
    EVENTS + "accept-submission": "accepted",
    EVENTS + "reject-submission": "rejected",
}
RANK = {"submitted": 0, "delivered": 1, "accepted": 2, "rejected": 2}
OPEN_STATES = ("submitted", "delivered")


def verified_events(client: Client, case_id: str, submission_id: str, destination_id: str) -> list[dict[str, Any]]:
    """The case's events that verify and belong to this submission, oldest first."""
    log = client.call("GET", f"cases/{case_id}/events", _("the event log query")) or {}
    zustelldienst: Any = None
    events: list[dict[str, Any]] = []
    for token in log.get("eventLog") or []:
        try:
            issuer = _unverified_issuer(token)
            if issuer.startswith("http"):
                if zustelldienst is None:
                    zustelldienst = key_set(client.public_json(client.endpoints.zustelldienst_jwks_url, _("the keys")))
                keys = zustelldienst
            elif issuer == destination_id:
                kid = _unverified_kid(token)
                keys = key_set(
                    {"keys": [client.call("GET", f"destinations/{destination_id}/keys/{kid}", _("the key query"))]}
                )
            else:
                raise SignatureRefused("unknown issuer")
            claims = verify_signed(str(token), keys, typ="secevent+jwt")
        except SignatureRefused as exc:
            logger.warning("fitconnect.event_refused case=%s reason=%s", case_id, exc)
            continue
        if claims.get("sub") != f"submission:{submission_id}" or claims.get("txn") != f"case:{case_id}":
            logger.warning("fitconnect.event_refused case=%s reason=other submission", case_id)
            continue
        items = list((claims.get("events") or {}).items())
        if len(items) != 1:  # a SET carries exactly one event
            logger.warning("fitconnect.event_refused case=%s reason=events", case_id)
            continue
        name, body = items[0]
        events.append({"event": name, "iat": claims.get("iat"), "jti": claims.get("jti"), "body": body or {}})
    return sorted(events, key=lambda e: e.get("iat") or 0)


def event_names(client: Client, case_id: str) -> set[str]:
    log = client.call("GET", f"cases/{case_id}/events", _("the event log query")) or {}
    return {name for token in log.get("eventLog") or [] for name in _unverified_events(token)}


def _payload(token: str) -> dict[str, Any]:
    import json

    from jwcrypto.common import base64url_decode

    try:
        return dict(json.loads(base64url_decode(str(token).split(".")[1])))
    except (ValueError, IndexError, TypeError) as exc:
        raise SignatureRefused("unreadable") from exc


def _unverified_issuer(token: str) -> str:
    return str(_payload(token).get("iss") or "")


def _unverified_kid(token: str) -> str:
    import json

    from jwcrypto.common import base64url_decode

    return str(json.loads(base64url_decode(str(token).split(".")[0])).get("kid") or "")


def _unverified_events(token: str) -> list[str]:
    try:
        return list(_payload(token).get("events") or {})
    except SignatureRefused:
        return []


def reasons(body: dict[str, Any]) -> str:
    problems = body.get("problems") or []
    texts = [" – ".join(str(p.get(k)) for k in ("title", "detail") if p.get(k)) for p in problems]
    return "; ".join(t for t in texts if t) or _("no reason given")


def poll_step(step: Any, client: Client) -> str | None:
    """Read the event log of one delivered step and record what is new; returns the status."""
    from forms_engine.submissions.models import ProcessingStep

    cp = dict((step.result or {}).get("fitconnect") or {})
    events = verified_events(client, cp["case_id"], cp["submission_id"], cp["destination_id"])
    status = cp.get("status", "submitted")
    rejection: dict[str, Any] | None = None
    for event in events:
        new = STATUS_OF.get(event["event"])
        if new and RANK[new] >= RANK.get(status, 0) and status not in ("accepted", "rejected"):
            status = new
            rejection = event if new == "rejected" else None
    if status == cp.get("status"):
        return str(status)
    with transaction.atomic():
        locked = ProcessingStep.objects.select_for_update().get(pk=step.pk)
        current = dict((locked.result or {}).get("fitconnect") or {})
        current.update(status=status, events=[{"event": e["event"], "iat": e["iat"]} for e in events])
        current[f"{status}_at"] = timezone.now().isoformat()
        result = {**(locked.result or {}), "fitconnect": current}
        if rejection is not None:
            current["reason"] = reasons(rejection["body"])
            # The rejected submission is kept as history; a retry creates a new one.
            result["fitconnect_rejected"] = [*(result.get("fitconnect_rejected") or []), current][-10:]
            result.pop("fitconnect")
            locked.state = ProcessingStep.State.FAILED
            locked.last_error = _("Rejected by the back office (FIT-Connect): %(reason)s") % {
                "reason": current["reason"]
            }
        locked.result = result
        locked.save(update_fields=["result", "state", "last_error"])
    logger.info("fitconnect.status step=%s status=%s", step.pk, status)
    return str(status)


def poll_all(limit: int = 200) -> int:
    """Every delivered FIT-Connect step still waiting for its back office."""
    from django_scopes import scope, scopes_disabled

    from forms_engine.delivery.models import DeliveryTarget
    from forms_engine.submissions.models import ProcessingStep

    from .channel import client_for

    with scopes_disabled():
        steps = list(
            ProcessingStep.objects.filter(
                kind=ProcessingStep.Kind.DELIVERY,
                state=ProcessingStep.State.DONE,
                result__fitconnect__status__in=OPEN_STATES,
            ).select_related("city")[:limit]
        )
        targets = {str(t.pk): t for t in DeliveryTarget.objects.filter(pk__in=[int(s.target_id) for s in steps])}
    polled = 0
    for step in steps:
        target = targets.get(step.target_id)
        if target is None:
            continue
        with scope(city=step.city):
            try:
                poll_step(step, client_for(target))
                polled += 1
            except DeliveryError as exc:
                logger.warning("fitconnect.poll_failed step=%s error=%s", step.pk, type(exc).__name__)
    return polled
