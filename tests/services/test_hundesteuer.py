"""Hundesteuer: 15-digit microchip numbers, dates of the dog, the rate by the
dogs already in the household, and listed breeds (higher rate, permit notice)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from services.hundesteuer.rules import normalise_microchip
from services.hundesteuer.service import HundesteuerService
from tests.conftest import enable_service

from .ordnung_samples import answers_for, assert_revalidates_and_fits_schema, attachment_keys, bound_form

SERVICE = HundesteuerService()
PATHS = list(SERVICE.sample_answers)


def context() -> ServiceContext:
    return ServiceContext(None, SERVICE.default_params())


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def dog(**changes: str) -> dict[str, str]:
    return {**SERVICE.sample_answers["first_dog_insured"]["dog"], **changes}


def tax(dogs_already: int, listed_breed: str = "none") -> Decimal:
    answers = Answers({"dog": {"listed_breed": listed_breed}, "household": {"dogs_already": dogs_already}})
    fee = SERVICE.fee(answers, context())
    assert fee is not None
    return fee.amount


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("hundesteuer")
    assert isinstance(service, HundesteuerService)
    assert (service.version, service.reference_code) == ("1.0", "HST")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("276098106123456", "276098106123456"),
        ("276 098 106 123 456", "276098106123456"),
        ("941000012345678", "941000012345678"),
    ],
)
def test_fifteen_digit_microchip_numbers_are_accepted(typed: str, number: str) -> None:
    assert normalise_microchip(typed) == number


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "27609810612345",
        "2760981061234567",
        "276-098-106-123-456",
        "DE0981061234567",
        "２７６０９８１０６１２３４５６",
    ],
)
def test_other_microchip_numbers_are_refused(typed: str) -> None:
    assert normalise_microchip(typed) is None


def test_the_dog_form_keeps_the_digits_and_refuses_a_short_number() -> None:
    form = bound_form(SERVICE, "dog", dog(microchip="276 098 106 123 456"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["microchip"] == "276098106123456"
    form = bound_form(SERVICE, "dog", dog(microchip="27609810612345"))
    assert not form.is_valid() and "microchip" in form.errors


def test_the_dogs_dates_are_plausible() -> None:
    form = bound_form(SERVICE, "dog", dog(date_of_birth=day(1), acquired_on=day(1)))
    assert not form.is_valid()
    assert {"date_of_birth", "acquired_on"} <= set(form.errors)
    form = bound_form(SERVICE, "dog", dog(date_of_birth=day(-10), acquired_on=day(-20)))
    assert not form.is_valid() and set(form.errors) == {"acquired_on"}
    assert bound_form(SERVICE, "dog", dog(date_of_birth=day(-10), acquired_on=day(0))).is_valid()


def test_the_listed_breeds_are_the_citys(giessen: Any) -> None:
    city_service = enable_service(giessen, "hundesteuer", parameters={"listed_breeds": ["Bullterrier"]})
    form = bound_form(SERVICE, "dog", dog(listed_breed="Rottweiler"), city_service.context())
    assert not form.is_valid() and "listed_breed" in form.errors
    form = bound_form(SERVICE, "dog", dog(listed_breed="Bullterrier"), city_service.context())
    assert form.is_valid(), form.errors


def test_insurance_details_are_needed_when_insured() -> None:
    form = bound_form(SERVICE, "household", {"dogs_already": "0", "insured": "ja"})
    assert not form.is_valid() and set(form.errors) == {"insurer", "policy_number"}
    form = bound_form(SERVICE, "household", {"dogs_already": "-1", "insured": "nein"})
    assert not form.is_valid() and set(form.errors) == {"dogs_already"}


@pytest.mark.parametrize(("dogs_already", "amount"), [(0, "90.00"), (1, "140.00"), (2, "200.00"), (5, "200.00")])
def test_the_rate_rises_with_the_dogs_already_in_the_household(dogs_already: int, amount: str) -> None:
    assert tax(dogs_already) == Decimal(amount)


@pytest.mark.parametrize("dogs_already", [0, 1, 2])
def test_a_listed_breed_pays_the_higher_rate_whatever_the_count(dogs_already: int) -> None:
    assert tax(dogs_already, listed_breed="Rottweiler") == Decimal("700.00")


def test_the_citys_rates_apply(giessen: Any) -> None:
    city_service = enable_service(giessen, "hundesteuer", parameters={"rate_second": "120", "rate_dangerous": "600"})
    answers = Answers({"dog": {"listed_breed": "none"}, "household": {"dogs_already": 1}})
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("120.00")
    answers.data["dog"]["listed_breed"] = "Kangal"
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("600.00")


def test_a_listed_breed_gets_the_permit_notice() -> None:
    listed = SERVICE.clean_all(answers_for(SERVICE, "listed_breed_second_dog_uninsured"), context())
    assert len(listed) == 2  # the permit, and insurance before a permit
    assert SERVICE.clean_all(answers_for(SERVICE, "first_dog_insured"), context()) == []


def test_documents_follow_the_answers() -> None:
    assert attachment_keys(SERVICE, answers_for(SERVICE, "first_dog_insured")) == {"insurance_certificate"}
    assert attachment_keys(SERVICE, answers_for(SERVICE, "listed_breed_second_dog_uninsured")) == {"keeping_permit"}


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    answers = answers_for(SERVICE, path)
    assert_revalidates_and_fits_schema(SERVICE, answers)
    assert SERVICE.fee(answers, context()) is not None


def test_the_owners_date_of_birth_cannot_be_in_the_future() -> None:
    owner = SERVICE.sample_answers["first_dog_insured"]["owner"]
    assert bound_form(SERVICE, "owner", owner).is_valid()
    form = bound_form(SERVICE, "owner", {**owner, "date_of_birth": day(1)})
    assert not form.is_valid() and set(form.errors) == {"date_of_birth"}
