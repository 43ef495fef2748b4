"""Rules per city service: when a submission arrives (documents handed in, a
deadline passes, a payment is booked) and the conditions hold, the actions run
in the rules' own processing step, each audited as "automatisch (Regel …)". A
rule's decision is a proposal a person confirms; a failing rule leaves a note
and the pipeline goes on; a dry run changes nothing; nothing of another city is
reachable from a rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.backoffice import actions, notice_tasks, rules
from forms_engine.backoffice.models import (
    AuditEvent,
    Decision,
    DecisionLetter,
    DocumentRequest,
    Note,
    Rule,
    RuleAction,
    RuleCondition,
)
from forms_engine.catalog.models import CityService
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.lib.uploads import CheckedUpload
from forms_engine.payments.actions import on_payment_booked
from forms_engine.staff.models import StaffUser
from forms_engine.submissions import pipeline
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.models import City
from tests.conftest import host_client, make_staff, sign_in

from .conftest import GIESSEN_HOST, SERVICE, assign_service, make_submission, reload
from .test_letters import make_template

S = Submission.Status
RULES = ProcessingStep.Kind.RULES
AUTO = "automatisch (Regel „{}“)"


def make_rule(
    city: City,
    name: str,
    *,
    trigger: str = Rule.Trigger.SUBMITTED,
    conditions: tuple[tuple[str, str, str], ...] = (),
    actions: tuple[dict[str, Any], ...] = (),
    needs_confirmation: bool = True,
    slug: str = SERVICE,
) -> Rule:
    with scope(city=city):
        rule = Rule.objects.create(
            city=city,
            city_service=CityService.objects.get(city=city, service_slug=slug),
            name=name,
            trigger=trigger,
            needs_confirmation=needs_confirmation,
        )
        for kind, field, value in conditions:
            RuleCondition.objects.create(city=city, rule=rule, kind=kind, field=field, value=value)
        for action in actions:
            RuleAction.objects.create(city=city, rule=rule, **action)
    return rule


def arrive(submission: Submission) -> list[str]:
    """The submission arrives (its pipeline is planned), then its rules step runs as the worker would."""
    with scope(city=submission.city), transaction.atomic():
        pipeline.plan_steps(submission)
    return run_rule_steps()


def run_rule_steps() -> list[str]:
    with scopes_disabled():
        steps = list(ProcessingStep.objects.filter(kind=RULES, state=ProcessingStep.State.PENDING))
    return [str(notice_tasks.rules.apply(args=(s.city_id, str(s.pk))).get()) for s in steps]


def _audit(submission: Submission) -> list[tuple[str, str, str]]:
    with scope(city=submission.city):
        events = AuditEvent.objects.filter(submission_id=submission.pk).exclude(action=AuditEvent.Action.VIEW)
        return [(e.action, e.username, e.detail) for e in events.order_by("at", "id")]


def test_a_rule_assigns_sets_in_progress_and_proposes_the_approval_with_the_letter(
    giessen: City, services: None, carla: StaffUser, carla_client: Client, tom_client: Client
) -> None:
    template = make_template(giessen)
    make_rule(
        giessen,
        "Vollständig: genehmigen",
        conditions=((RuleCondition.Kind.ANSWER_IS, "antragsteller.name", "Erika Mustermann"),),
        actions=(
            {"kind": RuleAction.Kind.ASSIGN, "assignee": carla},
            {"kind": RuleAction.Kind.STATUS, "status": S.IN_PROGRESS},
            {"kind": RuleAction.Kind.LETTER, "letter_template": template},
        ),
    )
    case = make_submission(giessen)
    assert arrive(case) == ["done"]
    after = reload(case)
    assert after.assignee_id == carla.pk and after.status == S.IN_PROGRESS  # the decision waits for a person
    auto = AUTO.format("Vollständig: genehmigen")
    assert _audit(case) == [
        (AuditEvent.Action.RULE, auto, "zuweisen an carla-giessen-caseworker"),
        (AuditEvent.Action.RULE, auto, "Status auf „in Bearbeitung“ setzen"),
        (AuditEvent.Action.PROPOSE_DECISION, auto, "-> approved"),
    ]
    with scope(city=giessen):
        decision = Decision.objects.get(submission=case)
        assert decision.proposed_by is None and decision.letter_template_id == template.pk
    page = carla_client.get(f"/backoffice/{case.pk}/").content.decode()
    assert auto in page and f"/decisions/{decision.pk}/confirm/" in page  # any caseworker of the service confirms
    tom_client.post(f"/backoffice/{case.pk}/decisions/{decision.pk}/confirm/")
    assert reload(case).status == S.APPROVED
    with scope(city=giessen):
        assert DecisionLetter.objects.filter(submission=case).count() == 1


def test_a_rule_without_confirmation_decides_and_audits(giessen: City, services: None) -> None:
    make_rule(
        giessen,
        "Direkt ablehnen",
        needs_confirmation=False,
        actions=(
            {"kind": RuleAction.Kind.STATUS, "status": S.IN_PROGRESS},
            {"kind": RuleAction.Kind.STATUS, "status": S.REJECTED},
        ),
    )
    case = make_submission(giessen)
    arrive(case)
    assert reload(case).status == S.REJECTED
    assert [a for a, user, _d in _audit(case)] == [AuditEvent.Action.RULE, AuditEvent.Action.RULE]


def test_conditions_that_do_not_hold_do_nothing(giessen: City, services: None, carla: StaffUser) -> None:
    make_rule(
        giessen,
        "Nur mit Gebühr",
        conditions=((RuleCondition.Kind.FEE_AT_LEAST, "", "30"),),
        actions=({"kind": RuleAction.Kind.ASSIGN, "assignee": carla},),
    )
    cheap = make_submission(giessen, fee={"amount": "10.00", "currency": "EUR", "explanation": ""})
    dear = make_submission(giessen, fee={"amount": "30.00", "currency": "EUR", "explanation": ""})
    arrive(cheap)
    arrive(dear)
    assert reload(cheap).assignee_id is None and reload(dear).assignee_id == carla.pk


def test_a_failing_rule_leaves_a_note_does_nothing_and_the_pipeline_goes_on(
    giessen: City, services: None, carla: StaffUser, dora: StaffUser
) -> None:
    make_rule(
        giessen,
        "Kaputt",
        actions=(
            {"kind": RuleAction.Kind.STATUS, "status": S.IN_PROGRESS},
            {"kind": RuleAction.Kind.ASSIGN, "assignee": dora},  # dora does not work this service
        ),
    )
    with scope(city=giessen):
        good = make_rule(giessen, "Zuweisen", actions=({"kind": RuleAction.Kind.ASSIGN, "assignee": carla},))
        Rule.objects.filter(pk=good.pk).update(position=1)
    case = make_submission(giessen)
    assert arrive(case) == ["done"]
    after = reload(case)
    assert after.status == S.RECEIVED  # the failing rule's first action was rolled back with it
    assert after.assignee_id == carla.pk  # the next rule ran
    with scope(city=giessen):
        note = Note.objects.get(submission=case)
        assert "Regel „Kaputt“" in note.text and "für diesen Online-Dienst nicht zuständig." in note.text
        step = ProcessingStep.objects.get(submission=case, kind=RULES)
        assert step.state == ProcessingStep.State.DONE and step.result["failed"] == ["Kaputt"]
        pdf = ProcessingStep.objects.get(submission=case, kind=ProcessingStep.Kind.PDF)
        assert pdf.state == ProcessingStep.State.PENDING  # untouched, goes on as usual
    assert (AuditEvent.Action.RULE_FAILED, AUTO.format("Kaputt")) in [(a, u) for a, u, _d in _audit(case)]


def _database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the engine, for before/after comparisons."""
    tables = {}
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label in {"sessions", "axes", "admin", "contenttypes", "auth"}:
                continue
            tables[model._meta.label] = sorted(
                (repr(sorted(row.items())) for row in model._base_manager.values()),  # type: ignore[attr-defined]
            )
    return tables  # type: ignore[return-value]


