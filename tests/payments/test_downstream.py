"""A booked payment reaches everything downstream: the PDF, every delivery
payload, FIT-Connect metadata `paymentInformation` (valid against the
Metadatensatz 1.0.0 schema, PAYED as BOOKED) and the back office (shown and
filterable). No card or account data exists anywhere on our side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from django.template.loader import render_to_string
from django_scopes import scope

from forms_engine.delivery.contrib.fitconnect.metadata import metadata
from forms_engine.delivery.payload import submission_payload
from forms_engine.documents.render import receipt_context
from forms_engine.payments.models import PaymentRequest
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission
from tests.backoffice.conftest import assign_service, signed_in
from tests.conftest import make_staff

from .conftest import citizen_at_check, press, submit

SCHEMA = json.loads((Path(__file__).parents[2] / "forms_engine/demo/metadata-1.0.0.schema.json").read_text())


def _paid(giessen: Any) -> tuple[Submission, PaymentRequest]:
    client, check_html = citizen_at_check()
    client.get(press(submit(client, check_html)["Location"], "pay", "PAYPAL"))
    with scope(city=giessen):
        submission = Submission.objects.select_related("city").get()
        return submission, PaymentRequest.objects.get(status="PAYED")


def test_payment_in_pdf_payload_and_fitconnect_metadata(provider: Any, giessen: Any) -> None:
    submission, payment = _paid(giessen)
    with scope(city=giessen):
        payload = submission_payload(submission)
        html = render_to_string("documents/receipt.html", receipt_context(submission))
    assert payload["payment"]["transactionReference"] == payment.reference
    assert (payload["payment"]["amount"], payload["payment"]["method"]) == ("150.00", "PAYPAL")
    assert payment.reference in html and "online bezahlt" in html
    document = metadata(submission, b"{}", [])
    jsonschema.validate(document, SCHEMA)
    info = document["paymentInformation"]
    assert (info["status"], info["paymentMethod"], info["grossAmount"]) == ("BOOKED", "PAYPAL", 150.0)
    assert info["transactionReference"] == payment.reference


def test_the_caseworker_sees_it_paid_and_can_filter(provider: Any, giessen: Any) -> None:
    submission, payment = _paid(giessen)
    caseworker = make_staff("paula-giessen-caseworker", giessen, StaffUser.Role.CASEWORKER)
    assign_service(caseworker, "bewohnerparkausweis")
    client = signed_in(caseworker, "giessen.localhost")
    detail = client.get(f"/backoffice/{submission.pk}/").content.decode()
    assert payment.reference in detail and "online bezahlt" in detail
    assert submission.reference in client.get("/backoffice/?payment=paid").content.decode()
    assert submission.reference not in client.get("/backoffice/?payment=unpaid").content.decode()


def test_no_card_or_account_data_is_stored(provider: Any, giessen: Any) -> None:
    _paid(giessen)
    columns = {f.name for f in PaymentRequest._meta.fields}
    assert not columns & {"iban", "card_number", "pan", "cvc", "account", "bic"}


def test_analytics_count_payment_methods_per_service(provider: Any, giessen: Any) -> None:
    from django.utils import timezone

    from forms_engine.analytics.models import DailyAggregate
    from forms_engine.analytics.rollup import rollup_day

    _paid(giessen)
    rollup_day(giessen, timezone.localdate())
    with scope(city=giessen):
        row = DailyAggregate.objects.get(service_slug="bewohnerparkausweis")
    assert row.payment_methods == {"PAYPAL": 1}
