"""The booked payment of a submission as everything downstream shows it: the
PDF, every delivery payload, FIT-Connect metadata `paymentInformation`, the
back office. Read inside the submission's own city scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_scopes import scope

from .models import PaymentRequest

# The back office's payment states (inbox column and filter), from the
# submission's payment rows: paid online, outstanding (awaiting payment, or
# payable after submission and not paid yet), booked late (to check), none.
PAID, OPEN, LATE = "paid", "open", "late"

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


def confirmation_note(submission: Any) -> str:
    """The confirmation email's payment paragraph, in the active language:
    the booked fee with its Kassenzeichen, or the pay link of a fee still open
    (paying after submission). Empty without online payment."""
    from forms_engine.tenants.links import city_base_url

    from .actions import pay_later_path

    payment = paid_request(submission)
    if payment is not None:
        return "\n\n" + _("Fee paid online: %(amount)s EUR. Kassenzeichen / transaction reference: %(reference)s") % {
            "amount": number_format(payment.amount_cents / 100, 2),
            "reference": payment.reference or payment.transaction_id,
        }
    with scope(city=submission.city):
        path = pay_later_path(submission)
    if path is None:
        return ""
    amount = (submission.fee or {}).get("amount") or "0"
    return "\n\n" + _("You can pay the fee of %(amount)s EUR online here: %(link)s") % {
        "amount": number_format(float(amount), 2),
        "link": city_base_url(submission.city) + path,
    }


def _rows(**filters: Any) -> Exists:
    return Exists(PaymentRequest.objects.filter(submission=OuterRef("pk"), **filters))


def payment_state_q(state: str) -> Q:
    """The inbox filter: one semi-join, no query per row."""
    if state == PAID:
        return Q(_rows(status="PAYED"))
    if state == LATE:
        return Q(_rows(late=True))
    if state == OPEN:
        return Q(_rows()) & ~Q(_rows(status="PAYED"))
    return ~Q(_rows(status="PAYED"))  # "unpaid": not paid online


def with_payment_state(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The inbox column, computed in the listing's own query."""
    annotated: QuerySet[Any] = qs.annotate(
        payment_state=Case(
            When(_rows(late=True), then=Value(LATE)),
            When(_rows(status="PAYED"), then=Value(PAID)),
            When(_rows(), then=Value(OPEN)),
            default=Value(""),
        )
    )
    return annotated


def backoffice_summary(submission: Any) -> dict[str, Any] | None:
    """The payment block of the back office's case page: the booked payment
    (with its Kassenzeichen), or the fee still outstanding, and any booking to
    check (paid after expiry, or a second time). None without online payment."""
    with scope(city=submission.city):
        rows = list(PaymentRequest.objects.filter(submission_id=submission.pk).order_by("created_at"))
    if not rows:
        return None
    paid = next((r for r in rows if r.status == PaymentRequest.Status.PAYED), None)
    return {
        "state": LATE if any(r.late for r in rows) else PAID if paid else OPEN,
        "paid": paid.as_data() if paid else None,
        "mode": rows[-1].get_mode_display(),
        "amount": rows[-1].amount,
        "to_check": [r.as_data() for r in rows if r.late],
    }


def history_items(submission: Any) -> list[dict[str, Any]]:
    """Bookings for the case history (they may come after the submission)."""
    with scope(city=submission.city):
        rows = PaymentRequest.objects.filter(submission_id=submission.pk, paid_at__isnull=False)
        return [
            {
                "at": r.paid_at,
                "by": None,
                "kind": "payment",
                "text": _("%(amount)s EUR, %(method)s, Kassenzeichen / transaction reference: %(reference)s")
                % {
                    "amount": number_format(r.amount_cents / 100, 2),
                    "method": r.method or "–",
                    "reference": r.reference or r.transaction_id,
                },
                "late": r.late,
            }
            for r in rows
        ]
