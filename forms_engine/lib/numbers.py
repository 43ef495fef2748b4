"""Numbers as citizens type them and as the page's language prints them.

A German types "1.850,00", an English speaker "1,850.00", and many type "150.50"
on a German page (or "150,50" on an English one) because that is what their
phone's keypad offers. Both separators are accepted in both languages; only
where a single separator is truly ambiguous ("1,850" or "1.850": three digits
after it) does the page's language decide."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.formats import number_format

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"(€|eur|euro)$|^(€|eur)", re.I)
_SHAPE = re.compile(r"^[+-]?[0-9.,]*[0-9][0-9.,]*$")


def _decimal_comma(language: str | None) -> bool:
    return not (language or translation.get_language() or "de").startswith("en")


def parse_decimal(text: str, *, language: str | None = None) -> Decimal | None:
    """The number in `text`, or None if it is not one. Thousands separators are
    dropped; the last of two different separators is the decimal one."""
    value = _CURRENCY.sub("", _SPACES.sub("", text or "")).strip()
    if not value or not _SHAPE.match(value):
        return None
    commas, points = value.count(","), value.count(".")
    if commas and points:
        decimal = "," if value.rfind(",") > value.rfind(".") else "."
    elif commas + points == 0:
        decimal = ""
    else:
        separator = "," if commas else "."
        whole, _sep, tail = value.rpartition(separator)
        if commas + points > 1:
            decimal = ""  # "1.850.000": only thousands separators
        elif len(tail) == 3 and whole.lstrip("+-"):
            decimal = "," if _decimal_comma(language) else "."  # "1,850": the language decides
            decimal = separator if separator == decimal else ""
        else:
            decimal = separator
    thousands = {",", "."} - {decimal}
    if decimal:
        whole, _sep, fraction = value.rpartition(decimal)
        if not all(_grouped(whole, sep) for sep in thousands if sep in whole):
            return None
        normal = whole.translate({ord(s): None for s in thousands}) + "." + fraction
    else:
        if not all(_grouped(value, sep) for sep in thousands if sep in value):
            return None
        normal = value.translate({ord(s): None for s in thousands})
    try:
        return Decimal(normal)
    except InvalidOperation:
        return None


def _grouped(whole: str, separator: str) -> bool:
    """Thousands separators only between groups of three: "1.850" yes, "18.50.0" no."""
    head, *groups = whole.lstrip("+-").split(separator)
    return bool(head) and len(head) <= 3 and all(len(g) == 3 for g in groups)


def format_decimal(value: Any, decimal_pos: int | None = 2) -> str:
    """A number as the current language prints it: 1.850,00 / 1,850.00."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(number, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def format_amount(value: Any, currency: str = "EUR") -> str:
    """150,00 EUR on a German page, 150.00 EUR on an English one."""
    return f"{format_decimal(value)} {currency}"
