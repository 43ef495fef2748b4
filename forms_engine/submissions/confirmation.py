"""The confirmation email to the citizen, in their language, with the receipt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityText
from forms_engine.catalog.texts import city_values, office_values, render_text
from forms_engine.payments.downstream import confirmation_note


def message_id(step: Any, sender: str) -> str:
    """Derived from the step, so a second try carries the same Message-ID and
    mail systems can drop the duplicate."""
    domain = sender.rpartition("@")[2] or "gemeinsam.invalid"
    return f"<step-{step.pk}@{domain}>"


def send_confirmation(step: Any) -> dict[str, Any]:
    from forms_engine.catalog.models import CityService
    from forms_engine.documents.storage import read_receipt

    submission = step.submission
    city = submission.city
    service = registry.get(submission.service_slug)
    with scopes_disabled():
        office = CityService.objects.filter(city=city, service_slug=submission.service_slug).first()
    sender = city.sender_email or settings.DEFAULT_FROM_EMAIL
    language = submission.language or settings.LANGUAGE_CODE
    with translation.override(language):
        # Plain values only: the city may have written this text (catalog/texts.py).
        values = {
            **city_values(city),
            "service_title": str(service.title) if service else submission.service_slug,
            "reference": submission.reference,
            "submitted_at": timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y, %H:%M"),
            **office_values(office),
        }
        text = render_text(
            city_service=office, service=service, kind=CityText.Kind.CONFIRMATION, language=language, values=values
        )
        payment_note = confirmation_note(submission)  # the Kassenzeichen, or the pay link (payments/)
    message = EmailMessage(
        subject=" ".join(text.subject.split()),  # one line, whatever the city wrote
        body=text.body + payment_note + "\n",
        from_email=f"{city.name} <{sender}>",
        to=[submission.contact_email],
        headers={"Message-ID": message_id(step, sender), "Auto-Submitted": "auto-generated"},
    )
    message.attach(f"{submission.reference}.pdf", read_receipt(submission), "application/pdf")
    message.send(fail_silently=False)
    return {"message_id": message.extra_headers["Message-ID"], "sent_at": timezone.now().isoformat()}
