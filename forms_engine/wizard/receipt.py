"""The citizen's download of the receipt from the link in the confirmation
email (/quittung/<token>/), for services that do not email the PDF. The link
alone shows a form; the PDF comes only with the code shown after submitting
(submissions/receipt_links.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from forms_engine.documents.storage import read_receipt
from forms_engine.submissions import receipt_links
from forms_engine.submissions.models import ReceiptLink

from . import resume_throttle
from .forms import ReceiptCodeForm

TEMPLATE = "wizard/receipt.html"


def _refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "wizard/receipt_refused.html", {"reason": reason}, status=status)


def _link(request: HttpRequest, token: str) -> ReceiptLink | None:
    if getattr(request, "city", None) is None:  # platform hosts read across cities
        return None
    link = receipt_links.find_link(token)
    return link if link is not None and link.city_id == request.city.pk else None  # type: ignore[attr-defined]


@never_cache
@require_http_methods(["GET", "POST"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(request, token)
    if link is None:
        if getattr(request, "city", None) is not None:
            resume_throttle.record_wrong_code(request, "receipt")  # a guessed link counts like a wrong code
        return _refused(request, "unknown", 404)
    if not receipt_links.is_usable(link):
        return _refused(request, "locked" if link.failures else "expired", 410)
    form = ReceiptCodeForm(request.POST or None)
    context = {"form": form, "reference": link.submission.reference}
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, context, status=400 if form.is_bound else 200)
    wait = resume_throttle.client_wait_seconds(request, "receipt")  # the code is not even looked at
    if wait:
        form.add_error("code", resume_throttle.wait_message(wait))
        return render(request, TEMPLATE, context, status=429)
    if not receipt_links.code_matches(link.submission, form.cleaned_data["code"]):
        failures = receipt_links.record_failure(link)
        resume_throttle.record_wrong_code(request, "receipt", link=link.pk, link_failures=failures)
        if not receipt_links.is_usable(link):
            return _refused(request, "locked", 410)
        form.add_error("code", _("This code is not right. Check the code you were shown after submitting."))
        return render(request, TEMPLATE, context, status=400)
    receipt_links.record_download(link)
    response = HttpResponse(read_receipt(link.submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{link.submission.reference}.pdf"'
    return response
