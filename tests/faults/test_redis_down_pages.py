"""Redis holding the cache goes away: citizen and staff pages keep working
(the host lookup falls back to the database), the outage is logged once, and
counted; once Redis is back the cache fills again."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
import redis

from forms_engine.lib.cache import CACHE_ERRORS
from tests.conftest import enable_service, host_client, sign_in
from tests.faults.servers import RedisServer
from tests.wizard.conftest import PERSON, SLUG, answer, start

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]


def _redis_cache(server: RedisServer) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def _errors() -> float:
    return sum(
        sample.value
        for metric in CACHE_ERRORS.collect()
        for sample in metric.samples
        if sample.name == "gemeinsam_cache_errors_total"
    )


def test_pages_work_without_the_cache(
    giessen: Any, giessen_admin: Any, own_redis: RedisServer, settings: Any, caplog: Any
) -> None:
    settings.CACHES = _redis_cache(own_redis)
    enable_service(giessen, SLUG)
    citizen = host_client("giessen.localhost")
    assert citizen.get("/").status_code == 200
    keys = redis.Redis.from_url(own_redis.url).keys("*tenants:host:*")
    assert keys, "the host lookup is cached in Redis while Redis is up"

    own_redis.stop()
    stopped = time.monotonic()
    errors_before = _errors()
    with caplog.at_level(logging.INFO, logger="forms_engine.lib.cache"):
        start(citizen)  # a draft is created and the first step shown
        assert answer(citizen, "person", PERSON).status_code == 302
        assert citizen.get(f"/{SLUG}/nachweise/").status_code == 200
        assert citizen.get("/").status_code == 200
        staff = host_client("giessen.localhost")
        sign_in(staff, giessen_admin.username)  # password, second factor, session
        assert staff.get("/admin/").status_code == 200
    print(f"the citizen and staff requests answered in {time.monotonic() - stopped:.1f} s without Redis")
    warnings = [r for r in caplog.records if r.getMessage().startswith("cache.unavailable")]
    assert len(warnings) == 1, "one warning per outage, not one per request"
    assert "giessen" not in warnings[0].getMessage()  # the error type, never a key (hosts, tickets)
    assert _errors() > errors_before

    own_redis.start()
    assert citizen.get("/").status_code == 200
    assert redis.Redis.from_url(own_redis.url).keys("*tenants:host:*"), "the cache fills again"
