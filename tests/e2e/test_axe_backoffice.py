"""axe-core (WCAG 2.1 A/AA) over the back office a caseworker sees after
signing in (inbox, a submission), and the citizen's page for handing in
documents the office asked for."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City
from tests.citizen_mail import send_citizen_emails
from tests.conftest import PASSWORD, make_staff

from .browser import AxeReport, DemoSite
from .browser_walk import get_service, longest_sample, pdf_file, submit, walk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in(page: Any, demo_site: DemoSite, username: str) -> None:
    page.goto(demo_site.url("giessen", "/staff/login/?next=/backoffice/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, "main button[type=submit]")
    page.locator("#id_token").fill("12345678")
    submit(page, "main button[type=submit]")


def test_back_office_and_handing_in_documents(page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    service = get_service("sondernutzung")
    walk(page, demo_site.url("giessen", "/sondernutzung/"), service, longest_sample(service), pdf_file(tmp_path))
    with scopes_disabled():
        make_staff("tessa-teamlead", City.objects.get(slug="giessen"), StaffUser.Role.TEAM_LEAD)
    page.context.clear_cookies()
    report = AxeReport()

    sign_in(page, demo_site, "tessa-teamlead")
    assert page.url.endswith("/backoffice/"), page.url
    report.check(page, "inbox")

    page.locator("main a[href*='/backoffice/']").filter(has_text=re.compile(r"GI-")).first.click()
    page.wait_for_load_state()
    report.check(page, "submission")

    # Take it over, put it in progress and ask the citizen for a document.
    submit(page, "main form[action$='/assign/'] button[type=submit]")
    status = page.locator("main form[action$='/status/'] select")
    status.select_option("in_progress")
    submit(page, "main form[action$='/status/'] button[type=submit]")
    report.check(page, "submission in progress")
    page.locator("main form[action$='/request-documents/'] textarea").fill("Bitte den Lageplan mit Maßen.")
    submit(page, "main form[action$='/request-documents/'] button[type=submit]")
    assert send_citizen_emails() == ["done"]
    link = re.search(r"https?://\S+/nachreichen/\S+/", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body

    page.context.clear_cookies()
    page.goto(link.group(0))
    report.check(page, "hand in documents")
    page.locator("main input[type=file]").set_input_files(str(pdf_file(tmp_path)))
    submit(page, "main button[type=submit]")
    assert page.locator("main input[type=file]").count() == 0, page.locator("main").inner_text()[:1000]
    report.check(page, "documents handed in")
    report.assert_clean()
