"""FIT-Connect sender (Submission API, version prefix configurable):
token → destination (checked) → its encryption key (checked) → create the
submission announcing every attachment → upload each attachment as JWE →
submit encrypted metadata and data. Each remote step is checkpointed on the
processing step, so a retry resumes where the last try stopped and never
creates a second submission once the first one's id is recorded."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.delivery.base import Channel, ConnectionTestFailed, Delivery, DeliveryError, PermanentDeliveryError
from forms_engine.delivery.models import DeliveryTarget

from . import checkpoints, metadata, routing
from .client import Client
from .crypto import check_encryption_key, encrypt
from .environments import endpoints_for
from .options import FitConnectOptionsForm

logger = logging.getLogger(__name__)
METADATA_VERSIONS = (metadata.METADATA_VERSION,)
SUBMIT_EVENT = "https://schema.fitko.de/fit-connect/events/submit-submission"
STATUS_LABELS = {
    "": gettext_lazy("being sent"),
    "submitted": gettext_lazy("submitted, waiting for the back office"),
    "delivered": gettext_lazy("delivered to the back office"),
    "accepted": gettext_lazy("accepted by the back office"),
}


def client_for(target: DeliveryTarget) -> Client:
    settings = target.settings()
    return Client(endpoints_for(settings), str(settings["client_id"]), str(settings["client_secret"]))


def destination_id_for(target: DeliveryTarget, client: Client, service_slug: str) -> str:
    settings = target.settings()
    if settings.get("destination_id"):
        return str(settings["destination_id"])
    from forms_engine.catalog import registry as services

    service = services.get(service_slug)
    if service is None:
        raise PermanentDeliveryError(f"unknown service {service_slug!r}")
    cache_seconds = int(settings.get("routing_cache_seconds") or 0)
    return routing.resolve(client, service.leika_key, target.city.ags, cache_seconds)


def check_destination(destination: dict[str, Any], identifier: str, schema_uri: str | None) -> None:
    """Refuse, permanently, a destination that cannot take this service's submissions."""
    if destination.get("status") != "active":
        raise PermanentDeliveryError(_("The FIT-Connect destination is not active."))
    if not set(destination.get("metadataVersions") or []) & set(METADATA_VERSIONS):
        raise PermanentDeliveryError(
            _("The FIT-Connect destination accepts none of our metadata versions (%(ours)s).")
            % {"ours": ", ".join(METADATA_VERSIONS)}
        )
    service = next((s for s in destination.get("services") or [] if s.get("identifier") == identifier), None)
    if service is None:
        raise PermanentDeliveryError(
            _("The FIT-Connect destination does not accept this service (%(identifier)s).") % {"identifier": identifier}
        )
    schemas = {s.get("schemaUri") for s in service.get("submissionSchemas") or []}
    if schema_uri is not None and schemas and schema_uri not in schemas:
        raise PermanentDeliveryError(
            _("The FIT-Connect destination does not accept our data schema %(uri)s.") % {"uri": schema_uri}
        )


def destination_key(client: Client, destination_id: str, trust_anchors: str) -> tuple[dict[str, Any], Any]:
    destination = client.call("GET", f"destinations/{destination_id}", _("the destination query"))
    kid = str(destination.get("encryptionKid") or "")
    key = client.call("GET", f"destinations/{destination_id}/keys/{kid}", _("the key query"))
    return destination, check_encryption_key(key, trust_anchors)


