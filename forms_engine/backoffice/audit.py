"""The audit log: one row per look at or change of a submission. References
only (id, reference number), never answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (X-Forwarded-For only from TRUSTED_PROXIES)."""
    from forms_engine.lib.client_ip import UNKNOWN, client_address

    address = client_address(request)
    return None if address == UNKNOWN else address


def record(
    *,
    city: Any,
    user: Any,
    action: str,
    submission: Any = None,
    detail: str = "",
    ip: str | None = None,
    username: str = "",
) -> AuditEvent:
    """`username` names who acted when no staff member did (a rule)."""
    return AuditEvent.objects.create(
        city=city,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        action=action,
        submission_id=submission.pk if submission is not None else None,
        reference=submission.reference if submission is not None else "",
        detail=detail[:200],
        ip_address=ip,
    )
