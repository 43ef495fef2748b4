from datetime import timedelta

import pytest
from playwright.sync_api import sync_playwright

from forms_engine.analytics.rollup import rollup_day

from ..conftest import PASSWORD
from .conftest import DAY, DAY_START_UTC, add, build_known_day


@pytest.mark.django_db(transaction=True)
def test_shot(live_server, giessen, marburg, giessen_admin, demo_service):
    giessen.analytics_opt_in = True
    giessen.save()
    marburg.analytics_opt_in = True
    marburg.save()
    build_known_day(giessen, other_city=marburg)
    for d in range(1, 40):
        add(giessen, "submitted", d % 7 + 1, hour=DAY_START_UTC + timedelta(days=d, hours=5), duration_seconds=300 + d)
        add(giessen, "started", d % 7 + 3, hour=DAY_START_UTC + timedelta(days=d, hours=5))
        rollup_day(giessen, DAY + timedelta(days=d))
    rollup_day(giessen, DAY)
    rollup_day(marburg, DAY)
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://giessen.localhost:{port}"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/staff/login/")
        page.fill("input[name=username]", giessen_admin.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=token]", "12345678")
        page.click("button[type=submit]")
        page.goto(base + f"/statistik/?start=2026-03-01&end=2026-04-30&service=analytics-demo")
        page.screenshot(path="/tmp/dash.png", full_page=True)
        open("/tmp/dash.html", "w").write(page.content())
        page.goto(base + "/opendata/")
        page.screenshot(path="/tmp/od.png", full_page=True)
        b.close()
