"""The operator's admin lists ask the same number of queries however many
cities and people there are (issue 20: one deployment for a whole Land; the
timings at 6 and 1,000 cities are in `make bench`, bench/cities.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forms_engine.staff.models import StaffUser
from tests.conftest import enable_service, host_client, make_city, make_staff, sign_in

LISTS = [
    "/admin/tenants/city/",
    "/admin/tenants/domain/",
    "/admin/catalog/cityservice/",
    "/admin/delivery/deliverytarget/",
    "/admin/backoffice/staffuser/",
]


def add_cities(start: int, count: int) -> None:
    for n in range(start, start + count):
        city = make_city(f"ort{n}", f"Ort {n}", "Q" + chr(65 + n // 26) + chr(65 + n % 26), f"0699{n:04d}")
        enable_service(city, "hundesteuer")
        for role in (StaffUser.Role.CITY_ADMIN, StaffUser.Role.TEAM_LEAD):
            make_staff(f"{role}-{n}", city, role, with_backup_code=None)


def queries(client: Any, path: str) -> int:
    client.get(path)  # warm (session activity, caches)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("path", LISTS)
def test_admin_list_queries_do_not_grow_with_cities_and_staff(path: str, operator: StaffUser) -> None:
    add_cities(0, 2)
    client = host_client("localhost")
    sign_in(client, operator.username)
    few = queries(client, path)
    add_cities(2, 8)
    assert queries(client, path) == few
