"""Every request writes one JSON line with its request id and its city."""

from __future__ import annotations

from typing import Any

from tests.conftest import host_client


def test_access_line_carries_request_id_and_city(giessen: Any, rendered_logs: Any) -> None:
    response = host_client("giessen.localhost").get("/?name=Erika", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abcdef0123456789"
    (line,) = rendered_logs.find(lambda line: line["event"] == "request")
    assert line["request_id"] == "abcdef0123456789"
    assert line["city"] == "giessen"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert "Erika" not in rendered_logs.text  # query strings are not logged


def test_context_does_not_leak_into_the_next_request(giessen: Any, rendered_logs: Any) -> None:
    host_client("giessen.localhost").get("/")
    host_client("localhost").get("/healthz/live")
    host_client("localhost").get("/admin/login/")
    admin_line = rendered_logs.find(lambda line: line["event"] == "request" and line["path"] == "/admin/login/")[0]
    assert "city" not in admin_line


def test_django_error_lines_do_not_carry_the_query_string(giessen: Any, rendered_logs: Any) -> None:
    response = host_client("giessen.localhost").get("/no-such-page/at-all/?code=resume-secret-123")
    assert response.status_code == 404
    assert rendered_logs.find(lambda line: line["logger"] == "django.request")
    assert "resume-secret-123" not in rendered_logs.text
