"""URL path segments that are secrets (resume codes, document-request tokens,
signed download links) are declared once, in the URL pattern:

    path("resume/<secret:token>/", views.resume_link, name="wizard-resume-link")

The ``secret`` converter matches like ``str``; what it adds is that everything
that prints a path (the request log, Django's own "Not Found: ..." lines, error
reports) can ask ``redact_path()`` for a copy with those segments replaced by
``[redacted]``. The log formatter also replaces the current request's secret
values wherever they appear in a line (forms_engine/lib/logging.py).
"""

from __future__ import annotations

import contextvars
import re

from django.urls import Resolver404, register_converter, resolve
from django.urls.converters import StringConverter

REDACTED_SEGMENT = "[redacted]"
_SECRET_PARAMETER = re.compile(r"<secret:(\w+)>")


class SecretConverter(StringConverter):
    """A path segment that must never be logged."""


register_converter(SecretConverter, "secret")

# The secret values of the request being handled (set by RequestLogMiddleware).
current_secrets: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("secret_path_values", default=())


def secret_values(path: str, urlconf: str | None = None) -> tuple[str, ...]:
    """The secret segments of ``path`` (a path without query string). A path
    CommonMiddleware would redirect to its slashed form counts as that form."""
    for candidate in (path, path + "/") if not path.endswith("/") else (path,):
        try:
            match = resolve(candidate, urlconf)
        except Resolver404:
            continue
        names = _SECRET_PARAMETER.findall(str(match.route))
        return tuple(str(match.kwargs[name]) for name in names if match.kwargs.get(name))
    return ()


# Free text is searched for values at least this long: a shorter "secret" is
# no valid token, and replacing it everywhere would garble the line.
MIN_REDACTED_IN_TEXT = 6


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every (long enough) secret value replaced."""
    for value in secrets:
        if len(value) >= MIN_REDACTED_IN_TEXT:
            text = text.replace(value, REDACTED_SEGMENT)
    return text


def redact_path(path: str, urlconf: str | None = None, *, secrets: tuple[str, ...] | None = None) -> str:
    """``path`` with every secret segment replaced by ``[redacted]``;
    ``secrets``: its secret values when the caller has them already."""
    found = set(secret_values(path, urlconf) if secrets is None else secrets)
    if not found:
        return path
    return "/".join(REDACTED_SEGMENT if segment in found else segment for segment in path.split("/"))
