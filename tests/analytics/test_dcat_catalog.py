"""The DCAT-AP.de catalogue, read with rdflib as GovData's harvester would:
every mandatory and recommended property on catalogue, datasets and
distributions, the same graph in all three serialisations, absolute URLs with
the request's port, and nothing for a city that does not publish."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from forms_engine.analytics.models import DailyAggregate
from forms_engine.tenants.models import City

from ..conftest import host_client
from .conftest import SLUG
from .rdf import DCATAP, DCATDE, objects, parse

VCARD = "http://www.w3.org/2006/vcard/ns#"
LICENCE = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
HOST = "giessen.localhost:8000"
BASE = f"http://{HOST}/opendata/"


@pytest.fixture
def published(giessen: City, demo_service: object) -> City:
    giessen.analytics_opt_in = True
    giessen.save()
    with scopes_disabled():
        DailyAggregate.objects.create(city=giessen, service_slug=SLUG, day=date(2026, 2, 3), starts=20, submissions=9)
    return giessen


def one(graph: Graph, subject: Any, predicate: Any) -> Any:
    values = objects(graph, subject, predicate)
    assert len(values) == 1, (subject, predicate, values)
    return next(iter(values))


@override_settings(OPENDATA_CONTRIBUTOR_ID="gemeinsam-test")
def test_catalogue_has_every_property_govdata_requires(published: City) -> None:
    graph = parse(host_client(HOST).get("/opendata/catalog.ttl"))

    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(catalog) == f"{BASE}catalog"
    assert one(graph, catalog, DCTERMS.title).language == "de"  # type: ignore[attr-defined]
    assert one(graph, catalog, DCTERMS.description)
    publisher = one(graph, catalog, DCTERMS.publisher)
    assert isinstance(publisher, URIRef), "the publisher is an IRI, not a blank node"
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(one(graph, publisher, FOAF.name)) == published.name
    datasets = objects(graph, catalog, DCAT.dataset)
    assert {str(d) for d in datasets} == {f"{BASE}nutzung.jsonld", f"{BASE}zsk.jsonld"}

    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        assert one(graph, dataset, DCTERMS.title) and one(graph, dataset, DCTERMS.description)
        assert one(graph, dataset, DCTERMS.publisher) == publisher
        assert one(graph, dataset, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/gemeinsam-test")
        contact = one(graph, dataset, DCAT.contactPoint)
        assert (contact, RDF.type, URIRef(VCARD + "Organization")) in graph
        assert str(one(graph, contact, URIRef(VCARD + "fn"))) == published.name
        assert one(graph, contact, URIRef(VCARD + "hasEmail")) == URIRef(f"mailto:{published.contact_email}")
        issued = one(graph, dataset, DCTERMS.issued)
        assert isinstance(issued, Literal) and issued.datatype == XSD.date and str(issued) == "2026-02-03"
        modified = one(graph, dataset, DCTERMS.modified)
        assert isinstance(modified, Literal) and modified.datatype == XSD.dateTime
        assert one(graph, dataset, DCAT.landingPage) == URIRef(BASE)
        assert objects(graph, dataset, DCAT.keyword)
        assert one(graph, dataset, DCAT.theme) == URIRef(
            "http://publications.europa.eu/resource/authority/data-theme/GOVE"
        )
        geocode = URIRef(f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{published.ags}")
        assert one(graph, dataset, DCATDE.politicalGeocodingURI) == geocode
        assert one(graph, dataset, DCTERMS.spatial) == geocode
        assert one(graph, dataset, DCATDE.politicalGeocodingLevelURI) == URIRef(
            "http://dcat-ap.de/def/politicalGeocoding/level/municipality"
        )
        period = one(graph, dataset, DCTERMS.temporal)
        assert str(one(graph, period, DCAT.startDate)) == "2026-02-01"
        assert one(graph, dataset, DCATAP.availability)

        distributions = objects(graph, dataset, DCAT.distribution)
        assert len(distributions) == 2
        formats = set()
        for dist in distributions:
            assert (dist, RDF.type, DCAT.Distribution) in graph
            assert str(one(graph, dist, DCAT.accessURL)).startswith(BASE)
            assert one(graph, dist, DCAT.downloadURL) == one(graph, dist, DCAT.accessURL)
            assert one(graph, dist, DCTERMS.title)
            assert one(graph, dist, DCTERMS.license) == LICENCE
            assert str(one(graph, dist, DCATDE.licenseAttributionByText)) == published.name
            assert one(graph, dist, DCTERMS.modified).datatype == XSD.dateTime  # type: ignore[attr-defined]
            formats.add((str(one(graph, dist, DCTERMS.format)), str(one(graph, dist, DCAT.mediaType))))
        assert formats == {
            (
                "http://publications.europa.eu/resource/authority/file-type/CSV",
                "https://www.iana.org/assignments/media-types/text/csv",
            ),
            (
                "http://publications.europa.eu/resource/authority/file-type/JSON",
                "https://www.iana.org/assignments/media-types/application/json",
            ),
        }


def test_three_serialisations_are_the_same_graph(published: City) -> None:
    client = host_client(HOST)
    turtle = parse(client.get("/opendata/catalog.ttl"))
    assert isomorphic(turtle, parse(client.get("/opendata/catalog.jsonld")))
    assert isomorphic(turtle, parse(client.get("/opendata/catalog.rdf")))
    assert len(turtle) > 60


def test_the_catalogue_iri_answers_what_the_harvester_accepts(published: City) -> None:
    client = host_client(HOST)
    assert client.get("/opendata/catalog", HTTP_ACCEPT="application/rdf+xml")["Content-Type"].startswith(
        "application/rdf+xml"
    )
    assert client.get("/opendata/catalog", HTTP_ACCEPT="application/ld+json")["Content-Type"].startswith(
        "application/ld+json"
    )
    response = client.get("/opendata/catalog")
    assert response["Content-Type"].startswith("text/turtle")
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]
    assert client.get("/opendata/catalog.xlsx").status_code == 404


def test_a_dataset_description_is_the_catalogues_dataset(published: City) -> None:
    client = host_client(HOST)
    subject = URIRef(f"{BASE}nutzung.jsonld")

    def named(graph: Graph) -> set[tuple[object, object]]:  # blank nodes differ between two graphs
        return {(p, o) for p, o in graph.predicate_objects(subject) if not isinstance(o, BNode)}

    alone = named(parse(client.get("/opendata/nutzung.jsonld")))
    assert alone == named(parse(client.get("/opendata/catalog.ttl")))
    assert (DCAT.distribution, URIRef(f"{BASE}nutzung.csv")) in alone


def test_a_city_that_does_not_publish_has_no_catalogue(published: City, marburg: City) -> None:
    assert host_client("marburg.localhost").get("/opendata/catalog.ttl").status_code == 404
    platform = parse(host_client("localhost").get("/opendata/catalog.ttl"))
    codes = {str(g) for g in platform.objects(None, DCATDE.politicalGeocodingURI)}
    assert codes == {f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{published.ags}"}


def test_footer_links_to_open_data_only_where_it_is_published(published: City, marburg: City) -> None:
    assert 'href="/opendata/"' in host_client("giessen.localhost").get("/").content.decode()
    assert 'href="/opendata/"' not in host_client("marburg.localhost").get("/").content.decode()
