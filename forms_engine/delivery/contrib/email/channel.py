"""Email to the back office: the receipt, the data as JSON (with its schema URI)
and the attachments, over the SMTP server from the settings."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.base import Channel, Delivery, DeliveryError
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.delivery.payload import submission_payload


class EmailOptionsForm(forms.Form):
    to = forms.CharField(label=_("Recipients"), help_text=_("Email addresses, separated by commas."))
    include_attachments = forms.BooleanField(label=_("Include uploaded documents"), required=False, initial=True)

    def clean_to(self) -> list[str]:
        addresses = [a.strip() for a in str(self.cleaned_data["to"]).replace(";", ",").split(",") if a.strip()]
        if not addresses:
            raise ValidationError(_("At least one recipient is needed."))
        for address in addresses:
            validate_email(address)
        return addresses


class EmailChannel(Channel):
    name = "email"
    label = _("Email")

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        data = dict(options)
        if isinstance(data.get("to"), list):
            data["to"] = ", ".join(str(a) for a in data["to"])
        data.setdefault("include_attachments", True)
        form = EmailOptionsForm(data)
        if not form.is_valid():
            raise ValidationError([f"{field}: {error}" for field, errors in form.errors.items() for error in errors])
        return dict(form.cleaned_data)

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        options = self.validate_options(target.options)
        submission = delivery.submission
        city = submission.city
        sender = city.sender_email or None
        payload = submission_payload(submission)
        domain = (sender or "gemeinsam.invalid").rpartition("@")[2]
        message = EmailMessage(
            subject=f"[{submission.reference}] {submission.service_slug}" + (" (TEST)" if delivery.test else ""),
            body=(
                f"Eingang / submission {submission.reference}\n"
                f"Dienst / service: {submission.service_slug} {submission.service_version}\n"
                f"Eingegangen / submitted: {submission.submitted_at.isoformat()}\n"
                f"Schema: {payload['schema']}\n"
            ),
            from_email=f"{city.name} <{sender}>" if sender else None,
            to=options["to"],
            headers={"Message-ID": f"<delivery-{delivery.idempotency_key}@{domain}>"},
        )
        message.attach(f"{submission.reference}.pdf", delivery.pdf, "application/pdf")
        message.attach(
            f"{submission.reference}.json", json.dumps(payload, ensure_ascii=False, indent=2), "application/json"
        )
        if options.get("include_attachments") and not delivery.test:
            for attachment in submission.attachments.all():
                message.attach(f"{attachment.key}-{attachment.filename}", attachment.read(), attachment.content_type)
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from exc
        return {"message_id": message.extra_headers["Message-ID"], "recipients": len(options["to"])}