def test_a_dry_run_shows_what_would_happen_and_changes_nothing(
    giessen: City, services: None, carla: StaffUser, giessen_admin: StaffUser
) -> None:
    template = make_template(giessen)
    rule = make_rule(
        giessen,
        "Probe",
        conditions=((RuleCondition.Kind.ANSWER_CONTAINS, "antragsteller.name", "muster"),),
        actions=(
            {"kind": RuleAction.Kind.ASSIGN, "assignee": carla},
            {"kind": RuleAction.Kind.STATUS, "status": S.IN_PROGRESS},
            {"kind": RuleAction.Kind.LETTER, "letter_template": template},
        ),
    )
    matching = make_submission(giessen)
    other = make_submission(giessen, name="Ben Neumann")
    closed = make_submission(giessen, status=S.CLOSED)
    client = host_client(GIESSEN_HOST)
    sign_in(client, giessen_admin.username)
    before = _database()
    with scope(city=giessen):
        rows = {row.reference: row for row in rules.dry_run(rule, 20)}
    page = client.get(f"/admin/backoffice/rule/{rule.pk}/dry-run/?last=20").content.decode()
    assert _database() == before
    assert rows[matching.reference].matched and not rows[other.reference].matched
    assert not rows[closed.reference].matched
    assert rows[matching.reference].actions[0] == "zuweisen an carla-giessen-caseworker"
    assert matching.reference in page and "Bescheid approved" in page


