"""Public open-data pages and files, no login. On a city's host: that city's
figures, published only if the city takes part (analytics_opt_in). On a
platform host: all participating cities together."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from forms_engine.tenants.models import City

from .comparison import participants
from .dcat import SERIALISATIONS, DatasetInfo, Site, catalogue, serialise
from .opendata import (
    LICENCE_NAME,
    LICENCE_URI,
    SUPPRESSED_NOTE,
    USAGE_FIELDS,
    ZSK_FIELDS,
    monthly,
    usage_record,
    zsk_record,
)
from .views import csv_response

DATASETS = {
    "nutzung": (
        "Nutzung der Onlinedienste je Monat",
        "Monatliche Zahlen je Onlinedienst: Starts, Anträge, Abschlussquote, Median der Ausfülldauer "
        "(Sekunden vom Start bis zum Absenden), Zufriedenheit (1–5). Werte unter 5 sind unterdrückt.",
        USAGE_FIELDS,
        usage_record,
    ),
    "zsk": (
        "Transaktionen je Onlinedienst, Monat und Gemeinde (ZSK-Format)",
        "Anzahl der abgeschlossenen Online-Anträge je Onlinedienst (LeiKa), Monat und AGS, im Format der "
        "Zentralen Statistik-Komponente. Werte unter 5 sind unterdrückt.",
        ZSK_FIELDS,
        zsk_record,
    ),
}


def published_cities(request: HttpRequest) -> tuple[list[City], City | None]:
    city: City | None = getattr(request, "city", None)
    if city is not None:
        if not city.analytics_opt_in:
            raise Http404
        return [city], city
    return participants(), None


def _site(request: HttpRequest, cities: list[City], city: City | None) -> Site:
    def absolute(name: str, *args: str) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    return Site(
        opendata_url=absolute("analytics-opendata"),
        catalog_url=absolute("analytics-opendata-catalog"),
        cities=cities,
        city=city,
        file_url=lambda key, suffix: absolute("analytics-opendata-file", key, suffix),
    )


def _datasets() -> list[DatasetInfo]:
    return [DatasetInfo(key, title, description) for key, (title, description, _f, _fn) in DATASETS.items()]


def _rdf_response(text: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # harvesters and browsers of other sites may read open data
    return response


# What the catalogue's IRI answers, by the Accept header (Turtle when nothing matches).
NEGOTIATED = (("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf"), ("text/turtle", "ttl"))


@require_GET
def catalog(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """The DCAT-AP.de catalogue of every dataset published on this host."""
    if not fmt:
        accept = request.headers.get("Accept", "")
        fmt = next((suffix for media, suffix in NEGOTIATED if media in accept), "ttl")
    if fmt not in SERIALISATIONS:
        raise Http404
    cities, city = published_cities(request)
    response = _rdf_response(*serialise(catalogue(_site(request, cities, city), _datasets()), fmt))
    patch_vary_headers(response, ["Accept"])
    return response


def _months(request: HttpRequest) -> tuple[date | None, date | None]:
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        return date(int(year), 1, 1), date(int(year), 12, 1)
    return None, None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    cities, _city = published_cities(request)
    base = reverse("analytics-opendata")
    datasets = [
        {"key": key, "title": title, "description": description, "formats": ["csv", "json", "jsonld"], "base": base}
        for key, (title, description, _fields, _fn) in DATASETS.items()
    ]
    return render(
        request,
        "analytics/opendata.html",
        {
            "datasets": datasets,
            "published": cities,
            "licence_name": LICENCE_NAME,
            "licence_uri": LICENCE_URI,
            "note": SUPPRESSED_NOTE,
            "catalog_formats": [
                ("jsonld", "JSON-LD"),
                ("ttl", "Turtle"),
                ("rdf", "RDF/XML"),
            ],
        },
    )


@require_GET
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in DATASETS or fmt not in ("csv", "json", "jsonld"):
        raise Http404
    cities, city = published_cities(request)
    _title, _description, fields, to_record = DATASETS[dataset]
    if fmt == "jsonld":
        graph = catalogue(_site(request, cities, city), _datasets(), only=dataset)
        return _rdf_response(*serialise(graph, "jsonld"))
    first, last = _months(request)
    records: list[dict[str, Any]] = [to_record(row) for row in monthly(cities, first, last)]
    if fmt == "csv":
        return csv_response(f"{dataset}.csv", fields, [[r[f] for f in fields] for r in records])
    payload = {"licence": LICENCE_URI, "note": SUPPRESSED_NOTE, "fields": fields, "records": records}
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
