"""The sample answers of the UVG service are right for the contract test: on every
path each step that applies has sample data, the data passes the step's form as
posted, and the stored answers fit the published JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from forms_engine.catalog.schema import data_schema
from forms_engine.wizard.engine import answers_as_data, cleaned_to_json
from services.unterhaltsvorschuss.service import UnterhaltsvorschussService

SERVICE = UnterhaltsvorschussService()
PATHS = list(SERVICE.sample_answers)


def answers_for(path: str) -> Answers:
    """Walks the steps in order as the wizard does: a step is asked for only
    when its condition holds for the answers given so far."""
    sample = SERVICE.sample_answers[path]
    answers = Answers()
    for step in SERVICE.steps:
        if not step.applies(answers):
            assert step.name not in sample, f"{path}: sample data for {step.name!r}, which does not apply"
            continue
        assert step.name in sample, f"{path}: the step {step.name!r} applies but has no sample data"
        assert step.form_class is not None
        form = step.form_class(data=sample[step.name])
        assert form.is_valid(), f"{path}/{step.name}: {form.errors.as_json()}"
        answers.data[step.name] = cleaned_to_json(form.cleaned_data)
    return answers


def attachment_keys(answers: Answers) -> set[str]:
    return {spec.key for step in SERVICE.active_steps(answers) for spec in step.attachments if spec.applies(answers)}


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("unterhaltsvorschuss")
    assert isinstance(service, UnterhaltsvorschussService)
    assert (service.version, service.reference_code, service.leika_key) == ("1.1", "UVG", "99107021017000")
    assert service.retention_days_default == 90
    assert service.applicant_email_field == "anschrift.email"


def test_there_are_sample_paths_for_the_main_situations() -> None:
    assert {"standard_kleinkind", "teenager_buergergeld", "elternteil_unbekannt", "elternteil_verstorben"} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    answers = answers_for(path)
    assert set(answers.data) == set(SERVICE.sample_answers[path])
    assert [s.name for s in SERVICE.active_steps(answers)] == list(answers.data)


@pytest.mark.parametrize("path", PATHS)
def test_stored_answers_validate_again_and_fit_the_schema(path: str) -> None:
    answers = answers_for(path)
    for name, saved in answers.data.items():
        step = SERVICE.step(name)
        assert step is not None and step.form_class is not None
        form = step.form_class(data=answers_as_data(step, saved))
        assert form.is_valid(), f"{path}/{name} re-validation: {form.errors.as_json()}"
    jsonschema.validate(answers.data, data_schema(SERVICE), format_checker=jsonschema.FormatChecker())


def test_the_applicant_is_named_from_the_answers() -> None:
    answers = answers_for("standard_kleinkind")
    assert SERVICE.applicant_name(answers) == "Erika Beispiel"
    assert SERVICE.applicant_email(answers) == "erika.beispiel@example.org"


@pytest.mark.parametrize(
    ("path", "steps", "attachments"),
    [
        ("standard_kleinkind", set(), {"geburtsurkunde", "vaterschaft", "meldebescheinigung"}),
        (
            "teenager_buergergeld",
            {"kind-ab-12", "unterhalt"},
            {
                "geburtsurkunde",
                "ausweis_aufenthaltstitel",
                "unterhaltstitel",
                "unterhaltsnachweis",
                "scheidung_trennung",
                "buergergeld_bescheid",
                "meldebescheinigung",
            },
        ),
        ("elternteil_unbekannt", {"unterhalt"}, {"geburtsurkunde", "meldebescheinigung"}),
        (
            "elternteil_verstorben",
            {"waisenrente", "kind-ab-12", "kind-ab-15"},
            {"geburtsurkunde", "sterbeurkunde", "schule_einkommen", "meldebescheinigung"},
        ),
    ],
)
def test_each_path_asks_for_its_steps_and_documents(path: str, steps: set[str], attachments: set[str]) -> None:
    answers = answers_for(path)
    active = {s.name for s in SERVICE.active_steps(answers)}
    assert steps <= active
    assert attachment_keys(answers) == attachments


@pytest.mark.parametrize("path", PATHS)
def test_the_samples_raise_no_eligibility_notice(path: str) -> None:
    context = ServiceContext(None, SERVICE.default_params())
    notices: list[Any] = SERVICE.clean_all(answers_for(path), context)
    assert notices == []


def test_the_published_schema_does_not_change_with_the_calendar() -> None:
    # The start month's choices move every month; the schema of version 1.0 must not.
    beginn = data_schema(SERVICE)["properties"]["zahlung"]["properties"]["beginn"]
    assert beginn["type"] == "string"
    assert "enum" not in beginn
