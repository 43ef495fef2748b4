"""Decision letters (Bescheide): placeholders, the check of a city's template,
issuing a letter when a decision takes effect, and the letter step's work
(render the PDF/UA, attach it to the case, plan the email to the citizen).

A template is city-written text that runs on our servers: it is rendered in the
sandbox of catalog/texts.py over a dict of plain strings built here from the
case (never over model objects), and may use only the placeholders listed by
`placeholders()`. Everything in the dict comes from the case's own city."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.catalog import registry
from forms_engine.catalog.base import OnlineService
from forms_engine.catalog.models import CityService
from forms_engine.catalog.texts import city_values, office_values, render_plain, template_problems
from forms_engine.submissions import citizen_email
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission

from . import audit
from .answers import answer_sections
from .letter_models import DecisionLetter, LetterTemplate, LetterTemplateVersion
from .models import AuditEvent

_BASE = {
    "city_name": gettext_lazy("name of the city"),
    "city_to": gettext_lazy('the city as addressee with its article ("an die Universitätsstadt Gießen")'),
    "service_title": gettext_lazy("name of the online service"),
    "reference": gettext_lazy("reference number of the application"),
    "submitted_at": gettext_lazy("date and time of submission"),
    "decided_on": gettext_lazy("date of the decision"),
    "decision": gettext_lazy("the decision (approved / rejected)"),
    "applicant_name": gettext_lazy("name of the applicant"),
    "office_name": gettext_lazy("name of the responsible office"),
    "office_address": gettext_lazy("postal address of the office"),
    "office_email": gettext_lazy("email address of the office"),
    "office_phone": gettext_lazy("phone number of the office"),
}
_SAMPLES = {
    "city_name": "Universitätsstadt Gießen",
    "city_to": "an die Universitätsstadt Gießen",
    "reference": "GI-BPA-2026-000001",
    "submitted_at": "02.12.2026, 14:05",
    "decided_on": "03.12.2026",
    "decision": "bewilligt",
    "applicant_name": "Erika Mustermann",
    "office_name": "Straßenverkehrsbehörde",
    "office_address": "Berliner Platz 1\n35390 Gießen",
    "office_email": "verkehr@example.org",
    "office_phone": "0641 306-0",
}


def _key(step: str, field: str) -> str:
    """The placeholder of one answer: "vehicle_licence_plate"."""
    return re.sub(r"\W", "_", f"{step}_{field}")


def answer_placeholders(service: OnlineService | None) -> dict[str, str]:
    """One placeholder per question of the service's (not repeating) steps, with its label."""
    found: dict[str, str] = {}
    for step in service.steps if service else []:
        if step.form_class is None or step.repeat is not None:
            continue
        for name, field in step.form_class.base_fields.items():
            found[_key(step.name, name)] = f"{step.title}: {field.label or name}"
    return found


def placeholders(service: OnlineService | None) -> dict[str, str]:
    return {**{k: str(v) for k, v in _BASE.items()}, **answer_placeholders(service)}


def sample_values(service: OnlineService | None) -> dict[str, str]:
    title = str(service.title) if service else ""
    samples = {name: f"[{label}]" for name, label in answer_placeholders(service).items()}
    return {**samples, **_SAMPLES, "service_title": title}


def problems(service: OnlineService | None, source: str) -> list[str]:
    """What is wrong with a template text of this service; [] if fine."""
    return template_problems(source, placeholders(service), sample_values(service))


def _date(value: Any, fmt: str) -> str:
    return formats.date_format(timezone.localtime(value), fmt)


def case_values(submission: Submission, decision: str) -> dict[str, str]:
    """The plain values of one case, in the active language: strings only."""
    service = registry.get(submission.service_slug, submission.service_version)
    city_service = CityService.objects.filter(city=submission.city, service_slug=submission.service_slug).first()
    answers = {
        _key(str(step.get("step")), str(field.get("name"))): str(field.get("value") or "")
        for step in submission.snapshot or []
        if isinstance(step, dict) and step.get("step")
        for field in step.get("fields") or []
        if isinstance(field, dict) and field.get("name")
    }
    labels = {"approved": _("approved"), "rejected": _("rejected")}
    values = {
        **dict.fromkeys(answer_placeholders(service), ""),
        **answers,
        **city_values(submission.city),
        **office_values(city_service),
        "service_title": str(service.title) if service else submission.service_slug,
        "reference": submission.reference,
        "submitted_at": _date(submission.submitted_at, "SHORT_DATETIME_FORMAT"),
        "decided_on": _date(timezone.now(), "SHORT_DATE_FORMAT"),
        "decision": str(labels.get(decision, decision)),
        "applicant_name": str(submission.applicant_name or ""),
    }
    return {name: str(value) for name, value in values.items()}


def templates_for(submission: Submission) -> Any:
    """The letter templates of this case's city service (the case's city only)."""
    return LetterTemplate.objects.filter(
        city=submission.city_id,
        city_service__city=submission.city_id,
        city_service__service_slug=submission.service_slug,
    ).order_by("name")


