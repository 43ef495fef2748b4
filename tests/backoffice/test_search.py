"""Search by reference number (exact or beginning) and by the applicant's full
name through the blind index. Parts of a name do not match, by design."""

from __future__ import annotations

from django.test import Client

from forms_engine.lib.crypto import name_blind_index
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City

from .conftest import GIESSEN_HOST, make_submission, signed_in


def _found(client: Client, q: str) -> list[str]:
    response = client.post("/backoffice/", {"q": q})
    assert response.status_code == 302
    response = client.get(response["Location"])
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


def test_a_name_never_stays_in_the_address(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen, name="Jürgen Groß")
    for response in (
        carla_client.post("/backoffice/", {"q": "Jürgen Groß", "status": "received"}),
        carla_client.get("/backoffice/", {"q": "Jürgen Groß"}),  # typed into the address by hand
    ):
        assert response.status_code == 302
        location = response["Location"]
        assert "rgen" not in location and "Gro" not in location
        assert f"name={name_blind_index('Jürgen Groß')}" in location
    page = carla_client.get(location)
    assert "Jürgen" not in page.content.decode().split("<table", 1)[0]  # not echoed into the search box


def test_changing_another_filter_keeps_the_name_search(carla_client: Client, giessen: City, services: None) -> None:
    jurgen = make_submission(giessen, name="Jürgen Groß")
    make_submission(giessen, name="Erika Mustermann")
    first = carla_client.post("/backoffice/", {"q": "Jürgen Groß"})["Location"]
    name = first.split("name=", 1)[1]
    second = carla_client.post("/backoffice/", {"q": "", "name": name, "status": "received"})["Location"]
    rows = carla_client.get(second).context["rows"]
    assert [row["submission"].reference for row in rows] == [jurgen.reference]


def test_the_search_needs_the_csrf_token(carla: StaffUser, giessen: City, services: None) -> None:
    client = signed_in(carla, GIESSEN_HOST, enforce_csrf_checks=True)
    assert client.post("/backoffice/", {"q": "Jürgen Groß"}).status_code == 403
