"""Is the worker running a step still alive? (docs/processing.md)

Two signs, both needed before the sweep takes a running step away from its
worker:
- the worker's heartbeat row is older than WORKER_DEAD_AFTER (or missing), and
- nobody holds the step's PostgreSQL advisory lock. The running try holds it on
  its database connection for as long as it works; PostgreSQL drops it the
  moment that connection closes, which a killed process's connection does.
A live worker whose heartbeats are late (a slow database, a paused VM) still
holds the lock, so its step is never run a second time at once. SQLite (the
embedded demo) has no advisory locks; there the heartbeat alone decides."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

# First key of the two-key advisory lock: ours, so other users of advisory
# locks on the same database never collide with step locks.
LOCK_NAMESPACE = 0x6753  # "gS"


def _locks() -> bool:
    return connection.vendor == "postgresql"


def acquire(step_id: str) -> bool:
    """Take the step's lock for this connection's session; False if another
    session holds it (a running try of another worker)."""
    if not _locks():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, str(step_id)])
        return bool(cursor.fetchone()[0])


def release(step_id: str) -> None:
    if not _locks():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_NAMESPACE, str(step_id)])
    except Exception:  # the connection died, and with it the lock
        connection.close()


def held_elsewhere(step_id: str) -> bool:
    """True while some other session holds the step's lock."""
    if not acquire(step_id):
        return True
    release(step_id)
    return False


def dead_workers(names: set[str], now: datetime) -> set[str]:
    """Those of `names` whose heartbeat is missing or older than WORKER_DEAD_AFTER."""
    from forms_engine.tenants.models import Heartbeat

    since = now - timedelta(seconds=settings.WORKER_DEAD_AFTER)
    alive = set(Heartbeat.objects.filter(name__in=names, seen_at__gte=since).values_list("name", flat=True))
    return names - alive
