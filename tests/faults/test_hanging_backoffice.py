"""One city's back office hangs: after DELIVERY_BREAKER_THRESHOLD timeouts its
target is paused, its other deliveries wait (rescheduled, not failed), and
another city's delivery goes out without queueing behind the hanging ones.
When the pause is over and the back office answers again, one probe closes
the breaker and every waiting delivery goes out once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from forms_engine.delivery.models import DeliveryTarget
from forms_engine.submissions import pipeline
from forms_engine.submissions.models import ProcessingStep
from tests.conftest import host_client, sign_in
from tests.delivery.contrib.webhook.receiver import running_receiver
from tests.faults.conftest import all_done, step_states, wait_for
from tests.submissions.helpers import make_target, submit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
SECRET = "fault-test-secret-0123456789"
THRESHOLD = 2
WAITING = 4  # Gießen submissions whose delivery is due while the back office hangs


class Hanging:
    """A back office that accepts the connection and answers nothing, until it
    is told to recover; then it answers 200 at once."""

    def __init__(self) -> None:
        self.recovered = threading.Event()
        self.hung = 0
        self.keys: list[str] = []
        self.lock = threading.Lock()
        self.url = ""


@contextmanager
def hanging_backoffice() -> Iterator[Hanging]:
    office = Hanging()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not office.recovered.is_set():
                with office.lock:
                    office.hung += 1
                office.recovered.wait(60)
                return  # the client gave up long ago
            with office.lock:
                office.keys.append(self.headers.get("Idempotency-Key", ""))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    office.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield office
    finally:
        office.recovered.set()
        server.shutdown()
        server.server_close()


def _delivery(submission: Any) -> ProcessingStep:
    return step_states(submission)["delivery"]


def test_a_hanging_backoffice_does_not_delay_another_city(
    giessen: Any, marburg: Any, giessen_admin: Any, start_worker: Any
) -> None:
    with hanging_backoffice() as office, running_receiver(SECRET) as healthy:
        make_target(giessen, "webhook", {"url": office.url, "secret": SECRET})
        make_target(marburg, "webhook", {"url": healthy.url, "secret": SECRET})
        start_worker(
            DELIVERY_WEBHOOK_TIMEOUT="2",
            DELIVERY_BREAKER_THRESHOLD=str(THRESHOLD),
            DELIVERY_BREAKER_PAUSE="300",
        )
        waiting = [submit(giessen, email=None) for _ in range(WAITING)]
        other = submit(marburg, email=None)
        submitted = time.monotonic()
        wait_for(lambda: all_done(other), 90, "Marburg's delivery")
        print(f"Marburg delivered {time.monotonic() - submitted:.1f} s after its submit")
        # Without the breaker the single delivery slot would have waited behind
        # every Gießen try (each hanging for the full timeout, then retried).
        assert office.hung <= THRESHOLD
        assert len(healthy.accepted) == 1

        wait_for(lambda: all(_delivery(s).next_try_at for s in waiting), 30, "Gießen deliveries rescheduled")
        with scopes_disabled():
            target = DeliveryTarget.objects.get(city=giessen)
        assert target.paused_until is not None and target.consecutive_failures == THRESHOLD
        wait_for(lambda: all(_delivery(s).state == "pending" for s in waiting), 30, "no Gießen try running")
        deliveries = [_delivery(s) for s in waiting]
        assert all(d.state == "pending" for d in deliveries)  # waiting, never failed
        assert sum(d.attempts for d in deliveries) == THRESHOLD  # the paused ones spent no attempt
        admin = host_client("giessen.localhost")
        sign_in(admin, giessen_admin.username)
        assert "pausiert bis" in admin.get("/admin/delivery/deliverytarget/").content.decode()

        # The back office recovers and the pause is over (moved into the past
        # here instead of waiting 300 s): one probe, then everything goes out.
        office.recovered.set()
        with scope(city=giessen):
            DeliveryTarget.objects.filter(pk=target.pk).update(paused_until=timezone.now() - timedelta(seconds=1))
            ProcessingStep.objects.filter(submission__in=waiting, kind="delivery").update(next_try_at=timezone.now())
        wait_for(
            lambda: all(all_done(s) for s in waiting), 90, "Gießen deliveries after recovery", every=pipeline.sweep
        )
    assert sorted(office.keys) == sorted(str(_delivery(s).pk) for s in waiting)  # each delivered once
    with scopes_disabled():
        target = DeliveryTarget.objects.get(city=giessen)
    assert target.paused_until is None and target.consecutive_failures == 0
