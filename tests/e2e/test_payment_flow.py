"""The parking permit paid online in Chromium, on Offenbach's demo site with
the fake XBezahldienste provider (a real server on 127.0.0.1): pay, cancel
then pay, fail. Our pages on the way are axe-clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope

from forms_engine.payments.models import PaymentRequest
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City
from tests.payments.conftest import configure
from tests.payments.provider_server import Bezahldienst

from .browser import AxeReport, DemoSite
from .browser_walk import continue_step, fill_step, get_service, path_of, pdf_file, step_name, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SAMPLE = "company_car_two_years"


@pytest.fixture(scope="module")
def provider_server() -> Iterator[Bezahldienst]:
    server = Bezahldienst(auth="basic", endpoint="06413000")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def offenbach(demo_site: DemoSite, provider_server: Bezahldienst, settings: Any) -> City:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True
    city = City.objects.get(slug="offenbach")
    configure(city, provider_server)
    return city


def to_check(page: Any, site: DemoSite, tmp_path: Path, report: AxeReport) -> None:
    """Answer every step of the parking permit, up to the check page."""
    service = get_service("bewohnerparkausweis")
    answers = service.sample_answers[SAMPLE]
    page.goto(site.url("offenbach", "/bewohnerparkausweis/"))
    submit(page, "main button[name=action][value=start]")
    for _guard in range(30):
        if path_of(page).endswith("/check/"):
            break
        url = page.url
        fill_step(page, service, step_name(page), answers[step_name(page)], pdf_file(tmp_path))
        continue_step(page)
        assert page.url != url
    report.check(page, "check")


def to_provider(page: Any, site: DemoSite, tmp_path: Path, report: AxeReport) -> None:
    """Answer every step of the parking permit, then "Kostenpflichtig absenden"."""
    to_check(page, site, tmp_path, report)
    page.get_by_role("button", name="Kostenpflichtig absenden").click()
    page.wait_for_load_state()
    assert "/pay/" in page.url and "150,00 EUR" in page.locator("#amount").inner_text()


def press(page: Any, button: str, method: str = "CREDITCARD") -> None:
    page.select_option("#method", method)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def _submission(city: City) -> Submission:
    with scope(city=city):
        return Submission.objects.get(service_slug="bewohnerparkausweis")


def test_pay_the_parking_permit(page: Any, demo_site: DemoSite, offenbach: City, tmp_path: Path) -> None:
    report = AxeReport()
    to_provider(page, demo_site, tmp_path, report)
    press(page, "Bezahlen", "PAYPAL")
    assert "/done/" in path_of(page)
    report.check(page, "done")
    submission = _submission(offenbach)
    with scope(city=offenbach):
        payment = PaymentRequest.objects.get(submission=submission)
    assert submission.status == Submission.Status.RECEIVED and payment.method == "PAYPAL"
    assert page.locator(".reference").inner_text() == submission.reference
    assert page.locator(".payment-reference").inner_text() == payment.reference
    report.assert_clean()


def test_cancel_then_pay(page: Any, demo_site: DemoSite, offenbach: City, tmp_path: Path) -> None:
    report = AxeReport()
    to_provider(page, demo_site, tmp_path, report)
    press(page, "Abbrechen")
    assert page.get_by_role("heading", name="Sie haben die Zahlung abgebrochen").is_visible()
    report.check(page, "cancelled")
    page.get_by_role("button", name="Jetzt bezahlen").click()
    page.wait_for_load_state()
    press(page, "Bezahlen", "GIROPAY")
    assert "/done/" in path_of(page)
    with scope(city=offenbach):
        assert sorted(PaymentRequest.objects.values_list("status", flat=True)) == ["CANCELED", "PAYED"]
    report.assert_clean()


def test_a_failed_payment(page: Any, demo_site: DemoSite, offenbach: City, tmp_path: Path) -> None:
    report = AxeReport()
    to_provider(page, demo_site, tmp_path, report)
    press(page, "Fehlschlag simulieren")
    assert page.get_by_role("heading", name="Die Zahlung ist nicht zustande gekommen").is_visible()
    report.check(page, "failed")
    assert _submission(offenbach).status == Submission.Status.AWAITING_PAYMENT
    report.assert_clean()


def test_pay_after_submission(
    page: Any, demo_site: DemoSite, offenbach: City, provider_server: Bezahldienst, tmp_path: Path
) -> None:
    configure(offenbach, provider_server, mode="after")
    report = AxeReport()
    to_check(page, demo_site, tmp_path, report)
    page.get_by_role("button", name="Antrag absenden").click()
    page.wait_for_load_state()
    assert "/done/" in path_of(page) and page.locator("#payment-later").is_visible()
    assert _submission(offenbach).status == Submission.Status.RECEIVED  # delivered before paying
    report.check(page, "done, fee open")
    page.get_by_role("link", name="Gebühr jetzt bezahlen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ihr Antrag ist bereits beim Amt eingereicht").is_visible()
    report.check(page, "pay after submission")
    page.get_by_role("button", name="Jetzt bezahlen").click()
    page.wait_for_load_state()
    press(page, "Bezahlen", "PAYDIRECT")
    assert "/done/" in path_of(page)
    with scope(city=offenbach):
        payment = PaymentRequest.objects.get(status="PAYED")
    assert page.locator(".payment-reference").inner_text() == payment.reference
    assert not page.locator("#payment-later").count()
    report.check(page, "done, paid")
    report.assert_clean()
