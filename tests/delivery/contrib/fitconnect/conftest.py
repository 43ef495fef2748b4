"""The local Zustelldienst (forms_engine/demo/zustelldienst.py: a real HTTP
server on 127.0.0.1 that imports none of our client) and targets pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from forms_engine.catalog import registry
from forms_engine.catalog.schema import schema_uri
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.demo.standin_keys import Keys
from forms_engine.demo.zustelldienst import Zustelldienst, running
from forms_engine.submissions import tasks
from forms_engine.submissions.models import ProcessingStep, Submission
from forms_engine.tenants.links import city_base_url
from forms_engine.tenants.models import City
from tests.submissions.helpers import make_target, steps


@pytest.fixture(scope="session")
def standin_keys() -> Keys:
    return Keys()  # a 4096-bit key takes a while: once per test process


@pytest.fixture
def zustelldienst(standin_keys: Keys, settings: Any) -> Iterator[Zustelldienst]:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # it listens on 127.0.0.1
    settings.FITCONNECT_TIMEOUT = 30.0  # a loaded machine; the hang test sets its own
    with running(Zustelldienst(keys=standin_keys)) as fake:
        yield fake


def destination_for(fake: Zustelldienst, city: City, slug: str = "unterhaltsvorschuss", **overrides: Any) -> str:
    service = registry.get(slug)
    assert service is not None
    uri = schema_uri(slug, service.data_schema_version, city_base_url(city))
    return fake.add_destination(f"urn:de:fim:leika:leistung:{service.leika_key}", [uri], **overrides)


def fitconnect_target(fake: Zustelldienst, city: City, **extra: Any) -> DeliveryTarget:
    if "destination_id" not in extra:
        extra["destination_id"] = destination_for(fake, city)
    return make_target(city, "fitconnect", fake.options(**extra))


def run(task: Any, step: ProcessingStep) -> str:
    return str(task.apply(args=(step.city_id, str(step.pk))).get())


def deliver(submission: Submission, target: DeliveryTarget) -> tuple[str, ProcessingStep]:
    """PDF, then the delivery step once; returns its state and the fresh row."""
    planned = steps(submission)
    if planned["pdf"].state != ProcessingStep.State.DONE:
        run(tasks.render_pdf, planned["pdf"])
    step = planned[f"delivery:{target.pk}"]
    state = run(tasks.deliver, step)
    return state, reload(step)


def reload(step: ProcessingStep) -> ProcessingStep:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return ProcessingStep.objects.get(pk=step.pk)
