"""Pull API: a back-office system lists new submissions page by page, fetches
data, PDF and attachments, acknowledges, sets the status; one city's token
never sees another city's data; the OpenAPI schema describes it."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from forms_engine.delivery.models import PullApiToken
from forms_engine.submissions import tasks
from forms_engine.submissions.models import Submission
from tests.conftest import host_client
from tests.submissions.helpers import make_target, steps, submit


def delivered(city: Any, **kwargs: Any) -> Submission:
    submission = submit(city, email=None, **kwargs)
    for step in sorted(steps(submission).values(), key=lambda s: s.kind != "pdf"):
        task = tasks.render_pdf if step.kind == "pdf" else tasks.deliver
        assert (
            task.apply(
                args=(
                    city.pk,
                    str(step.pk),
                )
            ).get()
            == "done"
        )
    return submission


def api(city_host: str, token: str) -> Any:
    client = host_client(city_host)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def giessen_token(giessen: Any) -> str:
    make_target(giessen, "pullapi", {"system": "jugendamt"})
    with scope(city=giessen):
        _row, token = PullApiToken.issue(city=giessen, system="jugendamt")
    return token


@pytest.mark.django_db
def test_list_fetch_acknowledge_and_set_status(giessen: Any, giessen_token: str) -> None:
    first, second, third = (delivered(giessen) for _ in range(3))
    client = api("giessen.localhost", giessen_token)

    page = client.get("/api/v1/submissions/?page_size=2").json()
    assert [item["reference"] for item in page["results"]] == [first.reference, second.reference]
    rest = client.get(page["next"].removeprefix("https://giessen.localhost")).json()
    assert [item["reference"] for item in rest["results"]] == [third.reference] and rest["next"] is None

    detail = client.get(f"/api/v1/submissions/{first.pk}/").json()
    assert detail["data"]["antragsteller"]["nachname"] == "Müßig"
    assert detail["schema"].endswith("/api/schemas/unterhaltsvorschuss/2.json")
    assert client.get(detail["pdf_url"].removeprefix("https://giessen.localhost")).content.startswith(b"%PDF")
    attachment = client.get(detail["attachments"][0]["url"].removeprefix("https://giessen.localhost"))
    assert attachment.content == b"%PDF-1.4 Geburtsurkunde"

    assert client.post(f"/api/v1/submissions/{first.pk}/acknowledge/").status_code == 200
    listed = client.get("/api/v1/submissions/").json()["results"]
    assert [item["reference"] for item in listed] == [second.reference, third.reference]
    assert len(client.get("/api/v1/submissions/?state=all").json()["results"]) == 3

    response = client.post(
        f"/api/v1/submissions/{first.pk}/status/", {"status": "in_progress"}, content_type="application/json"
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == "in_progress"
    bad = client.post(f"/api/v1/submissions/{first.pk}/status/", {"status": "deleted"}, content_type="application/json")
    assert bad.status_code == 400
    skipped = client.post(
        f"/api/v1/submissions/{second.pk}/status/", {"status": "approved"}, content_type="application/json"
    )
    assert skipped.status_code == 409  # received -> approved skips the examination
    from forms_engine.backoffice.models import StatusChange

    with scope(city=giessen):
        [change] = StatusChange.objects.filter(submission=first)
    assert change.to_status == "in_progress" and change.by is None and "jugendamt" in change.note


@pytest.mark.django_db
def test_without_or_with_a_wrong_token_nothing(giessen: Any, giessen_token: str) -> None:
    delivered(giessen)
    assert host_client("giessen.localhost").get("/api/v1/submissions/").status_code in (401, 403)
    assert api("giessen.localhost", "gmt_wrong").get("/api/v1/submissions/").status_code == 401


@pytest.mark.django_db
def test_one_citys_token_never_sees_another_citys_data(giessen: Any, marburg: Any, giessen_token: str) -> None:
    make_target(marburg, "pullapi", {"system": "jugendamt"})
    with scope(city=marburg):
        _row, marburg_token = PullApiToken.issue(city=marburg, system="jugendamt")
    giessen_submission = delivered(giessen)
    marburg_submission = delivered(marburg)

    marburg_client = api("marburg.localhost", marburg_token)
    assert [i["reference"] for i in marburg_client.get("/api/v1/submissions/").json()["results"]] == [
        marburg_submission.reference
    ]
    assert marburg_client.get(f"/api/v1/submissions/{giessen_submission.pk}/").status_code == 404
    assert marburg_client.get(f"/api/v1/submissions/{giessen_submission.pk}/pdf/").status_code == 404
    assert marburg_client.post(f"/api/v1/submissions/{giessen_submission.pk}/acknowledge/").status_code == 404
    # Gießen's token on Marburg's host is refused outright.
    assert api("marburg.localhost", giessen_token).get("/api/v1/submissions/").status_code == 401


@pytest.mark.django_db
def test_another_system_of_the_same_city_sees_only_its_own(giessen: Any, giessen_token: str) -> None:
    delivered(giessen)
    with scope(city=giessen):
        _row, other = PullApiToken.issue(city=giessen, system="kasse")
    assert api("giessen.localhost", other).get("/api/v1/submissions/").json()["results"] == []


@pytest.mark.django_db
def test_openapi_schema_lists_the_pull_endpoints(giessen: Any) -> None:
    response = host_client("giessen.localhost").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi" in text and "/api/v1/submissions/{submission_id}/acknowledge/" in text
