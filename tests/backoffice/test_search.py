"""Search by reference number (exact or beginning) and by the applicant's full
name through the blind index. Parts of a name do not match, by design."""

from __future__ import annotations

from django.test import Client

from forms_engine.tenants.models import City

from .conftest import make_submission


def _found(client: Client, q: str) -> list[str]:
    response = client.get("/backoffice/", {"q": q})
    assert response.status_code == 200
    return [row["submission"].reference for row in response.context["rows"]]


def test_full_name_finds_regardless_of_case_accents_and_spaces(
    carla_client: Client, giessen: City, marburg: City, services: None
) -> None:
    jurgen = make_submission(giessen, name="Jürgen Groß")
    make_submission(giessen, name="Erika Mustermann")
    make_submission(marburg, name="Jürgen Groß")
    assert _found(carla_client, "Jürgen Groß") == [jurgen.reference]
    assert _found(carla_client, "  jurgen   GROSS ") == [jurgen.reference]


def test_parts_of_a_name_do_not_match(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen, name="Jürgen Groß")
    assert _found(carla_client, "Jürgen") == []
    assert _found(carla_client, "Groß") == []


def test_reference_exact_or_beginning(carla_client: Client, giessen: City, services: None) -> None:
    first = make_submission(giessen)
    second = make_submission(giessen)
    assert _found(carla_client, first.reference) == [first.reference]
    assert _found(carla_client, first.reference.lower()) == [first.reference]
    assert sorted(_found(carla_client, "GI-UVG-2026-00000")) == sorted([first.reference, second.reference])


def test_the_name_is_stored_only_as_an_hmac(giessen: City, services: None) -> None:
    submission = make_submission(giessen, name="Jürgen Groß")
    assert "rgen" not in submission.name_index and len(submission.name_index) == 64
