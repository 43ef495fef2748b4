"""Privacy of the confirmation email (issue 21, part 2): Unterhaltsvorschuss
sends no PDF but a link to download it on the city's host, which works only
with the code shown after submitting, for a limited time, for a limited number
of wrong codes, and only on that city's host."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from forms_engine.catalog.models import CityService
from forms_engine.submissions import tasks
from forms_engine.submissions.models import ReceiptLink, Submission
from forms_engine.submissions.receipt_links import receipt_code
from tests.conftest import enable_service, host_client
from tests.submissions.helpers import steps, submit

LINK = re.compile(r"https?://giessen\.localhost(/quittung/([\w-]+)/)")


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RECEIPT_LINK_MAX_FAILURES = 3


def run(task: Any, step: Any) -> Any:
    return task.apply(args=(step.city_id, str(step.pk))).get()


def confirm(submission: Submission) -> Any:
    planned = steps(submission)
    run(tasks.render_pdf, planned["pdf"])
    assert run(tasks.confirm, planned["confirmation"]) == "done"
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def emailed_link(giessen: Any, language: str = "de") -> tuple[Submission, str, str]:
    submission = submit(giessen, language=language)
    message = confirm(submission)
    match = LINK.search(message.body)
    assert match, message.body
    return submission, match.group(1), match.group(2)


@pytest.mark.django_db
def test_the_uvg_confirmation_carries_no_pdf_but_a_link_and_not_the_code(giessen: Any) -> None:
    submission = submit(giessen, language="de")
    message = confirm(submission)
    assert message.attachments == []
    assert "als PDF angehängt" not in message.body
    assert "Zum Schutz Ihrer Daten" in message.body and "Download-Code" in message.body
    assert LINK.search(message.body)
    assert receipt_code(submission) not in message.body  # the second secret travels another way
    with scope(city=giessen):
        link = ReceiptLink.objects.get(submission=submission)
        assert link.token_hash not in message.body  # only the hash is kept, not the token
        days = (link.expires_at - timezone.now()).days
    assert 6 <= days <= 7  # RECEIPT_LINK_DAYS


@pytest.mark.django_db
def test_the_link_with_the_code_downloads_the_pdf(giessen: Any) -> None:
    submission, path, _token = emailed_link(giessen)
    client = host_client("giessen.localhost")
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Antrag herunterladen" in html and submission.reference in html and "%PDF" not in html
    code = receipt_code(submission)
    typed = code.lower().replace("-", " ")  # as a phone keyboard gives it
    response = client.post(path, {"code": typed})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{submission.reference}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert client.post(path, {"code": code}).content.startswith(b"%PDF")  # until it expires, not only once


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_german_and_too_many_lock_the_link(giessen: Any) -> None:
    submission, path, _token = emailed_link(giessen)
    client = host_client("giessen.localhost")
    code = receipt_code(submission)
    wrong = client.post(path, {"code": "AAAA-BBBB"}, REMOTE_ADDR="203.0.113.9")
    assert wrong.status_code == 400 and wrong["Content-Type"].startswith("text/html")
    html = wrong.content.decode()
    assert "Dieser Code stimmt nicht" in html and 'id="error-summary"' in html
    empty = client.post(path, {"code": ""}, REMOTE_ADDR="203.0.113.9")
    assert empty.status_code == 400 and "Geben Sie den Download-Code ein" in empty.content.decode()
    client.post(path, {"code": "AAAA-CCCC"}, REMOTE_ADDR="203.0.113.9")
    locked = client.post(path, {"code": "AAAA-DDDD"}, REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 410 and "gesperrt" in locked.content.decode()
    # Locked for good: the right code no longer opens it, from any client.
    again = host_client("giessen.localhost").post(path, {"code": code}, REMOTE_ADDR="198.51.100.3")
    assert again.status_code == 410 and b"%PDF" not in again.content


@pytest.mark.django_db
def test_an_expired_link_is_refused_with_a_clear_german_page(giessen: Any) -> None:
    submission, path, _token = emailed_link(giessen)
    with scope(city=giessen):
        ReceiptLink.objects.filter(submission=submission).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = host_client("giessen.localhost")
    for response in (client.get(path), client.post(path, {"code": receipt_code(submission)})):
        assert response.status_code == 410
        html = response.content.decode()
        assert "Dieser Download-Link ist abgelaufen" in html and "Vorgangsnummer" in html
        assert b"%PDF" not in response.content


@pytest.mark.django_db
def test_another_citys_host_and_unknown_links_refuse(giessen: Any, marburg: Any) -> None:
    submission, path, _token = emailed_link(giessen)
    code = receipt_code(submission)
    for response in (
        host_client("marburg.localhost").get(path),
        host_client("marburg.localhost").post(path, {"code": code}),
        host_client("giessen.localhost").post("/quittung/" + "A" * 43 + "/", {"code": code}),
    ):
        assert response.status_code == 404
        assert "Dieser Link funktioniert nicht" in response.content.decode()
        assert b"%PDF" not in response.content


@pytest.mark.django_db
def test_the_city_may_choose_none_but_not_the_pdf_for_uvg(giessen: Any) -> None:
    city_service = enable_service(giessen, "unterhaltsvorschuss")
    with scope(city=giessen):
        city_service.confirmation_attachment = "pdf"
        with pytest.raises(ValidationError) as refused:
            city_service.full_clean()
        assert "confirmation_attachment" in refused.value.message_dict
    enable_service(giessen, "unterhaltsvorschuss", confirmation_attachment="none")
    submission = submit(giessen)
    message = confirm(submission)
    assert message.attachments == [] and not LINK.search(message.body)
    assert "keine Kopie Ihres Antrags" in message.body
    with scope(city=giessen):
        assert not ReceiptLink.objects.exists()
        assert CityService.objects.get(city=giessen, service_slug="unterhaltsvorschuss").confirmation_mode() == "none"


@pytest.mark.django_db
def test_a_city_may_switch_a_pdf_service_to_the_link(giessen: Any) -> None:
    enable_service(giessen, "fundsache", confirmation_attachment="link")
    submission = submit(giessen, service_slug="fundsache", language="en")
    message = confirm(submission)
    assert message.attachments == [] and LINK.search(message.body)
    assert "download code you were shown after submitting" in message.body
