"""Structured JSON logs (structlog) that never carry personal data.

Every line is one JSON object with the request id, the city slug and the
submission reference when they are known (bound through contextvars, so code
deep down does not have to pass them along). Two walls keep personal data out:

1. keys named like personal data (answers, data, name, email, iban, ...) are
   replaced by "[redacted]", wherever they appear in the event dict;
2. email addresses and IBANs inside free text (messages, exception texts) are
   masked by pattern.

Both stdlib loggers (Django, Celery) and structlog loggers go through the same
processors: settings.LOGGING uses `json_formatter` for its console handler.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, MutableMapping
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse

REDACTED = "[redacted]"
# Key names that may hold personal data. Matched as a substring, case-insensitive:
# "applicant_name", "contact_email", "answers", "form_data" are all caught.
SENSITIVE_KEY = re.compile(
    r"answer|data|name|email|mail|iban|bic|password|passwd|secret|token|phone|address|birth|snapshot|"
    r"cookie|authorization|body|post",
    re.IGNORECASE,
)
# Keys our own processors add; they never hold personal data.
SAFE_KEYS = frozenset(
    {"event", "level", "logger", "timestamp", "request_id", "city", "submission", "task", "task_id", "exception"}
)
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
IBAN_PATTERN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")

EventDict = MutableMapping[str, Any]


def scrub_text(text: str) -> str:
    """Mask email addresses and IBANs in free text."""
    return IBAN_PATTERN.sub("[iban]", EMAIL_PATTERN.sub("[email]", text))


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {k: REDACTED if SENSITIVE_KEY.search(str(k)) else _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def redact_personal_data(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """structlog processor: drop values of personal keys, mask emails and IBANs."""
    for key in list(event_dict):
        if key not in SAFE_KEYS and SENSITIVE_KEY.search(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _scrub_value(event_dict[key])
    return event_dict


def redact_secret_paths(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """structlog processor: secret path segments (resume codes, tokens; declared
    with the ``secret`` URL converter) of the current request never reach a line.
    Django's own request lines carry the request; others use the values the
    RequestLogMiddleware noted for this request."""
    from . import secret_paths

    secrets = secret_paths.current_secrets.get()
    request = event_dict.get("request")
    path = getattr(request, "path_info", None)
    if isinstance(path, str):
        secrets = secrets + secret_paths.secret_values(path)
    if not secrets:
        return event_dict

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return secret_paths.redact(value, secrets)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    for key in list(event_dict):
        if key not in ("request", "_record"):
            event_dict[key] = walk(event_dict[key])
    return event_dict


def _drop_stdlib_noise(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    # ProcessorFormatter hands the LogRecord along; it must not reach the renderer.
    event_dict.pop("_record", None)
    event_dict.pop("_from_structlog", None)
    event_dict.pop("message", None)  # stdlib's formatted copy of "event"
    # django.request passes the request object along; its repr carries the query string.
    event_dict.pop("request", None)
    return event_dict


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _configure_structlog() -> None:
    structlog.configure(
        processors=[
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def json_formatter(renderer: str = "json") -> logging.Formatter:
    """Factory for settings.LOGGING ("()": ...). Configures structlog as a side
    effect, so that structlog and stdlib loggers share one pipeline.
    renderer: "json" (production) or "console" (readable, for `make run`)."""
    _configure_structlog()
    final: Any = (
        structlog.dev.ConsoleRenderer(colors=False)
        if renderer == "console"
        else structlog.processors.JSONRenderer(sort_keys=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared_processors(), structlog.stdlib.ExtraAdder()],
        processors=[
            redact_secret_paths,
            _drop_stdlib_noise,
            structlog.processors.format_exc_info,
            redact_secret_paths,  # again: the formatted traceback may quote the path
            redact_personal_data,
            final,
        ],
    )


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)


# --- context ---------------------------------------------------------------------


def bind_city(city: Any) -> None:
    """Bind the city (its slug) to every log line of this request or task."""
    if city is not None:
        structlog.contextvars.bind_contextvars(city=getattr(city, "slug", str(city)))


def bind_submission(submission: Any) -> None:
    """Bind a submission's reference number (never its content)."""
    reference = getattr(submission, "reference", submission)
    if reference:
        structlog.contextvars.bind_contextvars(submission=str(reference))


def bind_task(task_name: str, task_id: str) -> None:
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task=task_name, task_id=task_id)


def clear_context() -> None:
    structlog.contextvars.clear_contextvars()


_access_log = get_logger("gemeinsam.request")


class RequestLogMiddleware:
    """Binds the request id for the whole request, writes one access line per
    request (path without query string: query strings may carry resume codes)
    and clears the context afterwards. Place right after RequestIdMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from . import secret_paths

        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=getattr(request, "request_id", ""))
        # Not reset afterwards on purpose: Django writes its "Not Found: <path>"
        # line after the middleware chain has returned. The next request overwrites it.
        secrets = secret_paths.secret_values(request.path_info)
        secret_paths.current_secrets.set(secrets)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            if not request.path.startswith("/healthz/"):
                _access_log.info(
                    "request",
                    method=request.method,
                    path=secret_paths.redact_path(request.path_info, secrets=secrets),
                    status=response.status_code,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
            return response
        finally:
            structlog.contextvars.clear_contextvars()


class CityLogContextMiddleware:
    """Binds the city resolved by CityMiddleware. Place right after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bind_city(getattr(request, "city", None))
        return self.get_response(request)
