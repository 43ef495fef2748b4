"""The daily figures in the admin name the online service, never its slug."""

from __future__ import annotations

from datetime import date
from typing import Any

from django_scopes import scopes_disabled

from forms_engine.analytics.models import DailyAggregate

from ..conftest import host_client, sign_in
from .conftest import SLUG


def test_daily_figures_list_shows_service_titles(giessen: Any, giessen_admin: Any, demo_service: Any) -> None:
    with scopes_disabled():
        DailyAggregate.objects.create(city=giessen, service_slug=SLUG, day=date(2026, 3, 10), starts=3)
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get("/admin/analytics/dailyaggregate/").content.decode()
    assert "Demo service" in page
    assert f">{SLUG}<" not in page
