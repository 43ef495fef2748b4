"""The dashboard's CSV downloads, the open-data CSV and JSON and the DCAT-AP.de
JSON-LD all parse and carry the same figures as the dashboard."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.test import Client
from rdflib import RDF, URIRef
from rdflib.namespace import DCAT, DCTERMS

from forms_engine.analytics.metrics import fetch, summarise
from forms_engine.analytics.opendata import LICENCE_URI, SUPPRESSED_NOTE
from forms_engine.analytics.rollup import rollup_day
from forms_engine.staff.models import StaffUser

from ..conftest import host_client, sign_in
from .conftest import DAY, KNOWN, SLUG, build_known_day
from .rdf import parse

PERIOD = f"start={DAY}&end={DAY}"


def signed_in(admin: StaffUser) -> Client:
    client = host_client("giessen.localhost")
    sign_in(client, admin.username)
    return client


def csv_rows(response: Any) -> list[list[str]]:
    """A CSV download as German Excel reads it (the default), or a plain one."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    if text.startswith("\ufeff"):
        return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    return list(csv.reader(io.StringIO(text)))


def test_dashboard_page_and_csv_show_the_known_figures(giessen, giessen_admin, demo_service):
    build_known_day(giessen)
    rollup_day(giessen, DAY)
    client = signed_in(giessen_admin)

    page = client.get(f"/statistik/?{PERIOD}&service={SLUG}").content.decode()
    assert 'role="img"' in page and '<title id="chart-funnel-title">' in page and "<desc" in page
    assert 'data-table="funnel"' in page

    response = client.get(f"/statistik/?{PERIOD}&format=csv&table=summary")
    assert response.content.startswith("\ufeff".encode()), "German Excel needs the byte order mark"
    header, *rows = csv_rows(response)
    demo = dict(zip(header, rows[0], strict=True))
    assert demo[header[0]] == "Demo service"
    assert "Median time to complete (min)" in header or "Median der Ausfülldauer (Min.)" in header
    values = rows[0][1:]
    assert values == [
        str(KNOWN["starts"]),
        str(KNOWN["submissions"]),
        "60",
        str(KNOWN["saved"]),
        str(KNOWN["resumed"]),
        str(KNOWN["abandoned"]),
        "7,5",  # 450 s, in minutes, with a decimal comma
        "25",
        "4",
        "4",
    ]
    plain_header, *plain = csv_rows(client.get(f"/statistik/?{PERIOD}&format=csv&csv=plain&table=summary"))
    assert plain_header == header and plain[0][7] == "7.5"
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
    graph = parse(response)
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    distributions = set(graph.objects(dataset, DCAT.distribution))
    urls = {str(u) for d in distributions for u in graph.objects(d, DCAT.downloadURL)}
    assert urls == {"http://giessen.localhost/opendata/nutzung.csv", "http://giessen.localhost/opendata/nutzung.json"}
    assert LICENCE_URI == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert all(set(graph.objects(d, DCTERMS.license)) == {URIRef(LICENCE_URI)} for d in distributions)

    page = client.get("/opendata/").content.decode()
    assert "/opendata/nutzung.jsonld" in page and "/opendata/zsk.csv" in page and "/opendata/catalog.ttl" in page


def test_zsk_export_for_staff_is_not_suppressed(giessen, giessen_admin, demo_service):
    from .conftest import add

    add(giessen, "submitted", 3, duration_seconds=10)
    rollup_day(giessen, DAY)
    client = signed_in(giessen_admin)
    header, *rows = csv_rows(client.get("/statistik/zsk.csv"))
    assert header == ["berichtsmonat", "ags", "leika_schluessel", "onlinedienst", "anzahl_transaktionen"]
    assert rows == [["2026-03", giessen.ags, "99000000000000", "Demo service", "3"]]
