"""The dashboard's CSV downloads, the open-data CSV and JSON and the DCAT-AP.de
JSON-LD all parse and carry the same figures as the dashboard."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from django.test import Client

from forms_engine.analytics.metrics import fetch, summarise
from forms_engine.analytics.opendata import LICENCE_URI, SUPPRESSED_NOTE
from forms_engine.analytics.rollup import rollup_day
from forms_engine.staff.models import StaffUser

from ..conftest import host_client, sign_in
from .conftest import DAY, KNOWN, SLUG, build_known_day

PERIOD = f"start={DAY}&end={DAY}"


def signed_in(admin: StaffUser) -> Client:
    client = host_client("giessen.localhost")
    sign_in(client, admin.username)
    return client


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_dashboard_page_and_csv_show_the_known_figures(giessen, giessen_admin, demo_service):
    build_known_day(giessen)
    rollup_day(giessen, DAY)
    client = signed_in(giessen_admin)

    page = client.get(f"/statistik/?{PERIOD}&service={SLUG}").content.decode()
    assert 'role="img"' in page and '<title id="chart-funnel-title">' in page and "<desc" in page
    assert 'data-table="funnel"' in page

    header, *rows = csv_rows(client.get(f"/statistik/?{PERIOD}&format=csv&table=summary"))
    demo = dict(zip(header, rows[0], strict=True))
    assert demo[header[0]] == "Demo service"
    values = rows[0][1:]
    assert values == [
        str(KNOWN["starts"]),
        str(KNOWN["submissions"]),
        "60",
        str(KNOWN["saved"]),
        str(KNOWN["resumed"]),
        str(KNOWN["abandoned"]),
        "450",
        "1500",
        "4",
        "4",
    ]
    summary_html = page.split('data-table="summary"', 1)[1].split("</table>", 1)[0]
    first_row = summary_html.split("<tbody", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", first_row) == values

    _header, *funnel_rows = csv_rows(client.get(f"/statistik/?{PERIOD}&service={SLUG}&format=csv&table=funnel"))
    assert funnel_rows == [
        ["Person", "10", "9", "90", "1"],
        ["Details", "9", "7", "70", "2"],
        ["Declarations", "6", "5", "50", "0"],
    ]

    _header, *ratings = csv_rows(client.get(f"/statistik/?{PERIOD}&service={SLUG}&format=csv&table=ratings"))
    assert ratings == [["1", "0"], ["2", "1"], ["3", "0"], ["4", "1"], ["5", "2"]]

    _header, *weeks = csv_rows(client.get(f"/statistik/?{PERIOD}&format=csv&table=weekly"))
    assert weeks == [["2026-03-09", "6", "6"]]

    for table in ("health", "comparison"):
        assert client.get(f"/statistik/?{PERIOD}&format=csv&table={table}").status_code == 200
    assert client.get(f"/statistik/?{PERIOD}&format=csv&table=nope").status_code == 404


def test_open_data_csv_json_and_jsonld_match_the_dashboard(giessen, demo_service):
    giessen.analytics_opt_in = True
    giessen.save()
    build_known_day(giessen)
    rollup_day(giessen, DAY)
    per_service, _total = summarise(fetch([giessen.pk], DAY.replace(day=1), DAY.replace(day=31)))
    dashboard = per_service[SLUG]
    client = host_client("giessen.localhost")

    (record,) = client.get("/opendata/nutzung.json").json()["records"]
    assert record == {
        "month": "2026-03",
        "ags": giessen.ags,
        "city": giessen.name,
        "leika_key": "99000000000000",
        "service_slug": SLUG,
        "service": "Demo service",
        "submissions": dashboard.submissions,
        "starts": dashboard.starts,
        "completion_rate": 60,
        "median_seconds": 450,
        "satisfaction": None,  # only 4 ratings: suppressed
        "note": SUPPRESSED_NOTE,
    }
    (row,) = csv.DictReader(io.StringIO(client.get("/opendata/nutzung.csv").content.decode()))
    assert row["submissions"] == str(dashboard.submissions) and row["median_seconds"] == "450"
    assert row["leika_key"] == "99000000000000"

    (zsk,) = client.get("/opendata/zsk.json").json()["records"]
    assert zsk["anzahl_transaktionen"] == dashboard.submissions

    response = client.get("/opendata/nutzung.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    doc = json.loads(response.content)
    assert doc["@type"] == "dcat:Dataset"
    assert doc["dct:license"]["@id"] == LICENCE_URI == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    urls = {d["dcat:downloadURL"]["@id"] for d in doc["dcat:distribution"]}
    assert urls == {"http://giessen.localhost/opendata/nutzung.csv", "http://giessen.localhost/opendata/nutzung.json"}
    assert all(d["dct:license"]["@id"] == LICENCE_URI for d in doc["dcat:distribution"])

    page = client.get("/opendata/").content.decode()
    assert "/opendata/nutzung.jsonld" in page and "/opendata/zsk.csv" in page


def test_zsk_export_for_staff_is_not_suppressed(giessen, giessen_admin, demo_service):
    from .conftest import add

    add(giessen, "submitted", 3, duration_seconds=10)
    rollup_day(giessen, DAY)
    client = signed_in(giessen_admin)
    header, *rows = csv_rows(client.get("/statistik/zsk.csv"))
    assert header == ["berichtsmonat", "ags", "leika_schluessel", "onlinedienst", "anzahl_transaktionen"]
    assert rows == [["2026-03", giessen.ags, "99000000000000", "Demo service", "3"]]
