"""The confirmation email to the citizen, in their language.

What it carries besides the text is the service's and the city's choice
(CityService.confirmation_mode): the receipt as PDF, a link to download it
with the code shown after submitting (receipt_links.py), or no copy. The text
is the city's or the default (catalog/texts.py, kind "confirmation"); its
placeholders come from confirmation_values(). A new line in the confirmation
(e.g. a payment's Kassenzeichen) is a placeholder in texts.KINDS, its value in
confirmation_values() and a line in the default text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService, CityText, confirmation_mode
from forms_engine.catalog.texts import city_values, office_values, render_text
from forms_engine.payments.downstream import confirmation_note
from forms_engine.tenants.links import city_base_url

from . import receipt_links


def message_id(step: Any, sender: str) -> str:
    """Derived from the step, so a second try carries the same Message-ID and
    mail systems can drop the duplicate."""
    domain = sender.rpartition("@")[2] or "gemeinsam.invalid"
    return f"<step-{step.pk}@{domain}>"


@dataclass
class Receipt:
    """How the confirmation hands over the application: the {{ receipt }} text
    and the files attached."""

    text: str
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def receipt_for(submission: Any, mode: str) -> Receipt:
    """Call in the citizen's language. A "link" makes a new link (and token)."""
    from forms_engine.documents.storage import read_receipt

    if mode == "pdf":
        return Receipt(
            gettext("Your application as submitted is attached as a PDF."),
            [(f"{submission.reference}.pdf", read_receipt(submission), "application/pdf")],
        )
    if mode == "link":
        link, token = receipt_links.create_link(submission)
        until = formats.date_format(timezone.localtime(link.expires_at), "SHORT_DATE_FORMAT")
        return Receipt(
            gettext(
                "To protect your data, this email does not carry your application. You can download it as a "
                "PDF until %(until)s here, with the download code you were shown after submitting:\n%(url)s"
            )
            % {"until": until, "url": city_base_url(submission.city) + receipt_links.link_path(token)}
        )
    return Receipt(gettext("To protect your data, this email does not carry a copy of your application."))


def confirmation_values(submission: Any, service: Any, office: CityService | None, receipt: Receipt) -> dict[str, Any]:
    """The placeholders of the confirmation text, as plain values (the city may
    have written the text: catalog/texts.py)."""
    return {
        **city_values(submission.city),
        "service_title": str(service.title) if service else submission.service_slug,
        "reference": submission.reference,
        "submitted_at": timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y, %H:%M"),
        "receipt": receipt.text,
        **office_values(office),
    }


def send_confirmation(step: Any) -> dict[str, Any]:
    submission = step.submission
    city = submission.city
    service = registry.get(submission.service_slug)
    with scopes_disabled():
        office = CityService.objects.filter(city=city, service_slug=submission.service_slug).first()
    sender = city.sender_email or settings.DEFAULT_FROM_EMAIL
    language = submission.language or settings.LANGUAGE_CODE
    mode = confirmation_mode(service, office)
    with translation.override(language):
        receipt = receipt_for(submission, mode)
        text = render_text(
            city_service=office,
            service=service,
            kind=CityText.Kind.CONFIRMATION,
            language=language,
            values=confirmation_values(submission, service, office, receipt),
        )
        payment_note = confirmation_note(submission)  # the Kassenzeichen, or the pay link (payments/)
    body = text.body
    if mode == "link" and receipt.text not in body:
        body += "\n\n" + receipt.text  # a city text written before links existed must not lose the link
    message = EmailMessage(
        subject=" ".join(text.subject.split()),  # one line, whatever the city wrote
        body=body + payment_note + "\n",
        from_email=f"{city.name} <{sender}>",
        to=[submission.contact_email],
        headers={"Message-ID": message_id(step, sender), "Auto-Submitted": "auto-generated"},
    )
    for attachment in receipt.attachments:
        message.attach(*attachment)
    message.send(fail_silently=False)
    return {"message_id": message.extra_headers["Message-ID"], "sent_at": timezone.now().isoformat()}
