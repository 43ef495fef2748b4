"""Steps, progress, back, conditions and change links."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from forms_engine.wizard.models import Draft
from tests.wizard.conftest import NOTE, PERSON, PERSON_PETS, PETS, SLUG, answer, start


def test_start_leads_to_first_step_with_progress(citizen: Any) -> None:
    assert start(citizen) == f"/{SLUG}/person/"
    page = citizen.get(f"/{SLUG}/person/").content.decode()
    assert "Schritt 1 von 3" in page  # person, nachweise, check (no pets yet)


def test_progress_grows_when_a_conditional_step_applies(citizen: Any) -> None:
    start(citizen)
    assert answer(citizen, "person", PERSON_PETS)["Location"] == f"/{SLUG}/tiere/"
    assert "Schritt 2 von 4" in citizen.get(f"/{SLUG}/tiere/").content.decode()


def test_back_keeps_answers(citizen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    page = citizen.get(f"/{SLUG}/nachweise/").content.decode()
    assert f'href="/{SLUG}/person/"' in page
    back = citizen.get(f"/{SLUG}/person/").content.decode()
    assert 'value="Mustermann"' in back


def test_skipping_ahead_is_refused(citizen: Any, giessen: Any) -> None:
    start(citizen)
    assert citizen.get(f"/{SLUG}/nachweise/")["Location"] == f"/{SLUG}/person/"
    response = citizen.post(f"/{SLUG}/nachweise/", {"note": "x", "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/{SLUG}/person/"
    assert citizen.get(f"/{SLUG}/check/")["Location"] == f"/{SLUG}/person/"
    with scope(city=giessen):
        assert Draft.objects.get().answers == {}


def test_unknown_step_is_404(citizen: Any) -> None:
    start(citizen)
    assert citizen.get(f"/{SLUG}/gibtsnicht/").status_code == 404


def test_condition_turning_false_discards_answers_and_documents(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON_PETS)
    answer(citizen, "tiere", PETS)
    assert answer(citizen, "nachweise", NOTE)["Location"] == f"/{SLUG}/check/"
    with scope(city=giessen):
        draft = Draft.objects.get()
        assert "tiere" in draft.answers
        assert draft.attachments.filter(key="tierpass").count() == 1
    response = answer(citizen, "person", PERSON, **{"return": "check"})
    assert response["Location"] == f"/{SLUG}/check/"
    with scope(city=giessen):
        draft = Draft.objects.get()
        assert "tiere" not in draft.answers and "tiere" not in draft.completed_steps
        assert not draft.attachments.filter(key="tierpass").exists()
        assert draft.attachments.filter(key="ausweis").count() == 1
    assert "Bello" not in citizen.get(f"/{SLUG}/check/").content.decode()


def test_change_link_returns_to_check(citizen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    answer(citizen, "nachweise", NOTE)
    check = citizen.get(f"/{SLUG}/check/").content.decode()
    assert f"/{SLUG}/person/?return=check" in check
    changed = answer(citizen, "person", {**PERSON, "last_name": "Musterfrau"}, **{"return": "check"})
    assert changed["Location"] == f"/{SLUG}/check/"
    assert "Musterfrau" in citizen.get(f"/{SLUG}/check/").content.decode()


def test_change_that_adds_a_step_goes_there_then_back_to_check(citizen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON)
    answer(citizen, "nachweise", NOTE)
    response = answer(citizen, "person", PERSON_PETS, **{"return": "check"})
    assert response["Location"] == f"/{SLUG}/tiere/"
    answer(citizen, "tiere", PETS)
    # the newly needed document (Tierpass) is asked for on the documents page
    assert citizen.get(f"/{SLUG}/check/")["Location"] == f"/{SLUG}/nachweise/"


def test_repeating_group_add_and_remove_without_javascript(citizen: Any, giessen: Any) -> None:
    start(citizen)
    answer(citizen, "person", PERSON_PETS)
    page = citizen.get(f"/{SLUG}/tiere/").content.decode()
    assert 'name="tiere-TOTAL_FORMS" value="1"' in page.replace('type="hidden" ', "")
    from tests.wizard.walk import post_step, step_post_data

    data = step_post_data(SLUG, "tiere", page, [{"name": "Bello", "born": "2020-01-02"}])
    data["action"] = "add"
    added = post_step(citizen, f"/{SLUG}/tiere/", data).content.decode()
    assert 'value="Bello"' in added and "Tier 2" in added
    data = step_post_data(
        SLUG, "tiere", added, [{"name": "Bello", "born": "2020-01-02"}, {"name": "Minka", "born": "2021-01-01"}]
    )
    data["action"] = "remove-0"
    removed = post_step(citizen, f"/{SLUG}/tiere/", data).content.decode()
    assert 'value="Minka"' in removed and 'value="Bello"' not in removed
    data = step_post_data(SLUG, "tiere", removed, [{"name": "Minka", "born": "2021-01-01"}])
    assert citizen.post(f"/{SLUG}/tiere/", data).status_code == 302
    with scope(city=giessen):
        assert Draft.objects.get().answers["tiere"] == [{"name": "Minka", "born": "2021-01-01"}]
