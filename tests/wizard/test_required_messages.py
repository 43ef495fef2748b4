"""Every required field of every online service says what is missing in its own
words ("Geben Sie Ihren Nachnamen ein."), declared with the field, never Django's
generic "Dieses Feld ist zwingend erforderlich.", and the error summary doubles
no punctuation. Walked over HTTP: every step of every service, sent empty."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from forms_engine.catalog import registry
from forms_engine.catalog.base import ServiceContext
from forms_engine.lib.forms import KernFormMixin
from tests.conftest import enable_service, host_client
from tests.wizard.walk import errors_on, post_step, step_post_data

SERVICES = [s for s in registry.all_services() if type(s).__module__.startswith("services.")]
GENERIC = (
    "zwingend erforderlich",
    "This field is required",
    "This answer is needed here",
    "Diese Angabe wird hier benötigt",
)


@pytest.mark.parametrize("service", SERVICES, ids=[s.slug for s in SERVICES])
def test_every_required_field_declares_its_message(service: Any) -> None:
    context = ServiceContext.for_service(service)
    undeclared = []
    for step in service.steps:
        if step.form_class is None:
            continue
        form = step.form_class(**service.form_kwargs(step, context))
        assert isinstance(form, KernFormMixin), f"{service.slug}/{step.name}: not a KernFormMixin form"
        undeclared += [f"{step.name}.{name}" for name in sorted(form.derived_required_messages)]
    assert not undeclared, f"{service.slug}: required fields without a message of their own: {undeclared}"


def error_summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</ul>", start)]


def empty_post(service_slug: str, step_name: str, html: str, repeat: bool) -> dict[str, Any]:
    """What a browser sends when the citizen presses "continue" without answering:
    one empty entry for a repeating group, no files."""
    data = step_post_data(service_slug, step_name, html, [{}] if repeat else {})
    return {k: v for k, v in data.items() if not k.startswith("file-")}


@pytest.mark.parametrize("service", SERVICES, ids=[s.slug for s in SERVICES])
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_step_sent_empty_names_what_is_missing(giessen: Any, service: Any, language: str) -> None:
    enable_service(giessen, service.slug)
    seen: set[str] = set()
    said: list[str] = []
    for answers in service.sample_answers.values():
        client = host_client("giessen.localhost")
        if language == "en":
            client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        walk_empty_first(client, service, dict(answers), seen, said)
    assert seen, f"{service.slug}: no step was walked"
    surname = "Geben Sie Ihren Nachnamen ein." if language == "de" else "Enter your surname."
    assert any(surname in message for message in said), said  # every service asks for the surname


def walk_empty_first(client: Client, service: Any, answers: dict[str, Any], seen: set[str], said: list[str]) -> None:
    """Like tests/wizard/walk.walk: on each step not yet seen, first continue
    with nothing answered and read the errors, then answer and go on."""
    response = client.post(f"/{service.slug}/", {"action": "start"})
    url = response["Location"]
    for _guard in range(60):
        if url.endswith("/check/"):
            return
        step_name = url.rstrip("/").rsplit("/", 1)[-1]
        step = service.step(step_name)
        html = client.get(url).content.decode()
        if step_name not in seen:
            seen.add(step_name)
            page = post_step(client, url, empty_post(service.slug, step_name, html, step.repeat is not None))
            page_html = page.content.decode()
            if 'id="error-summary"' in page_html:
                summary = error_summary(page_html)
                messages = errors_on(page_html)
                said.append(messages)
                for generic in GENERIC:
                    assert generic not in summary and generic not in messages, (service.slug, step_name, messages)
                assert not re.search(r"[.?!:]\s*[.:]\s", re.sub(r"<[^>]+>", " ", summary)), (step_name, summary)
            html = client.get(url).content.decode()
        response = post_step(client, url, step_post_data(service.slug, step_name, html, answers[step_name]))
        if response.status_code == 200:  # further documents asked for by this page's answers
            html = response.content.decode()
            response = post_step(client, url, step_post_data(service.slug, step_name, html, answers[step_name]))
        assert response.status_code == 302, (service.slug, step_name, errors_on(response.content.decode()))
        url = response["Location"]
