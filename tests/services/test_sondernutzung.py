"""Sondernutzung: the city's lead time, a period whose last day may equal its
first, and the fee of area × days × the rate for the purpose."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from services.sondernutzung.rules import PURPOSES, period_days
from services.sondernutzung.service import DEFAULT_RATES, SondernutzungService
from tests.conftest import enable_service

from .ordnung_samples import answers_for, assert_revalidates_and_fits_schema, attachment_keys, bound_form

SERVICE = SondernutzungService()
PATHS = list(SERVICE.sample_answers)


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def use(**changes: str) -> dict[str, str]:
    return {
        "purpose": "container",
        "location": "Schillerstraße 8",
        "area_m2": "10",
        "start_date": day(20),
        "end_date": day(20),
        **changes,
    }


def context(**params: Any) -> ServiceContext:
    return ServiceContext(None, {**SERVICE.default_params(), **params})


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("sondernutzung")
    assert isinstance(service, SondernutzungService)
    assert (service.version, service.reference_code) == ("1.0", "SNE")
    assert SERVICE.default_params()["lead_time_days"] == 14


def test_the_start_respects_the_lead_time_of_14_days() -> None:
    assert bound_form(SERVICE, "use", use(start_date=day(14), end_date=day(14))).is_valid()
    form = bound_form(SERVICE, "use", use(start_date=day(13), end_date=day(14)))
    assert not form.is_valid()
    assert "start_date" in form.errors


def test_the_citys_lead_time_applies(giessen: Any) -> None:
    city_service = enable_service(giessen, "sondernutzung", parameters={"lead_time_days": 21})
    form = bound_form(SERVICE, "use", use(start_date=day(20), end_date=day(25)), city_service.context())
    assert not form.is_valid() and "start_date" in form.errors
    form = bound_form(SERVICE, "use", use(start_date=day(21), end_date=day(25)), city_service.context())
    assert form.is_valid(), form.errors


def test_the_last_day_may_equal_but_not_precede_the_first() -> None:
    assert bound_form(SERVICE, "use", use(start_date=day(20), end_date=day(20))).is_valid()
    form = bound_form(SERVICE, "use", use(start_date=day(20), end_date=day(19)))
    assert not form.is_valid()
    assert "end_date" in form.errors


@pytest.mark.parametrize(
    ("area", "valid"), [("0.01", True), ("2.5", True), ("0", False), ("-3", False), ("0,125", False), ("2,5", True)]
)
def test_the_area_is_positive_with_at_most_two_decimals(area: str, valid: bool) -> None:
    assert bound_form(SERVICE, "use", use(area_m2=area)).is_valid() is valid


def test_a_company_must_be_named() -> None:
    data = {
        "applicant_type": "company",
        "last_name": "Yilmaz",
        "first_name": "Deniz",
        "street": "Schillerstraße 8",
        "postcode": "35390",
        "town": "Gießen",
        "email": "d@example.org",
        "phone": "0641 1",
    }
    form = bound_form(SERVICE, "applicant", data)
    assert not form.is_valid() and set(form.errors) == {"organisation"}
    assert bound_form(SERVICE, "applicant", {**data, "organisation": "Bau GmbH"}).is_valid()


def test_both_periods_count_their_first_and_last_day() -> None:
    first = datetime.date(2026, 3, 2)
    assert period_days(first, first) == 1
    assert period_days(first, datetime.date(2026, 3, 8)) == 7


@pytest.mark.parametrize("purpose", PURPOSES)
def test_the_fee_for_one_day_is_area_times_the_purposes_rate(purpose: str) -> None:
    answers = Answers({"use": {"purpose": purpose, "area_m2": "12.5", "start_date": day(20), "end_date": day(20)}})
    fee = SERVICE.fee(answers, context())
    assert fee is not None
    assert fee.amount == (Decimal("12.5") * DEFAULT_RATES[purpose]).quantize(Decimal("0.01"))


def test_the_fee_multiplies_area_days_and_rate() -> None:
    answers = Answers({"use": {"purpose": "scaffold", "area_m2": "12.5", "start_date": day(20), "end_date": day(40)}})
    fee = SERVICE.fee(answers, context())
    assert fee is not None
    assert fee.amount == Decimal("131.25")  # 12.5 m² × 21 days × 0.50 EUR
    assert "21" in str(fee.explanation)


def test_each_purpose_has_its_own_city_rate(giessen: Any) -> None:
    city_service = enable_service(giessen, "sondernutzung", parameters={"rate_outdoor_seating": "0.15"})
    answers = Answers(
        {"use": {"purpose": "outdoor_seating", "area_m2": "20", "start_date": day(20), "end_date": day(29)}}
    )
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("30.00")  # 20 × 10 × 0.15
    answers.data["use"]["purpose"] = "container"
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("200.00")  # default container rate 1.00


def test_there_is_no_fee_without_a_complete_use() -> None:
    assert SERVICE.fee(Answers({"use": {"purpose": "container"}}), context()) is None
    assert SERVICE.fee(Answers({}), context()) is None


def test_site_plan_and_insurance_are_always_required() -> None:
    for path in PATHS:
        answers = answers_for(SERVICE, path)
        assert attachment_keys(SERVICE, answers) == {"site_plan", "liability_insurance"}
    assert all(spec.required for step in SERVICE.steps for spec in step.attachments)


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    answers = answers_for(SERVICE, path)
    assert_revalidates_and_fits_schema(SERVICE, answers)
    assert SERVICE.fee(answers, context()) is not None
