"""Payment figures for `make bench` (contract: bench/README.md).

The latency paying online adds to the submit path, against the local stand-in
of an XBezahldienste provider (forms_engine/demo/bezahldienst.py) on
127.0.0.1, in-process: `payment_start` (the attempt's row, POST
paymenttransaction with HTTP Basic, the pay page's address stored) and, after
the citizen pressed "pay", the return: `payment_refresh` (GET status) and the
booking (the pipeline's steps planned). Median and p95 over BENCH_PAYMENT_ROUNDS
(default 30) parking permits. The stand-in answers in the same process, so
the figure is an upper bound of our own cost; a real provider adds its network
time and its own pay page.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import requests

Row = tuple[str, str, str]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _awaiting(city: Any) -> Any:
    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.submissions.actions import submission_submit
    from forms_engine.wizard import engine

    service = registry.get("bewohnerparkausweis")
    assert service is not None
    context = CityService.objects.get(city=city, service_slug=service.slug).context()
    answers = Answers(dict(service.sample_answers["company_car_two_years"]))
    return submission_submit(
        city=city, service=service, context=context, answers=answers,
        snapshot=engine.snapshot(service, context, answers, []), attachments=[], language="de",
        awaiting_payment=True,
    )  # fmt: skip


def run() -> list[Row]:
    from django.test import override_settings
    from django_scopes import scope, scopes_disabled

    from forms_engine.demo.bezahldienst import Bezahldienst
    from forms_engine.payments import actions
    from forms_engine.payments.models import PaymentProvider
    from forms_engine.tenants.models import City

    rounds = int(os.environ.get("BENCH_PAYMENT_ROUNDS", "30"))
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
    fake = Bezahldienst(auth="basic")
    fake.start()
    starts: list[float] = []
    returns: list[float] = []
    booked = 0
    try:
        with override_settings(DELIVERY_ALLOW_PRIVATE_TARGETS=True), scope(city=city):
            s = fake.settings()
            PaymentProvider.objects.update_or_create(
                city=city,
                defaults={
                    "enabled": True, "base_url": s["base_url"], "originator_id": s["originator_id"],
                    "endpoint_id": s["endpoint_id"], "auth": "basic", "username": s["username"],
                    "secret": s["password"],
                },
            )  # fmt: skip
            for n in range(rounds + 1):  # the first one warms up
                submission = _awaiting(city)
                started = time.perf_counter()
                payment = actions.payment_start(
                    submission=submission, return_url=lambda p: f"http://giessen.localhost/bezahlen/zurueck/{p.pk}/"
                )
                took = time.perf_counter() - started
                requests.post(payment.pay_url, data={"action": "pay"}, allow_redirects=False, timeout=10)
                started = time.perf_counter()
                payment = actions.payment_refresh(payment=payment)
                back = time.perf_counter() - started
                if n:
                    starts.append(took)
                    returns.append(back)
                    booked += payment.status == "PAYED"
            PaymentProvider.objects.filter(city=city).delete()
    finally:
        fake.stop()
    method = f"{rounds} parking permits, local stand-in provider (HTTP Basic), in-process"
    return [
        ("Payment start (median)", f"{statistics.median(starts) * 1000:.0f} ms", method),
        ("Payment start (p95)", f"{_p95(starts) * 1000:.0f} ms", method),
        ("Payment return + booking (median)", f"{statistics.median(returns) * 1000:.0f} ms", method),
        ("Payment return + booking (p95)", f"{_p95(returns) * 1000:.0f} ms", method),
        ("Payments booked", f"{booked} of {rounds}", "status PAYED after the return"),
    ]
