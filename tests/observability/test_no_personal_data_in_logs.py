"""A full submission (submit, PDF, delivery, confirmation email) writes no
answer, name, email address or IBAN into the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django_scopes import scope

from config.celery import app as celery_app
from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.submissions.actions import submission_submit
from forms_engine.submissions.models import ProcessingStep
from forms_engine.wizard import engine
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

SERVICE = "unterhaltsvorschuss"
# Distinctive values: if any of them shows up in a log line, personal data leaked.
IBAN = "DE02370400449911223344"
EMAIL = "quirinella.zwetschgenbaum@example.org"
STREET = "Geheimgasse 77"
TEXT = "Vertrauliche Angabe Quaxelkraut"


def distinctive(answers: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The sample answers with every name, email, IBAN, street and long free
    text replaced by a value that appears nowhere else."""
    secrets: set[str] = {IBAN, IBAN[-10:], EMAIL, STREET, TEXT}
    counter = iter(range(1000))

    def replace(values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for key, value in values.items():
            if not isinstance(value, str) or not value:
                continue
            if "name" in key or key == "arbeitgeber":
                out[key] = f"Zwetschgenbaum{chr(ord('a') + next(counter) % 26)}x"
                secrets.add(out[key])
            elif "email" in key:
                out[key] = EMAIL
            elif "iban" in key:
                out[key] = IBAN
            elif "strasse" in key:
                out[key] = STREET
            elif len(value) > 40:
                out[key] = TEXT
        return out

    result: dict[str, Any] = {}
    for step, values in answers.items():
        if isinstance(values, list):
            result[step] = [replace(v) for v in values]
        else:
            result[step] = replace(values)
    return result, secrets


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """The pipeline's tasks run in this process, when they are sent."""
    old = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, False
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = old


def test_full_submission_logs_no_personal_data(
    giessen: Any, eager_celery: None, rendered_logs: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    service = registry.get(SERVICE)
    assert service is not None and service.sample_answers, "the Unterhaltsvorschuss needs sample answers"
    city_service = enable_service(giessen, SERVICE)
    sample = dict(service.sample_answers[next(iter(service.sample_answers))])
    data, secrets = distinctive(sample)
    # The stored answers are JSON (cleaned) values; the sample is POST data,
    # which for the fields replaced here is the same.
    answers = Answers(data)
    context = city_service.context()
    with scope(city=giessen), django_capture_on_commit_callbacks(execute=True):
        submission = submission_submit(
            city=giessen,
            service=service,
            context=context,
            answers=answers,
            snapshot=engine.snapshot(service, context, answers, []),
            attachments=[],
            language="de",
        )
    with scope(city=giessen):
        states = dict(ProcessingStep.objects.filter(submission=submission).values_list("kind", "state"))
    # The pipeline really ran (else the test would prove nothing about it).
    assert states.get(ProcessingStep.Kind.PDF) == ProcessingStep.State.DONE, states

    written = rendered_logs.text
    raw = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert written, "nothing was logged at all: the capture is broken"
    for secret in secrets:
        assert secret not in written, f"{secret!r} appears in the written logs"
    # Names and free text cannot be masked by pattern: they must not be logged at all.
    for secret in secrets - {EMAIL, IBAN, IBAN[-10:]}:
        assert secret not in raw, f"{secret!r} was handed to a logger"


def test_citizen_walk_over_http_logs_no_personal_data(
    giessen: Any, eager_celery: None, rendered_logs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The same through the real wizard: every step page, uploads, check page,
    submit; access lines and the pipeline's logs included."""
    service = registry.get(SERVICE)
    assert service is not None and service.sample_answers
    enable_service(giessen, SERVICE)
    data, secrets = distinctive(dict(service.sample_answers[next(iter(service.sample_answers))]))
    client = host_client("giessen.localhost")
    with django_capture_on_commit_callbacks(execute=True):
        result = walk(client, SERVICE, data)
    assert client.get(result["done_url"]).status_code == 200
    written = rendered_logs.text
    assert '"event": "request"' in written and '"city": "giessen"' in written
    for secret in secrets:
        assert secret not in written, f"{secret!r} appears in the written logs"
