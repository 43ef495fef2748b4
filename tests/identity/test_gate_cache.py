"""Whether BundID is on for the city, and which services require it, is
cached per city (identity.access._gate): a step of a service with a login does
not read the settings row, a change the city saves is enforced on the next
page, and the cache holds only that answer, never the row with its key."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from forms_engine.identity.access import _gate_key
from forms_engine.identity.models import BundIdSettings

from .idp import BundIdStandIn

PARKING = "bewohnerparkausweis"


def _start(citizen: Client) -> str:
    started = citizen.post(f"/{PARKING}/", {"action": "start"})
    assert started.status_code == 302
    return str(started["Location"])


def test_a_step_does_not_read_the_settings_row(citizen: Client, bundid: BundIdStandIn) -> None:
    first = _start(citizen)
    citizen.get(first)
    with CaptureQueriesContext(connection) as queries:
        assert citizen.get(first).status_code == 200
    read = [m.group(1) for q in queries.captured_queries if (m := re.match(r'SELECT .*? FROM "(\w+)"', q["sql"]))]
    assert "identity_bundidsettings" not in read and "wizard_draft" in read


def test_a_service_made_required_is_enforced_on_the_next_page(
    citizen: Client, bundid: BundIdStandIn, giessen: Any
) -> None:
    first = _start(citizen)
    assert citizen.get(first).status_code == 200
    with scope(city=giessen):
        row = BundIdSettings.objects.get()
        row.required_services = PARKING
        row.save()
    refused = citizen.get(first)
    assert refused.status_code == 302 and refused["Location"] == f"/{PARKING}/"


def test_bundid_switched_off_offers_no_login_at_once(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    assert "Mit BundID anmelden" in citizen.get(f"/{PARKING}/").content.decode()
    with scope(city=giessen):
        row = BundIdSettings.objects.get()
        row.enabled = False
        row.save()
    assert "BundID" not in citizen.get(f"/{PARKING}/").content.decode()
    with scope(city=giessen):
        row.enabled = True
        row.save()
        assert "Mit BundID anmelden" in citizen.get(f"/{PARKING}/").content.decode()
        row.delete()
    assert "BundID" not in citizen.get(f"/{PARKING}/").content.decode()


def test_the_cache_holds_the_answer_not_the_key(citizen: Client, bundid: BundIdStandIn, giessen: Any) -> None:
    with scope(city=giessen):
        BundIdSettings.objects.update(required_services=f"{PARKING}, unterhaltsvorschuss")
        row = BundIdSettings.objects.get()
    citizen.get(f"/{PARKING}/")
    cached = cache.get(_gate_key(giessen.pk))
    assert cached == ("on", [PARKING, "unterhaltsvorschuss"])
    assert row.sp_key[40:80] not in repr(cached)
