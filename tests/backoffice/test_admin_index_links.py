"""The admin's start page leads to the statistics and the back office."""

from __future__ import annotations

from typing import Any

from tests.conftest import host_client, sign_in


def test_city_admin_index_links_statistics_and_back_office(giessen: Any, giessen_admin: Any) -> None:
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    page = client.get("/admin/").content.decode()
    assert 'href="/statistik/"' in page and 'href="/backoffice/"' in page
    city_page = client.get(f"/admin/tenants/city/{giessen.pk}/change/").content.decode()
    assert 'name="analytics_opt_in"' in city_page
