"""Write-side actions of online payment (docs/payments.md). The submission
waits in status *awaiting payment* (reference reserved, no pipeline); each
attempt is a PaymentRequest with its own requestId; the status always comes
from the provider's GET, never from what the browser brings back. Booking
starts the pipeline exactly once (row locks on submission and request, and a
unique constraint: one PAYED request per submission)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forms_engine.analytics.recorder import record
from forms_engine.catalog import registry
from forms_engine.submissions import pipeline
from forms_engine.submissions.models import Submission

from .models import PaymentProvider, PaymentRequest
from .xbezahldienste import Client, ProviderError, Transaction

logger = logging.getLogger(__name__)
AWAITING = Submission.Status.AWAITING_PAYMENT


def provider_for(city: Any) -> PaymentProvider | None:
    return PaymentProvider.objects.filter(city=city).first()


def payment_mode(city: Any, city_service: Any, service: Any, fee: Any) -> str:
    """How this submission's fee is paid online: "before", "after" or "" (not
    online). The city service chose a mode the service allows, the city's
    provider is on, and there is a fee to pay (computed on the server)."""
    mode = getattr(city_service, "payment_mode", "") or ""
    if fee is None or fee.amount <= 0 or mode not in service.payment_modes:
        return ""
    provider = provider_for(city)
    return mode if provider is not None and provider.enabled else ""


def pays_before_submit(city: Any, city_service: Any, service: Any, fee: Any) -> bool:
    return payment_mode(city, city_service, service, fee) == PaymentRequest.Mode.BEFORE


def payment_offer(*, submission: Submission) -> PaymentRequest:
    """Paying after submission: inside the submission's transaction, the one
    `offered` row that the confirmation's pay link starts (docs/payments.md)."""
    return PaymentRequest.objects.create(
        city=submission.city,
        submission=submission,
        mode=PaymentRequest.Mode.AFTER,
        status=PaymentRequest.Status.OFFERED,
        request_id=str(uuid.uuid4()),
        amount_cents=_cents(submission),
    )


PAY_LATER_SALT = "payments.pay-later"


def pay_later_path(submission: Submission) -> str | None:
    """The pay link of a delivered submission whose fee is still open (the
    confirmation page and email): signed, so it works from any browser, and
    idempotent (the same link; using it twice finds the attempt already open)."""
    if not payable_later(submission):
        return None
    return reverse("payments-later", args=[signing.Signer(salt=PAY_LATER_SALT).sign(str(submission.pk))])


