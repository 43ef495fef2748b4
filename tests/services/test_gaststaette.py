"""Gaststätte (temporary catering): the 28-day lead time, the period and times,
and the fee graded by the event's length within 11-66 EUR."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from services.gaststaette.service import GaststaetteService
from tests.conftest import enable_service

from .ordnung_samples import answers_for, assert_revalidates_and_fits_schema, attachment_keys, bound_form

SERVICE = GaststaetteService()
PATHS = list(SERVICE.sample_answers)


def context() -> ServiceContext:
    return ServiceContext(None, SERVICE.default_params())


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def event(**changes: str) -> dict[str, str]:
    return {**SERVICE.sample_answers["street_party_one_day_no_food"]["event"], **changes}


def fee_for(days: int) -> Decimal:
    answers = Answers({"event": {"start_date": day(30), "end_date": day(30 + days - 1)}})
    fee = SERVICE.fee(answers, context())
    assert fee is not None
    return fee.amount


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("gaststaette")
    assert isinstance(service, GaststaetteService)
    assert (service.version, service.reference_code) == ("1.0", "GAST")
    assert SERVICE.default_params()["lead_time_days"] == 28


def test_the_event_starts_28_days_ahead_at_the_earliest() -> None:
    assert bound_form(SERVICE, "event", event(start_date=day(28), end_date=day(28))).is_valid()
    form = bound_form(SERVICE, "event", event(start_date=day(27), end_date=day(28)))
    assert not form.is_valid() and "start_date" in form.errors


def test_the_citys_lead_time_applies(giessen: Any) -> None:
    city_service = enable_service(giessen, "gaststaette", parameters={"lead_time_days": 14})
    form = bound_form(SERVICE, "event", event(start_date=day(14), end_date=day(15)), city_service.context())
    assert form.is_valid(), form.errors


def test_the_last_day_may_equal_but_not_precede_the_first() -> None:
    form = bound_form(SERVICE, "event", event(start_date=day(30), end_date=day(29)))
    assert not form.is_valid() and set(form.errors) == {"end_date"}


@pytest.mark.parametrize(("closing", "valid"), [("01:30", True), ("23:00", True), ("25:00", False), ("abends", False)])
def test_serving_may_run_past_midnight_but_times_are_times(closing: str, valid: bool) -> None:
    assert bound_form(SERVICE, "event", event(opening_time="18:00", closing_time=closing)).is_valid() is valid


def test_visitors_and_organisation_are_checked() -> None:
    assert not bound_form(SERVICE, "event", event(expected_visitors="0")).is_valid()
    organiser = {
        **SERVICE.sample_answers["street_party_one_day_no_food"]["organiser"],
        "organiser_type": "organisation",
    }
    form = bound_form(SERVICE, "organiser", organiser)
    assert not form.is_valid() and set(form.errors) == {"organisation"}
    form = bound_form(SERVICE, "organiser", {**organiser, "date_of_birth": day(1), "organisation": "TV"})
    assert not form.is_valid() and set(form.errors) == {"date_of_birth"}


@pytest.mark.parametrize(
    ("days", "amount"), [(1, "11.00"), (2, "22.00"), (3, "33.00"), (6, "66.00"), (7, "66.00"), (30, "66.00")]
)
def test_the_fee_is_11_eur_per_day_within_11_to_66(days: int, amount: str) -> None:
    assert fee_for(days) == Decimal(amount)


def test_the_citys_fee_schedule_applies(giessen: Any) -> None:
    city_service = enable_service(
        giessen, "gaststaette", parameters={"fee_first_day": "20", "fee_further_day": "5", "fee_max": "30"}
    )
    answers = Answers({"event": {"start_date": day(30), "end_date": day(32)}})
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("30.00")  # 20 + 2 × 5
    answers.data["event"]["end_date"] = day(40)
    fee = SERVICE.fee(answers, city_service.context())
    assert fee is not None and fee.amount == Decimal("30.00")  # capped


def test_there_is_no_fee_before_the_dates_are_known() -> None:
    assert SERVICE.fee(Answers({}), context()) is None


def test_the_citizen_sees_who_gets_the_notice_and_the_alcohol_rules() -> None:
    one_day = answers_for(SERVICE, "street_party_one_day_no_food")
    lines = SERVICE.summary(one_day, context())
    assert len(lines) == 1 and "Lebensmittelüberwachung" in str(lines[0].value)
    assert [n.level for n in SERVICE.clean_all(one_day, context())] == ["info"]  # alcohol
    assert SERVICE.clean_all(answers_for(SERVICE, "club_festival_three_days_food"), context()) == []


def test_documents_follow_the_answers_and_are_all_optional() -> None:
    assert attachment_keys(SERVICE, answers_for(SERVICE, "street_party_one_day_no_food")) == {"site_plan"}
    assert attachment_keys(SERVICE, answers_for(SERVICE, "club_festival_three_days_food")) == {
        "site_plan",
        "authorisation",
        "hygiene_instruction",
    }
    assert not any(spec.required for step in SERVICE.steps for spec in step.attachments)


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    answers = answers_for(SERVICE, path)
    assert_revalidates_and_fits_schema(SERVICE, answers)
    assert SERVICE.fee(answers, context()) is not None
