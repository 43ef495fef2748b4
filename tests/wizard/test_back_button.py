"""The browser's back button: a page sent with errors redirects to itself and
is shown from the draft (post/redirect/get), so going back never meets a
"resubmit form?" page; after submitting, going back says it was submitted."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django_scopes import scope

from forms_engine.submissions.models import Submission
from forms_engine.wizard.models import Draft
from tests.wizard.conftest import NOTE, PERSON, SLUG, answer, start
from tests.wizard.walk import hidden, step_post_data


def _post_person(client: Any, values: dict[str, Any], query: str = "") -> Any:
    url = f"/{SLUG}/person/"
    page = client.get(url + query).content.decode()
    data = step_post_data(SLUG, "person", page, values)
    if 'name="return" value="check"' in page:
        data["return"] = "check"
    return client.post(url + query, data)


def test_a_page_with_errors_redirects_to_itself_and_keeps_what_was_typed(citizen: Any, giessen: Any) -> None:
    start(citizen)
    response = _post_person(citizen, {**PERSON, "last_name": "", "email": "kein-at-zeichen"})
    assert response.status_code == 302 and response["Location"] == f"/{SLUG}/person/"
    for _reload in range(2):  # showing it again (reload, back, forward) changes nothing
        html = citizen.get(response["Location"]).content.decode()
        assert 'id="error-summary"' in html and 'value="kein-at-zeichen"' in html and 'value="Erika"' in html
    with scope(city=giessen):
        draft = Draft.objects.get()
        assert draft.answers == {} and draft.completed_steps == []
    with connection.cursor() as cursor:  # what was typed is encrypted like the answers
        cursor.execute("SELECT pending FROM wizard_draft WHERE id = %s", [draft.pk])
        assert "kein-at-zeichen" not in cursor.fetchone()[0]

    assert _post_person(citizen, PERSON)["Location"] == f"/{SLUG}/nachweise/"
    html = citizen.get(f"/{SLUG}/person/").content.decode()
    assert 'id="error-summary"' not in html and 'value="erika@example.org"' in html
    with scope(city=giessen):
        assert Draft.objects.get().pending == {}


def test_a_change_from_the_check_page_keeps_its_way_back(citizen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    answer(citizen, "nachweise", NOTE)
    response = _post_person(citizen, {**PERSON, "last_name": ""}, query="?return=check")
    assert response["Location"] == f"/{SLUG}/person/?return=check"


def test_back_after_submitting_shows_the_confirmation_not_an_expired_session(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    answer(citizen, "nachweise", NOTE)
    check = citizen.get(f"/{SLUG}/check/").content.decode()
    done = citizen.post(f"/{SLUG}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")})
    with scope(city=giessen):
        reference = Submission.objects.get().reference
    for back_to in (f"/{SLUG}/check/", f"/{SLUG}/nachweise/", f"/{SLUG}/person/", f"/{SLUG}/save/"):
        response = citizen.get(back_to)
        assert response["Location"] == done["Location"], back_to
        page = citizen.get(response["Location"]).content.decode()
        assert "bereits abgeschickt" in page and reference in page
        assert "abgelaufen" not in page
