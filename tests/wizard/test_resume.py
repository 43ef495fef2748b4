"""Drafts on the server, save and resume, expiry and the expired-session page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from forms_engine.wizard.models import Draft, hash_resume_code
from tests.citizen_mail import send_citizen_emails
from tests.conftest import enable_service, host_client
from tests.wizard.conftest import PERSON, SLUG, answer, start


def _save(client: Any) -> str:
    page = client.get(f"/{SLUG}/person/").content.decode()
    from tests.wizard.walk import step_post_data

    data = step_post_data(SLUG, "person", page, PERSON)
    data["action"] = "save"
    response = client.post(f"/{SLUG}/person/", data)
    assert response["Location"] == f"/{SLUG}/save/"
    html = client.get(f"/{SLUG}/save/").content.decode()
    match = re.search(r"<code>([A-Z0-9-]{23})</code>", html)
    assert match, "resume code not shown"
    return match.group(1)


def test_draft_answers_are_encrypted_in_the_database(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM wizard_draft")
        (raw,) = cursor.fetchone()
    assert "Mustermann" not in raw and "Erika" not in raw
    with scope(city=giessen):
        assert Draft.objects.get().answers["person"]["last_name"] == "Mustermann"


def test_save_shows_code_once_and_stores_only_its_hash(citizen: Any, giessen: Any) -> None:
    start(citizen)
    code = _save(citizen)
    with scope(city=giessen):
        draft = Draft.objects.get()
    assert draft.resume_code_hash == hash_resume_code(code)
    assert code.replace("-", "") not in str(draft.resume_code_hash)
    assert code not in citizen.get(f"/{SLUG}/save/").content.decode()  # shown once only


def test_resume_in_another_browser_continues_where_left(citizen: Any) -> None:
    start(citizen)
    code = _save(citizen)
    other = host_client("giessen.localhost")
    response = other.post("/resume/", {"code": code.lower().replace("-", " ")})
    assert response["Location"] == f"/{SLUG}/nachweise/"
    assert 'value="Mustermann"' in other.get(f"/{SLUG}/person/").content.decode()


def test_resume_link_by_email(citizen: Any) -> None:
    start(citizen)
    _save(citizen)
    response = citizen.post(f"/{SLUG}/save/", {"email": "erika@example.org", "action": "email"})
    assert response.status_code == 200
    assert mail.outbox == []  # a worker sends it, as a processing step
    assert send_citizen_emails() == ["done"]
    assert len(mail.outbox) == 1
    link = re.search(r"https://giessen\.localhost/resume/([A-Z0-9-]+)/", str(mail.outbox[0].body))
    assert link
    other = host_client("giessen.localhost")
    assert other.get(f"/resume/{link.group(1)}/")["Location"] == f"/{SLUG}/nachweise/"


def test_wrong_code_is_refused_with_message(citizen: Any) -> None:
    response = citizen.post("/resume/", {"code": "AAAAA-BBBBB-CCCCC-DDDDD"})
    assert response.status_code == 200
    assert "unbekannt oder abgelaufen" in response.content.decode()


def test_expired_code_does_not_open(citizen: Any, giessen: Any) -> None:
    start(citizen)
    code = _save(citizen)
    with scope(city=giessen):
        Draft.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    other = host_client("giessen.localhost")
    assert other.post("/resume/", {"code": code}).status_code == 200
    assert other.get(f"/resume/{code}/").status_code == 404


def test_one_citys_code_does_not_open_another_citys_draft(citizen: Any, marburg: Any) -> None:
    enable_service(marburg, SLUG)
    start(citizen)
    code = _save(citizen)
    in_marburg = host_client("marburg.localhost")
    response = in_marburg.post("/resume/", {"code": code})
    assert response.status_code == 200 and "unbekannt oder abgelaufen" in response.content.decode()


def test_draft_expires_after_the_citys_draft_period(citizen: Any, giessen: Any) -> None:
    enable_service(giessen, SLUG, draft_days=7)
    start(citizen)
    with scope(city=giessen):
        draft = Draft.objects.get()
    assert timedelta(days=6, hours=23) < draft.expires_at - timezone.now() <= timedelta(days=7)


def test_lost_session_lands_on_explaining_page_not_step_one(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    fresh = host_client("giessen.localhost")  # the browser session is gone
    response = fresh.post(f"/{SLUG}/nachweise/", {"note": "x"})
    assert response["Location"] == f"/{SLUG}/expired/"
    page = fresh.get(f"/{SLUG}/expired/").content.decode()
    assert "Ihre Sitzung ist abgelaufen" in page and 'action="/resume/"' in page
    assert fresh.get(f"/{SLUG}/check/")["Location"] == f"/{SLUG}/expired/"
