"""The contract for data services: every imported fixture, published, switched
on, walked through all steps over HTTP, submitted; the PDF renders, the data
is valid against the published schema, whose keys are the FIM ids, and the
delivery points to that schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django_scopes import scope

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.catalog.schema import published_schema, schema_uri
from forms_engine.delivery.contrib.fitconnect.metadata import data_schema_uri
from forms_engine.documents.render import render_receipt
from forms_engine.submissions.models import Submission
from tests.conftest import enable_service, host_client
from tests.contract.test_contract import deliver_by_email
from tests.fim.helpers import DOCUMENTS, import_fixture
from tests.wizard.walk import walk


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_imported_service_walks_submits_renders_and_validates(giessen: Any, name: str, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = import_fixture(name)
    service = registry.get(row.slug)
    assert service is not None and service.version == row.version
    assert row.slug in {s.slug for s in registry.all_services()}
    enable_service(giessen, row.slug)
    client = host_client("giessen.localhost")
    answers = dict(service.sample_answers["fim"])
    result = walk(client, row.slug, answers)
    assert client.get(result["done_url"]).status_code == 200
    with scope(city=giessen):
        submission = Submission.objects.get()
        assert submission.service_version == row.version
        assert [s["step"] for s in submission.snapshot if s["step"] != "_summary"] == [
            s.name for s in service.active_steps(Answers(submission.data))
        ]
        schema = published_schema(row.slug, row.version)
        assert schema is not None
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(submission.data, schema, format_checker=jsonschema.FormatChecker())
        # FIM ids as keys: groups (steps) G…, fields F…
        assert all(key.startswith(("G", "S")) for key in schema["properties"])
        first = next(iter(schema["properties"].values()))
        assert all(key.startswith("F") for key in first["properties"])
        pdf = render_receipt(submission)
        assert pdf.startswith(b"%PDF")
        delivered = deliver_by_email(submission)
        # FIT-Connect's submissionSchema names the same published schema
        assert data_schema_uri(submission) == delivered["schema"]
    assert delivered["schema"].endswith(schema_uri(row.slug, row.version))
    served = client.get(delivered["schema"].split("giessen.localhost", 1)[1])
    assert served.status_code == 200 and served.json()["properties"] == schema["properties"]
    assert delivered["data"] == submission.data


def test_a_newer_version_is_served_and_old_submissions_keep_theirs(giessen: Any) -> None:
    old = import_fixture("v2-tierhaltung.xml")
    new = import_fixture("v2-tierhaltung-1.1.xml")
    assert old.slug == new.slug
    current = registry.get(new.slug)
    assert current is not None and current.version == "1.1"
    kept = registry.get(old.slug, "1.0")
    assert kept is not None and kept.version == "1.0"
    assert published_schema(old.slug, "1.0") != published_schema(new.slug, "1.1")
