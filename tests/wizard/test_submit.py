"""Submitting: one transaction, reference after commit, exactly one submission
on a double click, hostile and outdated posts refused without change."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db import connection
from django_scopes import scope

from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.wizard.models import Draft
from tests.conftest import enable_service, host_client
from tests.wizard.conftest import NOTE, PERSON, SLUG, answer, start
from tests.wizard.walk import hidden


def _ready_to_submit(client: Any) -> str:
    start(client)
    answer(client, "person", PERSON)
    answer(client, "nachweise", NOTE)
    return str(client.get(f"/{SLUG}/check/").content.decode())


def test_submit_shows_reference_after_commit(citizen: Any, giessen: Any) -> None:
    check = _ready_to_submit(citizen)
    response = citizen.post(f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")})
    location = response["Location"]
    submission_id = location.rstrip("/").rsplit("/", 1)[-1]
    uuid.UUID(submission_id)  # URLs carry UUIDs, never sequential ids
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert ProcessingStep.objects.filter(submission=submission).exists()
        assert not Draft.objects.get().answers  # the draft no longer holds the answers
    assert re.fullmatch(r"GI-TST-\d{4}-\d{6}", submission.reference)
    page = citizen.get(location).content.decode()
    assert submission.reference in page


def test_double_click_creates_exactly_one_submission(citizen: Any, giessen: Any) -> None:
    check = _ready_to_submit(citizen)
    data = {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}
    first = citizen.post(f"/{SLUG}/check/", data)
    second = citizen.post(f"/{SLUG}/check/", data)
    assert first["Location"] == second["Location"]
    with scope(city=giessen):
        assert Submission.objects.count() == 1


def test_references_count_up_per_city(citizen: Any, giessen: Any) -> None:
    for _i in range(2):
        check = _ready_to_submit(citizen)
        citizen.post(f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")})
    with scope(city=giessen):
        references = sorted(Submission.objects.values_list("reference", flat=True))
    assert [r[-6:] for r in references] == ["000001", "000002"]


def test_raw_submission_row_shows_no_name(citizen: Any) -> None:
    check = _ready_to_submit(citizen)
    citizen.post(f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")})
    with connection.cursor() as cursor:
        cursor.execute("SELECT data, snapshot, contact_email FROM submissions_submission")
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "Mustermann" not in row and "erika@example.org" not in row


def test_confirmation_belongs_to_the_submitting_browser(citizen: Any) -> None:
    check = _ready_to_submit(citizen)
    location = citizen.post(
        f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}
    )["Location"]
    assert host_client("giessen.localhost").get(location).status_code == 404


def test_outdated_revision_is_refused_and_changes_nothing(citizen: Any, giessen: Any) -> None:
    start(citizen)
    page = citizen.get(f"/{SLUG}/person/").content.decode()
    answer(citizen, "person", PERSON)
    with scope(city=giessen):
        before = Draft.objects.get()
    replay = {
        "draft": hidden(page, "draft"),
        "step": "person",
        "revision": hidden(page, "revision"),
        **PERSON,
        "last_name": "Replay",
    }
    response = citizen.post(f"/{SLUG}/person/", replay)
    assert response.status_code == 409
    with scope(city=giessen):
        after = Draft.objects.get()
    assert after.answers == before.answers and after.revision == before.revision


def test_tampered_step_name_or_draft_id_is_refused(citizen: Any, giessen: Any) -> None:
    start(citizen)
    page = citizen.get(f"/{SLUG}/person/").content.decode()
    base = {"draft": hidden(page, "draft"), "step": "person", "revision": hidden(page, "revision"), **PERSON}
    assert citizen.post(f"/{SLUG}/person/", {**base, "step": "nachweise"}).status_code == 409
    assert citizen.post(f"/{SLUG}/person/", {**base, "draft": str(uuid.uuid4())}).status_code == 409
    with scope(city=giessen):
        assert Draft.objects.get().answers == {}


def test_post_from_another_citys_host_changes_nothing(citizen: Any, giessen: Any, marburg: Any) -> None:
    enable_service(marburg, SLUG)
    start(citizen)
    page = citizen.get(f"/{SLUG}/person/").content.decode()
    attacker = host_client("marburg.localhost")
    attacker.cookies = citizen.cookies  # even with the citizen's cookie
    data = {"draft": hidden(page, "draft"), "step": "person", "revision": hidden(page, "revision"), **PERSON}
    response = attacker.post(f"/{SLUG}/person/", data)
    assert response.status_code == 302 and response["Location"] == f"/{SLUG}/expired/"
    with scope(city=giessen):
        assert Draft.objects.get().answers == {}


def test_service_switched_off_is_404(citizen: Any, giessen: Any) -> None:
    enable_service(giessen, SLUG, enabled=False)
    assert citizen.get(f"/{SLUG}/").status_code == 404
    assert citizen.get(f"/{SLUG}/person/").status_code == 404


def test_service_not_enabled_in_other_city_is_404(marburg: Any) -> None:
    assert host_client("marburg.localhost").get(f"/{SLUG}/").status_code == 404


def test_schema_is_published_and_404_for_unknown_version(citizen: Any) -> None:
    # Keyed by the data schema version ("1"), not the service version ("1.0").
    response = citizen.get(f"/api/schemas/{SLUG}/1.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["$id"] == f"https://giessen.localhost/api/schemas/{SLUG}/1.json"
    assert schema["properties"]["tiere"]["type"] == "array"
    assert "person" in schema["required"] and "tiere" not in schema["required"]
    assert citizen.get(f"/api/schemas/{SLUG}/9.9.json").status_code == 404
    assert citizen.get(f"/api/schemas/{SLUG}/1.0.json").status_code == 404


def test_the_done_page_shows_the_download_code_when_the_email_carries_a_link(citizen: Any, giessen: Any) -> None:
    from forms_engine.submissions.receipt_links import receipt_code

    check = _ready_to_submit(citizen)
    location = citizen.post(
        f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}
    )["Location"]
    page = citizen.get(location).content.decode()
    assert "als PDF" in page and "Download-Code" not in page  # the test service attaches the PDF by default
    enable_service(giessen, SLUG, confirmation_attachment="link")
    page = citizen.get(location).content.decode()
    with scope(city=giessen):
        code = receipt_code(Submission.objects.get())
    assert "Ihr Download-Code" in page and code in page and "7 Tage lang" in page
