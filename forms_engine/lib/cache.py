"""The shared cache, failing open. Redis holding the cache may be away (a
restart, a failover, a network blip); citizen and staff pages must not go down
with it. Every caller on the request path reads through these helpers: an
error counts as a miss, a write is skipped, and the caller asks the database.

One warning per outage (not one per request: an outage at full traffic would
flood the logs); the error type only, never the key (keys may name a host or a
ticket), and a counter for the alert (docs/operations.md)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from prometheus_client import Counter

logger = logging.getLogger(__name__)

CACHE_ERRORS = Counter(
    "gemeinsam_cache_errors_total",
    "Cache operations that failed and fell back to the database, by operation.",
    ["operation"],
)
_MISSING = object()
_state = threading.local()


def _failed(operation: str, exc: Exception) -> None:
    CACHE_ERRORS.labels(operation=operation).inc()
    if not getattr(_state, "down", False):
        _state.down = True
        logger.warning("cache.unavailable operation=%s error=%s", operation, type(exc).__name__)


def _worked() -> None:
    if getattr(_state, "down", False):
        _state.down = False
        logger.info("cache.available")


# Any exception: the backends raise their own types (redis.RedisError,
# OSError, pymemcache errors, unpickling errors), and each of them means the
# same here: the cache cannot help with this request.
def get(key: str, default: Any = None) -> Any:
    try:
        value = cache.get(key, _MISSING)
    except Exception as exc:
        _failed("get", exc)
        return default
    _worked()
    return default if value is _MISSING else value


def set(key: str, value: Any, timeout: float) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception as exc:
        _failed("set", exc)
        return
    _worked()


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception as exc:
        _failed("delete", exc)
        return
    _worked()


def remember(key: str, timeout: float, compute: Callable[[], Any]) -> Any:
    """Read through: the cached value, else `compute()` (the database), kept for
    `timeout`. "Nothing" (None or False) is kept too, as False, and given back as
    None, so an unknown host or a service a city does not offer costs no query."""
    value = get(key)
    if value is None:
        value = compute()
        set(key, value or False, timeout)
    return value or None


def add(key: str, value: Any, timeout: float, *, when_down: bool) -> bool:
    """cache.add; `when_down` is the answer while the cache is away."""
    try:
        added = bool(cache.add(key, value, timeout))
    except Exception as exc:
        _failed("add", exc)
        return when_down
    _worked()
    return added
