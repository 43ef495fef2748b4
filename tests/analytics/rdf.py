"""Reading the open data catalogue as RDF, the way a harvester would."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Namespace, URIRef

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
FORMATS = {"application/ld+json": "json-ld", "text/turtle": "turtle", "application/rdf+xml": "xml"}


def parse(response: Any) -> Graph:
    """The response body as an RDF graph, in the format its Content-Type names."""
    assert response.status_code == 200, response.status_code
    media = response["Content-Type"].split(";")[0]
    graph = Graph()
    graph.parse(data=response.content.decode(), format=FORMATS[media])
    return graph


def objects(graph: Graph, subject: Any, predicate: Any) -> set[Any]:
    return set(graph.objects(subject, predicate))


def iri(value: str) -> URIRef:
    return URIRef(value)
