"""Resume codes, document-request tokens, receipt links and signed download links are secrets
in the path: every URL pattern that declares one (``<secret:...>``) is requested
on a city host, with and without its trailing slash, GET and POST, and the value
appears in no log line; the access line shows the path with ``[redacted]``."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import host_client

# The secrets the security review found in clear; each must be declared.
KNOWN_SECRET_ROUTES = {"wizard-resume-link", "documents-hand-in", "delivery-download", "receipt-download"}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLE = {"slug": "unterhaltsvorschuss", "uuid": "00000000-0000-4000-8000-000000000000", "int": "1", "path": "x"}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append((entry.name or "", route))
    return found


def secret_routes() -> list[tuple[str, str]]:
    return [(name, route) for name, route in _walk(get_resolver().url_patterns) if "<secret:" in route]


def test_the_known_secret_paths_declare_their_secret() -> None:
    assert {name for name, _route in secret_routes()} >= KNOWN_SECRET_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("name,route", secret_routes(), ids=[name for name, _ in secret_routes()])
def test_a_secret_path_segment_never_reaches_a_log_line(
    name: str, route: str, giessen: Any, rendered_logs: Any
) -> None:
    token = secrets.token_urlsafe(24)

    def fill(match: re.Match[str]) -> str:
        return token if match.group(1) == "secret" else SAMPLE.get(match.group(1) or "str", "abc")

    path = "/" + PARAMETER.sub(fill, route)
    client = host_client("giessen.localhost")
    statuses = [
        client.get(path).status_code,
        client.get(path.rstrip("/")).status_code,  # CommonMiddleware redirects this one
        client.post(path, {}).status_code,
        client.get(path + "?next=x").status_code,
    ]
    assert all(status < 500 for status in statuses), statuses
    assert rendered_logs.text, "nothing was logged: the test would prove nothing"
    assert token not in rendered_logs.text
    access = rendered_logs.find(lambda line: line["event"] == "request")
    assert access and all("[redacted]" in line["path"] for line in access), [line["path"] for line in access]
