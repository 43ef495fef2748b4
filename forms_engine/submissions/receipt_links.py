"""Download links for the receipt, for services whose confirmation email does
not carry the PDF (OnlineService.confirmation_attachments, docs/security.md).

Two secrets, on two ways: the link (token) travels by email, the code is shown
on the page after submitting, in the browser that submitted. Whoever reads the
email alone (a shared mailbox, a forwarded message) gets nothing. The code is
derived from the submission with a key (no second copy to keep), 8 characters
of an alphabet without look-alikes (40 bits); a link is locked for good after
RECEIPT_LINK_MAX_FAILURES wrong codes, and wrong codes count against the
client's wall of the resume throttle. Only the token's keyed hash is stored; the
URL pattern declares it a secret, so logs show "[redacted]"."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from forms_engine.lib.crypto import keyed_hash

from .models import ReceiptLink, Submission

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8


def hash_token(token: str) -> str:
    return keyed_hash(token, purpose="receipt-link")


def receipt_code(submission: Submission) -> str:
    """The citizen's code for this submission's links, e.g. "K7MQ-2XPA"."""
    digest = int(keyed_hash(str(submission.pk), purpose="receipt-code"), 16)
    chars = []
    for _ in range(CODE_LENGTH):
        digest, index = divmod(digest, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def normalise_code(typed: str) -> str:
    """What the citizen typed, as the code is written: case, spaces and dashes do not matter."""
    plain = "".join(c for c in typed.upper() if c.isalnum())
    return plain[:4] + "-" + plain[4:] if len(plain) == CODE_LENGTH else plain


def code_matches(submission: Submission, typed: str) -> bool:
    return secrets.compare_digest(normalise_code(typed), receipt_code(submission))


def create_link(submission: Submission) -> tuple[ReceiptLink, str]:
    """A new link for the submission; returns it with the token (never stored)."""
    token = secrets.token_urlsafe(32)
    link = ReceiptLink.objects.create(
        city=submission.city,
        submission=submission,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.RECEIPT_LINK_DAYS),
    )
    return link, token


def link_path(token: str) -> str:
    return reverse("receipt-download", kwargs={"token": token})


def find_link(token: str) -> ReceiptLink | None:
    """The link for this token in the current city's scope, or None."""
    return ReceiptLink.objects.select_related("submission").filter(token_hash=hash_token(token)).first()


def is_usable(link: ReceiptLink) -> bool:
    return (
        link.expires_at > timezone.now()
        and link.failures < settings.RECEIPT_LINK_MAX_FAILURES
        and link.submission.deleted_at is None
        and link.submission.status != Submission.Status.DELETED
    )


def record_failure(link: ReceiptLink) -> int:
    """Counts a wrong code on the row (kept, unlike the cache's client wall)."""
    ReceiptLink.objects.filter(pk=link.pk).update(failures=F("failures") + 1)
    link.refresh_from_db(fields=["failures"])
    return int(link.failures)


def record_download(link: ReceiptLink) -> None:
    ReceiptLink.objects.filter(pk=link.pk).update(downloads=F("downloads") + 1)
