"""Personal data never reaches a log line: keys named like personal data are
redacted, emails and IBANs in free text are masked."""

from __future__ import annotations

import logging
from typing import Any

from forms_engine.lib.logging import bind_submission, clear_context, get_logger, redact_personal_data, scrub_text


def test_personal_keys_are_redacted_wherever_they_are() -> None:
    event = redact_personal_data(
        None,
        "info",
        {
            "event": "saved",
            "answers": {"vorname": "Erika"},
            "applicant_name": "Erika Beispiel",
            "contact_email": "erika@example.org",
            "iban": "DE89370400440532013000",
            "context": {"form_data": {"x": 1}, "step": "kind"},
            "step": "kind",
        },
    )
    assert event["answers"] == "[redacted]"
    assert event["applicant_name"] == "[redacted]"
    assert event["contact_email"] == "[redacted]"
    assert event["iban"] == "[redacted]"
    assert event["context"] == {"form_data": "[redacted]", "step": "kind"}
    assert event["step"] == "kind"


def test_emails_and_ibans_in_free_text_are_masked() -> None:
    text = scrub_text("to erika.beispiel@example.org, account DE89 3704 0044 0532 0130 00 and DE89370400440532013000")
    assert text == "to [email], account [iban] and [iban]"


def test_stdlib_and_structlog_lines_are_json_and_redacted(rendered_logs: Any) -> None:
    bind_submission("GI-UVG-2026-000042")
    try:
        get_logger("gemeinsam.test").info("structlog line", email="erika@example.org", step="kind")
        logging.getLogger("django.test").warning("stdlib line for %s", "erika@example.org")
    finally:
        clear_context()
    structlog_line, stdlib_line = rendered_logs.find(lambda line: line["logger"] in {"gemeinsam.test", "django.test"})
    assert structlog_line["email"] == "[redacted]"
    assert structlog_line["submission"] == "GI-UVG-2026-000042"
    assert structlog_line["level"] == "info"
    assert stdlib_line["event"] == "stdlib line for [email]"
    assert stdlib_line["submission"] == "GI-UVG-2026-000042"
    assert "erika@example.org" not in rendered_logs.text
