"""The citizen's side of paying: off to the provider's page, back from it,
and the page that explains a cancelled or failed payment and offers to try
again. Views are thin: payments.actions acts. The status always comes from
the provider (GET), never from the return address's parameters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from forms_engine.catalog import registry
from forms_engine.lib.csp import POLICY
from forms_engine.submissions.models import Submission
from forms_engine.wizard.session import SESSION_DONE

from . import actions
from .models import PaymentRequest


def go_to_provider(request: HttpRequest, submission: Submission) -> HttpResponse:
    """Start (or find) the attempt and send the citizen to the pay page."""

    def return_url(payment: PaymentRequest) -> str:
        return request.build_absolute_uri(reverse("payments-return", args=[payment.pk]))

    payment = actions.payment_start(submission=submission, return_url=return_url)
    if payment is not None and payment.status == PaymentRequest.Status.INITIAL and payment.pay_url:
        return redirect(payment.pay_url)
    if payment is not None and payment.status == PaymentRequest.Status.PAYED:
        return redirect("wizard-done", submission.service_slug, submission.pk)
    return redirect("payments-submission", submission.pk)


def _own_submission(request: HttpRequest, submission_id: UUID) -> Submission:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or request.session.get(SESSION_DONE, {}).get(submission.service_slug) != str(submission.pk):
        raise Http404  # the payment belongs to the browser that submitted
    return submission


@never_cache
@require_http_methods(["GET", "POST"])
def submission_payment(request: HttpRequest, submission_id: UUID) -> HttpResponse:
    submission = _own_submission(request, submission_id)
    after = actions.payable_later(submission)
    if submission.status != Submission.Status.AWAITING_PAYMENT and not after:
        if submission.payments.filter(status=PaymentRequest.Status.PAYED).exists():
            return redirect("wizard-done", submission.service_slug, submission.pk)
        raise Http404
    if request.method == "POST":
        return go_to_provider(request, submission)
    latest = submission.payments.exclude(status=PaymentRequest.Status.OFFERED).order_by("-created_at").first()
    if latest is not None and latest.is_open:
        latest = actions.payment_refresh(payment=latest)
        if latest.status == PaymentRequest.Status.PAYED:
            return redirect("wizard-done", submission.service_slug, submission.pk)
    context = {
        "service": registry.get(submission.service_slug),
        "submission": submission,
        "payment": latest,
        "amount": (submission.fee or {}).get("amount"),
        "after": after,
    }
    return allow_provider_form_action(render(request, "payments/retry.html", context), submission.city)


@never_cache
def pay_later(request: HttpRequest, token: str) -> HttpResponse:
    """The pay link of the confirmation page and email (paying after
    submission): it makes this browser the submission's, then the same page
    as a retry. A used link, a paid fee: the confirmation."""
    submission = actions.submission_for_pay_link(token)
    if submission is None:
        raise Http404
    _claim(request, submission)
    return redirect("payments-submission", submission.pk)


def _claim(request: HttpRequest, submission: Submission) -> None:
    done = dict(request.session.get(SESSION_DONE, {}))
    done[submission.service_slug] = str(submission.pk)
    request.session[SESSION_DONE] = done


@never_cache
def payment_return(request: HttpRequest, payment_id: UUID) -> HttpResponse:
    """The provider sends the citizen back here. Whatever the address carries
    is ignored: we ask the provider. A reload or a second tab changes nothing."""
    payment = PaymentRequest.objects.filter(pk=payment_id).select_related("submission").first()
    if payment is None:
        raise Http404
    payment = actions.payment_refresh(payment=payment)
    submission = payment.submission
    _claim(request, submission)
    if payment.status == PaymentRequest.Status.PAYED:
        return redirect("wizard-done", submission.service_slug, submission.pk)
    if payment.status == PaymentRequest.Status.INITIAL:
        messages.info(request, _("The payment provider has not confirmed your payment yet."))
    return redirect("payments-submission", submission.pk)


def allow_provider_form_action(response: HttpResponse, city: Any) -> HttpResponse:
    """A form whose answer redirects to the provider's pay page: browsers hold
    the redirect to `form-action` too, so the provider's origin is allowed on
    this one page (and only its origin; lib/csp.py has the rest)."""
    provider = actions.provider_for(city)
    if provider is not None and provider.enabled:
        parts = urlsplit(provider.base_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        response["Content-Security-Policy"] = POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")
    return response
