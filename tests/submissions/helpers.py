"""Submissions for processing tests, made through the real submit action."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.submissions.actions import submission_submit
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.conftest import enable_service

SERVICE = "unterhaltsvorschuss"


def snapshot(*, long_text: str = "", entries: int = 2) -> list[dict[str, Any]]:
    applicant = [
        {"name": "vorname", "label": "Vorname", "value": "Jörg"},
        {"name": "nachname", "label": "Nachname", "value": "Müßig-Öztürk"},
        {"name": "email", "label": "E-Mail", "value": "joerg@example.org"},
    ]
    if long_text:
        applicant.append({"name": "bemerkung", "label": "Bemerkungen", "value": long_text})
    children = [
        [
            {"name": "vorname", "label": "Vorname des Kindes", "value": f"Kind {n} Ärmel"},
            {"name": "geburtsdatum", "label": "Geburtsdatum", "value": "01.02.2020"},
        ]
        for n in range(1, entries + 1)
    ]
    return [
        {"step": "antragsteller", "title": "Antragstellende Person", "fields": applicant},
        {
            "step": "kinder",
            "title": "Kinder",
            "fields": [],
            "entries": children,
            "attachments": [{"key": "geburtsurkunde", "label": "Geburtsurkunde des Kindes", "filename": "x"}],
        },
        {
            "step": "_summary",
            "title": "Für Sie berechnet",
            "fields": [{"name": "", "label": "Geschätzte Leistung", "value": "230,00 € im Monat"}],
            "entries": [],
        },
    ]


def make_target(city: City, channel: str, options: dict[str, Any], name: str = "Jugendamt") -> DeliveryTarget:
    """A target configured as the admin would: options validated, secrets
    encrypted. The tests' far sides listen on 127.0.0.1, so private addresses
    are allowed while configuring (the SSRF guard has its own tests)."""
    with scope(city=city), override_settings(DELIVERY_ALLOW_PRIVATE_TARGETS=True):
        target = DeliveryTarget(city=city, service_slug=SERVICE, name=name, channel=channel)
        target.configure(options)
        target.save()
        return target


def submit(
    city: City,
    *,
    email: str | None = "joerg@example.org",
    language: str = "de",
    long_text: str = "",
    entries: int = 2,
    with_attachment: bool = True,
    service_slug: str = SERVICE,
) -> Submission:
    service = registry.get(service_slug)
    assert service is not None
    city_service = enable_service(
        city, service_slug, office_name="Jugendamt Gießen", office_email="jugendamt@example.org"
    )
    answers: dict[str, Any] = {"antragsteller": {"vorname": "Jörg", "nachname": "Müßig"}}
    if service.applicant_email_field:  # where the service keeps the citizen's address
        email_step, _dot, email_name = service.applicant_email_field.partition(".")
        answers.setdefault(email_step, {})[email_name] = email or ""
    from forms_engine.catalog.base import Answers

    with scope(city=city):
        attachments = []
        if with_attachment:
            attachments.append(
                Attachment.store(
                    city=city,
                    content=b"%PDF-1.4 Geburtsurkunde",
                    step="kinder",
                    key="geburtsurkunde",
                    filename="Geburtsurkunde Jörg.pdf",
                    content_type="application/pdf",
                )
            )
        return submission_submit(
            city=city,
            service=service,
            context=city_service.context(),
            answers=Answers(answers),
            snapshot=snapshot(long_text=long_text, entries=entries),
            attachments=attachments,
            language=language,
        )


def steps(submission: Submission) -> dict[str, ProcessingStep]:
    with scope(city=submission.city):
        return {
            f"{s.kind}:{s.target_id}" if s.target_id else s.kind: s
            for s in ProcessingStep.objects.filter(submission=submission)
        }
