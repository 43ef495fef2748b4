"""Plausibility rules and the finder's reward, as plain functions (tested directly)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from forms_engine.catalog.base import Answers

YES, NO = "ja", "nein"
FOUND, LOST = "found", "lost"


def is_found(answers: Answers) -> bool:
    return bool(answers.get("report.kind") == FOUND)


def finders_reward(value: Decimal, *, threshold: Decimal, rate_low: Decimal, rate_high: Decimal) -> Decimal:
    """§ 971 BGB: rate_low % of the value up to the threshold, rate_high % of the rest."""
    low = min(value, threshold)
    high = max(value - threshold, Decimal(0))
    reward = low * rate_low / 100 + high * rate_high / 100
    return reward.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
