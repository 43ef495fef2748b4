"""Login per service: optional offers both ways, required is enforced on every
page and at submit, a too-low trust level is refused; prefill is marked and a
locked field keeps the account's value whatever is posted; the submission
carries the proven identity, and the citizen's drafts follow them."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.delivery.payload import submission_payload
from forms_engine.documents.render import render_html
from forms_engine.identity.access import SESSION_IDENTITY
from forms_engine.identity.models import BundIdSettings, DraftOwner, SubmissionIdentity
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.wizard.models import Draft
from tests.backoffice.conftest import assign_service, signed_in
from tests.conftest import host_client, make_staff
from tests.wizard.walk import hidden, walk

from .conftest import login
from .idp import IDENTITIES, BundIdStandIn

PARKING = "bewohnerparkausweis"
UVG = "unterhaltsvorschuss"


def _parking_answers() -> dict[str, Any]:
    service = registry.get(PARKING)
    assert service is not None
    return {k: dict(v) for k, v in service.sample_answers["own_car_one_year"].items()}


def test_optional_login_offers_both_ways(citizen: Client, bundid: BundIdStandIn) -> None:
    html = citizen.get(f"/{PARKING}/").content.decode()
    assert "Mit BundID anmelden" in html and "Ohne Anmeldung fortfahren" in html
    walk(citizen, PARKING, _parking_answers())  # without logging in, as before


def test_no_login_offered_when_the_city_has_bundid_off(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    with scope(city=giessen):
        BundIdSettings.objects.update(enabled=False)
    html = citizen.get(f"/{PARKING}/").content.decode()
    assert "BundID" not in html and "Jetzt starten" in html


@pytest.fixture
def uvg_required(bundid: BundIdStandIn, giessen: Any) -> BundIdStandIn:
    with scope(city=giessen):
        BundIdSettings.objects.update(required_services=UVG)
    return bundid


def test_required_login_is_enforced_on_every_page(citizen: Client, uvg_required: BundIdStandIn) -> None:
    html = citizen.get(f"/{UVG}/").content.decode()
    assert "Anmeldung mit BundID erforderlich" in html and 'value="start"' not in html
    refused = citizen.post(f"/{UVG}/", {"action": "start"})
    assert refused.status_code == 302 and refused["Location"] == f"/{UVG}/"
    for path in ("datenschutz/", "antragsteller/", "check/", "save/"):
        answer = citizen.get(f"/{UVG}/{path}")
        assert answer.status_code == 302 and answer["Location"] == f"/{UVG}/", path
    login(citizen, uvg_required, "erika", UVG)
    assert citizen.post(f"/{UVG}/", {"action": "start"})["Location"] == f"/{UVG}/datenschutz/"


def test_required_login_is_checked_again_after_logout(citizen: Client, uvg_required: BundIdStandIn) -> None:
    login(citizen, uvg_required, "erika", UVG)
    citizen.post(f"/{UVG}/", {"action": "start"})
    assert citizen.get(f"/{UVG}/datenschutz/").status_code == 200
    citizen.post("/bundid/abmelden/")
    assert SESSION_IDENTITY not in citizen.session
    assert citizen.get(f"/{UVG}/datenschutz/")["Location"] == f"/{UVG}/"
    assert citizen.post(f"/{UVG}/check/", {"draft": "x", "revision": "0"})["Location"] == f"/{UVG}/"


def test_too_low_a_trust_level_is_refused(citizen: Client, bundid: BundIdStandIn) -> None:
    page = login(citizen, bundid, "max", UVG)  # user name and password: level 1, UVG asks for 3
    assert page.status_code == 403
    html = page.content.decode()
    assert "erreicht das verlangte Vertrauensniveau nicht" in html and "„substanziell“" in html
    assert SESSION_IDENTITY not in citizen.session


def test_locked_prefill_keeps_the_account_value(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    login(citizen, bundid, "erika", PARKING)
    result = walk(citizen, PARKING, _parking_answers(), submit=False)  # posts "Schneider" as surname
    check = result["check_html"]
    assert "Mustermann" in check and "Schneider" not in check
    assert "aus Ihrem BundID-Konto – hier nicht änderbar" in check
    assert "Marktplatz 3" in check  # a changeable field keeps what the citizen typed
    step = citizen.get(f"/{PARKING}/applicant/").content.decode()
    assert re.search(r'name="last_name"[^>]*disabled', step) or re.search(r'disabled[^>]*name="last_name"', step)
    assert "aus Ihrem BundID-Konto" in step


def test_submission_carries_the_proven_identity(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    login(citizen, bundid, "erika", PARKING)
    result = walk(citizen, PARKING, _parking_answers())
    with scope(city=giessen):
        submission = Submission.objects.get(service_slug=PARKING)
        proof = SubmissionIdentity.objects.get(submission=submission)
        assert (proof.provider, proof.level, proof.stork_level) == ("BundID", "high", 4)
        assert proof.attributes["family_name"] == "Mustermann"
        assert submission.data["applicant"]["last_name"] == "Mustermann"
        payload = submission_payload(submission)
        pdf_html = render_html(submission)
        assert payload["identity"]["provider"] == "BundID" and payload["identity"]["trustLevel"] == "high"
    assert "Mustermann" not in str(payload["identity"])
    caseworker = make_staff("paula-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(caseworker, PARKING)
    detail = signed_in(caseworker, "giessen.localhost").get(f"/backoffice/{submission.pk}/").content.decode()
    assert "Nachgewiesene Identität" in detail and "Identität nachgewiesen über" in detail
    assert "hoch (STORK-QAA-Level-4)" in detail
    assert "Identität nachgewiesen über BundID, Vertrauensniveau hoch" in pdf_html
    assert result["done_url"]


def test_draft_continues_in_a_second_browser(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    login(citizen, bundid, "erika", PARKING)
    citizen.post(f"/{PARKING}/", {"action": "start"})
    page = citizen.get(f"/{PARKING}/applicant/").content.decode()
    answers = _parking_answers()["applicant"]
    citizen.post(
        f"/{PARKING}/applicant/",
        {**answers, "draft": hidden(page, "draft"), "step": "applicant", "revision": hidden(page, "revision")},
    )
    with scope(city=giessen):
        draft = Draft.objects.get(service_slug=PARKING)
        owner = DraftOwner.objects.get(draft=draft)
        assert len(owner.owner) == 64 and IDENTITIES["erika"]["attributes"]["bPK2"] not in owner.owner
    other = host_client("giessen.localhost")
    assert 'value="continue"' not in other.get(f"/{PARKING}/").content.decode()
    login(other, bundid, "erika", PARKING)
    start = other.get(f"/{PARKING}/").content.decode()
    assert 'value="continue"' in start
    assert other.post(f"/{PARKING}/", {"action": "continue"})["Location"] == f"/{PARKING}/residence/"
    mine = other.get("/meine-antraege/").content.decode()
    assert "Meine Anträge" in mine and "Bewohnerparkausweis" in mine
    # Somebody else's login sees nothing of it.
    stranger = host_client("giessen.localhost")
    login(stranger, bundid, "max", PARKING)
    assert 'value="continue"' not in stranger.get(f"/{PARKING}/").content.decode()
    assert "Bewohnerparkausweis" not in stranger.get("/meine-antraege/").content.decode().split("Noch nicht")[1]


def test_logout_forgets_the_citizens_drafts_in_this_browser(citizen: Client, bundid: BundIdStandIn) -> None:
    login(citizen, bundid, "erika", PARKING)
    citizen.post(f"/{PARKING}/", {"action": "start"})
    answer = citizen.post("/bundid/abmelden/")
    assert answer.status_code == 200  # goes on to BundID's single logout
    assert 'value="continue"' not in citizen.get(f"/{PARKING}/").content.decode()
    assert "Sie sind abgemeldet" in citizen.get("/bundid/abmelden/").content.decode()


def test_no_attribute_value_in_any_log_line(
    citizen: Client, bundid: BundIdStandIn, caplog: Any, capfd: Any, giessen: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    login(citizen, bundid, "erika", PARKING)
    walk(citizen, PARKING, _parking_answers())
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records) + "".join(capfd.readouterr())
    assert caplog.records  # the requests were logged
    for value in IDENTITIES["erika"]["attributes"].values():
        assert value not in logged, value


def test_a_name_typed_before_the_login_is_checked_at_submit(
    citizen: Client, bundid: BundIdStandIn, giessen: Any
) -> None:
    """Answered without login, then logged in: the locked answer must be the
    account's, so the page opens again (with the account's value) instead of submitting."""
    result = walk(citizen, PARKING, _parking_answers(), submit=False)  # "Schneider", not logged in
    login(citizen, bundid, "erika", PARKING)
    check = result["check_html"]
    answer = citizen.post(
        f"/{PARKING}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}
    )
    assert answer.status_code == 302 and answer["Location"] == f"/{PARKING}/applicant/"
    with scope(city=giessen):
        assert not Submission.objects.exists()
    assert 'value="Mustermann"' in citizen.get(f"/{PARKING}/applicant/").content.decode()


def test_retention_keeps_the_proof_not_the_person(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    from django.utils import timezone

    from forms_engine.identity.models import LoginAttempt, SeenAssertion
    from forms_engine.submissions.retention import tombstone
    from forms_engine.submissions.tasks import run_retention

    login(citizen, bundid, "erika", PARKING)
    walk(citizen, PARKING, _parking_answers())
    with scope(city=giessen):
        submission = Submission.objects.get()
        tombstone(submission, timezone.now())
        proof = SubmissionIdentity.objects.get(submission=submission)
        assert (proof.level, proof.attributes, proof.owner) == ("high", {}, "")
        SeenAssertion.objects.update(seen_at=timezone.now() - SeenAssertion.KEEP * 2)
        LoginAttempt.objects.create(
            city=giessen, request_id="_old", next_url="/", created_at=timezone.now() - LoginAttempt.LIFETIME * 2
        )
    run_retention()
    with scope(city=giessen):
        assert not SeenAssertion.objects.exists() and not LoginAttempt.objects.exists()
    assert "Bewohnerparkausweis" not in citizen.get("/meine-antraege/").content.decode().split("Abgeschickt")[-1]
