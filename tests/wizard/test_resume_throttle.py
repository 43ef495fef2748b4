"""Resume attempts are limited per client and per draft, with a German message
that says how long to wait, and logged as security events without the code."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.conftest import host_client
from tests.wizard.conftest import SLUG, start
from tests.wizard.test_resume import _save

WRONG = "AAAAA-BBBBB-CCCCC-DDDDD"


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.RESUME_CLIENT_FAILURES = 3
    settings.RESUME_DRAFT_OPENS = 2
    settings.RESUME_WINDOW_SECONDS = 600


def _try(code: str, address: str, language: str = "de") -> Any:
    client = host_client("giessen.localhost")
    if language == "en":
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client.post("/resume/", {"code": code}, REMOTE_ADDR=address)


def test_wrong_codes_from_one_client_make_it_wait_even_with_the_right_code(citizen: Any) -> None:
    start(citizen)
    code = _save(citizen)
    for _attempt in range(3):
        response = _try(WRONG, "203.0.113.7")
        assert response.status_code == 200 and "unbekannt oder abgelaufen" in response.content.decode()
    refused = _try(code, "203.0.113.7")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Zu viele Versuche" in html and "warten Sie bitte 10 Minuten" in html
    assert 'id="error-summary"' in html  # on the page in the city's layout, tied to the field
    english = _try(code, "203.0.113.7", language="en")
    assert english.status_code == 429 and "please wait 10 minutes" in english.content.decode()
    # Another client is not affected, and the code still works there.
    assert _try(code, "198.51.100.20")["Location"] == f"/{SLUG}/nachweise/"


def test_a_wrong_link_counts_like_a_wrong_code(citizen: Any) -> None:
    client = host_client("giessen.localhost")
    for _attempt in range(3):
        assert client.get(f"/resume/{'A' * 43}/", REMOTE_ADDR="203.0.113.8").status_code == 404
    refused = client.get(f"/resume/{'A' * 43}/", REMOTE_ADDR="203.0.113.8")
    assert refused.status_code == 429 and "Zu viele Versuche" in refused.content.decode()


def test_one_draft_opens_a_limited_number_of_times(citizen: Any) -> None:
    start(citizen)
    code = _save(citizen)
    assert _try(code, "198.51.100.1").status_code == 302
    assert _try(code, "198.51.100.2").status_code == 302
    refused = _try(code, "198.51.100.3")  # a fresh client: the draft's own limit
    assert refused.status_code == 429 and "warten Sie bitte 10 Minuten" in refused.content.decode()


def test_attempts_are_security_events_without_the_code_or_the_address(
    citizen: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gemeinsam.security")
    start(citizen)
    code = _save(citizen)
    for _attempt in range(4):
        _try(WRONG, "203.0.113.9")
    for _attempt in range(3):
        _try(code, f"198.51.100.{_attempt + 10}")
    events = [r.getMessage() for r in caplog.records if r.name == "gemeinsam.security"]
    assert sum("event=wrong_code" in e for e in events) == 3
    assert any("event=client_throttled" in e and "city=giessen" in e for e in events)
    assert any("event=draft_throttled" in e for e in events)
    for event in events:
        for secret in (WRONG, WRONG.replace("-", ""), code, code.replace("-", ""), "203.0.113.9"):
            assert secret not in event
