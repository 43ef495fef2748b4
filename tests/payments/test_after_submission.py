"""Paying after submission: the city service chooses among the modes the
service allows; the submission is delivered at once, the confirmation page
and email offer a pay link (the same link, used twice, finds the attempt
already open), and the later booking shows in the back office."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scope

from forms_engine.catalog.models import CityService
from forms_engine.lib.secret_paths import secret_values
from forms_engine.payments.actions import pay_later_path
from forms_engine.payments.models import PaymentRequest
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import tasks
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.links import city_base_url
from tests.backoffice.conftest import assign_service, signed_in
from tests.conftest import enable_service, host_client, make_staff
from tests.submissions.helpers import steps

from .conftest import citizen_at_check, press, submit


@pytest.fixture
def after(provider: Any, giessen: Any, settings: Any) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scope(city=giessen):
        CityService.objects.filter(service_slug="bewohnerparkausweis").update(payment_mode="after")
    return provider


def _submitted(giessen: Any) -> tuple[Any, Submission]:
    client, check_html = citizen_at_check()
    assert "Kostenpflichtig absenden" not in check_html  # nothing to pay before submitting
    response = submit(client, check_html)
    assert response.status_code == 302 and "/done/" in response["Location"]
    with scope(city=giessen):
        submission = Submission.objects.select_related("city").get()
    return client.get(response["Location"]).content.decode(), submission


def _confirmation_email(giessen: Any, submission: Submission) -> str:
    planned = steps(submission)
    tasks.render_pdf.apply(args=(giessen.pk, str(planned["pdf"].pk)))
    tasks.confirm.apply(args=(giessen.pk, str(planned["confirmation"].pk)))
    return str(mail.outbox[-1].body)


def test_the_city_service_may_choose_only_what_the_service_allows(giessen: Any) -> None:
    found = enable_service(giessen, "fundsache", payment_mode="after")  # fundsache offers no online payment
    parking = enable_service(giessen, "bewohnerparkausweis", payment_mode="after")
    with scope(city=giessen):
        with translation.override("de"), pytest.raises(ValidationError) as refused:
            found.full_clean()
        assert "erlaubt diese Art der Zahlung nicht" in str(refused.value.message_dict["payment_mode"])
        parking.full_clean()  # allowed: ("before", "after")


def test_delivered_at_once_then_paid_by_the_link_from_the_email(after: Any, giessen: Any) -> None:
    done, submission = _submitted(giessen)
    with scope(city=giessen):
        assert submission.status == Submission.Status.RECEIVED
        assert ProcessingStep.objects.filter(submission=submission, kind="pdf").count() == 1  # delivered normally
        assert PaymentRequest.objects.get().status == "offered"
        link = pay_later_path(submission)
    assert link and link in done and "Gebühr jetzt bezahlen" in done
    body = _confirmation_email(giessen, submission)
    assert f"{city_base_url(giessen)}{link}" in body and "150,00 EUR" in body
    other_browser = host_client("giessen.localhost")  # the email is opened elsewhere
    page = other_browser.get(link, follow=True).content.decode()
    assert "bereits beim Amt eingereicht" in page and submission.reference in page
    retry_url = f"/bezahlen/antrag/{submission.pk}/"
    first = other_browser.post(retry_url)["Location"]
    assert first.startswith(after.url + "pay/")
    assert other_browser.post(retry_url)["Location"] == first  # the same attempt, not a second one
    paid = other_browser.get(press(first, "pay", "GIROPAY"), follow=True).content.decode()
    with scope(city=giessen):
        payment = PaymentRequest.objects.get()
        submission.refresh_from_db()
        assert (payment.status, payment.mode, payment.method) == ("PAYED", "after", "GIROPAY")
        assert submission.status == Submission.Status.RECEIVED
        assert ProcessingStep.objects.filter(submission=submission, kind="pdf").count() == 1  # no second pipeline
        assert pay_later_path(submission) is None
    assert payment.reference in paid
    assert other_browser.get(link, follow=True).redirect_chain[-1][0].endswith(f"/done/{submission.pk}/")
    caseworker = make_staff("paula-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(caseworker, "bewohnerparkausweis")
    office = signed_in(caseworker, "giessen.localhost")
    detail = office.get(f"/backoffice/{submission.pk}/").content.decode()
    assert "Zahlung gebucht" in detail and payment.reference in detail  # in the case history too


def test_the_inbox_shows_and_filters_the_payment_state(after: Any, giessen: Any) -> None:
    _done, submission = _submitted(giessen)
    caseworker = make_staff("paula-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(caseworker, "bewohnerparkausweis")
    office = signed_in(caseworker, "giessen.localhost")
    inbox = office.get("/backoffice/").content.decode()
    assert "Zahlung offen" in inbox
    assert submission.reference in office.get("/backoffice/?payment=open").content.decode()
    assert submission.reference not in office.get("/backoffice/?payment=paid").content.decode()
    detail = office.get(f"/backoffice/{submission.pk}/").content.decode()
    assert "Zahlung offen" in detail and "150,00 EUR" in detail


def test_a_forged_pay_link_is_not_found_and_the_real_one_is_never_logged(after: Any, giessen: Any) -> None:
    _done, submission = _submitted(giessen)
    client = host_client("giessen.localhost")
    assert client.get(f"/bezahlen/spaeter/{submission.pk}/").status_code == 404
    with scope(city=giessen):
        link = pay_later_path(submission)
    assert link is not None
    assert secret_values(link) == (link.rstrip("/").rsplit("/", 1)[1],)  # redacted in every log line
    with scope(city=giessen):
        assert PaymentRequest.objects.get().status == "offered"


def test_the_kassenzeichen_is_in_the_confirmation_email(provider: Any, giessen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client, check_html = citizen_at_check()
    client.get(press(submit(client, check_html)["Location"], "pay", "PAYPAL"))
    with scope(city=giessen):
        submission = Submission.objects.select_related("city").get()
        payment = PaymentRequest.objects.get()
    body = _confirmation_email(giessen, submission)
    assert f"Kassenzeichen / Transaktionsreferenz: {payment.reference}" in body
    assert "Gebühr online bezahlt: 150,00 EUR" in body
