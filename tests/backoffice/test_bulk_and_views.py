"""Bulk work on ticked rows, saved views, sorting by every sortable column, and
next / previous case in the inbox's order. Foreign ids change nothing."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_scopes import scope

from forms_engine.backoffice.models import AuditEvent
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.tenants.models import City

from .conftest import days_ago, make_submission, reload


def _references(client: Client, query: str) -> list[str]:
    response = client.get(f"/backoffice/{query}")
    assert response.status_code == 200
    return [row["submission"].reference for row in response.context["rows"]]


def test_bulk_assign_changes_only_own_cities_cases(
    tom_client: Client, carla: StaffUser, giessen: City, marburg: City, services: None
) -> None:
    own = [make_submission(giessen) for _i in range(10)]
    foreign = make_submission(marburg)
    ids = [str(s.pk) for s in own] + [str(foreign.pk)]
    response = tom_client.post("/backoffice/bulk/", {"ids": ids, "action": "assign", "assignee": carla.pk})
    assert response.status_code == 302
    assert all(reload(s).assignee == carla for s in own)
    assert reload(foreign).assignee is None
    with scope(city=giessen):
        assert AuditEvent.objects.filter(action="assign").count() == 10
    page = tom_client.get("/backoffice/?view=unassigned")
    assert page.context["rows"] == []
    messages = [str(m) for m in page.context["messages"]]
    assert "10 Anträge geändert." in messages
    assert "1 Antrag wurde nicht geändert (nicht erlaubt oder nicht gefunden)." in messages


def test_a_caseworker_cannot_bulk_assign_to_someone_else_or_outside_her_services(
    carla_client: Client, tom: StaffUser, giessen: City, services: None
) -> None:
    uvg = make_submission(giessen)
    park = make_submission(giessen, service_slug="parkausweis")  # not Carla's service: invisible
    carla_client.post("/backoffice/bulk/", {"ids": [uvg.pk, park.pk], "action": "assign", "assignee": tom.pk})
    assert reload(uvg).assignee is None and reload(park).assignee is None
    response = carla_client.get("/backoffice/")
    carla = response.context["request"].user
    carla_client.post("/backoffice/bulk/", {"ids": [uvg.pk, park.pk], "action": "assign", "assignee": carla.pk})
    assert reload(uvg).assignee == carla and reload(park).assignee is None


def test_bulk_status_follows_the_allowed_paths(tom_client: Client, giessen: City, services: None) -> None:
    received = make_submission(giessen)
    approved = make_submission(giessen, status="approved")
    tom_client.post(
        "/backoffice/bulk/", {"ids": [received.pk, approved.pk], "action": "status", "to_status": "in_progress"}
    )
    assert reload(received).status == "in_progress" and reload(approved).status == "approved"


def test_a_bulk_action_without_a_selection_changes_nothing(tom_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen)
    response = tom_client.post("/backoffice/bulk/", {"action": "status", "to_status": "closed"}, follow=True)
    assert "Wählen Sie mindestens einen Antrag aus." in response.content.decode()
    with scope(city=giessen):
        assert not Submission.objects.exclude(status="received").exists()


def test_saved_views(carla_client: Client, carla: StaffUser, giessen: City, services: None) -> None:
    today = timezone.localdate()
    mine = make_submission(giessen, assignee=carla, status="in_progress")
    make_submission(giessen, assignee=carla, status="approved")  # mine, but decided
    overdue = make_submission(giessen, due_on=today - timedelta(days=1))
    this_week = make_submission(giessen, due_on=today + timedelta(days=5))
    assert _references(carla_client, "?view=mine") == [mine.reference]
    assert _references(carla_client, "?view=overdue") == [overdue.reference]
    assert _references(carla_client, "?view=due_week") == [this_week.reference]
    assert sorted(_references(carla_client, "?view=unassigned")) == sorted([overdue.reference, this_week.reference])
    page = carla_client.get("/backoffice/?view=overdue").content.decode()
    assert "überfällig" in page and "Meine offenen" in page and "Unzugewiesen" in page


def test_every_column_but_the_name_sorts_both_ways(
    tom_client: Client, carla: StaffUser, dora: StaffUser, giessen: City, services: None
) -> None:
    today = timezone.localdate()
    a = make_submission(giessen, submitted_at=days_ago(3), due_on=today + timedelta(days=9), assignee=dora)
    b = make_submission(
        giessen, service_slug="parkausweis", submitted_at=days_ago(2), due_on=today, status="in_progress"
    )
    c = make_submission(giessen, submitted_at=days_ago(1), due_on=today + timedelta(days=4), assignee=carla)
    assert _references(tom_client, "") == [c.reference, b.reference, a.reference]
    assert _references(tom_client, "?sort=due") == [b.reference, c.reference, a.reference]
    assert _references(tom_client, "?sort=-due") == [a.reference, c.reference, b.reference]
    assert _references(tom_client, "?sort=reference") == [a.reference, b.reference, c.reference]
    assert _references(tom_client, "?sort=status")[0] == b.reference  # in_progress before received
    assert _references(tom_client, "?sort=assignee")[:2] == [c.reference, a.reference]  # carla, dora, nobody
    assert _references(tom_client, "?sort=service")[0] == b.reference  # parkausweis before unterhaltsvorschuss
    assert _references(tom_client, "?sort=nonsense") == [c.reference, b.reference, a.reference]
    header = tom_client.get("/backoffice/?sort=due").content.decode()
    assert 'aria-sort="ascending"' in header and "sort=-due" in header


def test_next_and_previous_case_follow_the_inbox_order(
    carla_client: Client, giessen: City, marburg: City, services: None
) -> None:
    today = timezone.localdate()
    first = make_submission(giessen, due_on=today + timedelta(days=1))
    second = make_submission(giessen, due_on=today + timedelta(days=1))
    third = make_submission(giessen, due_on=today + timedelta(days=8))
    make_submission(marburg, due_on=today + timedelta(days=2))
    make_submission(giessen, service_slug="parkausweis", due_on=today + timedelta(days=2))
    ordered = [*sorted([first, second], key=lambda s: str(s.pk)), third]
    context = carla_client.get(f"/backoffice/{ordered[1].pk}/?sort=due").context
    assert (context["previous_id"], context["next_id"]) == (ordered[0].pk, ordered[2].pk)
    context = carla_client.get(f"/backoffice/{ordered[0].pk}/?sort=due").context
    assert (context["previous_id"], context["next_id"]) == (None, ordered[1].pk)
    context = carla_client.get(f"/backoffice/{ordered[2].pk}/?sort=-due").context
    assert (context["previous_id"], context["next_id"]) == (None, ordered[1].pk)
    page = carla_client.get(f"/backoffice/{ordered[1].pk}/?sort=due").content.decode()
    assert 'data-shortcut="j"' in page and "Tastenkürzel" in page and "?sort=due" in page
