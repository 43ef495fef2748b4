"""BundID login in Chromium against the IdP stand-in (a real SAML IdP on
127.0.0.1): the resident parking permit with an optional login (prefill,
marker, submit, the proven identity in the back office data) and with the
login required by the city; a too-low trust level. Our pages on the way are
axe-clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope

from forms_engine.identity.keys import self_signed
from forms_engine.identity.models import BundIdSettings, SubmissionIdentity
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City
from tests.identity.conftest import configure
from tests.identity.idp import IDENTITIES, BundIdStandIn

from .browser import AxeReport, DemoSite
from .browser_walk import continue_step, fill_step, get_service, path_of, pdf_file, step_name, submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PARKING = "bewohnerparkausweis"
LOCKED = {"last_name", "first_name"}


@pytest.fixture(scope="module")
def idp() -> Iterator[BundIdStandIn]:
    server = BundIdStandIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def giessen(demo_site: DemoSite, idp: BundIdStandIn) -> City:
    city = City.objects.get(slug="giessen")
    configure(city, idp, self_signed("giessen SP"))
    return city


def log_in(page: Any, identity: str) -> None:
    """Mit BundID anmelden -> (our page sends the signed request) -> the IdP's
    page -> pick the identity -> (the IdP posts the answer back)."""
    page.get_by_role("button", name="Mit BundID anmelden").click()
    page.wait_for_url("http://127.0.0.1:*/idp/profile/SAML2/POST/SSO")
    assert "NICHT die BundID" in page.content()
    page.get_by_role("button", name=IDENTITIES[identity]["label"]).click()
    page.wait_for_url("**.localhost:*/**")
    page.wait_for_load_state()


def answer_all(page: Any, tmp_path: Path, report: AxeReport) -> None:
    service = get_service(PARKING)
    answers = service.sample_answers["own_car_one_year"]
    submit(page, "main button[name=action][value=start]")
    for _guard in range(30):
        if path_of(page).endswith("/check/"):
            break
        name = step_name(page)
        values = dict(answers[name])
        if name == "applicant":
            assert page.locator("#id_last_name").input_value() == "Mustermann"
            assert page.locator("#id_last_name").is_disabled()
            assert "aus Ihrem BundID-Konto" in page.locator("main").inner_text()
            report.check(page, "applicant prefilled")
            values = {k: v for k, v in values.items() if k not in LOCKED}
        url = page.url
        fill_step(page, service, name, values, pdf_file(tmp_path))
        continue_step(page)
        assert page.url != url, page.locator("main .kern-error").all_inner_texts()
    assert "aus Ihrem BundID-Konto" in page.locator("main").inner_text()
    report.check(page, "check")
    submit(page, "main form button[type=submit]")
    assert "/done/" in path_of(page)


def test_optional_login_prefills_and_proves_the_identity(
    page: Any, demo_site: DemoSite, giessen: City, tmp_path: Path
) -> None:
    report = AxeReport()
    page.goto(demo_site.url("giessen", f"/{PARKING}/"))
    assert page.get_by_role("button", name="Ohne Anmeldung fortfahren").count() == 1
    report.check(page, "start, optional login")
    log_in(page, "erika")
    assert path_of(page) == f"/{PARKING}/"
    assert "Sie sind mit BundID angemeldet" in page.locator("main").inner_text()
    report.check(page, "start, logged in")
    answer_all(page, tmp_path, report)
    with scope(city=giessen):
        submission = Submission.objects.get(service_slug=PARKING)
        assert SubmissionIdentity.objects.get(submission=submission).level == "high"
        assert submission.data["applicant"]["last_name"] == "Mustermann"
    page.goto(demo_site.url("giessen", "/meine-antraege/"))
    assert submission.reference in page.locator("main").inner_text()
    report.check(page, "Meine Anträge")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/bundid/abmelden/?SAMLResponse=*")  # back from BundID's single logout
    assert "Sie sind abgemeldet" in page.locator("main").inner_text()
    report.check(page, "logged out")
    report.assert_clean()


def test_required_login(page: Any, demo_site: DemoSite, giessen: City, tmp_path: Path) -> None:
    with scope(city=giessen):
        BundIdSettings.objects.update(required_services=PARKING)
    report = AxeReport()
    page.goto(demo_site.url("giessen", f"/{PARKING}/applicant/"))
    assert path_of(page) == f"/{PARKING}/"  # no step without the login
    assert page.locator("main button[name=action][value=start]").count() == 0
    assert "Anmeldung mit BundID erforderlich" in page.locator("main").inner_text()
    report.check(page, "start, login required")
    log_in(page, "erika")
    answer_all(page, tmp_path, report)
    report.assert_clean()


def test_too_low_a_trust_level(page: Any, demo_site: DemoSite, giessen: City) -> None:
    report = AxeReport()
    page.goto(demo_site.url("giessen", "/unterhaltsvorschuss/"))
    log_in(page, "max")
    assert "erreicht das verlangte Vertrauensniveau nicht" in page.locator("main").inner_text()
    report.check(page, "level too low")
    report.assert_clean()
