"""`manage.py demo` builds the six demo cities with staff and services, can run
again without creating anything twice, and prints logins that work."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticToken
from django_scopes import scopes_disabled

from forms_engine.backoffice.models import ServiceAssignment
from forms_engine.catalog.models import CityService
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.management.commands.demo import DEMO_PASSWORD
from forms_engine.tenants.models import City, Domain
from tests.conftest import host_client

HOSTS = [f"{slug}.localhost" for slug in ("fulda", "giessen", "limburg", "marburg", "offenbach", "wetzlar")]


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--force", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            "cities": City.objects.count(),
            "domains": Domain.objects.count(),
            "staff": StaffUser.objects.count(),
            "services": CityService.objects.count(),
            "backup codes": StaticToken.objects.count(),
            "assignments": ServiceAssignment.objects.count(),
        }


def logins(output: str) -> dict[str, tuple[str, str]]:
    """user name -> (host, backup code), as printed."""
    found = re.findall(r"^\s+(\S+)\s+http://([a-z.]+):8000/staff/login/\s+backup code (\S+)$", output, re.MULTILINE)
    return {user: (host, code) for user, host, code in found}


def test_the_demo_is_idempotent(db):
    first = run_demo()
    after_first = counts()
    second = run_demo()
    assert counts() == after_first
    assert after_first["cities"] == 6
    assert after_first["domains"] == 6
    assert after_first["staff"] == 1 + 6 * 3
    assert after_first["services"] >= 6
    assert after_first["assignments"] >= 6
    assert len(logins(first)) == len(logins(second)) == 19


def test_the_six_city_hosts_serve_their_start_pages(db):
    run_demo()
    for host in HOSTS:
        page = host_client(host).get("/")
        assert page.status_code == 200, host
    assert "Fulda" in host_client("fulda.localhost").get("/").content.decode()


def test_every_demo_city_has_its_own_accessible_colour_and_arms(db):
    run_demo()
    cities = list(City.objects.all())
    assert len({c.accent_colour for c in cities}) == 6
    for city in cities:
        city.full_clean()  # the colours pass the contrast check
        assert city.coat_of_arms
        arms = host_client(f"{city.slug}.localhost").get("/coat-of-arms")
        assert arms["Content-Type"] == "image/svg+xml"


def test_the_printed_logins_work(db):
    run_demo()
    printed = logins(run_demo())  # a second run prints fresh codes, and those work
    for username in ("giessen-cityadmin", "operator"):
        host, code = printed[username]
        client = host_client(host)
        response = client.post("/staff/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response["Location"] == "/staff/login/verify/"
        response = client.post("/staff/login/verify/", {"token": code})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200, username


def test_the_demo_refuses_to_run_in_production_without_force(db):
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert City.objects.count() == 0


def test_a_giessen_caseworker_finds_neumann_and_bulk_assigns_ten_cases(db):
    printed = logins(run_demo())
    host, code = printed["giessen-caseworker"]
    client = host_client(host)
    client.post("/staff/login/", {"username": "giessen-caseworker", "password": DEMO_PASSWORD})
    client.post("/staff/login/verify/", {"token": code})
    found = client.get(client.post("/backoffice/", {"q": "Neumann"})["Location"])
    rows = found.context["rows"]
    assert len(rows) >= 5 and all("Neumann" in row["submission"].applicant_name for row in rows)
    assert all(row["submission"].due_on for row in rows)
    unassigned = client.get("/backoffice/?view=unassigned").context["rows"][:10]
    me = found.context["request"].user
    ids = [row["submission"].pk for row in unassigned]
    client.post("/backoffice/bulk/", {"ids": ids, "action": "assign", "assignee": me.pk})
    assert len(client.get("/backoffice/?view=mine").context["rows"]) == 10
