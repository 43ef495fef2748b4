"""Decision letters: the city administrator writes a template per city service
(checked in the sandbox before it is saved, previewed as PDF, versioned); a
decision issues the letter, the letter step renders it as PDF/UA on the city's
letterhead with the case's answers, attaches it to the case and emails it to
the citizen through a retried step; every letter is in the audit log; nothing of
another city is reachable."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from forms_engine.backoffice import letters
from forms_engine.backoffice.models import AuditEvent, DecisionLetter, LetterTemplate
from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.citizen_mail import send_citizen_emails
from tests.conftest import host_client, sign_in

from .conftest import GIESSEN_HOST, SERVICE, make_submission, reload

S = Submission.Status
BODY = (
    "Sehr geehrte Damen und Herren,\n\n"
    "Ihr Antrag {{ reference }} vom {{ submitted_at }} wird {{ decision }}.\n\n"
    "{% if antragsteller_vorname %}Antragsteller: {{ antragsteller_vorname }} "
    "{{ antragsteller_nachname }}{% endif %}\n\n"
    "Mit freundlichen Grüßen\n{{ office_name }}, {{ city_name }}"
)


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _city_service(city: City, slug: str = SERVICE) -> CityService:
    with scope(city=city):
        return CityService.objects.get(city=city, service_slug=slug)


def make_template(city: City, decision: str = "approved", slug: str = SERVICE) -> LetterTemplate:
    with scope(city=city):
        template = LetterTemplate.objects.create(
            city=city,
            city_service=_city_service(city, slug),
            name=f"Bescheid {decision}",
            decision=decision,
            subject="Bescheid zu Ihrem Antrag {{ reference }}",
            body=BODY,
        )
        letters.save_version(template, None)
    return template


def _admin(user: StaffUser) -> Client:
    client = host_client(GIESSEN_HOST)
    sign_in(client, user.username)
    return client


def _form(cs: CityService, **fields: str) -> dict[str, str]:
    data = {
        "city_service": str(cs.pk),
        "name": "Bewilligung",
        "decision": "approved",
        "subject": "Bescheid zu {{ reference }}",
        "body": BODY,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_city_admin_writes_a_template_and_each_change_is_a_version(
    giessen: City, services: None, giessen_admin: StaffUser
) -> None:
    client = _admin(giessen_admin)
    cs = _city_service(giessen)
    page = client.get("/admin/backoffice/lettertemplate/add/").content.decode()
    assert "Vorschau als PDF" in page
    assert client.post("/admin/backoffice/lettertemplate/add/", _form(cs)).status_code == 302
    with scope(city=giessen):
        template = LetterTemplate.objects.get()
        assert template.version == 1
    change = f"/admin/backoffice/lettertemplate/{template.pk}/change/"
    page = client.get(change).content.decode()
    assert "{{ antragsteller_vorname }}" in page  # the service's answers are listed as placeholders
    client.post(change, _form(cs, body=BODY + "\n\nNeu."))
    client.post(change, _form(cs, body=BODY + "\n\nNeu."))  # unchanged: no new version
    with scope(city=giessen):
        template.refresh_from_db()
        assert template.version == 2
        assert [v.number for v in template.versions.all()] == [2, 1]
        assert template.versions.get(number=1).body == BODY


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ submission.__class__ }}", "Erlaubt sind nur Platzhalter"),
        ("{{ ''.__class__.__mro__ }}", "Erlaubt sind nur Platzhalter"),
        ("{% for x in reference %}{{ x }}{% endfor %}", "Erlaubt sind nur Platzhalter"),
        ("{{ reference|attr('upper') }}", "Erlaubt sind nur Platzhalter"),
        ("{{ geheim }}", "Unbekannter Platzhalter: geheim"),
        ("{% if reference %}", "Zeile 1"),
    ],
)
def test_a_template_that_tries_more_fails_to_save_with_a_german_message(
    giessen: City, services: None, giessen_admin: StaffUser, body: str, message: str
) -> None:
    client = _admin(giessen_admin)
    response = client.post("/admin/backoffice/lettertemplate/add/", _form(_city_service(giessen), body=body))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    with scope(city=giessen):
        assert not LetterTemplate.objects.exists()


def test_the_preview_is_a_pdf_on_the_letterhead_and_saves_nothing(
    giessen: City, services: None, giessen_admin: StaffUser
) -> None:
    client = _admin(giessen_admin)
    response = client.post("/admin/backoffice/lettertemplate/preview/", _form(_city_service(giessen)))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Universitätsstadt Gießen" in text and "GI-BPA-2026-000001" in text
    with scope(city=giessen):
        assert not LetterTemplate.objects.exists()
    refused = client.post("/admin/backoffice/lettertemplate/preview/", _form(_city_service(giessen), body="{{ x.y }}"))
    assert (
        refused["Content-Type"].startswith("text/html") and "Erlaubt sind nur Platzhalter" in refused.content.decode()
    )


def _run_letter_steps() -> list[str]:
    from forms_engine.backoffice import notice_tasks

    with scopes_disabled():
        steps = list(ProcessingStep.objects.filter(kind=ProcessingStep.Kind.LETTER, state=ProcessingStep.State.PENDING))
    return [str(notice_tasks.letter.apply(args=(s.city_id, str(s.pk))).get()) for s in steps]


def _pdf_text(pdf: bytes) -> tuple[Any, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_a_decision_issues_the_letter_as_pdf_ua_attached_and_emailed(
    carla_client: Client, giessen: City, services: None, django_capture_on_commit_callbacks: Any
) -> None:
    template = make_template(giessen)
    case = make_submission(giessen, status=S.IN_PROGRESS)
    page = carla_client.get(f"/backoffice/{case.pk}/").content.decode()
    assert "Bescheid approved" in page  # offered on the status form
    with django_capture_on_commit_callbacks(execute=False):
        carla_client.post(
            f"/backoffice/{case.pk}/status/", {"to_status": S.APPROVED, "letter_template": str(template.pk)}
        )
    assert reload(case).status == S.APPROVED
    assert _run_letter_steps() == ["done"]
    assert _run_letter_steps() == []  # done once
    with scope(city=giessen):
        letter = DecisionLetter.objects.select_related("attachment").get(submission=case)
        assert letter.template_version is not None and letter.template_version.number == 1
        pdf = letter.attachment.read()  # type: ignore[union-attr]
        assert letter.attachment.submission_id == case.pk  # type: ignore[union-attr]
        assert AuditEvent.objects.filter(action=AuditEvent.Action.LETTER, submission_id=case.pk).count() == 1
    reader, text = _pdf_text(pdf)
    flat = " ".join(text.split())
    for expected in [
        "Universitätsstadt Gießen",
        "Fachdienst",
        case.reference,
        "bewilligt",
        "Erika Mustermann",
        "Vorname",
    ]:
        assert expected in flat, expected
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"] and root["/Lang"] == "de"

    assert send_citizen_emails() == ["done"]
    message = mail.outbox[-1]
    assert message.to == ["erika@example.org"]
    assert message.subject == f"Bescheid zu Ihrem Antrag {case.reference}"
    name, content, content_type = message.attachments[0]
    assert (name, content, content_type) == (f"Bescheid-{case.reference}.pdf", pdf, "application/pdf")
    # The letter is a document of the case in the back office.
    page = carla_client.get(f"/backoffice/{case.pk}/").content.decode()
    assert f"/files/{letter.attachment_id}/" in page


def test_under_four_eyes_the_letter_comes_with_the_confirmation(
    carla_client: Client, tom_client: Client, giessen: City, services: None
) -> None:
    from tests.conftest import enable_service

    enable_service(giessen, SERVICE, four_eyes=True)
    template = make_template(giessen, "rejected")
    case = make_submission(giessen, status=S.IN_PROGRESS)
    carla_client.post(f"/backoffice/{case.pk}/status/", {"to_status": S.REJECTED, "letter_template": str(template.pk)})
    with scope(city=giessen):
        assert not DecisionLetter.objects.exists()
        decision = case.decisions.get()
    tom_client.post(f"/backoffice/{case.pk}/decisions/{decision.pk}/confirm/")
    assert reload(case).status == S.REJECTED
    with scope(city=giessen):
        letter = DecisionLetter.objects.get(submission=case)
        assert letter.decision == "rejected" and "abgelehnt" in letter.body


def test_a_letter_for_the_other_decision_or_of_another_city_is_refused(
    carla_client: Client, giessen: City, marburg: City, services: None
) -> None:
    rejection = make_template(giessen, "rejected")
    foreign = make_template(marburg)
    case = make_submission(giessen, status=S.IN_PROGRESS)
    for template in (rejection, foreign):
        response = carla_client.post(
            f"/backoffice/{case.pk}/status/",
            {"to_status": S.APPROVED, "letter_template": str(template.pk)},
            follow=True,
        )
        assert response.status_code == 200
        assert reload(case).status == S.IN_PROGRESS
    with scope(city=giessen):
        assert not DecisionLetter.objects.exists()
    with scopes_disabled(), pytest.raises(ValueError):
        letters.letter_issue(submission=case, template=foreign, by=None)


def test_case_values_are_plain_strings_of_the_case_only(giessen: City, services: None) -> None:
    case = make_submission(giessen, status=S.IN_PROGRESS)
    with scope(city=giessen):
        values = letters.case_values(case, "approved")
    assert all(isinstance(k, str) and type(v) is str for k, v in values.items())
    assert values["antragsteller_vorname"] == "Erika" and values["city_name"] == "Universitätsstadt Gießen"
    assert set(values) == set(letters.placeholders(registry.get(SERVICE)))
