"""The open data as a DCAT-AP.de 2.0 catalogue that GovData can harvest.

One RDF graph (rdflib) is built per request and serialised as JSON-LD, Turtle
or RDF/XML; the per-dataset descriptions are the same graph cut down to one
dataset. Which properties are required comes from DCAT-AP.de 2.0 and the
GovData conventions (implRules 020/021): contributorID, political geocoding,
a licence from the dcat-ap.de vocabulary with its attribution text, EU
file-type formats, IANA media types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone
from django_scopes import scopes_disabled
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from forms_engine.tenants.models import City

from .models import DailyAggregate
from .opendata import LICENCE_URI, last_complete_month

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_AVAILABILITY = Namespace("http://publications.europa.eu/resource/authority/planned-availability/")
GEOCODING = Namespace("http://dcat-ap.de/def/politicalGeocoding/")
CONTRIBUTORS = Namespace("http://dcat-ap.de/def/contributors/")
IANA = "https://www.iana.org/assignments/media-types/"

# Our formats: (file suffix, EU file type, IANA media type)
DISTRIBUTIONS = (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))
# The catalogue's own serialisations: suffix -> (rdflib format, content type)
SERIALISATIONS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}
PLATFORM_PUBLISHER = "Gemeinsam – teilnehmende Städte"


@dataclass(frozen=True)
class DatasetInfo:
    key: str
    title: str
    description: str


@dataclass(frozen=True)
class Site:
    """Where the catalogue is published and by whom, with absolute URLs."""

    opendata_url: str  # the open data page, ends with "/"
    catalog_url: str  # the catalogue's IRI; content-negotiated
    cities: list[City]
    city: City | None  # None: the platform's catalogue of all participating cities
    file_url: Callable[[str, str], str]  # (dataset key, suffix) -> absolute URL

    @property
    def publisher_name(self) -> str:
        return self.city.name if self.city else PLATFORM_PUBLISHER

    @property
    def publisher_iri(self) -> URIRef:
        return URIRef(f"{self.opendata_url}#publisher")


def _period(cities: list[City]) -> tuple[date | None, datetime | None]:
    """The first day with figures and when they were last computed."""
    with scopes_disabled():
        found = DailyAggregate.objects.filter(city__in=cities, day__lte=_end_of(last_complete_month())).aggregate(
            first=Min("day"), modified=Max("computed_at")
        )
    return found["first"], found["modified"]


def _end_of(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _geocoding(city: City) -> URIRef:
    return GEOCODING[f"municipalityKey/{city.ags}"]


def _contact_point(graph: Graph, site: Site) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(site.publisher_name)))
    email = (site.city.contact_email if site.city else "") or settings.OPENDATA_CONTACT_EMAIL
    if email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{email}")))
    graph.add((node, VCARD.hasURL, URIRef(site.opendata_url)))
    return node


def _add_dataset(graph: Graph, site: Site, info: DatasetInfo, first: date | None, modified: datetime) -> URIRef:
    dataset = URIRef(site.file_url(info.key, "jsonld"))
    add = graph.add
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    add((dataset, DCTERMS.title, Literal(info.title, lang="de")))
    add((dataset, DCTERMS.description, Literal(info.description, lang="de")))
    add((dataset, DCTERMS.publisher, site.publisher_iri))
    add((dataset, DCAT.contactPoint, _contact_point(graph, site)))
    add((dataset, DCAT.landingPage, URIRef(site.opendata_url)))
    add((dataset, DCAT.theme, EU_THEME.GOVE))
    add((dataset, DCTERMS.accrualPeriodicity, EU_FREQUENCY.MONTHLY))
    add((dataset, DCTERMS.language, EU_LANGUAGE.DEU))
    add((dataset, DCATAP.availability, EU_AVAILABILITY.STABLE))
    for keyword in ("Onlinedienste", "OZG", "Nutzung", "Verwaltungsdigitalisierung"):
        add((dataset, DCAT.keyword, Literal(keyword, lang="de")))
    add((dataset, DCATDE.politicalGeocodingLevelURI, GEOCODING["level/municipality"]))
    for city in site.cities:
        add((dataset, DCATDE.politicalGeocodingURI, _geocoding(city)))
        add((dataset, DCTERMS.spatial, _geocoding(city)))
    if settings.OPENDATA_CONTRIBUTOR_ID:
        add((dataset, DCATDE.contributorID, CONTRIBUTORS[settings.OPENDATA_CONTRIBUTOR_ID]))
    issued = first or timezone.localdate()
    add((dataset, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    if first is not None:
        period = BNode()
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        add((period, DCAT.startDate, Literal(first.replace(day=1), datatype=XSD.date)))
        add((period, DCAT.endDate, Literal(_end_of(last_complete_month()), datatype=XSD.date)))
        add((dataset, DCTERMS.temporal, period))
    for suffix, file_type, media_type in DISTRIBUTIONS:
        url = URIRef(site.file_url(info.key, suffix))
        add((dataset, DCAT.distribution, url))
        add((url, RDF.type, DCAT.Distribution))
        add((url, DCTERMS.title, Literal(f"{info.title} ({file_type})", lang="de")))
        add((url, DCAT.accessURL, url))
        add((url, DCAT.downloadURL, url))
        add((url, DCTERMS.format, EU_FILE_TYPE[file_type]))
        add((url, DCAT.mediaType, URIRef(IANA + media_type)))
        add((url, DCTERMS.license, URIRef(LICENCE_URI)))
        add((url, DCATDE.licenseAttributionByText, Literal(site.publisher_name)))
        add((url, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
        add((url, DCATAP.availability, EU_AVAILABILITY.STABLE))
    return dataset


def _add_publisher(graph: Graph, site: Site) -> None:
    graph.add((site.publisher_iri, RDF.type, FOAF.Agent))
    graph.add((site.publisher_iri, FOAF.name, Literal(site.publisher_name)))
    graph.add((site.publisher_iri, FOAF.homepage, URIRef(site.opendata_url.rsplit("/opendata/", 1)[0] + "/")))


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("dcatde", DCATDE),
        ("dcatap", DCATAP),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace)
    return graph


def catalogue(site: Site, datasets: list[DatasetInfo], *, only: str = "") -> Graph:
    """The catalogue with every dataset, or (only=key) that one dataset and its publisher."""
    graph = _graph()
    first, modified = _period(site.cities)
    modified = modified or timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    _add_publisher(graph, site)
    chosen = [d for d in datasets if not only or d.key == only]
    nodes = [_add_dataset(graph, site, info, first, modified) for info in chosen]
    if only:
        return graph
    catalog = URIRef(site.catalog_url)
    add = graph.add
    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCTERMS.title, Literal(f"Offene Daten der Onlinedienste: {site.publisher_name}", lang="de")))
    add(
        (
            catalog,
            DCTERMS.description,
            Literal("Monatliche, anonyme Nutzungszahlen der Onlinedienste. Werte unter 5 sind unterdrückt.", lang="de"),
        )
    )
    add((catalog, DCTERMS.publisher, site.publisher_iri))
    add((catalog, FOAF.homepage, URIRef(site.opendata_url)))
    add((catalog, DCTERMS.language, EU_LANGUAGE.DEU))
    add((catalog, DCTERMS.license, URIRef(LICENCE_URI)))
    add((catalog, DCTERMS.issued, Literal(first or timezone.localdate(), datatype=XSD.date)))
    add((catalog, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for node in nodes:
        add((catalog, DCAT.dataset, node))
    return graph


def serialise(graph: Graph, suffix: str) -> tuple[str, str]:
    """The graph as text in the format of this suffix, and its content type."""
    rdf_format, content_type = SERIALISATIONS[suffix]
    extra: dict[str, Any] = {"auto_compact": True} if rdf_format == "json-ld" else {}
    return graph.serialize(format=rdf_format, **extra), f"{content_type}; charset=utf-8"
