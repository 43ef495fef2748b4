"""The PDF receipt of a submission, rendered with WeasyPrint (imported lazily:
its import is slow and the web process rarely needs it)."""

from __future__ import annotations

import base64
import mimetypes
import time
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.identity.downstream import identity_data
from forms_engine.lib.numbers import format_decimal
from forms_engine.payments.downstream import payment_data

from .fonts import font_dir


def _coat_of_arms_uri(city: Any) -> str:
    """The coat of arms as a data: URI, so the renderer never fetches anything."""
    if not city.coat_of_arms:
        return ""
    try:
        with city.coat_of_arms.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    mime = mimetypes.guess_type(city.coat_of_arms.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode()}"


def css_string(text: str) -> str:
    """Text for a CSS string literal in double quotes (the page footer)."""
    return "".join(c if c.isalnum() or c in " .,·-–/()" else f"\\{ord(c):x} " for c in text)


def letterhead_context(city: Any, city_service: Any, reference: str) -> dict[str, Any]:
    """What documents/_letterhead.html and the page footer need: receipts and decision letters."""
    return {
        "city": city,
        "coat_of_arms": _coat_of_arms_uri(city),
        "office": city_service,
        "font_dir": font_dir().as_uri(),
        "footer": css_string(f"{city.name} · {reference}"),
    }


def receipt_context(submission: Any) -> dict[str, Any]:
    from forms_engine.catalog.models import CityService

    service = registry.get(submission.service_slug, submission.service_version)
    city = submission.city
    with scopes_disabled():
        city_service = CityService.objects.filter(city=city, service_slug=submission.service_slug).first()
    attachments = sorted(submission.attachments.all(), key=lambda a: (a.step, a.key, str(a.created_at)))
    steps = [s for s in (submission.snapshot or []) if isinstance(s, dict) and "step" in s]
    extra_lines = [s for s in (submission.snapshot or []) if isinstance(s, dict) and "step" not in s]
    # Labels of the requested documents as the citizen saw them, by key.
    document_labels = {
        str(item.get("key")): str(item.get("label"))
        for step in steps
        for item in step.get("attachments") or []
        if isinstance(item, dict)
    }
    for attachment in attachments:
        attachment.document_label = document_labels.get(attachment.key, "")
    fee_shown = any(f.get("name") == "fee" for step in steps for f in step.get("fields") or [] if isinstance(f, dict))
    context: dict[str, Any] = {
        **letterhead_context(city, city_service, submission.reference),
        "service_title": str(service.title) if service else submission.service_slug,
        "service_version": submission.service_version,
        "submission": submission,
        "submitted_at": timezone.localtime(submission.submitted_at),
        "steps": steps,
        "extra_lines": extra_lines,
        "attachments": attachments,
        # The amount as the citizen's language prints it ("150,00"), not as stored ("150.00").
        "fee": None
        if fee_shown or not submission.fee
        else {**submission.fee, "amount": format_decimal(submission.fee["amount"])},
        "language": submission.language,
        "payment": payment_data(submission),
        "identity": identity_data(submission),
    }
    if service is not None:
        context.update(service.pdf_context(submission))
    return context


def render_html(submission: Any) -> str:
    service = registry.get(submission.service_slug, submission.service_version)
    template = service.pdf_template if service else "documents/receipt.html"
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        return render_to_string(template, receipt_context(submission))


def render_receipt(submission: Any) -> bytes:
    """The receipt as tagged PDF (PDF/UA-1) with embedded fonts."""
    html = render_html(submission)
    if settings.PDF_RENDER_TEST_DELAY:  # fault tests kill the worker here
        time.sleep(settings.PDF_RENDER_TEST_DELAY)
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """Tagged PDF (PDF/UA-1) with embedded fonts."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(font_dir())).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A document of the city (e.g. a decision letter) as PDF/UA, in the active language."""
    return html_to_pdf(render_to_string(template, context))
