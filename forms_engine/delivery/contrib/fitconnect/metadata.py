"""What goes into a FIT-Connect submission: the data JSON, the parts to
attach (the receipt PDF as `form`, each citizen upload as `attachment`) and
the metadata (Metadatensatz 1.0.0) with SHA-512 hashes of every plaintext."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from forms_engine.catalog import registry as services
from forms_engine.catalog.schema import schema_uri
from forms_engine.payments.downstream import fitconnect_payment_information
from forms_engine.tenants.links import city_base_url

METADATA_VERSION = "1.0.0"
METADATA_SCHEMA = f"https://schema.fitko.de/fit-connect/metadata/{METADATA_VERSION}/metadata.schema.json"
LEIKA_URN = "urn:de:fim:leika:leistung:"


@dataclass
class Part:
    attachment_id: str
    purpose: str  # form | attachment
    filename: str
    mime_type: str
    content: bytes

    @property
    def sha512(self) -> str:
        return hashlib.sha512(self.content).hexdigest()


def service_identity(service_slug: str) -> tuple[str, str]:
    """(LeiKa URN, name) of a registered service."""
    service = services.get(service_slug)
    if service is None:
        raise LookupError(service_slug)
    return LEIKA_URN + service.leika_key, str(service.title)


def data_schema_uri(submission: Any) -> str:
    return schema_uri(submission.service_slug, submission.data_schema_version, city_base_url(submission.city))


def data_bytes(submission: Any) -> bytes:
    return json.dumps(submission.data, ensure_ascii=False, sort_keys=True).encode()


def parts(submission: Any, pdf: bytes, namespace: str) -> list[Part]:
    """Every attachment, with ids derived from the step (`namespace`), so a
    retry announces and uploads the same ids again."""
    base = uuid.UUID(namespace) if _is_uuid(namespace) else uuid.uuid5(uuid.NAMESPACE_URL, namespace)
    found = [Part(str(uuid.uuid5(base, "form")), "form", f"{submission.reference}.pdf", "application/pdf", pdf)]
    if submission.pk and not submission._state.adding:
        for a in submission.attachments.order_by("created_at", "pk"):
            found.append(Part(str(uuid.uuid5(base, str(a.pk))), "attachment", a.filename, a.content_type, a.read()))
    return found


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def metadata(submission: Any, data: bytes, attachments: list[Part]) -> dict[str, Any]:
    identifier, name = service_identity(submission.service_slug)
    document: dict[str, Any] = {
        "$schema": METADATA_SCHEMA,
        "contentStructure": {
            "data": {
                "hash": {"type": "sha512", "content": hashlib.sha512(data).hexdigest()},
                "submissionSchema": {"schemaUri": data_schema_uri(submission), "mimeType": "application/json"},
            },
            "attachments": [
                {
                    "attachmentId": p.attachment_id,
                    "purpose": p.purpose,
                    "filename": p.filename,
                    "mimeType": p.mime_type,
                    "hash": {"type": "sha512", "content": p.sha512},
                }
                for p in attachments
            ],
        },
        "publicServiceType": {"identifier": identifier, "name": name},
        "additionalReferenceInfo": {
            "senderReference": submission.reference,
            "applicationDate": submission.submitted_at.date().isoformat(),
        },
    }
    payment = fitconnect_payment_information(submission)
    if payment is not None:
        document["paymentInformation"] = payment
    if submission.contact_email:
        document["replyChannel"] = {"eMail": {"address": str(submission.contact_email)}}
    return document