def test_nothing_of_another_city_is_reachable_from_a_rule(
    giessen: City, marburg: City, services: None, mia: StaffUser, giessen_admin: StaffUser
) -> None:
    with scope(city=marburg):
        foreign_target = DeliveryTarget.objects.create(
            city=marburg, service_slug=SERVICE, name="Marburg Fachverfahren", channel="email", options={}
        )
    foreign_letter = make_template(marburg)
    make_rule(marburg, "Marburg", actions=({"kind": RuleAction.Kind.STATUS, "status": S.IN_PROGRESS},))
    for number, action in enumerate(
        [
            {"kind": RuleAction.Kind.ASSIGN, "assignee": mia},
            {"kind": RuleAction.Kind.FORWARD, "delivery_target": foreign_target},
            {"kind": RuleAction.Kind.LETTER, "letter_template": foreign_letter},
        ]
    ):
        make_rule(giessen, f"Fremd {number}", actions=(action,))
    case = make_submission(giessen)
    arrive(case)
    after = reload(case)
    assert after.status == S.RECEIVED and after.assignee_id is None  # Marburg's rule did not run here
    with scope(city=giessen):
        assert Note.objects.filter(submission=case).count() == 3
        assert not ProcessingStep.objects.filter(submission=case, kind=ProcessingStep.Kind.DELIVERY).exists()
        assert not DecisionLetter.objects.exists() and not Decision.objects.exists()
    # The admin offers only the city's own people, targets and letters.
    client = host_client(GIESSEN_HOST)
    sign_in(client, giessen_admin.username)
    page = client.get("/admin/backoffice/rule/add/").content.decode()
    assert "mia-marburg-caseworker" not in page and "Marburg Fachverfahren" not in page


def _rule_form(cs: CityService, **extra: str) -> dict[str, str]:
    data = {
        "city_service": str(cs.pk),
        "name": "Anwohnerparken",
        "trigger": "submitted",
        "enabled": "on",
        "needs_confirmation": "on",
        "position": "0",
        "conditions-TOTAL_FORMS": "1",
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
        "conditions-0-kind": "answer_is",
        "conditions-0-field": "antragsteller.vorname",
        "conditions-0-value": "Erika",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-kind": "status",
        "actions-0-status": "in_progress",
    }
    data.update(extra)
    return data


