"""Search by reference number (exact or beginning) and by any word of the
applicant's name through the blind index (one HMAC per normalised word)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django_scopes import scope

from forms_engine.lib.crypto import name_token_digest
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import NameToken
from forms_engine.tenants.models import City

from .conftest import GIESSEN_HOST, make_submission, signed_in


def _found(client: Client, q: str) -> list[str]:
    response = client.post("/backoffice/", {"q": q})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    return sorted(row["submission"].reference for row in response.context["rows"])


def test_any_word_of_the_name_finds_regardless_of_case_umlauts_and_order(
    carla_client: Client, giessen: City, marburg: City, services: None
) -> None:
    ben = make_submission(giessen, name="Ben Neumann")
    lena = make_submission(giessen, name="Lena Neumann-Groß")
    make_submission(giessen, name="Erika Mustermann")
    make_submission(marburg, name="Ben Neumann")  # Marburg's: never found in Gießen
    assert _found(carla_client, "Neumann") == sorted([ben.reference, lena.reference])
    assert _found(carla_client, "neumann ben") == [ben.reference]
    assert _found(carla_client, "  BEN   neumann ") == [ben.reference]
    assert _found(carla_client, "Gross") == [lena.reference]
    assert _found(carla_client, "groß lena") == [lena.reference]


def test_mueller_and_mueller_with_umlaut_are_one_name(carla_client: Client, giessen: City, services: None) -> None:
    mueller = make_submission(giessen, name="Jürgen Müller")
    assert _found(carla_client, "Mueller") == [mueller.reference]
    assert _found(carla_client, "MÜLLER juergen") == [mueller.reference]


def test_beginnings_of_words_do_not_match(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen, name="Ben Neumann")
    assert _found(carla_client, "Neu") == []
    assert _found(carla_client, "Neumann Lena") == []


def test_reference_exact_or_beginning(carla_client: Client, giessen: City, services: None) -> None:
    first = make_submission(giessen)
    second = make_submission(giessen)
    assert _found(carla_client, first.reference) == [first.reference]
    assert _found(carla_client, first.reference.lower()) == [first.reference]
    assert _found(carla_client, "GI-UVG") == sorted([first.reference, second.reference])
    assert _found(carla_client, "gi-uvg-2026-00000") == sorted([first.reference, second.reference])


def test_names_are_stored_only_as_hmacs_per_word(giessen: City, services: None) -> None:
    submission = make_submission(giessen, name="Ben Neumann")
    with scope(city=giessen):
        digests = set(NameToken.objects.filter(submission=submission).values_list("digest", flat=True))
    assert digests == {name_token_digest("ben"), name_token_digest("neumann")}
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_name FROM submissions_submission WHERE id = %s", [submission.pk])
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT string_agg(digest, ' ') FROM submissions_nametoken")
        (tokens,) = cursor.fetchone()
    assert "Neumann" not in stored and "eumann" not in tokens.lower()


def test_a_name_never_stays_in_the_address(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen, name="Jürgen Groß")
    for response in (
        carla_client.post("/backoffice/", {"q": "Jürgen Groß", "status": "received"}),
        carla_client.get("/backoffice/", {"q": "Jürgen Groß"}),  # typed into the address by hand
    ):
        assert response.status_code == 302
        location = response["Location"]
        assert "rgen" not in location and "Gro" not in location
        assert f"name={name_token_digest('juergen')}" in location
        assert f"name={name_token_digest('gross')}" in location
    page = carla_client.get(location)
    assert "Jürgen" not in page.content.decode().split("<table", 1)[0]  # not echoed into the search box


def test_changing_another_filter_keeps_the_name_search(carla_client: Client, giessen: City, services: None) -> None:
    jurgen = make_submission(giessen, name="Jürgen Groß")
    make_submission(giessen, name="Erika Mustermann")
    first = carla_client.post("/backoffice/", {"q": "Groß"})["Location"]
    name = first.split("name=", 1)[1]
    second = carla_client.post("/backoffice/", {"q": "", "name": name, "status": "received"})["Location"]
    rows = carla_client.get(second).context["rows"]
    assert [row["submission"].reference for row in rows] == [jurgen.reference]


def test_a_forged_name_digest_is_ignored(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen, name="Ben Neumann")
    response = carla_client.get("/backoffice/?name=not-a-digest")
    assert response.status_code == 200 and response.context["form"].errors


def test_the_search_needs_the_csrf_token(carla: StaffUser, giessen: City, services: None) -> None:
    client = signed_in(carla, GIESSEN_HOST, enforce_csrf_checks=True)
    assert client.post("/backoffice/", {"q": "Jürgen Groß"}).status_code == 403
