"""Plausibility rules and the fee, as plain functions (tested directly)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from forms_engine.catalog.base import Answers

YES, NO = "ja", "nein"


def event_days(start: datetime.date, end: datetime.date) -> int:
    """Both days count: a one-day event starts and ends on the same date."""
    return (end - start).days + 1


def notice_fee(days: int, *, first_day: Decimal, further_day: Decimal, maximum: Decimal) -> Decimal:
    """The fee schedule's 11-66 EUR range, graded by the event's length: the first
    day, plus each further day, capped at the maximum."""
    return min(first_day + further_day * max(days - 1, 0), maximum).quantize(Decimal("0.01"))


def serves_food(answers: Answers) -> bool:
    return bool(answers.get("catering.food") == YES)


def is_organisation(answers: Answers) -> bool:
    return bool(answers.get("organiser.organiser_type") == "organisation")
