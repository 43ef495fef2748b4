"""Four eyes: with CityService.four_eyes an approval or rejection is only a
proposal until a second caseworker of the city confirms it. Neither the one who
proposed it, nor a direct POST, nor a bulk change, nor a rule (no person) can
make it take effect alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from forms_engine.backoffice import actions, decisions
from forms_engine.backoffice.models import AuditEvent, Decision, StatusChange
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.conftest import enable_service, make_staff

from .conftest import GIESSEN_HOST, MARBURG_HOST, SERVICE, assign_service, make_submission, reload, signed_in

S = Submission.Status


@pytest.fixture
def four_eyes(giessen: City, services: None) -> None:
    enable_service(giessen, SERVICE, four_eyes=True)


@pytest.fixture
def case(giessen: City, four_eyes: None) -> Submission:
    return make_submission(giessen, status=S.IN_PROGRESS)


@pytest.fixture
def cora(giessen: City, services: None) -> StaffUser:
    user = make_staff("cora-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(user)
    return user


def _propose(client: Client, submission: Submission, to_status: str = S.APPROVED, **extra: str) -> Any:
    return client.post(f"/backoffice/{submission.pk}/status/", {"to_status": to_status, **extra})


def _pending(submission: Submission) -> Decision:
    with scope(city=submission.city):
        return Decision.objects.get(submission=submission, state=Decision.State.PENDING)


def _confirm(client: Client, decision: Decision) -> Any:
    return client.post(f"/backoffice/{decision.submission_id}/decisions/{decision.pk}/confirm/")


def _actions(submission: Submission) -> list[tuple[str, str]]:
    with scope(city=submission.city):
        events = AuditEvent.objects.filter(submission_id=submission.pk).exclude(action=AuditEvent.Action.VIEW)
        return [(e.action, e.username) for e in events.order_by("at", "id")]


def test_an_approval_is_a_proposal_until_a_second_caseworker_confirms(
    carla_client: Client, carla: StaffUser, cora: StaffUser, case: Submission, django_capture_on_commit_callbacks: Any
) -> None:
    assert _propose(carla_client, case, note="alles da", notify_citizen="on").status_code == 302
    assert reload(case).status == S.IN_PROGRESS
    decision = _pending(case)
    assert decision.proposed_by_id == carla.pk and decision.to_status == S.APPROVED
    with scope(city=case.city):
        assert not StatusChange.objects.filter(submission=case).exists()
        assert not ProcessingStep.objects.filter(submission=case, kind=ProcessingStep.Kind.CITIZEN_EMAIL).exists()

    page = carla_client.get(f"/backoffice/{case.pk}/").content.decode()
    assert "Entscheidung wartet auf Bestätigung" in page
    assert f"/decisions/{decision.pk}/confirm/" not in page  # the proposer gets no confirm button

    cora_client = signed_in(cora, GIESSEN_HOST)
    page = cora_client.get(f"/backoffice/{case.pk}/").content.decode()
    assert f"/decisions/{decision.pk}/confirm/" in page
    with django_capture_on_commit_callbacks(execute=False):
        assert _confirm(cora_client, decision).status_code == 302
    after = reload(case)
    assert after.status == S.APPROVED and after.decided_at is not None
    with scope(city=case.city):
        change = StatusChange.objects.get(submission=case)
        assert (change.by_id, change.to_status, change.note) == (cora.pk, S.APPROVED, "alles da")
        assert Decision.objects.get(pk=decision.pk).state == Decision.State.CONFIRMED
        assert ProcessingStep.objects.filter(submission=case, kind=ProcessingStep.Kind.CITIZEN_EMAIL).count() == 1
    assert _actions(case) == [
        (AuditEvent.Action.PROPOSE_DECISION, carla.username),
        (AuditEvent.Action.CONFIRM_DECISION, cora.username),
    ]
    assert "bestätigte Entscheidung: bewilligt" in cora_client.get(f"/backoffice/{case.pk}/").content.decode()


def test_the_proposer_cannot_confirm_their_own_decision(carla_client: Client, case: Submission) -> None:
    _propose(carla_client, case, S.REJECTED)
    decision = _pending(case)
    response = _confirm(carla_client, decision)
    assert response.status_code == 302
    assert reload(case).status == S.IN_PROGRESS
    assert _pending(case).pk == decision.pk
    assert AuditEvent.Action.CONFIRM_DECISION not in [a for a, _user in _actions(case)]


def test_a_direct_post_of_the_status_or_a_bulk_change_does_not_bypass_four_eyes(
    carla_client: Client, carla: StaffUser, case: Submission
) -> None:
    _propose(carla_client, case)
    # Again, while the first proposal waits: refused, still one proposal, no effect.
    _propose(carla_client, case, S.REJECTED)
    response = carla_client.post(
        "/backoffice/bulk/", {"ids": [str(case.pk)], "action": "status", "to_status": "approved"}
    )
    assert response.status_code == 302
    assert reload(case).status == S.IN_PROGRESS
    with scope(city=case.city):
        assert Decision.objects.filter(submission=case).count() == 1
        with pytest.raises(actions.ActionRefused):
            actions.submission_change_status(submission=case, to_status=S.APPROVED, by=carla, ip=None)
    assert reload(case).status == S.IN_PROGRESS


def test_a_rule_may_propose_but_nobody_but_a_person_confirms(case: Submission, cora: StaffUser) -> None:
    with scope(city=case.city):
        decision = decisions.decision_propose(
            submission=case, to_status=S.APPROVED, by=None, ip=None, rule_name="Parkausweis genehmigen"
        )
        for nobody in (None, object()):
            with pytest.raises(actions.ActionRefused):
                decisions.decision_confirm(decision=decision, by=nobody, ip=None)  # type: ignore[arg-type]
        assert reload(case).status == S.IN_PROGRESS
        decisions.decision_confirm(decision=decision, by=cora, ip=None)
    assert reload(case).status == S.APPROVED
    assert _actions(case)[0] == (AuditEvent.Action.PROPOSE_DECISION, "automatisch (Regel „Parkausweis genehmigen“)")


def test_others_cannot_confirm(
    carla_client: Client, case: Submission, dora: StaffUser, mia: StaffUser, giessen_admin: StaffUser
) -> None:
    _propose(carla_client, case)
    decision = _pending(case)
    # Dora works another service, Mia another city: the case does not exist for them.
    assert _confirm(signed_in(dora, GIESSEN_HOST), decision).status_code == 404
    assert _confirm(signed_in(mia, MARBURG_HOST), decision).status_code == 404
    with scope(city=case.city):
        for user in (dora, mia, giessen_admin):
            assert not decisions.may_confirm(user, decision)
            with pytest.raises(actions.ActionRefused):
                decisions.decision_confirm(decision=decision, by=user, ip=None)
    assert reload(case).status == S.IN_PROGRESS


def test_a_team_lead_confirms_and_a_status_change_withdraws_a_proposal(
    carla_client: Client, tom_client: Client, case: Submission
) -> None:
    _propose(carla_client, case)
    carla_client.post(f"/backoffice/{case.pk}/status/", {"to_status": S.WAITING})
    with scope(city=case.city):
        assert Decision.objects.get(submission=case).state == Decision.State.DISCARDED
    carla_client.post(f"/backoffice/{case.pk}/status/", {"to_status": S.IN_PROGRESS})
    _propose(carla_client, case, S.REJECTED)
    decision = _pending(case)
    assert _confirm(tom_client, decision).status_code == 302
    assert reload(case).status == S.REJECTED


def test_the_proposer_withdraws(carla_client: Client, carla: StaffUser, case: Submission) -> None:
    _propose(carla_client, case)
    decision = _pending(case)
    carla_client.post(f"/backoffice/{case.pk}/decisions/{decision.pk}/discard/")
    with scope(city=case.city):
        assert Decision.objects.get(pk=decision.pk).state == Decision.State.DISCARDED
    assert reload(case).status == S.IN_PROGRESS
    assert _actions(case)[-1] == (AuditEvent.Action.DISCARD_DECISION, carla.username)


def test_without_four_eyes_one_person_decides(carla_client: Client, giessen: City, services: None) -> None:
    case = make_submission(giessen, status=S.IN_PROGRESS)
    _propose(carla_client, case)
    assert reload(case).status == S.APPROVED
    with scope(city=giessen):
        assert not Decision.objects.exists()
