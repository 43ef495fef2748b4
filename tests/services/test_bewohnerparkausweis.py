"""Bewohnerparkausweis: licence plates, zones from the city, proof of use only for
someone else's car, and the fee of years × the city's annual fee."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from services.bewohnerparkausweis.rules import normalise_licence_plate
from services.bewohnerparkausweis.service import DEFAULT_ZONES, BewohnerparkausweisService
from tests.conftest import enable_service

from .ordnung_samples import answers_for, assert_revalidates_and_fits_schema, attachment_keys, bound_form

SERVICE = BewohnerparkausweisService()
PATHS = list(SERVICE.sample_answers)
VEHICLE = {"licence_plate": "GI-AB 123", "make": "VW Golf", "holder_is_applicant": "ja"}


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("bewohnerparkausweis")
    assert isinstance(service, BewohnerparkausweisService)
    assert (service.version, service.reference_code) == ("1.0", "BPA")
    assert len(service.leika_key) == 14 and service.leika_key.isdigit()
    assert service.applicant_email_field == "applicant.email"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("GI-AB 123", "GI-AB 123"),
        ("gi ab123", "GI-AB 123"),
        ("GI AB 123", "GI-AB 123"),
        ("GI-AB-123", "GI-AB 123"),
        ("F-X 1", "F-X 1"),
        ("F X1", "F-X 1"),
        ("MR-Z 9999E", "MR-Z 9999E"),
        ("mr-z 9999 e", "MR-Z 9999E"),
        ("LDK-MM 42H", "LDK-MM 42H"),
        ("TÜ-A 7", "TÜ-A 7"),
        ("  gi -  ab  12 ", "GI-AB 12"),
    ],
)
def test_german_licence_plates_are_accepted_and_normalised(typed: str, normalised: str) -> None:
    assert normalise_licence_plate(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "GIAB123",  # no separator: district and letters cannot be told apart
        "ABCD-A 1",  # district of four letters
        "GI-ABC 1",  # three letters after the district
        "GI-AB 12345",  # five digits
        "GI-AB 0123",  # leading zero
        "GI-AB",  # no digits
        "GI-AB 12X",  # unknown suffix
        "GI-ÄB 12",  # umlauts only in the district
        "GI-A1 12",
    ],
)
def test_other_licence_plates_are_refused(typed: str) -> None:
    assert normalise_licence_plate(typed) is None


def test_the_vehicle_form_stores_the_normalised_plate_and_refuses_a_bad_one() -> None:
    form = bound_form(SERVICE, "vehicle", {**VEHICLE, "licence_plate": "gi ab 123e"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["licence_plate"] == "GI-AB 123E"
    form = bound_form(SERVICE, "vehicle", {**VEHICLE, "licence_plate": "GIAB123"})
    assert not form.is_valid()
    assert "licence_plate" in form.errors


def test_someone_elses_car_needs_the_holder_and_the_reason() -> None:
    form = bound_form(SERVICE, "vehicle", {**VEHICLE, "holder_is_applicant": "nein"})
    assert not form.is_valid()
    assert set(form.errors) == {"holder_name", "use_basis"}
    form = bound_form(
        SERVICE,
        "vehicle",
        {**VEHICLE, "holder_is_applicant": "nein", "holder_name": "Leasing AG", "use_basis": "leasing"},
    )
    assert form.is_valid(), form.errors


def test_holder_details_are_dropped_when_the_car_is_the_applicants() -> None:
    form = bound_form(SERVICE, "vehicle", {**VEHICLE, "holder_name": "Leasing AG", "use_basis": "leasing"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["holder_name"], form.cleaned_data["use_basis"]) == ("", None)


def test_the_zones_are_the_citys_and_nothing_else() -> None:
    context = ServiceContext(None, {**SERVICE.default_params(), "zones": ["Nordstadt", "Südstadt"]})
    form = bound_form(SERVICE, "residence", {"zone": "Südstadt", "main_residence": "ja"}, context)
    assert form.is_valid(), form.errors
    assert [key for key, _label in form.fields["zone"].choices] == ["Nordstadt", "Südstadt"]
    form = bound_form(SERVICE, "residence", {"zone": DEFAULT_ZONES[0], "main_residence": "ja"}, context)
    assert not form.is_valid()
    assert "zone" in form.errors


def test_many_zones_are_offered_as_a_list_box() -> None:
    from django import forms

    few = bound_form(SERVICE, "residence", {})
    assert isinstance(few.fields["zone"].widget, forms.RadioSelect)
    context = ServiceContext(None, {**SERVICE.default_params(), "zones": [f"Zone {n}" for n in range(1, 12)]})
    many = bound_form(SERVICE, "residence", {}, context)
    assert isinstance(many.fields["zone"].widget, forms.Select)


def test_proof_of_use_is_asked_for_only_when_the_holder_is_someone_else() -> None:
    own = answers_for(SERVICE, "own_car_one_year")
    company = answers_for(SERVICE, "company_car_two_years")
    assert attachment_keys(SERVICE, own) == {"registration_certificate"}
    assert attachment_keys(SERVICE, company) == {"registration_certificate", "proof_of_use"}


def test_the_documents_page_comes_after_the_vehicle_questions() -> None:
    names = [step.name for step in SERVICE.steps]
    assert names.index("documents") > names.index("vehicle")


@pytest.mark.parametrize(("years", "amount"), [("1", Decimal("120.00")), ("2", Decimal("240.00"))])
def test_the_fee_is_years_times_the_default_annual_fee(years: str, amount: Decimal) -> None:
    context = ServiceContext(None, SERVICE.default_params())
    fee = SERVICE.fee(Answers({"validity": {"years": years}}), context)
    assert fee is not None
    assert fee.amount == amount
    assert years in str(fee.explanation)


@pytest.mark.parametrize(("years", "amount"), [("1", Decimal("75.00")), ("2", Decimal("150.00"))])
def test_the_fee_uses_the_citys_annual_fee(giessen: Any, years: str, amount: Decimal) -> None:
    city_service = enable_service(giessen, "bewohnerparkausweis", parameters={"annual_fee": "75.00"})
    fee = SERVICE.fee(Answers({"validity": {"years": years}}), city_service.context())
    assert fee is not None and fee.amount == amount


def test_there_is_no_fee_before_the_period_is_chosen() -> None:
    assert SERVICE.fee(Answers({}), ServiceContext(None, {})) is None


def test_a_second_home_gets_an_explanation_not_a_dead_end() -> None:
    context = ServiceContext(None, SERVICE.default_params())
    assert SERVICE.clean_all(Answers({"residence": {"main_residence": "ja"}}), context) == []
    notices = SERVICE.clean_all(Answers({"residence": {"main_residence": "nein"}}), context)
    assert len(notices) == 1 and notices[0].level == "warning"


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    answers = answers_for(SERVICE, path)
    assert_revalidates_and_fits_schema(SERVICE, answers)
    assert SERVICE.fee(answers, ServiceContext(None, SERVICE.default_params())) is not None


def test_the_applicant_is_named_from_the_answers() -> None:
    answers = answers_for(SERVICE, "own_car_one_year")
    assert SERVICE.applicant_name(answers) == "Anna Schneider"
    assert SERVICE.applicant_email(answers) == "anna.schneider@example.org"


def test_the_fee_is_explained_in_german() -> None:
    from django.utils import translation

    with translation.override("de"):
        fee = SERVICE.fee(Answers({"validity": {"years": "2"}}), ServiceContext(None, SERVICE.default_params()))
        assert fee is not None
        assert str(fee.explanation) == "2 Jahre × 120,00 EUR pro Jahr"
        assert str(SERVICE.title) == "Bewohnerparkausweis"