def test_a_city_admin_writes_a_rule_with_typed_fields(giessen: City, services: None, giessen_admin: StaffUser) -> None:
    client = host_client(GIESSEN_HOST)
    sign_in(client, giessen_admin.username)
    with scope(city=giessen):
        cs = CityService.objects.get(service_slug=SERVICE)
    wrong = client.post("/admin/backoffice/rule/add/", _rule_form(cs, **{"conditions-0-field": "geheim.feld"}))
    assert wrong.status_code == 200 and "Unbekannte Frage" in wrong.content.decode()
    missing = client.post("/admin/backoffice/rule/add/", _rule_form(cs, **{"actions-0-status": ""}))
    assert missing.status_code == 200 and "Wählen Sie den Status." in missing.content.decode()
    with scope(city=giessen):
        assert not Rule.objects.exists()
    assert client.post("/admin/backoffice/rule/add/", _rule_form(cs)).status_code == 302
    with scope(city=giessen):
        rule = Rule.objects.get()
        assert rule.conditions.get().city_id == giessen.pk and rule.actions.get().city_id == giessen.pk


def test_documents_handed_in_payment_booked_and_deadline_plan_their_rules(giessen: City, services: None) -> None:
    for trigger in (Rule.Trigger.DOCUMENTS, Rule.Trigger.PAYMENT, Rule.Trigger.DEADLINE):
        make_rule(giessen, f"bei {trigger}", trigger=trigger)
    case = make_submission(giessen, status=S.WAITING, due_on=timezone.localdate() - timedelta(days=1))
    with scope(city=giessen):
        request = DocumentRequest.objects.create(
            city=giessen,
            submission=case,
            message="Ausweis",
            token_hash="x" * 64,
            expires_at=timezone.now() + timedelta(days=3),
        )
        actions.documents_request_fulfil(
            request=request, files=[("a.pdf", CheckedUpload(content=b"%PDF-1.4", content_type="application/pdf"))]
        )
        with transaction.atomic():
            on_payment_booked(case)
        assert rules.plan_deadline_rules(giessen, timezone.localdate()) == 1
        assert rules.plan_deadline_rules(giessen, timezone.localdate()) == 0  # once per due date
        targets = sorted(ProcessingStep.objects.filter(submission=case, kind=RULES).values_list("target_id", flat=True))
    assert targets == sorted([f"documents:{request.pk}", "payment:", f"deadline:{case.due_on}"])
    assert run_rule_steps() == ["done", "done", "done"]


@pytest.mark.parametrize("trigger", [Rule.Trigger.SUBMITTED])
def test_without_rules_no_step_is_planned(giessen: City, services: None, trigger: str) -> None:
    case = make_submission(giessen)
    arrive(case)
    with scope(city=giessen):
        assert not ProcessingStep.objects.filter(submission=case, kind=RULES).exists()


def test_a_rule_assigns_within_the_team_to_whom_has_the_fewest_open_cases(
    giessen: City, services: None, carla: StaffUser
) -> None:
    ben = make_staff("ben-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(ben)
    busy = make_submission(giessen)
    with scope(city=giessen):
        Submission.objects.filter(pk=busy.pk).update(assignee=carla)
        done = make_submission(giessen)  # a closed case is no work: it does not count
        Submission.objects.filter(pk=done.pk).update(assignee=ben, status=S.CLOSED)
    make_rule(giessen, "Im Team verteilen", actions=({"kind": RuleAction.Kind.ASSIGN_TEAM},))
    first = make_submission(giessen)
    assert arrive(first) == ["done"]
    assert reload(first).assignee_id == ben.pk  # carla has one open case, ben none
    second = make_submission(giessen)
    assert arrive(second) == ["done"]
    assert reload(second).assignee_id == carla.pk  # one each now: the older account first
    assert _audit(first) == [
        (
            AuditEvent.Action.RULE,
            AUTO.format("Im Team verteilen"),
            "innerhalb des Teams dieses Online-Dienstes zuweisen: ben-giessen-caseworker",
        )
    ]


def test_assigning_within_a_team_nobody_is_in_leaves_a_note_and_the_case_unassigned(
    giessen: City, services: None
) -> None:
    make_rule(giessen, "Im Team verteilen", actions=({"kind": RuleAction.Kind.ASSIGN_TEAM},))
    case = make_submission(giessen)
    assert arrive(case) == ["done"]  # the pipeline goes on
    assert reload(case).assignee_id is None
    with scope(city=giessen):
        notes = [n.text for n in Note.objects.filter(submission=case)]
    assert len(notes) == 1 and "kein Team" in notes[0]
