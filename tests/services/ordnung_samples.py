"""Walking a public-order service's sample answers step by step, as the wizard
does, for the per-service tests (the contract test walks them over HTTP)."""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]

from forms_engine.catalog.base import Answers, OnlineService, ServiceContext
from forms_engine.catalog.schema import data_schema
from forms_engine.wizard.engine import answers_as_data, cleaned_to_json


def default_context(service: OnlineService) -> ServiceContext:
    return ServiceContext(city_service=None, params=service.default_params())


def bound_form(
    service: OnlineService, step_name: str, data: dict[str, Any], context: ServiceContext | None = None
) -> Any:
    """The step's form bound to POST data, built the way the wizard builds it."""
    step = service.step(step_name)
    assert step is not None and step.form_class is not None
    context = context or default_context(service)
    return step.form_class(data, initial={}, **service.form_kwargs(step, context))


def answers_for(service: OnlineService, path: str, context: ServiceContext | None = None) -> Answers:
    """A step is asked for only when its condition holds for the answers given so
    far; every step asked for must have sample data its form accepts."""
    context = context or default_context(service)
    sample = service.sample_answers[path]
    answers = Answers()
    for step in service.steps:
        if not step.applies(answers):
            assert step.name not in sample, f"{path}: sample data for {step.name!r}, which does not apply"
            continue
        assert step.name in sample, f"{path}: the step {step.name!r} applies but has no sample data"
        if step.form_class is None:  # a page of documents only
            assert sample[step.name] == {}
            answers.data[step.name] = {}
            continue
        form = bound_form(service, step.name, dict(sample[step.name]), context)
        assert form.is_valid(), f"{path}/{step.name}: {form.errors.as_json()}"
        answers.data[step.name] = cleaned_to_json(form.cleaned_data)
    assert set(answers.data) == set(sample), f"{path}: samples for steps the service does not ask for"
    return answers


def assert_revalidates_and_fits_schema(service: OnlineService, answers: Answers) -> None:
    """What the wizard re-checks before submitting, and what deliveries publish."""
    for name, saved in answers.data.items():
        step = service.step(name)
        assert step is not None
        if step.form_class is None:
            continue
        form = bound_form(service, name, answers_as_data(step, saved))
        assert form.is_valid(), f"{name} re-validation: {form.errors.as_json()}"
    stored = {name: data for name, data in answers.data.items() if service.step(name).form_class is not None}  # type: ignore[union-attr]
    jsonschema.validate(stored, data_schema(service), format_checker=jsonschema.FormatChecker())


def attachment_keys(service: OnlineService, answers: Answers) -> set[str]:
    return {spec.key for step in service.active_steps(answers) for spec in step.attachments if spec.applies(answers)}
