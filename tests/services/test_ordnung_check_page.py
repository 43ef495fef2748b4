"""Fees and summary lines of the public-order services reach the citizen's
check page before submitting (walked over HTTP in Gießen, in German)."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine.catalog import registry
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

CASES = [
    # slug, sample path, city parameters, text expected on the check page
    ("bewohnerparkausweis", "company_car_two_years", {"annual_fee": "75.00"}, "150,00"),
    ("sondernutzung", "moving_van_one_day", {}, "15,00"),  # 30 m² × 1 day × 0.50
    ("hundesteuer", "listed_breed_second_dog_uninsured", {}, "700,00"),
    ("gaststaette", "club_festival_three_days_food", {}, "33,00"),
    ("fundsache", "found_with_reward", {}, "29,50"),  # 5 % of 500 + 3 % of 150
]


@pytest.mark.parametrize(("slug", "path", "parameters", "shown"), CASES, ids=[c[0] for c in CASES])
def test_the_check_page_shows_what_is_computed(
    giessen: Any, slug: str, path: str, parameters: dict[str, str], shown: str
) -> None:
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug, parameters=parameters)
    client = host_client("giessen.localhost")
    result = walk(client, slug, dict(service.sample_answers[path]), submit=False)
    assert shown in result["check_html"]
