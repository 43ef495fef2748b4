"""FIT-Connect figures for `make bench` (contract: bench/README.md).

Time to deliver one Unterhaltsvorschuss submission with three attachments
(plus the receipt PDF) over FIT-Connect to the local stand-in of the
Zustelldienst (forms_engine/demo/zustelldienst.py) on 127.0.0.1: token (cached
after the first), destination and key (checked), create, four attachment
uploads as JWE, submit. Median and p95 over 20 deliveries, and the share of
that time spent encrypting (the same parts encrypted alone, median over 20).
The stand-in decrypts and validates in this same process, so its work is in
the total too: the figure is an upper bound for the sender's own cost.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

Row = tuple[str, str, str]
DELIVERIES = 20
ATTACHMENT_BYTES = 300_000  # a phone photo of a document, roughly


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _submission(city: Any) -> Any:
    import os

    from forms_engine.catalog import registry
    from forms_engine.catalog.base import Answers
    from forms_engine.catalog.models import CityService
    from forms_engine.submissions.actions import submission_submit
    from forms_engine.submissions.models import Attachment
    from forms_engine.wizard import engine

    service = registry.get("unterhaltsvorschuss")
    assert service is not None
    context = CityService.objects.get(city=city, service_slug=service.slug).context()
    answers = Answers(dict(service.sample_answers[next(iter(service.sample_answers))]))
    attachments = [
        Attachment.store(
            city=city,
            content=b"%PDF-1.4\n" + os.urandom(ATTACHMENT_BYTES),
            step="kinder",
            key="geburtsurkunde",
            filename=f"Nachweis {n}.pdf",
            content_type="application/pdf",
        )
        for n in range(1, 4)
    ]
    snapshot = engine.snapshot(service, context, answers, [])
    return submission_submit(
        city=city, service=service, context=context, answers=answers, snapshot=snapshot,
        attachments=attachments, language="de",
    )  # fmt: skip


def run() -> list[Row]:
    from django.test import override_settings
    from django_scopes import scope, scopes_disabled

    from forms_engine.delivery import registry as channels
    from forms_engine.delivery.base import Delivery
    from forms_engine.delivery.contrib.fitconnect import crypto, metadata
    from forms_engine.delivery.models import DeliveryTarget
    from forms_engine.demo.zustelldienst import Zustelldienst, running
    from forms_engine.documents.render import render_receipt
    from forms_engine.tenants.models import City

    channel = channels.get("fitconnect")
    assert channel is not None
    with scopes_disabled():
        city = City.objects.get(slug="giessen")
    with running(Zustelldienst()) as fake, scope(city=city):
        destination = fake.add_destination("urn:de:fim:leika:leistung:99107021017000", [])
        target = DeliveryTarget(city=city, service_slug="unterhaltsvorschuss", name="Bench", channel="fitconnect")
        with override_settings(DELIVERY_ALLOW_PRIVATE_TARGETS=True):
            target.configure(fake.options(destination_id=destination))
        target.save()
        submission = _submission(city)
        pdf = render_receipt(submission)
        totals: list[float] = []
        for _ in range(DELIVERIES + 1):  # the first one warms up (token, imports)
            delivery = Delivery(submission=submission, pdf=pdf, idempotency_key=str(uuid.uuid4()))
            started = time.perf_counter()
            channel.deliver(target, delivery)
            totals.append(time.perf_counter() - started)
        totals = totals[1:]
        key = crypto.check_encryption_key(fake.keys.encryption_public())
        parts = metadata.parts(submission, pdf, str(uuid.uuid4()))
        data = metadata.data_bytes(submission)
        document = json.dumps(metadata.metadata(submission, data, parts)).encode()
        encrypting: list[float] = []
        for _ in range(DELIVERIES):
            started = time.perf_counter()
            for part in parts:
                crypto.encrypt(key, part.content, part.mime_type)
            crypto.encrypt(key, document, "application/json")
            crypto.encrypt(key, data, "application/json")
            encrypting.append(time.perf_counter() - started)
        accepted = len(fake.submitted)
        target.delete()
    median, p95 = statistics.median(totals), _p95(totals)
    share = statistics.median(encrypting) / median
    method = f"{DELIVERIES} deliveries, 3 attachments of {ATTACHMENT_BYTES // 1000} kB + receipt, local stand-in"
    return [
        ("FIT-Connect delivery (median)", f"{median * 1000:.0f} ms", method),
        ("FIT-Connect delivery (p95)", f"{p95 * 1000:.0f} ms", method),
        ("FIT-Connect encryption share", f"{share * 100:.0f} %", "JWE of the same 6 parts alone, median / median"),
        ("FIT-Connect submissions taken", f"{accepted} of {DELIVERIES + 1}", "decrypted and checked by the stand-in"),
    ]