def save_version(template: LetterTemplate, by: Any) -> LetterTemplateVersion:
    """After a template was saved: a new version if its text changed."""
    latest = template.versions.order_by("-number").first()
    if latest is not None and (latest.subject, latest.body) == (template.subject, template.body):
        return latest
    number = (latest.number if latest else 0) + 1
    version = LetterTemplateVersion.objects.create(
        city=template.city, template=template, number=number, subject=template.subject, body=template.body,
        created_by=by,
    )  # fmt: skip
    LetterTemplate.objects.filter(pk=template.pk).update(version=number)
    template.version = number
    return version


def letter_issue(
    *, submission: Submission, template: LetterTemplate, by: Any, rule_name: str = "", ip: str | None = None
) -> DecisionLetter:
    """Inside the transaction in which the decision takes effect: render the
    text now (the case as decided), keep it, plan the letter step."""
    from .decisions import automatic_username

    city_service = template.city_service
    if (
        template.city_id != submission.city_id
        or city_service.city_id != submission.city_id
        or city_service.service_slug != submission.service_slug
    ):
        raise ValueError("letter template of another city or service")
    version = save_version(template, None)
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        values = case_values(submission, template.decision)
        subject = " ".join(render_plain(version.subject, values).split())
        body = render_plain(version.body, values)
    letter = DecisionLetter.objects.create(
        city=submission.city,
        submission=submission,
        template_version=version,
        decision=template.decision,
        subject=subject,
        body=body,
        created_by=by,
        created_by_rule=rule_name if by is None else "",
    )
    step = ProcessingStep.objects.create(
        city=submission.city,
        submission=submission,
        kind=ProcessingStep.Kind.LETTER,
        target_id=str(letter.pk),
        next_try_at=timezone.now() + timedelta(seconds=settings.PROCESSING_SWEEP_GRACE),
    )
    audit.record(
        city=submission.city,
        user=by,
        username=automatic_username(rule_name) if by is None else "",
        action=AuditEvent.Action.LETTER,
        submission=submission,
        detail=f"{template.name} v{version.number}"[:200],
        ip=ip,
    )
    from forms_engine.submissions import pipeline

    transaction.on_commit(lambda: pipeline.enqueue(step))
    return letter


def letter_context(
    *, city: Any, city_service: CityService | None, subject: str, body: str, reference: str, snapshot: Any
) -> dict[str, Any]:
    from forms_engine.documents.render import letterhead_context

    return {
        **letterhead_context(city, city_service, reference),
        "subject": subject,
        "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
        "reference": reference,
        "sections": answer_sections(snapshot),
        "date": _date(timezone.now(), "DATE_FORMAT"),
    }


def render_letter_pdf(letter: DecisionLetter) -> bytes:
    from forms_engine.documents.render import render_pdf

    submission = letter.submission
    city_service = CityService.objects.filter(city=submission.city, service_slug=submission.service_slug).first()
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        context = letter_context(
            city=submission.city,
            city_service=city_service,
            subject=letter.subject,
            body=letter.body,
            reference=submission.reference,
            snapshot=submission.snapshot,
        )
        context["language"] = submission.language or settings.LANGUAGE_CODE
        return render_pdf("documents/letter.html", context)


def letter_filename(submission: Submission) -> str:
    return f"Bescheid-{submission.reference}.pdf"


def run_letter_step(step: ProcessingStep) -> dict[str, Any]:
    """The letter step's work, idempotent: the PDF is made once (the letter row
    is locked while it is made), the email planned once (one step per letter)."""
    with transaction.atomic():
        letter = DecisionLetter.objects.select_for_update().select_related("submission").get(pk=step.target_id)
        submission = letter.submission
        if letter.attachment_id is None:
            pdf = render_letter_pdf(letter)
            letter.attachment = Attachment.store(
                city=submission.city,
                content=pdf,
                submission=submission,
                step="bescheid",
                key="bescheid",
                filename=letter_filename(submission),
                content_type="application/pdf",
            )
            letter.save(update_fields=["attachment"])
        purpose = f"letter:{letter.pk}"
        planned = ProcessingStep.objects.filter(
            submission=submission, kind=ProcessingStep.Kind.CITIZEN_EMAIL, target_id=purpose
        ).exists()
        if submission.contact_email and not planned:
            with translation.override(submission.language or settings.LANGUAGE_CODE):
                body = _(
                    "Hello,\n\nthere is a decision on your application %(reference)s. "
                    "The decision letter is attached as a PDF.\n\nKind regards\n%(city)s\n"
                ) % {"reference": submission.reference, "city": submission.city.name}
            citizen_email.plan(
                city=submission.city,
                submission=submission,
                to=submission.contact_email,
                subject=letter.subject,
                body=body,
                purpose=purpose,
                attachment=letter.attachment,
                attachment_name=letter_filename(submission),
            )
    return {"attachment": str(letter.attachment_id), "emailed": bool(submission.contact_email)}


def preview_pdf(city_service: CityService, subject: str, body: str) -> bytes:
    """A checked template as PDF on the city's letterhead over sample values."""
    from forms_engine.documents.render import render_pdf

    values = sample_values(city_service.service)
    context = letter_context(
        city=city_service.city,
        city_service=city_service,
        subject=" ".join(render_plain(subject, values).split()),
        body=render_plain(body, values),
        reference=values["reference"],
        snapshot=[],
    )
    context["language"] = translation.get_language() or settings.LANGUAGE_CODE
    return render_pdf("documents/letter.html", context)
