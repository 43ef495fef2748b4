"""Texts name the city by its official name with the article it takes:
"an die Universitätsstadt Gießen", not "an Universitätsstadt Gießen", and a
bare place name without one ("an Fulda"). Upload errors list the types the
German way: "keine PDF-, JPG- oder PNG-Datei"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django_scopes import scopes_disabled

from forms_engine.lib.files import JPEG, PDF, PNG, SVG
from forms_engine.lib.uploads import COAT_OF_ARMS, DOCUMENTS, UploadRefused, check_upload, type_names
from forms_engine.submissions import tasks
from tests.submissions.helpers import steps, submit


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("article", "german", "english"),
    [
        ("die", "an die Universitätsstadt Gießen", "to Universitätsstadt Gießen"),
        ("der", "an den Universitätsstadt Gießen", "to Universitätsstadt Gießen"),
        ("", "an Universitätsstadt Gießen", "to Universitätsstadt Gießen"),
    ],
)
def test_the_city_as_addressee_takes_its_article(giessen: Any, article: str, german: str, english: str) -> None:
    giessen.article = article
    with translation.override("de"):
        assert giessen.name_to() == german
    with translation.override("en"):
        assert giessen.name_to() == english


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_confirmation_is_addressed_to_the_city_with_its_article(giessen: Any, settings: Any, language: str) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    submission = submit(giessen, language=language)
    planned = steps(submission)
    tasks.render_pdf.apply(args=(giessen.pk, str(planned["pdf"].pk))).get()
    tasks.confirm.apply(args=(giessen.pk, str(planned["confirmation"].pk))).get()
    body = mail.outbox[0].body
    if language == "de":
        assert "“ an die Universitätsstadt Gießen. Er ist bei uns eingegangen." in body
    else:
        assert '" to Universitätsstadt Gießen. We have received it.' in body
    assert "an Universitätsstadt" not in body


@pytest.mark.django_db
def test_a_bare_place_name_takes_no_article(giessen: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scopes_disabled():
        giessen.name, giessen.article = "Fulda", ""
        giessen.save()
    submission = submit(giessen, language="de")
    planned = steps(submission)
    tasks.render_pdf.apply(args=(giessen.pk, str(planned["pdf"].pk))).get()
    tasks.confirm.apply(args=(giessen.pk, str(planned["confirmation"].pk))).get()
    assert "“ an Fulda. Er ist bei uns eingegangen." in mail.outbox[0].body


@pytest.mark.parametrize(
    ("types", "german", "english"),
    [
        ((PDF, JPEG, PNG), "PDF-, JPG- oder PNG", "PDF, JPG or PNG"),
        ((PNG, SVG), "PNG- oder SVG", "PNG or SVG"),
        ((PDF,), "PDF", "PDF"),
    ],
)
def test_file_types_are_listed_with_hyphens_and_or(types: tuple[str, ...], german: str, english: str) -> None:
    with translation.override("de"):
        assert type_names(types) == german
    with translation.override("en"):
        assert type_names(types) == english


@pytest.mark.parametrize(
    ("policy", "german"),
    [(DOCUMENTS, "keine PDF-, JPG- oder PNG-Datei"), (COAT_OF_ARMS, "keine PNG- oder SVG-Datei")],
)
def test_wrong_type_message_reads_the_german_way(policy: Any, german: str) -> None:
    with translation.override("de"), pytest.raises(UploadRefused) as refused:
        check_upload(b"MZ\x90\0 a windows program", policy)
    assert german in str(refused.value)
