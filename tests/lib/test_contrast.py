"""The WCAG 2.1 contrast ratio, checked against published reference values."""

from __future__ import annotations

import pytest

from forms_engine.lib.contrast import contrast_ratio, relative_luminance


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#777777", "#ffffff", 4.48),
        ("#767676", "#ffffff", 4.54),
        ("#004b87", "#ffffff", 8.91),
        ("#ffcc00", "#ffffff", 1.51),
    ],
)
def test_reference_ratios(first, second, expected):
    assert round(contrast_ratio(first, second), 2) == expected


def test_the_order_does_not_matter():
    assert contrast_ratio("#004b87", "#ffffff") == contrast_ratio("#ffffff", "#004b87")


def test_upper_case_hex_is_fine():
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)


@pytest.mark.parametrize("bad", ["fff", "#fff", "#gggggg", "", "rgb(0,0,0)"])
def test_other_notations_are_refused(bad):
    with pytest.raises(ValueError):
        relative_luminance(bad)
