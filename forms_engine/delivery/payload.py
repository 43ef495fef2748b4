"""What every channel delivers about a submission: the data as JSON with the URI
of its schema, plus metadata and the list of attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from forms_engine.catalog.schema import schema_uri
from forms_engine.identity.downstream import identity_data
from forms_engine.payments.downstream import payment_data
from forms_engine.tenants.links import city_base_url

__all__ = ["city_base_url", "signed_link", "submission_payload", "unsign_link"]

LINK_SALT = "delivery.download"


def signed_link(city: Any, kind: str, object_id: Any) -> str:
    """A download link that works without login until DELIVERY_LINK_MAX_AGE."""
    token = signing.TimestampSigner(salt=LINK_SALT).sign_object({"c": city.pk, "k": kind, "o": str(object_id)})
    return city_base_url(city) + reverse("delivery-download", args=[token])


def unsign_link(token: str) -> dict[str, Any]:
    """Raises signing.BadSignature (or SignatureExpired) for a bad or old link."""
    value: dict[str, Any] = signing.TimestampSigner(salt=LINK_SALT).unsign_object(
        token, max_age=settings.DELIVERY_LINK_MAX_AGE
    )
    return value


def submission_payload(submission: Any, *, with_links: bool = False) -> dict[str, Any]:
    attachments = list(submission.attachments.all()) if submission.pk and not submission._state.adding else []
    payload: dict[str, Any] = {
        "id": str(submission.pk),
        "reference": submission.reference,
        "city": {"slug": submission.city.slug, "name": submission.city.name, "ags": submission.city.ags},
        "service": {
            "slug": submission.service_slug,
            "version": submission.service_version,
            "data_schema_version": submission.data_schema_version,
        },
        "schema": schema_uri(submission.service_slug, submission.data_schema_version, city_base_url(submission.city)),
        "submitted_at": submission.submitted_at.isoformat(),
        "language": submission.language,
        "fee": submission.fee,
        "payment": payment_data(submission),  # the booked online payment, or null
        "identity": identity_data(submission),  # how the applicant proved their identity (BundID), or null
        "data": submission.data,
        "attachments": [
            {
                "id": str(a.pk),
                "key": a.key,
                "step": a.step,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                **({"url": signed_link(submission.city, "attachment", a.pk)} if with_links else {}),
            }
            for a in attachments
        ],
    }
    if with_links:
        payload["pdf_url"] = signed_link(submission.city, "receipt", submission.pk)
    return payload
