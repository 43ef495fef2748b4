"""Texts per city: a city administrator writes the confirmation email, the
start page notes and the back office's emails in German and English, with the
placeholders listed and a preview; without a text of the city the service's
default is used. City texts are rendered in Jinja2's sandbox over plain values."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core import mail
from django_scopes import scope

from forms_engine.backoffice.models import StatusChange
from forms_engine.catalog import texts
from forms_engine.catalog.models import CityService, CityText
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import tasks
from tests.citizen_mail import send_citizen_emails
from tests.conftest import enable_service, host_client, sign_in
from tests.submissions.helpers import SERVICE, steps, submit

OWN_CONFIRMATION = (
    "Liebe Antragstellerin, lieber Antragsteller,\n\n"
    "Ihr Antrag {{ reference }} auf {{ service_title }} liegt bei {{ office_name }}.\n"
    "{% if office_phone %}Rückfragen: {{ office_phone }}{% endif %}\n\n{{ city_name }}"
)


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _post_text(client: Any, cs: CityService, **fields: str) -> Any:
    data = {"city_service": str(cs.pk), "kind": "confirmation", "language": "de", "subject": "", "body": ""}
    data.update(fields)
    return client.post("/admin/catalog/citytext/add/", data)


def _confirmation(giessen: Any, language: str) -> Any:
    submission = submit(giessen, language=language)
    planned = steps(submission)
    tasks.render_pdf.apply(args=(giessen.pk, str(planned["pdf"].pk)))
    tasks.confirm.apply(args=(giessen.pk, str(planned["confirmation"].pk)))
    return submission, mail.outbox[-1]


def test_a_city_admin_writes_the_confirmation_email(giessen: Any, giessen_admin: StaffUser) -> None:
    cs = enable_service(giessen, SERVICE, office_name="Jugendamt Gießen", office_phone="0641 306-0")
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)

    service_page = client.get(f"/admin/catalog/cityservice/{cs.pk}/change/").content.decode()
    assert "Texte für Bürgerinnen und Bürger" in service_page and "Eigenen Text schreiben" in service_page
    add = client.get(f"/admin/catalog/citytext/add/?city_service={cs.pk}&kind=confirmation&language=de")
    page = html.unescape(add.content.decode())
    assert "Wie es weitergeht" in page  # the default, in German, is where the city starts from
    assert "{{ office_phone }}" in page and "Telefonnummer des Amts" in page  # placeholders listed

    response = _post_text(client, cs, subject="Eingang {{ reference }}", body=OWN_CONFIRMATION)
    assert response.status_code == 302, response.content.decode()[:2000]

    submission, message = _confirmation(giessen, "de")
    assert message.subject == f"Eingang {submission.reference}"
    assert f"Ihr Antrag {submission.reference} auf Unterhaltsvorschuss beantragen liegt bei Jugendamt Gießen." in (
        message.body
    )
    assert "Rückfragen: 0641 306-0" in message.body

    # No English text of the city: an English-speaking citizen gets the default in English.
    _submission, english = _confirmation(giessen, "en")
    assert "has been received" in english.subject and "What happens next" in english.body


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("Hallo {{ vorname }}", "Unbekannter Platzhalter: vorname"),
        ("Hallo {{ reference ", "Zeile 1 ist nicht lesbar"),
        ("{{ reference.__class__ }}", "Erlaubt sind nur Platzhalter"),
        ("{% for c in reference %}{{ c }}{% endfor %}", "Erlaubt sind nur Platzhalter"),
        ("{{ city_name|center(100000000) }}", "Erlaubt sind nur Platzhalter"),
        ("{{ 'x' * 100000000 }}", "Erlaubt sind nur Platzhalter"),
        ("{{ range(10) }}", "Erlaubt sind nur Platzhalter"),
        ("{% set x = reference %}{{ x }}", "Erlaubt sind nur Platzhalter"),
    ],
)
def test_a_bad_text_is_a_german_form_error_and_nothing_is_saved(
    giessen: Any, giessen_admin: StaffUser, body: str, error: str
) -> None:
    cs = enable_service(giessen, SERVICE)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = _post_text(client, cs, subject="Eingang", body=body)
    assert response.status_code == 200
    assert error in html.unescape(response.content.decode())
    with scope(city=giessen):
        assert not CityText.objects.exists()


def test_the_preview_renders_sample_values_and_saves_nothing(giessen: Any, giessen_admin: StaffUser) -> None:
    cs = enable_service(giessen, SERVICE)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        "/admin/catalog/citytext/preview/",
        {
            "kind": "document_request",
            "subject": "Unterlagen zu {{ reference }}",
            "body": "Bitte: {{ message }} {{ link }}",
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Unterlagen zu GI-FUND-2026-000001" in page
    assert "Bitte senden Sie uns eine Kopie Ihres Personalausweises." in page
    bad = client.post(
        "/admin/catalog/citytext/preview/", {"kind": "document_request", "subject": "x", "body": "{{ iban }}"}
    )
    assert "Unbekannter Platzhalter: iban" in html.unescape(bad.content.decode())
    with scope(city=giessen):
        assert not CityText.objects.exists() and cs.pk


def test_start_page_notes_per_language(giessen: Any) -> None:
    cs = enable_service(giessen, SERVICE, office_name="Jugendamt Gießen")
    with scope(city=giessen):
        CityText.objects.create(
            city=giessen,
            city_service=cs,
            kind="start_notes",
            language="de",
            body="Bitte wenden Sie sich an {{ office_name }}.",
        )
        CityText.objects.create(
            city=giessen, city_service=cs, kind="start_notes", language="en", body="<b>Ask</b> {{ office_name }}."
        )
    citizen = host_client("giessen.localhost")
    assert "Bitte wenden Sie sich an Jugendamt Gießen." in citizen.get(f"/{SERVICE}/").content.decode()
    citizen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = citizen.get(f"/{SERVICE}/").content.decode()
    assert "&lt;b&gt;Ask&lt;/b&gt; Jugendamt Gießen." in english  # the city's text is text, never HTML


def test_decision_and_document_request_emails_use_the_citys_text(giessen: Any) -> None:
    from forms_engine.backoffice import actions

    cs = enable_service(giessen, SERVICE)
    with scope(city=giessen):
        CityText.objects.create(
            city=giessen, city_service=cs, kind="decision_approved", language="de",
            subject="Bewilligt: {{ reference }}", body="Gute Nachricht zu {{ service_title }}.",
        )  # fmt: skip
        submission = submit(giessen, language="de")
        approved = StatusChange(city=giessen, submission=submission, from_status="received", to_status="approved")
        approved.save()
        actions.plan_status_email(submission, approved)
    send_citizen_emails()  # as the worker does: the email is a processing step
    message = mail.outbox[-1]
    assert message.subject == f"Bewilligt: {submission.reference}"
    assert message.body.strip() == "Gute Nachricht zu Unterhaltsvorschuss beantragen."
    with scope(city=giessen):
        rejected = StatusChange(city=giessen, submission=submission, from_status="received", to_status="rejected")
        rejected.save()
        actions.plan_status_email(submission, rejected)  # no city text: the default
    send_citizen_emails()
    assert "abgelehnt" in mail.outbox[-1].body


def test_only_plain_strings_reach_the_template() -> None:
    class Leaky:
        secret = "geheim"

        def __str__(self) -> str:
            return "harmlos"

    rendered = texts.render_source("{{ city_name }}", "confirmation", {"city_name": Leaky(), "other": object()})
    assert rendered == "harmlos"  # the object itself never reaches the template
    assert texts.problems("confirmation", "{{ city_name.secret }}")
    assert texts.problems("confirmation", "{{ reference|upper }} {% if office_name %}x{% endif %}") == []
