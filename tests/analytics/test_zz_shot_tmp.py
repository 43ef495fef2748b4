from datetime import timedelta

import pytest
from playwright.sync_api import sync_playwright

from forms_engine.analytics.rollup import rollup_day

from django.test import Client
from ..conftest import sign_in
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
    c = Client(HTTP_HOST="giessen.localhost")
    sign_in(c, giessen_admin.username)
    sid = c.cookies["sessionid"].value
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium")
        ctx = b.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        ctx.add_cookies([{"name": "sessionid", "value": sid, "domain": "giessen.localhost", "path": "/"}])
        page = ctx.new_page()
        page.goto(base + f"/statistik/?start=2026-03-01&end=2026-04-30&service=analytics-demo")
        page.screenshot(path="/tmp/dash.png", full_page=True)
        with open("/tmp/dash.html", "w") as fh:
            fh.write(page.content())
        page.goto(base + "/statistik/?start=2026-03-01&end=2026-04-30&service=analytics-demo&format=csv&table=funnel") if False else None
        from pathlib import Path
        axe = Path("node_modules/axe-core/axe.min.js").read_text()
        page.goto(base + f"/statistik/?start=2026-03-01&end=2026-04-30&service=analytics-demo")
        page.add_script_tag(content=axe)
        res = page.evaluate("async () => (await axe.run()).violations.map(v => v.id + ': ' + v.nodes.length + ' ' + v.nodes.slice(0,2).map(n=>n.html.slice(0,120)).join(' | '))")
        print("AXE", res)
        page.goto(base + "/opendata/")
        page.screenshot(path="/tmp/od.png", full_page=True)
        b.close()
