"""Amounts and numbers: comma and point decimals and thousands separators in
both languages; printed in the page's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from forms_engine.catalog.fields import DecimalTextField
from forms_engine.lib.numbers import format_amount, parse_decimal
from forms_engine.wizard.engine import display_value


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("150", "150"),
        ("150,50", "150.50"),
        ("150.50", "150.50"),
        ("1850,00", "1850.00"),
        ("1.850,00", "1850.00"),
        ("1,850.00", "1850.00"),
        ("1 850,00", "1850.00"),
        ("1.850.000", "1850000"),
        ("150 €", "150"),
        ("0,5", "0.5"),
    ],
)
def test_both_separators_are_understood_in_both_languages(language: str, typed: str, value: str) -> None:
    assert parse_decimal(typed, language=language) == Decimal(value)


def test_a_single_ambiguous_separator_follows_the_language() -> None:
    assert parse_decimal("1.850", language="de") == Decimal("1850")
    assert parse_decimal("1,850", language="de") == Decimal("1.850")
    assert parse_decimal("1,850", language="en") == Decimal("1850")
    assert parse_decimal("1.850", language="en") == Decimal("1.850")


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "18.50.0", "1.85,0.0", "--1", "12a"])
def test_what_is_not_a_number_is_refused(typed: str) -> None:
    assert parse_decimal(typed, language="de") is None


class AmountForm(forms.Form):
    amount = DecimalTextField(min_value=0, max_digits=9, decimal_places=2, error_messages={"invalid": "nope"})


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_field_accepts_the_issues_amounts_in_english_and_german(language: str) -> None:
    with translation.override(language):
        for typed, value in (("150,50", "150.50"), ("1850,00", "1850.00"), ("150.50", "150.50")):
            form = AmountForm({"amount": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["amount"] == Decimal(value)
        assert AmountForm({"amount": "zwölf"}).errors == {"amount": ["nope"]}
        assert 'inputmode="decimal"' in str(AmountForm()["amount"]) and 'type="text"' in str(AmountForm()["amount"])


def test_amounts_print_in_the_pages_language() -> None:
    field = AmountForm.base_fields["amount"]
    with translation.override("de"):
        assert format_amount("1850.5") == "1.850,50 EUR"
        assert display_value(field, "150.00") == "150,00"
        assert 'value="150,50"' in str(AmountForm(initial={"amount": "150.50"})["amount"])
    with translation.override("en"):
        assert format_amount("1850.5") == "1,850.50 EUR"
        assert display_value(field, "150.00") == "150.00"
        assert 'value="150.50"' in str(AmountForm(initial={"amount": "150.50"})["amount"])
