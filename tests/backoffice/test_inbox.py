"""The inbox: only what the user may see, newest first, filters, counts,
pagination, and a constant number of SQL queries whatever the page size."""

from __future__ import annotations

from typing import Any

from django.test import Client

from forms_engine.lib.crypto import name_token_digest
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City

from .conftest import days_ago, make_submission


def _references(client: Client, query: str = "") -> list[str]:
    response = client.get(f"/backoffice/{query}")
    assert response.status_code == 200
    return [row["submission"].reference for row in response.context["rows"]]


def test_newest_first_and_only_my_services_and_city(
    carla_client: Client, giessen: City, marburg: City, services: None
) -> None:
    old = make_submission(giessen, submitted_at=days_ago(3))
    new = make_submission(giessen, submitted_at=days_ago(1))
    make_submission(giessen, service_slug="parkausweis")
    make_submission(marburg)
    assert _references(carla_client) == [new.reference, old.reference]


def test_the_team_lead_sees_all_services_of_the_city(
    tom_client: Client, giessen: City, marburg: City, services: None
) -> None:
    uvg = make_submission(giessen)
    park = make_submission(giessen, service_slug="parkausweis")
    make_submission(marburg)
    assert sorted(_references(tom_client)) == sorted([uvg.reference, park.reference])
    assert _references(tom_client, "?service=parkausweis") == [park.reference]


def test_filters(carla_client: Client, carla: StaffUser, giessen: City, services: None) -> None:
    mine = make_submission(giessen, assignee=carla, status="in_progress", submitted_at=days_ago(2))
    waiting = make_submission(giessen, status="waiting_for_citizen", submitted_at=days_ago(10))
    overdue = make_submission(giessen, submitted_at=days_ago(45), due_on=days_ago(15).date())
    make_submission(giessen, status="approved", submitted_at=days_ago(60), decided_at=days_ago(50))
    assert _references(carla_client, "?assigned=me") == [mine.reference]
    assert mine.reference not in _references(carla_client, "?assigned=none")
    assert _references(carla_client, "?status=waiting_for_citizen") == [waiting.reference]
    assert _references(carla_client, "?view=overdue") == [overdue.reference]
    from_ = days_ago(12).date().isoformat()
    to = days_ago(5).date().isoformat()
    assert _references(carla_client, f"?received_from={from_}&received_to={to}") == [waiting.reference]


def test_counts_per_status_follow_the_other_filters(carla_client: Client, giessen: City, services: None) -> None:
    make_submission(giessen)
    make_submission(giessen)
    make_submission(giessen, status="in_progress")
    response = carla_client.get("/backoffice/?status=received")
    counts = {value: n for value, _label, n, _more in response.context["counts"]}
    assert counts["received"] == 2 and counts["in_progress"] == 1 and counts["approved"] == 0
    assert len(response.context["rows"]) == 2


def test_pagination(carla_client: Client, giessen: City, services: None, settings: Any) -> None:
    settings.BACKOFFICE_PAGE_SIZE = 2
    created = [make_submission(giessen, submitted_at=days_ago(i)) for i in range(5)]
    assert _references(carla_client, "?page=2") == [created[2].reference, created[3].reference]
    assert _references(carla_client, "?page=3") == [created[4].reference]


def test_a_page_beyond_the_last_shows_the_last(
    carla_client: Client, giessen: City, services: None, settings: Any
) -> None:
    settings.BACKOFFICE_PAGE_SIZE = 2
    created = [make_submission(giessen, submitted_at=days_ago(i)) for i in range(3)]
    assert _references(carla_client, "?page=9") == [created[2].reference]
    assert _references(carla_client, "?page=nonsense") == [created[0].reference, created[1].reference]


def test_counts_stop_at_the_limit_and_pages_still_follow(
    carla_client: Client, giessen: City, services: None, settings: Any
) -> None:
    """Years of closed cases must not make every inbox page slower: each status
    is counted up to the limit, the page then says "more than" and still pages on."""
    settings.BACKOFFICE_PAGE_SIZE = 2
    settings.BACKOFFICE_COUNT_LIMIT = 3
    created = [make_submission(giessen, submitted_at=days_ago(i)) for i in range(6)]
    oldest = make_submission(giessen, status="in_progress", submitted_at=days_ago(30))
    response = carla_client.get("/backoffice/")
    counts = {value: (n, more) for value, _label, n, more in response.context["counts"]}
    assert counts["received"] == (3, True) and counts["in_progress"] == (1, False)
    page = response.context["page"]
    assert not page.exact and page.count == 4 and page.num_pages is None and page.has_next
    html = response.content.decode()
    assert "Mehr als 4 Anträge" in html and "mehr als 3" in html and "Seite 1<" in html
    assert _references(carla_client, "?page=3") == [created[4].reference, created[5].reference]
    last = carla_client.get("/backoffice/?page=4").context["page"]
    assert last.has_next is False and last.has_previous
    assert [s.reference for s in last.object_list] == [oldest.reference]
    exact = carla_client.get("/backoffice/?status=in_progress").context["page"]
    assert exact.exact and exact.count == 1 and exact.num_pages == 1


def test_the_number_of_queries_does_not_grow_with_the_page(
    tom_client: Client,
    carla: StaffUser,
    giessen: City,
    services: None,
    settings: Any,
    django_assert_num_queries: Any,
) -> None:
    settings.BACKOFFICE_PAGE_SIZE = 50
    make_submission(giessen, assignee=carla)
    tom_client.get("/backoffice/")  # the first request after sign-in records activity in the session
    # Session, user, OTP device, service list, counts per status, the page,
    # the people the bulk form offers.
    queries = 7
    for url in (
        "/backoffice/",
        "/backoffice/?status=received&service=unterhaltsvorschuss",
        f"/backoffice/?name={name_token_digest('erika')}&name={name_token_digest('mustermann')}",
        "/backoffice/?sort=due",
        "/backoffice/?sort=-assignee&service=unterhaltsvorschuss",
        "/backoffice/?payment=unpaid",  # the payment column and filter are in the listing's own query
    ):
        with django_assert_num_queries(queries):
            tom_client.get(url)
        for _i in range(12):
            make_submission(giessen, assignee=carla)
        make_submission(giessen, service_slug="parkausweis")
        with django_assert_num_queries(queries):
            response = tom_client.get(url)
        assert len(response.context["rows"]) > 12


def test_tombstones_only_when_asked_for(carla_client: Client, giessen: City, services: None) -> None:
    live = make_submission(giessen)
    tomb = make_submission(giessen, status="deleted", final_status="approved")
    assert _references(carla_client) == [live.reference]
    assert _references(carla_client, "?status=deleted") == [tomb.reference]
    response = carla_client.get("/backoffice/")
    assert response.context["page"].count == 1
