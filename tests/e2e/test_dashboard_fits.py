"""The statistics dashboard of the demo fits a 1366 × 768 screen: no table
scrolls sideways, with a quarter of demo figures and every table shown."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City
from tests.conftest import PASSWORD, make_staff

from .browser import DemoSite, new_page
from .browser_walk import submit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

_WIDTHS = """() => [...document.querySelectorAll('table[data-table]')].map(t => ({
  table: t.dataset.table, width: Math.round(t.getBoundingClientRect().width),
  room: t.parentElement.clientWidth, rows: t.tBodies[0].rows.length,
}))"""


def test_every_dashboard_table_fits_1366_px(browser: Any, demo_site: DemoSite) -> None:
    with scopes_disabled():
        make_staff("ada-analyst", City.objects.get(slug="giessen"), StaffUser.Role.CITY_ADMIN)
    page = new_page(browser, demo_site, viewport={"width": 1366, "height": 768})
    page.goto(demo_site.url("giessen", "/staff/login/?next=/statistik/"))
    page.locator("#id_username").fill("ada-analyst")
    page.locator("#id_password").fill(PASSWORD)
    submit(page, "main button[type=submit]")
    page.locator("#id_token").fill("12345678")
    submit(page, "main button[type=submit]")
    assert page.url.startswith(demo_site.url("giessen", "/statistik/")), page.url

    tables = page.evaluate(_WIDTHS)
    shown = {t["table"] for t in tables}
    assert {"summary", "funnel", "devices", "weekly", "monthly", "comparison"} <= shown, shown
    assert all(t["rows"] for t in tables if t["table"] in ("summary", "comparison")), tables
    too_wide = [t for t in tables if t["width"] > t["room"]]
    assert not too_wide, too_wide
    root = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert root[0] <= root[1], root
    # Every demo city offers the Unterhaltsvorschuss: five peers, averages shown. Only two
    # other demo cities offer the resident parking permit: its averages are withheld.
    averages = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
      'table[data-table=comparison] tbody tr')].map(r => [r.cells[0].innerText + ' / ' + r.cells[1].innerText,
      r.cells[3].innerText.trim()]))""")
    uvg = [v for k, v in averages.items() if k.startswith("Unterhaltsvorschuss") and "Abschlussquote" in k]
    assert uvg and uvg[0] not in ("", "–"), averages
    assert all(v == "–" for k, v in averages.items() if k.startswith("Bewohnerparkausweis")), averages
    page.context.close()
    assert not demo_site.problems, "\n".join(demo_site.problems)