class FitConnectChannel(Channel):
    name = "fitconnect"
    label = gettext_lazy("FIT-Connect")
    options_form = FitConnectOptionsForm

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        submission = delivery.submission
        cp = checkpoints.Checkpoint(delivery.step)
        if cp.get("submitted"):
            return {"fitconnect": cp.data}
        client = client_for(target)
        destination_id = str(cp.get("destination_id") or destination_id_for(target, client, submission.service_slug))
        identifier, service_name = metadata.service_identity(submission.service_slug)
        schema_uri = metadata.data_schema_uri(submission)
        destination, key = destination_key(client, destination_id, str(target.settings().get("trust_anchors") or ""))
        check_destination(destination, identifier, schema_uri)
        data = metadata.data_bytes(submission)
        parts = metadata.parts(submission, delivery.pdf, delivery.idempotency_key)
        if not cp.get("submission_id"):
            # A crash between the 201 and this write leaves an incomplete
            # submission at the Zustelldienst that its deletion period removes
            # (v1 has no idempotency key and senders cannot list): docs/fitconnect.md.
            cp.save(destination_id=destination_id, stage="creating")
            created = client.call(
                "POST",
                "submissions",
                _("creating the submission"),
                expect=(201,),
                json={
                    "destinationId": destination_id,
                    "announcedAttachments": [p.attachment_id for p in parts],
                    "serviceType": {"identifier": identifier, "name": service_name},
                },
            )
            cp.save(submission_id=created["submissionId"], case_id=created["caseId"], stage="created", uploaded=[])
        submission_id = str(cp.get("submission_id"))
        for part in parts:
            if part.attachment_id in cp.get("uploaded", []):
                continue
            client.call(
                "PUT",
                f"submissions/{submission_id}/attachments/{part.attachment_id}",
                _("an attachment upload"),
                expect=(204,),
                data=encrypt(key, part.content, part.mime_type).encode(),
                headers={"Content-Type": "application/jose"},
            )
            cp.save(uploaded=[*cp.get("uploaded", []), part.attachment_id])
        if cp.get("stage") == "submitting" and self._was_submitted(client, cp):
            return {"fitconnect": cp.save(submitted=True, stage="submitted", status="submitted")}
        cp.save(stage="submitting")
        document = metadata.metadata(submission, data, parts)
        client.call(
            "PUT",
            f"submissions/{submission_id}",
            _("submitting"),
            json={
                "encryptedMetadata": encrypt(key, json.dumps(document).encode(), "application/json"),
                "encryptedData": encrypt(key, data, "application/json"),
            },
        )
        logger.info("fitconnect.submitted step=%s submission=%s", delivery.idempotency_key, submission_id)
        return {"fitconnect": cp.save(submitted=True, stage="submitted", status="submitted")}

    def describe(self, result: dict[str, Any]) -> str:
        """Submission and case id with the last known status, for the back office and the admin."""
        current = result.get("fitconnect") or {}
        if current.get("submission_id"):
            return _("FIT-Connect submission %(submission)s, case %(case)s: %(status)s") % {
                "submission": current["submission_id"],
                "case": current.get("case_id", ""),
                "status": STATUS_LABELS.get(str(current.get("status") or ""), current.get("status")),
            }
        rejected = (result.get("fitconnect_rejected") or [{}])[-1]
        if rejected.get("submission_id"):
            return _("FIT-Connect submission %(submission)s, case %(case)s: rejected – %(reason)s") % {
                "submission": rejected["submission_id"],
                "case": rejected.get("case_id", ""),
                "reason": rejected.get("reason", ""),
            }
        return ""

    def _was_submitted(self, client: Client, cp: checkpoints.Checkpoint) -> bool:
        """A try that died after sending the final PUT: the case's event log says
        whether the Zustelldienst took it (the event log is signed; it is
        verified when it is read for the status)."""
        from .events import event_names

        try:
            return SUBMIT_EVENT in event_names(client, str(cp.get("case_id")))
        except DeliveryError:
            return False

    def test_connection(self, target: DeliveryTarget) -> str:
        """Token, destination and key (all checked); creates nothing."""
        client = client_for(target)
        try:
            client.token(fresh=True)
            destination_id = destination_id_for(target, client, target.service_slug)
            identifier, _name = metadata.service_identity(target.service_slug)
            destination, _key = destination_key(
                client, destination_id, str(target.settings().get("trust_anchors") or "")
            )
            check_destination(destination, identifier, None)
        except DeliveryError as exc:
            raise ConnectionTestFailed(str(exc)) from exc
        except LookupError as exc:
            raise ConnectionTestFailed(_("This target's online service is not registered.")) from exc
        return _(
            "FIT-Connect answers: signed in, destination %(destination)s is active, accepts this service "
            "and its encryption key is valid. Nothing was sent."
        ) % {"destination": destination_id}
