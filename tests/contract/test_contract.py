"""Every registered service, every sample path: through all steps over HTTP,
submitted, stored data valid against the service's published JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.catalog.schema import data_schema
from forms_engine.submissions.models import Submission
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

PATHS = [(service.slug, path) for service in registry.all_services() for path in service.sample_answers]


def test_every_service_has_sample_paths() -> None:
    for service in registry.all_services():
        assert service.sample_answers, f"{service.slug} has no sample answers"


@pytest.mark.parametrize(("slug", "path"), PATHS, ids=[f"{s}-{p}" for s, p in PATHS])
def test_service_path_submits_valid_data(giessen: Any, slug: str, path: str) -> None:
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug)
    client = host_client("giessen.localhost")
    result = walk(client, slug, dict(service.sample_answers[path]))
    done = client.get(result["done_url"])
    assert done.status_code == 200
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert submission.reference in done.content.decode()
        assert submission.service_version == service.version
        schema = data_schema(service)
        jsonschema.validate(submission.data, schema, format_checker=jsonschema.FormatChecker())
        assert [s["step"] for s in submission.snapshot if s["step"] != "_summary"] == [
            s.name for s in service.active_steps(Answers(submission.data))
        ]
