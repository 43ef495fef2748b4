"""Server-side validation: error summary linking to fields, "Fehler:" title, English too."""

from __future__ import annotations

import re
from typing import Any

from django_scopes import scope

from forms_engine.wizard.models import Draft
from tests.wizard.conftest import PERSON, SLUG, answer, start


def test_invalid_step_shows_summary_linking_to_each_field(citizen: Any, giessen: Any) -> None:
    start(citizen)
    response = answer(citizen, "person", {**PERSON, "last_name": "", "email": "kein-at-zeichen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>Fehler: Person", html)
    assert 'id="error-summary"' in html and 'tabindex="-1"' in html
    assert 'href="#id_last_name"' in html and 'href="#id_email"' in html
    # errors are tied to their inputs
    assert re.search(r'id="id_last_name"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_last_name"', html)
    assert 'aria-describedby="id_last_name_error"' in html
    assert 'value="kein-at-zeichen"' in html  # what was typed is kept
    with scope(city=giessen):
        assert Draft.objects.get().answers == {}  # nothing stored from an invalid page


def test_radio_group_error_links_to_first_option_and_has_legend(citizen: Any) -> None:
    start(citizen)
    data = {k: v for k, v in PERSON.items() if k != "has_pets"}
    html = answer(citizen, "person", data).content.decode()
    assert 'href="#id_has_pets_0"' in html
    assert re.search(r"<fieldset[^>]*>\s*<legend", html)


def test_errors_in_english(citizen: Any) -> None:
    citizen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    start(citizen)
    html = answer(citizen, "person", {**PERSON, "last_name": ""}).content.decode()
    assert "<title>Error: Person" in html
    assert "Enter “Nachname”." in html  # the field's own message, in English
    assert "Step 1 of 3" in html


def test_personal_fields_carry_autocomplete_tokens(citizen: Any) -> None:
    start(citizen)
    html = citizen.get(f"/{SLUG}/person/").content.decode()
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html


def test_required_errors_name_their_field_and_the_summary_doubles_no_punctuation(citizen: Any) -> None:
    start(citizen)
    html = answer(citizen, "person", {"first_name": "", "last_name": "", "email": ""}).content.decode()
    assert "zwingend erforderlich" not in html
    assert "Geben Sie „Vorname“ an." in html and "Geben Sie „Nachname“ an." in html
    assert "Wählen Sie eine Antwort bei „Haustiere“." in html  # the label's "?" is not doubled
    summary = html[html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))]
    assert "Nachname: Geben Sie" not in summary  # the message names the field already
    assert not re.search(r"[.?!]: ", summary)
