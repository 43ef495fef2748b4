"""A citizen who pays after the attempt expired (the provider's page was
still open): the poller keeps asking for a while, books the payment and
flags it for the back office. Money is never lost silently."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scope

from forms_engine.payments import actions
from forms_engine.payments.models import PaymentRequest
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Attachment, ProcessingStep, Submission
from forms_engine.wizard.models import Draft
from tests.backoffice.conftest import assign_service, signed_in
from tests.conftest import make_staff

from .conftest import citizen_at_check, page_url, press, submit


def _expire_now(giessen: Any) -> None:
    """The attempt's time is up and the poller finds it unpaid at the provider."""
    with scope(city=giessen):
        just_now = timezone.now() - timedelta(minutes=1)
        PaymentRequest.objects.update(next_poll_at=just_now, expires_at=just_now)
        actions.poll_due()


def _poll(giessen: Any) -> None:
    with scope(city=giessen):
        PaymentRequest.objects.exclude(next_poll_at=None).update(next_poll_at=timezone.now() - timedelta(seconds=1))
        actions.poll_due()


def _caseworker_page(giessen: Any, path: str) -> str:
    caseworker = make_staff("paula-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(caseworker, "bewohnerparkausweis")
    return signed_in(caseworker, "giessen.localhost").get(path).content.decode()


def test_paid_after_expiry_the_closed_submission_is_completed_and_flagged(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    pay_url = submit(client, check_html)["Location"]
    _expire_now(giessen)
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert submission.status == Submission.Status.CLOSED  # expired, the draft given back
        assert Draft.objects.get().submission_id is None
    press(pay_url, "pay", "PAYPAL")  # ... but the citizen's tab was still open on the provider's page
    _poll(giessen)
    with scope(city=giessen):
        submission.refresh_from_db()
        payment = PaymentRequest.objects.get()
        assert (payment.status, payment.late) == ("PAYED", True) and payment.reference.startswith("KZ-")
        assert submission.status == Submission.Status.RECEIVED
        assert ProcessingStep.objects.filter(submission=submission, kind="pdf").count() == 1
        assert Attachment.objects.filter(submission=submission).exists()  # the documents came back
        draft = Draft.objects.get()
        assert draft.submission_id == submission.pk and draft.answers == {}  # no second submission from it
    inbox = _caseworker_page(giessen, "/backoffice/?payment=late")
    assert submission.reference in inbox and "nach Ablauf bezahlt (prüfen)" in inbox


def test_a_second_payment_after_expiry_is_kept_and_flagged(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    first = submit(client, check_html)["Location"]
    with scope(city=giessen):
        # Defensive: the first attempt has expired (still in its late window) while the
        # submission waits on; the citizen starts a second one and pays both.
        just_now = timezone.now() - timedelta(minutes=1)
        PaymentRequest.objects.update(status="expired", next_poll_at=just_now, expires_at=just_now)
        submission = Submission.objects.get()
    second = client.post(page_url(giessen))["Location"]
    assert second != first
    press(second, "pay", "GIROPAY")
    press(first, "pay", "PAYPAL")  # the expired one is paid too
    client.get(f"/bezahlen/antrag/{submission.pk}/")  # the return of the second tab books the second
    _poll(giessen)  # and the poller finds the first paid late
    with scope(city=giessen):
        rows = {p.method: p for p in PaymentRequest.objects.all()}
        assert rows["GIROPAY"].status == "PAYED" and not rows["GIROPAY"].late
        assert rows["PAYPAL"].late and rows["PAYPAL"].status == "expired" and rows["PAYPAL"].reference
        assert Submission.objects.get().status == Submission.Status.RECEIVED
    detail = _caseworker_page(giessen, f"/backoffice/{submission.pk}/")
    assert "weitere Buchung zu prüfen" in detail and rows["PAYPAL"].reference in detail


def test_the_late_window_ends(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    submit(client, check_html)
    with scope(city=giessen):
        long_ago = timezone.now() - PaymentRequest.LATE_WINDOW - timedelta(minutes=1)
        PaymentRequest.objects.update(next_poll_at=long_ago, expires_at=long_ago)
        actions.poll_due()  # expires it, too late to be paid late
        assert PaymentRequest.objects.get().next_poll_at is None  # no longer asked
        PaymentRequest.objects.update(next_poll_at=long_ago)  # even if it were due
        asked = len(provider.requests)
        actions.poll_due()
        assert PaymentRequest.objects.get().next_poll_at is None
    assert len(provider.requests) == asked


def test_paid_late_after_submission_is_booked_not_delivered_again(provider: Any, giessen: Any) -> None:
    from forms_engine.catalog.models import CityService

    with scope(city=giessen):
        CityService.objects.filter(service_slug="bewohnerparkausweis").update(payment_mode="after")
    client, check_html = citizen_at_check()
    submit(client, check_html)  # delivered at once
    with scope(city=giessen):
        submission = Submission.objects.get()
        Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.CLOSED)  # the office closed it
    pay_url = client.post(page_url(giessen))["Location"]
    _expire_now(giessen)
    press(pay_url, "pay", "CREDITCARD")
    _poll(giessen)
    with scope(city=giessen):
        payment = PaymentRequest.objects.get()
        assert (payment.status, payment.late) == ("PAYED", True)
        assert Submission.objects.get().status == Submission.Status.CLOSED  # not reopened
        assert ProcessingStep.objects.filter(submission=submission, kind="pdf").count() == 1  # not delivered again
