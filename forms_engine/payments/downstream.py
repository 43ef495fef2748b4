"""The booked payment of a submission as everything downstream shows it: the
PDF, every delivery payload, FIT-Connect metadata `paymentInformation`, the
back office. Read inside the submission's own city scope."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from .models import PaymentRequest

# FIT-Connect Metadatensatz 1.0.0 knows these methods, and BOOKED for PAYED.
FITCONNECT_METHODS = ("GIROPAY", "PAYDIRECT", "CREDITCARD", "PAYPAL", "INVOICE", "OTHER")


def paid_request(submission: Any) -> PaymentRequest | None:
    if submission is None or submission.pk is None:
        return None
    with scope(city=submission.city):
        return PaymentRequest.objects.filter(submission_id=submission.pk, status="PAYED").first()


def payment_data(submission: Any) -> dict[str, Any] | None:
    payment = paid_request(submission)
    return payment.as_data() if payment else None


def fitconnect_payment_information(submission: Any) -> dict[str, Any] | None:
    payment = paid_request(submission)
    if payment is None:
        return None
    info: dict[str, Any] = {
        "transactionReference": payment.reference or payment.transaction_id,
        "transactionId": (payment.transaction_id or payment.request_id)[:36],
        "paymentMethod": payment.method if payment.method in FITCONNECT_METHODS else "OTHER",
        "status": "BOOKED",  # XBezahldienste PAYED is BOOKED in the metadata schema
        "grossAmount": payment.amount_cents / 100,
    }
    if payment.transaction_url:
        info["transactionUrl"] = payment.transaction_url
    if payment.paid_at:
        info["transactionTimestamp"] = payment.paid_at.isoformat()
    return info