def submission_for_pay_link(token: str) -> Submission | None:
    try:
        pk = signing.Signer(salt=PAY_LATER_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Submission.objects.filter(pk=pk).first()


def payable_later(submission: Submission) -> bool:
    """The fee of a delivered submission may still be paid by its pay link."""
    if submission.status in (AWAITING, Submission.Status.DELETED):
        return False
    payments = PaymentRequest.objects.filter(submission=submission)
    return payments.filter(mode=PaymentRequest.Mode.AFTER).exists() and not payments.filter(status="PAYED").exists()


def _cents(submission: Submission) -> int:
    return int((Decimal((submission.fee or {})["amount"]) * 100).to_integral_value())


def _wire_request(
    pr: PaymentRequest, submission: Submission, provider: PaymentProvider, return_url: str
) -> dict[str, Any]:
    service = registry.get(submission.service_slug)
    title = str(service.title) if service else submission.service_slug
    return {
        "requestId": pr.request_id,
        "requestTimestamp": pr.created_at.isoformat(timespec="seconds"),
        "currency": "EUR",
        "grosAmount": pr.amount_cents,  # sic: the interface spells it with one "s"
        "purpose": provider.purpose(submission.reference),
        "description": f"{title} – {submission.reference}"[:250],
        "redirectUrl": return_url,
        "items": [
            {
                "id": submission.reference[:36],
                "reference": submission.reference,
                "description": title[:250],
                "taxRate": 0,
                "quantity": 1,
                "totalNetAmount": pr.amount_cents,
                "totalTaxAmount": 0,
                "singleNetAmount": pr.amount_cents,
                "singleTaxAmount": 0,
                "bookingData": {"service": submission.service_slug},
            }
        ],
    }


def payment_start(*, submission: Submission, return_url: Callable[[PaymentRequest], str]) -> PaymentRequest:
    """Start (or find) the attempt to pay `submission`. A double click, a reload
    or a second tab get the attempt already open (or paid) instead of a new one."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        existing = (
            PaymentRequest.objects.filter(submission=locked, status__in=[*PaymentRequest.OPEN, "PAYED"])
            .order_by("-created_at")
            .first()
        )
        if existing is not None or not (locked.status == AWAITING or payable_later(locked)):
            return existing or PaymentRequest.objects.filter(submission=locked).order_by("-created_at").first()  # type: ignore[return-value]
        now = timezone.now()
        expires = now + timedelta(seconds=settings.PAYMENT_EXPIRY_SECONDS)
        pr = PaymentRequest.objects.filter(submission=locked, status=PaymentRequest.Status.OFFERED).first()
        if pr is not None:  # the pay link's first use: the offered row becomes the attempt
            pr.status, pr.created_at, pr.expires_at = PaymentRequest.Status.NEW, now, expires
            pr.save(update_fields=["status", "created_at", "expires_at"])
        else:
            pr = PaymentRequest.objects.create(
                city=locked.city,
                submission=locked,
                mode=PaymentRequest.Mode.BEFORE if locked.status == AWAITING else PaymentRequest.Mode.AFTER,
                request_id=str(uuid.uuid4()),
                amount_cents=_cents(locked),
                created_at=now,
                expires_at=expires,
            )
    provider = provider_for(submission.city)
    try:
        if provider is None or not provider.enabled:
            raise ProviderError("no provider")
        tx = Client(provider).create(_wire_request(pr, locked, provider, return_url(pr)))
    except ProviderError as exc:
        logger.warning("payment provider refused or unreachable: %s", exc)
        pr.status = PaymentRequest.Status.UNREACHABLE
        pr.save(update_fields=["status"])
        return pr
    pr.transaction_id, pr.pay_url, pr.transaction_url = tx.transaction_id, tx.pay_url, tx.transaction_url
    pr.status = tx.status if tx.status in PaymentRequest.Status.values else PaymentRequest.Status.INITIAL
    pr.schedule_poll()
    pr.save(update_fields=["transaction_id", "pay_url", "transaction_url", "status", "next_poll_at"])
    if pr.status != PaymentRequest.Status.INITIAL:
        return _apply(pr, tx)
    return pr


def payment_refresh(*, payment: PaymentRequest) -> PaymentRequest:
    """Ask the provider for the status of an open attempt and act on it. The
    provider down: nothing changes, the poller asks again later."""
    if payment.status == PaymentRequest.Status.EXPIRED and payment.next_poll_at and not payment.may_still_be_paid():
        PaymentRequest.objects.filter(pk=payment.pk).update(next_poll_at=None)  # the late window is over
        return payment
    if not (payment.is_open or payment.may_still_be_paid()) or not payment.transaction_id:
        return payment
    provider = provider_for(payment.city)
    if provider is None:
        return payment
    try:
        tx = Client(provider).status(payment.transaction_id)
    except ProviderError as exc:
        logger.warning("payment status not available: %s", exc)
        return _backoff(payment)
    return _apply(payment, tx)


def _backoff(payment: PaymentRequest) -> PaymentRequest:
    """No answer: ask later. Never expire on silence: the citizen may have paid
    (expiry needs the provider's word that the attempt is still unpaid)."""
    with transaction.atomic():
        locked = PaymentRequest.objects.select_for_update().get(pk=payment.pk)
        locked.polls += 1
        locked.schedule_poll()
        locked.save(update_fields=["polls", "next_poll_at"])
    return locked


def _apply(payment: PaymentRequest, tx: Transaction) -> PaymentRequest:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=payment.submission_id)
        locked = PaymentRequest.objects.select_for_update().get(pk=payment.pk)
        late = locked.may_still_be_paid()
        if not (locked.is_open or late):  # a concurrent return or the poller was first
            return locked
        locked.polls += 1
        locked.method = tx.method[:20] or locked.method
        locked.reference = tx.reference[:100] or locked.reference
        if tx.status == "PAYED":
            if PaymentRequest.objects.filter(submission=submission, status="PAYED").exists():
                # Paid twice (a late attempt after another one was booked): never
                # lose it silently; the back office sees it and refunds.
                locked.late, locked.status, locked.next_poll_at = True, PaymentRequest.Status.EXPIRED, None
                locked.paid_at = timezone.now()
                locked.save()
                logger.warning("payment booked twice for one submission; flagged for the back office")
                return locked
            locked.status, locked.paid_at, locked.next_poll_at = PaymentRequest.Status.PAYED, timezone.now(), None
            locked.late = late
            locked.save()
            _book(submission, locked)
        elif tx.status in ("CANCELED", "FAILED"):
            locked.status, locked.next_poll_at = tx.status, None
            locked.save()
        elif late:  # still unpaid after expiry: ask again until the late window ends
            locked.schedule_poll()
            if locked.expires_at is None or locked.expires_at + PaymentRequest.LATE_WINDOW <= timezone.now():
                locked.next_poll_at = None
            locked.save()
        else:
            locked.schedule_poll()
            if locked.expires_at is not None and locked.expires_at <= timezone.now():
                _expire(locked)
            locked.save()
    return locked


def _book(submission: Submission, paid: PaymentRequest) -> None:
    """Paid: a submission awaiting payment is received and its pipeline starts,
    once. One closed by expiry (the citizen paid late) is revived the same way;
    one delivered already (paid after submission) only shows the booking (case
    history, payment block, inbox column)."""
    from forms_engine.wizard.models import Draft

    if submission.status == Submission.Status.CLOSED and paid.late and paid.mode == PaymentRequest.Mode.BEFORE:
        _revive(submission)  # closed by the expiry, never delivered: it goes on now
    if submission.status == AWAITING:
        submission.status = Submission.Status.RECEIVED
        submission.save(update_fields=["status"])
        pipeline.plan_steps(submission)
        for draft in Draft.objects.filter(submission=submission):
            draft.mark_submitted(submission)  # the answers live on in the submission only
        submission_id, city_id = str(submission.pk), submission.city_id
        transaction.on_commit(lambda: pipeline.start(submission_id, city_id))
        service = registry.get(submission.service_slug)
        if service is not None:
            service.after_submit(submission)
    elif paid.mode != PaymentRequest.Mode.AFTER:
        return  # not waiting for it and not payable later: booked and flagged (`late`), nothing else
    # Anonymous: payment methods per service, as eGovSAD shows them (no amount, no person).
    record(city=submission.city, service_slug=submission.service_slug, event="paid", step=paid.method)
    on_payment_booked(submission)


def _revive(submission: Submission) -> None:
    """A payment booked after its attempt expired, on a submission that expiry
    closed: the money is there, so the submission goes on as if paid in time.
    Its data never left it; its documents come back from the released draft
    unless the citizen has meanwhile submitted that draft again (then the
    documents stay with the new submission, and the back office sees the late
    payment flagged on this one)."""
    from forms_engine.submissions.models import Attachment
    from forms_engine.wizard.models import Draft

    released = (
        PaymentRequest.objects.filter(submission=submission, released_draft__isnull=False)
        .values_list("released_draft", flat=True)
        .first()
    )
    draft = Draft.objects.filter(pk=released).first() if released else None
    if draft is not None and draft.submission_id is None:
        Attachment.objects.filter(draft=draft).update(submission=submission, draft=None)
        draft.submission = submission
        draft.save(update_fields=["submission", "updated_at"])
    submission.status, submission.decided_at = AWAITING, None
    submission.save(update_fields=["status", "decided_at"])


def on_payment_booked(submission: Submission) -> None:
    """Hook for the back-office rules (issue 17): called inside the booking
    transaction, once per submission whose fee is booked (paid before
    submission: right after its pipeline was planned; paid after: the case is
    in the back office already): the payment rules are planned."""
    from forms_engine.backoffice.models import Rule
    from forms_engine.backoffice.rules import plan_rules

    plan_rules(submission, Rule.Trigger.PAYMENT)


def _expire(payment: PaymentRequest) -> None:
    """Unpaid too long: the attempt expires; the submission is closed unless
    another attempt is still open, and its draft is released for the citizen
    to resume (answers kept)."""
    from forms_engine.wizard.models import Draft

    payment.status = PaymentRequest.Status.EXPIRED
    if payment.may_still_be_paid():  # the provider knows it: keep asking, in case the citizen pays late
        payment.schedule_poll()
    else:
        payment.next_poll_at = None
    others = PaymentRequest.objects.filter(
        submission_id=payment.submission_id, status__in=[*PaymentRequest.OPEN, "PAYED"]
    )
    if others.exclude(pk=payment.pk).exists():
        return
    submission = Submission.objects.select_for_update().get(pk=payment.submission_id)
    if submission.status != AWAITING:
        return
    submission.status = Submission.Status.CLOSED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at"])
    from forms_engine.submissions.models import Attachment

    for draft in Draft.objects.filter(submission=submission):
        Attachment.objects.filter(submission=submission).update(draft=draft, submission=None)
        draft.submission = None
        draft.save(update_fields=["submission", "updated_at"])
        payment.released_draft = draft.pk  # a late booking takes it back (_revive)


def poll_due(*, now: Any = None) -> int:
    """The poller's work for one city (inside its scope): every open attempt
    whose next poll is due. Returns how many were asked."""
    now = now or timezone.now()
    due = list(
        PaymentRequest.objects.filter(status__in=["INITIAL", "expired"], next_poll_at__lte=now).order_by(
            "next_poll_at"
        )[:200]
    )
    for payment in due:
        payment_refresh(payment=payment)
    stale = PaymentRequest.objects.filter(status="new", created_at__lt=now - timedelta(minutes=10))
    for payment in stale:  # created here, never answered by the provider (a crash): expire like any other
        with transaction.atomic():
            # Submission before attempt, as everywhere here (no deadlock with a return).
            Submission.objects.select_for_update().get(pk=payment.submission_id)
            locked = PaymentRequest.objects.select_for_update().get(pk=payment.pk)
            if locked.status == "new":
                _expire(locked)
                locked.save(update_fields=["status", "next_poll_at", "released_draft"])
    return len(due)
