"""Plausibility rules and the fee, as plain functions (tested directly)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

# Purpose -> the parameter holding its fee per m² per day.
PURPOSES = ("container", "scaffold", "outdoor_seating", "moving_van", "info_stand")


def rate_key(purpose: str) -> str:
    return f"rate_{purpose}"


def period_days(start: datetime.date, end: datetime.date) -> int:
    """Both days count: a use from Monday to Monday is one day."""
    return (end - start).days + 1


def use_fee(area_m2: Decimal, days: int, rate: Decimal) -> Decimal:
    return (area_m2 * days * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
