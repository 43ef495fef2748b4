"""Plausibility rules and the dog tax, as plain functions (tested directly)."""

from __future__ import annotations

import re
from decimal import Decimal

from forms_engine.catalog.base import Answers

YES, NO = "ja", "nein"
NOT_LISTED = "none"

# ISO 11784/11785 transponder code as printed: 15 digits (3 country or
# manufacturer digits and 12 identification digits).
_MICROCHIP = re.compile(r"^[0-9]{15}$")  # [0-9], not \d: \d takes any script's digits


def normalise_microchip(raw: str) -> str | None:
    """Spaces are tolerated (vets often print 3-3-3-3-3 groups); nothing else."""
    digits = "".join(raw.split())
    return digits if _MICROCHIP.match(digits) else None


def is_listed_breed(answers: Answers) -> bool:
    return bool(answers.get("dog.listed_breed") not in (None, "", NOT_LISTED))


def has_insurance(answers: Answers) -> bool:
    return bool(answers.get("household.insured") == YES)


def dog_tax(
    *, dogs_already: int, listed: bool, first: Decimal, second: Decimal, further: Decimal, dangerous: Decimal
) -> tuple[Decimal, str]:
    """The annual tax for this dog and which rate applies ("first", "second", "further", "dangerous")."""
    if listed:
        return dangerous, "dangerous"
    if dogs_already <= 0:
        return first, "first"
    if dogs_already == 1:
        return second, "second"
    return further, "further"
