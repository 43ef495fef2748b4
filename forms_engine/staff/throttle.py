"""Sign-in throttling that an attacker cannot turn against a named colleague.

Three walls, each keyed so that one address never denies a name:

1. per address (lib.client_ip, so TRUSTED_PROXIES decide what an address is):
   after STAFF_LOGIN_FREE_FAILURES failures, each further attempt from that
   address must wait, doubling from STAFF_LOGIN_DELAY_SECONDS up to
   STAFF_LOGIN_MAX_DELAY_SECONDS; the delay ends with the next success;
2. per name *and* address (django-axes, AXES_FAILURE_LIMIT): guessing one
   name from one address locks that pair only;
3. per name, only against credential stuffing: when failures for one name
   come from STAFF_NAME_LOCK_ADDRESSES different addresses within the axes
   cool-off, the password alone no longer signs that name in. The real person
   still gets in with password *and* a backup code, or a city administrator
   unlocks the name (admin: "access attempts", delete = unlock).

The data behind walls 2 and 3 is axes' AccessAttempt table, which the admin shows.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from forms_engine.lib import cache  # fails open: a cache outage must not stop sign-in
from forms_engine.lib.client_ip import client_address


def _key(request: HttpRequest) -> str:
    return f"staff:login-throttle:{client_address(request)}"


def wait_seconds(request: HttpRequest) -> int:
    """How long this address must still wait before its next attempt (0: none)."""
    state = cache.get(_key(request))
    if not state:
        return 0
    return max(0, int(state["until"] - time.time() + 0.999))


def record_failure(request: HttpRequest) -> None:
    state = cache.get(_key(request)) or {"failures": 0, "until": 0.0}
    state["failures"] += 1
    extra = state["failures"] - settings.STAFF_LOGIN_FREE_FAILURES
    if extra > 0:
        delay = min(settings.STAFF_LOGIN_DELAY_SECONDS * 2 ** (extra - 1), settings.STAFF_LOGIN_MAX_DELAY_SECONDS)
        state["until"] = time.time() + delay
    cache.set(_key(request), state, settings.STAFF_LOGIN_MAX_DELAY_SECONDS * 2)


def record_success(request: HttpRequest) -> None:
    cache.delete(_key(request))


def name_locked(username: str) -> bool:
    """Failures for this name from many addresses: credential stuffing."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    addresses = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since).values("ip_address").distinct().count()
    )
    return bool(addresses >= settings.STAFF_NAME_LOCK_ADDRESSES)
