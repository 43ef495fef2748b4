"""Every response carries a request id and a Content-Security-Policy."""

from __future__ import annotations

from tests.conftest import host_client


def test_a_request_id_is_made_or_taken_over(giessen):
    client = host_client("giessen.localhost")
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="abcd-1234-efgh")["X-Request-ID"] == "abcd-1234-efgh"
    assert client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id\nwith newline"


def test_pages_carry_a_strict_content_security_policy(giessen):
    policy = host_client("giessen.localhost").get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
