"""Fundsache: found or lost, no dates in the future, the hand-in step only for
finders, and the finder's reward of § 971 BGB on the check page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, ServiceContext
from services.fundsache.rules import finders_reward
from services.fundsache.service import FundsacheService
from tests.conftest import enable_service

from .ordnung_samples import answers_for, assert_revalidates_and_fits_schema, bound_form

SERVICE = FundsacheService()
PATHS = list(SERVICE.sample_answers)
RATES = {"threshold": Decimal("500"), "rate_low": Decimal("5"), "rate_high": Decimal("3")}


def context() -> ServiceContext:
    return ServiceContext(None, SERVICE.default_params())


def found(value: str | None, reward_wanted: str = "ja") -> Answers:
    return Answers(
        {
            "report": {"kind": "found"},
            "item": {"category": "wallet", "description": "Börse", "estimated_value": value},
            "handover": {"whereabouts": "handed_in", "reward_wanted": reward_wanted},
        }
    )


def test_the_service_is_registered_with_its_identity() -> None:
    service = registry.get("fundsache")
    assert isinstance(service, FundsacheService)
    assert (service.version, service.reference_code) == ("1.0", "FUND")
    assert len(service.leika_key) == 14 and service.leika_key.isdigit()


@pytest.mark.parametrize(
    ("value", "reward"),
    [
        ("0", "0.00"),
        ("100", "5.00"),
        ("499.99", "25.00"),
        ("500", "25.00"),  # exactly at the threshold: 5 % of all of it
        ("500.01", "25.00"),  # 3 % of one cent rounds away
        ("600", "28.00"),  # 25 + 3 % of 100
        ("1500", "55.00"),  # 25 + 3 % of 1000
    ],
)
def test_the_finders_reward_is_five_percent_up_to_500_and_three_above(value: str, reward: str) -> None:
    assert finders_reward(Decimal(value), **RATES) == Decimal(reward)


def test_the_reward_is_a_summary_line_when_the_finder_claims_it() -> None:
    lines = SERVICE.summary(found("650.00"), context())
    assert len(lines) == 1
    assert "29,50" in str(lines[0].value) or "29.50" in str(lines[0].value)
    assert SERVICE.reward(found("650.00"), context()) == Decimal("29.50")


@pytest.mark.parametrize(
    "answers",
    [
        found("650.00", reward_wanted="nein"),
        found(None),
        Answers({"report": {"kind": "lost"}, "item": {"estimated_value": "650.00"}}),
    ],
    ids=["not-claimed", "no-value", "lost"],
)
def test_no_reward_line_otherwise(answers: Answers) -> None:
    assert SERVICE.summary(answers, context()) == []


def test_the_citys_rates_apply(giessen: Any) -> None:
    city_service = enable_service(giessen, "fundsache", parameters={"reward_rate_low": "4", "reward_threshold": "100"})
    # 4 % of 100 plus 3 % of 900
    assert SERVICE.reward(found("1000"), city_service.context()) == Decimal("31.00")


def test_there_is_no_fee() -> None:
    assert SERVICE.fee(found("650.00"), context()) is None


def test_the_date_found_or_lost_cannot_be_in_the_future() -> None:
    today = timezone.localdate()
    data = {"place": "Marktplatz", "time": ""}
    assert bound_form(SERVICE, "event", {**data, "date": today.isoformat()}).is_valid()
    form = bound_form(SERVICE, "event", {**data, "date": (today + datetime.timedelta(days=1)).isoformat()})
    assert not form.is_valid()
    assert "date" in form.errors


@pytest.mark.parametrize(("time", "valid"), [("07:05", True), ("23:59", True), ("24:00", False), ("7 Uhr", False)])
def test_the_time_is_a_clock_time(time: str, valid: bool) -> None:
    form = bound_form(SERVICE, "event", {"date": timezone.localdate().isoformat(), "place": "Park", "time": time})
    assert form.is_valid() is valid


def test_the_hand_in_step_is_only_for_finders() -> None:
    assert [s.name for s in SERVICE.active_steps(answers_for(SERVICE, "lost"))] == [
        "report",
        "item",
        "event",
        "contact",
        "declarations",
    ]
    assert "handover" in [s.name for s in SERVICE.active_steps(answers_for(SERVICE, "found_with_reward"))]


def test_the_hand_in_place_is_the_citys(giessen: Any) -> None:
    city_service = enable_service(giessen, "fundsache", parameters={"hand_in_place": "Fundbüro, Berliner Platz 1"})
    form = bound_form(SERVICE, "handover", {}, city_service.context())
    assert "Berliner Platz 1" in str(form.fields["whereabouts"].help_text)


def test_finders_are_told_how_long_items_are_kept() -> None:
    notices = SERVICE.clean_all(answers_for(SERVICE, "found_with_reward"), context())
    assert any("6" in str(n.text) for n in notices)
    assert any("Fundbüro" in str(n.text) for n in notices)  # kept at home: where to bring it
    assert SERVICE.clean_all(answers_for(SERVICE, "lost"), context()) == []


@pytest.mark.parametrize("path", PATHS)
def test_every_step_of_the_path_accepts_its_sample(path: str) -> None:
    assert_revalidates_and_fits_schema(SERVICE, answers_for(SERVICE, path))


def test_the_samples_cover_found_and_lost_and_the_reward() -> None:
    kinds = {SERVICE.sample_answers[p]["report"]["kind"] for p in PATHS}
    assert kinds == {"found", "lost"}
    assert any(SERVICE.summary(answers_for(SERVICE, p), context()) for p in PATHS)
