"""Exactly once: double clicks, reloads of the return address, tampered
return parameters or amounts never pay twice nor submit twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django_scopes import scope

from forms_engine.payments import actions
from forms_engine.payments.models import PaymentRequest
from forms_engine.submissions.models import ProcessingStep, Submission

from .conftest import citizen_at_check, press, submit


def test_double_click_and_reloads_make_one_request_and_one_submission(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    first = submit(client, check_html)
    second = submit(client, check_html)  # the second click
    assert first["Location"].startswith(provider.url)
    page = client.get(second["Location"], follow=True)
    assert "Ihre Zahlung ist noch nicht bestätigt" in page.content.decode()
    assert client.post(page.redirect_chain[-1][0])["Location"] == first["Location"]  # the same attempt
    back = press(first["Location"], "pay")
    for _reload in range(3):
        assert "/done/" in client.get(back)["Location"]
    with scope(city=giessen):
        assert Submission.objects.count() == 1
        assert PaymentRequest.objects.count() == 1
        assert ProcessingStep.objects.filter(kind="pdf").count() == 1


def test_tampered_return_parameters_and_amount_change_nothing(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    pay_url = submit(client, check_html, grosAmount="1", amount="0.01", fee="1")["Location"]
    with scope(city=giessen):
        payment = PaymentRequest.objects.get()
    assert payment.amount_cents == 15000
    assert provider.transactions[payment.transaction_id]["request"]["grosAmount"] == 15000
    forged = f"/bezahlen/zurueck/{payment.pk}/?status=PAYED&transactionReference=KZ-FAKE"
    assert "/done/" not in client.get(forged)["Location"]
    with scope(city=giessen):
        assert Submission.objects.get().status == Submission.Status.AWAITING_PAYMENT
    press(pay_url, "pay")
    client.get(forged)
    with scope(city=giessen):
        assert PaymentRequest.objects.get().reference != "KZ-FAKE"


@pytest.mark.django_db(transaction=True)
def test_concurrent_returns_book_once(provider: Any, giessen: Any) -> None:
    client, check_html = citizen_at_check()
    press(submit(client, check_html)["Location"], "pay")
    with scope(city=giessen):
        payment = PaymentRequest.objects.get()
    errors: list[BaseException] = []

    def one_return() -> None:
        try:
            with scope(city=giessen):
                actions.payment_refresh(payment=PaymentRequest.objects.get(pk=payment.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_return) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with scope(city=giessen):
        assert ProcessingStep.objects.filter(kind="pdf").count() == 1
        assert Submission.objects.get().status == Submission.Status.RECEIVED
