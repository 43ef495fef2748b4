"""Signed download links for back offices (webhook payloads link to files
instead of embedding them)."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django_scopes import scope

from forms_engine.tenants.models import City

from .payload import unsign_link


def download(request: HttpRequest, token: str) -> HttpResponse:
    from forms_engine.documents.storage import ReceiptMissing, read_receipt
    from forms_engine.submissions.models import Attachment, Submission

    try:
        value = unsign_link(token)
    except signing.BadSignature as exc:
        raise Http404 from exc
    city = City.objects.filter(pk=int(value.get("c") or 0)).first()
    request_city = getattr(request, "city", None)
    if city is None or (request_city is not None and request_city != city):
        raise Http404
    with scope(city=city):
        if value.get("k") == "attachment":
            attachment = Attachment.objects.filter(pk=str(value.get("o")), submission__isnull=False).first()
            if attachment is None:
                raise Http404
            response = HttpResponse(attachment.read(), content_type=attachment.content_type)
            response["Content-Disposition"] = f'attachment; filename="{attachment.pk}"'
        elif value.get("k") == "receipt":
            submission = Submission.objects.filter(pk=str(value.get("o"))).first()
            if submission is None:
                raise Http404
            try:
                response = HttpResponse(read_receipt(submission), content_type="application/pdf")
            except ReceiptMissing as exc:
                raise Http404 from exc
            response["Content-Disposition"] = f'attachment; filename="{submission.reference}.pdf"'
        else:
            raise Http404
    response["Cache-Control"] = "private, no-store"
    return response
