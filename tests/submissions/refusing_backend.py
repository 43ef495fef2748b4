"""An email backend standing in for an SMTP server that refuses everything
(the fault tests use a real SMTP server; this keeps the unit test in-process)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise smtplib.SMTPDataError(451, b"refused: try again later")
