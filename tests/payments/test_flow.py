"""Paying the parking permit fee before submitting, against the fake provider
over real HTTP: pay, cancel then pay, fail, provider down, the closed tab."""

from __future__ import annotations

from typing import Any

import requests
from django_scopes import scope

from forms_engine.payments import actions
from forms_engine.payments.models import PaymentRequest
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.wizard.models import Draft

from .conftest import citizen_at_check, page_url, press, submit


def _only_submission(city: Any) -> Submission:
    with scope(city=city):
        return Submission.objects.get()


def test_pay_then_the_submission_is_received_with_its_kassenzeichen(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    assert "Kostenpflichtig absenden" in check_html
    response = submit(client, check_html)
    assert response.status_code == 302 and response["Location"].startswith(provider.url + "pay/")
    submission = _only_submission(giessen)
    with scope(city=giessen):
        assert submission.status == Submission.Status.AWAITING_PAYMENT
        assert not ProcessingStep.objects.filter(submission=submission).exists()  # no delivery yet
        assert Draft.objects.get(submission=submission).answers  # kept until paid
    page = requests.get(response["Location"], timeout=10).text
    assert "150,00 EUR" in page and submission.reference in page
    back = press(response["Location"], "pay", "CREDITCARD")
    done = client.get(back)
    assert done.status_code == 302 and "/done/" in done["Location"]
    html = client.get(done["Location"]).content.decode()
    with scope(city=giessen):
        submission.refresh_from_db()
        payment = PaymentRequest.objects.get(submission=submission)
        assert submission.status == Submission.Status.RECEIVED
        assert ProcessingStep.objects.filter(submission=submission, kind="pdf").count() == 1
        assert Draft.objects.get(submission=submission).answers == {}
    assert (payment.status, payment.method, payment.amount_cents) == ("PAYED", "CREDITCARD", 15000)
    assert payment.reference.startswith("KZ-")
    assert submission.reference in html and payment.reference in html


def test_cancel_then_pay_with_another_method(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    first = submit(client, check_html)["Location"]
    page = client.get(press(first, "cancel"), follow=True).content.decode()
    assert "Sie haben die Zahlung abgebrochen" in page
    again = client.post(page_url(giessen))
    assert again.status_code == 302 and again["Location"] != first  # a new attempt, a new requestId
    client.get(press(again["Location"], "pay", "GIROPAY"))
    with scope(city=giessen):
        statuses = sorted(PaymentRequest.objects.values_list("status", flat=True))
        assert statuses == ["CANCELED", "PAYED"]
        assert Submission.objects.get().status == Submission.Status.RECEIVED
        assert PaymentRequest.objects.get(status="PAYED").method == "GIROPAY"


def test_a_failed_payment_explains_and_offers_to_try_again(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    pay_url = submit(client, check_html)["Location"]
    page = client.get(press(pay_url, "fail"), follow=True).content.decode()
    assert "Die Zahlung ist nicht zustande gekommen" in page and "Jetzt bezahlen" in page
    assert _only_submission(giessen).status == Submission.Status.AWAITING_PAYMENT


def test_provider_down_when_the_citizen_clicks(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    provider.down = True
    page = client.get(submit(client, check_html)["Location"]).content.decode()
    assert "Der Bezahldienst ist gerade nicht erreichbar" in page
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert submission.status == Submission.Status.AWAITING_PAYMENT
        assert Draft.objects.get(submission=submission).answers  # nothing lost
    provider.down = False
    again = client.post(page_url(giessen))
    assert again["Location"].startswith(provider.url + "pay/")


def test_a_closed_tab_is_finished_by_the_poller(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    press(submit(client, check_html)["Location"], "pay")  # ... and the tab is closed
    with scope(city=giessen):
        PaymentRequest.objects.update(next_poll_at=None)
        assert actions.poll_due() == 0  # not due: nothing asked
        PaymentRequest.objects.update(next_poll_at="2000-01-01T00:00:00Z")
        assert actions.poll_due() == 1
        submission = Submission.objects.get()
        assert submission.status == Submission.Status.RECEIVED
        assert PaymentRequest.objects.get().reference.startswith("KZ-")


def test_an_unpaid_payment_expires_and_the_draft_can_be_resumed(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    submit(client, check_html)
    with scope(city=giessen):
        PaymentRequest.objects.update(next_poll_at="2000-01-01T00:00:00Z", expires_at="2000-01-01T00:00:00Z")
        actions.poll_due()
        submission = Submission.objects.get()
        assert submission.status == Submission.Status.CLOSED
        assert PaymentRequest.objects.get().status == "expired"
        draft = Draft.objects.get()
        assert draft.submission_id is None and draft.answers
        assert draft.attachments.exists()  # the documents are back on the draft


def test_the_poller_never_expires_a_payment_while_the_provider_is_silent(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    press(submit(client, check_html)["Location"], "pay")  # paid, tab closed ...
    provider.down = True  # ... and the provider is down past the expiry
    with scope(city=giessen):
        PaymentRequest.objects.update(next_poll_at="2000-01-01T00:00:00Z", expires_at="2000-01-01T00:00:00Z")
        actions.poll_due()
        assert PaymentRequest.objects.get().status == "INITIAL"
        provider.down = False
        PaymentRequest.objects.update(next_poll_at="2000-01-01T00:00:00Z")
        actions.poll_due()
        assert Submission.objects.get().status == Submission.Status.RECEIVED
