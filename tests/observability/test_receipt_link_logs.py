"""Wrong codes on a receipt download link are security events, and neither
the link's token, the code (right or wrong) nor the client's address reaches
a log line (submissions/receipt_links.py)."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine.submissions.receipt_links import receipt_code
from tests.conftest import host_client
from tests.observability.conftest import RenderedLogs
from tests.submissions.test_receipt_link import emailed_link


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_wrong_codes_are_security_events_without_secrets(giessen: Any, rendered_logs: RenderedLogs) -> None:
    submission, path, token = emailed_link(giessen)
    code = receipt_code(submission)
    client = host_client("giessen.localhost")
    client.post(path, {"code": "AAAA-BBBB"}, REMOTE_ADDR="203.0.113.9")
    client.post(path, {"code": code}, REMOTE_ADDR="203.0.113.9")
    text = rendered_logs.text
    assert "security.receipt event=wrong_code" in text and "/quittung/[redacted]/" in text
    for secret in (token, code, "AAAA-BBBB", "203.0.113.9"):
        assert secret not in text
