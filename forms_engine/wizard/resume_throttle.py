"""Resume attempts are limited, so that nobody can try resume codes at length.

Two walls, both counted in the shared cache (lib/cache: while it is away the
limits do not apply and resuming keeps working — the code's 100 bits are the
real protection, the walls only make guessing noisy and slow):

1. per client (lib.client_ip, per city): after RESUME_CLIENT_FAILURES wrong
   codes within RESUME_WINDOW_SECONDS the client must wait until the window
   ends; a right code does not reset it (an attacker could hold one code);
2. per draft: a draft is opened at most RESUME_DRAFT_OPENS times within the
   window (a code passed around or leaked is not an open door).

Every refusal and every wrong code is a security event in the log
("security.resume ..."), with the city, a keyed hash of the client address and
the draft's id — never the code, never the address itself.

Wrong codes on a receipt download link (submissions/receipt_links.py) count
against the same client wall: one client guessing secrets is one client,
whichever page it guesses on. Their events say "security.receipt"."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext

from forms_engine.lib import cache
from forms_engine.lib.client_ip import client_address
from forms_engine.lib.crypto import keyed_hash

logger = logging.getLogger("gemeinsam.security")


def _client(request: HttpRequest) -> str:
    return keyed_hash(client_address(request), purpose="resume-client")[:16]


def _client_key(request: HttpRequest) -> str:
    return f"wizard:resume:client:{request.city.pk}:{_client(request)}"  # type: ignore[attr-defined]


def _draft_key(draft: Any) -> str:
    return f"wizard:resume:draft:{draft.pk}"


def _wait(state: dict[str, Any] | None, limit: int) -> int:
    if not state or state["count"] < limit:
        return 0
    return max(0, int(state["until"] - time.time() + 0.999))


def _count(key: str) -> dict[str, Any]:
    now = time.time()
    state = cache.get(key)
    if not state or state["until"] <= now:
        state = {"count": 0, "until": now + settings.RESUME_WINDOW_SECONDS}
    state["count"] += 1
    cache.set(key, state, max(1, int(state["until"] - now) + 1))
    return dict(state)


def _event(request: HttpRequest, event: str, what: str = "resume", **fields: Any) -> None:
    extra = " ".join(f"{k}={v}" for k, v in fields.items())
    city = request.city.slug  # type: ignore[attr-defined]
    logger.warning("security.%s event=%s city=%s client=%s %s", what, event, city, _client(request), extra)


def client_wait_seconds(request: HttpRequest, what: str = "resume") -> int:
    """Seconds this client must still wait before it may try a code (0: none)."""
    wait = _wait(cache.get(_client_key(request)), settings.RESUME_CLIENT_FAILURES)
    if wait:
        _event(request, "client_throttled", what, wait=wait)
    return wait


def record_wrong_code(request: HttpRequest, what: str = "resume", **fields: Any) -> None:
    state = _count(_client_key(request))
    _event(request, "wrong_code", what, failures=state["count"], **fields)


def draft_wait_seconds(request: HttpRequest, draft: Any) -> int:
    """Counts this opening of the draft; seconds to wait when it is one too many."""
    state = _count(_draft_key(draft))
    wait = _wait(state, settings.RESUME_DRAFT_OPENS + 1)
    if wait:
        _event(request, "draft_throttled", draft=draft.pk, wait=wait)
    return wait


def wait_message(seconds: int) -> str:
    """The citizen's message while a wall holds, with the wait in minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many attempts. For your protection, please wait %(minutes)d minute and try again.",
        "Too many attempts. For your protection, please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
