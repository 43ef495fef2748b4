"""The page counts agree: the start page names the range of steps ("10 bis 17
kurze Schritte, je nach Ihren Antworten"), the first step counts from its low
end, every step's "Schritt x von y" stays within the range, and the check page
is the last step of exactly the steps walked."""

from __future__ import annotations

import re
from typing import Any

import pytest

from forms_engine.catalog import registry
from forms_engine.wizard import engine
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

SERVICES = [s for s in registry.all_services() if type(s).__module__.startswith("services.")]
PATHS = [(s.slug, path) for s in SERVICES for path in s.sample_answers]


def _step_of(html: str) -> tuple[int, int]:
    match = re.search(r"Schritt (\d+) von (\d+)", html)
    assert match, "no step count on the page"
    return int(match.group(1)), int(match.group(2))


@pytest.mark.parametrize(("slug", "path"), PATHS, ids=[f"{s}-{p}" for s, p in PATHS])
def test_start_page_steps_and_check_page_agree(giessen: Any, slug: str, path: str) -> None:
    service = registry.get(slug)
    assert service is not None
    enable_service(giessen, slug)
    client = host_client("giessen.localhost")
    pages = engine.page_range(service)
    start = client.get(f"/{slug}/").content.decode()
    if pages["fewest"] == pages["most"]:
        assert f"{pages['most']} kurze Schritte" in start
    else:
        assert f"{pages['fewest']} bis {pages['most']} kurze Schritte, je nach Ihren Antworten" in start
    first = client.get(client.post(f"/{slug}/", {"action": "start"})["Location"]).content.decode()
    assert _step_of(first) == (1, pages["fewest"])
    result = walk(client, slug, dict(service.sample_answers[path]), submit=False)
    current, total = _step_of(result["check_html"])
    assert current == total == len(result["steps"]) + 1
    assert pages["fewest"] <= total <= pages["most"]
