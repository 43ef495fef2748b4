"""Service preview: a city administrator walks a service as a citizen would,
with the city's settings, and nothing is submitted or counted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.analytics.models import UsageEvent
from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from forms_engine.submissions.retention import purge_drafts
from forms_engine.tenants.models import City
from forms_engine.wizard.models import Draft
from tests.conftest import enable_service, host_client, make_staff, sign_in
from tests.wizard.walk import hidden, walk

SERVICE = "fundsache"
BANNER = 'class="preview-banner"'


def _answers() -> dict[str, Any]:
    service = registry.get(SERVICE)
    assert service is not None
    return dict(service.sample_answers["found_no_reward"])


def _counts() -> tuple[int, int]:
    with scopes_disabled():
        return Submission.objects.count(), UsageEvent.objects.count()


def _start_preview(client: Any, city_service: CityService) -> None:
    response = client.get(f"/admin/catalog/cityservice/{city_service.pk}/preview/")
    assert response.status_code == 302 and response["Location"] == f"/{SERVICE}/"


def test_a_city_admin_previews_a_switched_off_service_and_nothing_counts(
    giessen: City, giessen_admin: StaffUser
) -> None:
    city_service = enable_service(giessen, SERVICE, enabled=False, office_name="Fundbüro Gießen")
    client = host_client("giessen.localhost")
    assert client.get(f"/{SERVICE}/").status_code == 404  # switched off: citizens do not see it
    sign_in(client, giessen_admin.username)
    _start_preview(client, city_service)

    start = client.get(f"/{SERVICE}/").content.decode()
    assert BANNER in start and "Vorschau" in start and "Fundbüro Gießen" in start  # the city's settings
    result = walk(client, SERVICE, _answers(), submit=False)
    assert BANNER in result["check_html"]
    check = result["check_html"]
    response = client.post(
        f"/{SERVICE}/check/", {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ende der Vorschau" in page and "nichts abgeschickt" in page
    assert _counts() == (0, 0), "a preview creates no submission and no usage event"
    with scopes_disabled():
        draft = Draft.objects.get()
    assert draft.preview and draft.submission_id is None
    assert draft.expires_at <= timezone.now() + timedelta(days=1)

    # Saving for later is not offered in a preview: no resume code is issued.
    client.get(f"/{SERVICE}/save/")
    with scopes_disabled():
        assert Draft.objects.get().resume_code_hash is None

    # Ending the preview: the switched-off service is gone again, the banner too.
    assert client.post("/vorschau/beenden/").status_code == 302
    assert client.get(f"/{SERVICE}/").status_code == 404
    assert BANNER not in client.get("/").content.decode()


def test_an_expired_preview_draft_is_not_counted_as_abandoned(giessen: City, giessen_admin: StaffUser) -> None:
    city_service = enable_service(giessen, SERVICE)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    _start_preview(client, city_service)
    client.post(f"/{SERVICE}/", {"action": "start"})
    with scope(city=giessen):
        Draft.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        assert purge_drafts(giessen, timezone.now()) == 1
    assert _counts() == (0, 0)


def test_the_preview_flag_means_nothing_to_anyone_but_the_citys_administrators(giessen: City) -> None:
    """The same session flag for a caseworker changes nothing: their walk is an
    ordinary one, submitted and counted."""
    enable_service(giessen, SERVICE)
    make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    caseworker = host_client("giessen.localhost")
    sign_in(caseworker, "carla-caseworker")
    session = caseworker.session
    session["gemeinsam_preview"] = [SERVICE]
    session.save()
    assert BANNER not in caseworker.get(f"/{SERVICE}/").content.decode()
    result = walk(caseworker, SERVICE, _answers())
    assert result["done_url"]
    submissions, events = _counts()
    assert submissions == 1 and events > 0


def test_a_caseworker_cannot_start_a_preview(giessen: City) -> None:
    city_service = enable_service(giessen, SERVICE)
    make_staff("carla-caseworker", giessen, StaffUser.Role.CASEWORKER)
    client = host_client("giessen.localhost")
    sign_in(client, "carla-caseworker")
    response = client.get(f"/admin/catalog/cityservice/{city_service.pk}/preview/")
    assert response.status_code in (302, 403, 404)
    assert "gemeinsam_preview" not in client.session
