"""The check page: one summary card per page of questions, each with its own
change links, and optional questions left empty are not listed ("–")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from forms_engine.catalog import registry
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

SERVICES = [s for s in registry.all_services() if type(s).__module__.startswith("services.")]
PATHS = [(s.slug, path) for s in SERVICES for path in s.sample_answers]


@pytest.mark.parametrize(("slug", "path"), PATHS, ids=[f"{s}-{p}" for s, p in PATHS])
def test_one_card_per_step_and_no_empty_answers(giessen: Any, slug: str, path: str) -> None:
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug)
    result = walk(host_client("giessen.localhost"), slug, dict(service.sample_answers[path]), submit=False)
    html = result["check_html"]
    cards = re.findall(r'<section class="kern-summary wizard-summary-card" aria-labelledby="sec-([^"]+)">', html)
    assert cards == result["steps"]
    values = re.findall(r'<dd class="kern-description-list-item__value">(.*?)</dd>', html, re.S)
    assert values and "–" not in [v.strip() for v in values]
    for card in re.split(r'<section class="kern-summary wizard-summary-card"', html)[1:]:
        assert "?return=check" in card.split("</section>")[0]  # every card can be changed


def test_an_optional_question_left_empty_is_not_listed(giessen: Any) -> None:
    service = registry.get("unterhaltsvorschuss")
    assert service is not None
    enable_service(giessen, service.slug)
    answers = dict(next(iter(service.sample_answers.values())))
    answers["antragsteller"] = {**answers["antragsteller"], "geburtsname": ""}
    answers["anschrift"] = {**answers["anschrift"], "telefon": ""}
    html = walk(host_client("giessen.localhost"), service.slug, answers, submit=False)["check_html"]
    keys = re.findall(r'<dt class="kern-description-list-item__key">(.*?)</dt>', html)
    assert "Geburtsname" not in keys and "Telefon" not in keys
    assert "Nachname" in keys
