"""Email to the back office: the receipt, the data as JSON (with its schema URI)
and the attachments, over the SMTP server from the settings."""

from __future__ import annotations

import json
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.catalog.registry import title as service_title
from forms_engine.delivery.base import Channel, ConnectionTestFailed, Delivery, DeliveryError
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.delivery.payload import submission_payload

from .options import EmailOptionsForm


class EmailChannel(Channel):
    name = "email"
    label = gettext_lazy("Email")
    options_form = EmailOptionsForm

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        options = target.settings()
        recipients = list(options["to"])
        submission = delivery.submission
        city = submission.city
        sender = city.sender_email or None
        payload = submission_payload(submission)
        domain = (sender or "gemeinsam.invalid").rpartition("@")[2]
        # The office reads the service's name (in the platform's language), not its slug.
        with translation.override(settings.LANGUAGE_CODE):
            title = service_title(submission.service_slug)
        message = EmailMessage(
            subject=f"[{submission.reference}] {title}" + (" (TEST)" if delivery.test else ""),
            body=(
                f"Eingang / submission {submission.reference}\n"
                f"Dienst / service: {title} ({submission.service_slug} {submission.service_version})\n"
                f"Eingegangen / submitted: {submission.submitted_at.isoformat()}\n"
                f"Schema: {payload['schema']}\n"
            ),
            from_email=f"{city.name} <{sender}>" if sender else None,
            to=recipients,
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
        return {"message_id": message.extra_headers["Message-ID"], "recipients": len(recipients)}

    def test_connection(self, target: DeliveryTarget) -> str:
        """SMTP handshake up to the recipients (EHLO, STARTTLS and login as
        configured, MAIL FROM, RCPT TO), then RSET: no message is sent."""
        recipients = list(target.settings().get("to") or [])
        connection = get_connection(fail_silently=False)
        if not isinstance(connection, SmtpBackend):
            return _(
                "This server does not send email over SMTP (development mode: messages are written to its "
                "log), so there is no mail server to test. The recipients %(to)s are valid."
            ) % {"to": ", ".join(recipients)}
        server = f"{connection.host}:{connection.port}"
        sender = target.city.sender_email or settings.DEFAULT_FROM_EMAIL
        try:
            connection.open()
            smtp = connection.connection
            assert smtp is not None
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(sender)
            if code != 250:
                raise ConnectionTestFailed(
                    _("The mail server %(server)s refuses the sender %(sender)s: %(code)s %(reply)s")
                    % {"server": server, "sender": sender, "code": code, "reply": reply.decode(errors="replace")}
                )
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    raise ConnectionTestFailed(
                        _("The mail server %(server)s does not accept the recipient %(address)s: %(code)s %(reply)s")
                        % {"server": server, "address": address, "code": code, "reply": reply.decode(errors="replace")}
                    )
            smtp.rset()
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionTestFailed(
                _("No connection to the mail server %(server)s: %(error)s")
                % {"server": server, "error": str(exc) or type(exc).__name__}
            ) from exc
        finally:
            connection.close()
        return _("The mail server %(server)s accepts mail for %(to)s. Nothing was sent.") % {
            "server": server,
            "to": ", ".join(recipients),
        }
