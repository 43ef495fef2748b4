"""The confirmation email to the citizen, in their language, with the receipt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from forms_engine.catalog import registry


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
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        context = {
            "city": city,
            "office": office,
            "service_title": str(service.title) if service else submission.service_slug,
            "submission": submission,
            "submitted_at": timezone.localtime(submission.submitted_at),
        }
        subject = render_to_string("submissions/email/confirmation_subject.txt", context).strip()
        body = render_to_string("submissions/email/confirmation.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=f"{city.name} <{sender}>",
        to=[submission.contact_email],
        headers={"Message-ID": message_id(step, sender), "Auto-Submitted": "auto-generated"},
    )
    message.attach(f"{submission.reference}.pdf", read_receipt(submission), "application/pdf")
    message.send(fail_silently=False)
    return {"message_id": message.extra_headers["Message-ID"], "sent_at": timezone.now().isoformat()}
