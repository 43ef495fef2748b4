"""Plausibility rules and the fee, as plain functions (tested directly)."""

from __future__ import annotations

import re
from decimal import Decimal

from forms_engine.catalog.base import Answers

YES, NO = "ja", "nein"

# District (1-3 letters, umlauts occur: "TÜ", "LÖ"), 1-2 letters, 1-4 digits without
# a leading zero, optional E (electric) or H (historic). Separators may be a hyphen
# or spaces; between district and letters one is needed, or "GIAB1" would be ambiguous.
_PLATE = re.compile(r"^([A-ZÄÖÜ]{1,3})(?:\s*-\s*|\s+)([A-Z]{1,2})[\s-]*([1-9][0-9]{0,3})\s*([EH]?)$")


def normalise_licence_plate(raw: str) -> str | None:
    """'gi ab123' -> 'GI-AB 123', 'MR-Z 9999 e' -> 'MR-Z 9999E'; None if it is not a German plate."""
    match = _PLATE.match(" ".join(raw.split()).upper())
    if match is None:
        return None
    district, letters, digits, suffix = match.groups()
    return f"{district}-{letters} {digits}{suffix}"


def holder_is_not_applicant(answers: Answers) -> bool:
    return bool(answers.get("vehicle.holder_is_applicant") == NO)


def permit_fee(years: int, annual_fee: Decimal) -> Decimal:
    return (annual_fee * years).quantize(Decimal("0.01"))
