"""End to end: a citizen walks a real service, rates it on the confirmation page,
and after the roll-up the city's dashboard shows that use."""

from __future__ import annotations

import re

from django.utils import timezone
from django_scopes import scopes_disabled

from forms_engine.analytics.metrics import fetch, summarise
from forms_engine.analytics.models import UsageEvent
from forms_engine.analytics.rollup import rollup_day
from forms_engine.catalog import registry
from forms_engine.tenants.models import City
from tests.conftest import enable_service, host_client
from tests.wizard.walk import walk

SERVICE = "hundesteuer"


def test_citizen_use_and_rating_reach_the_dashboard(giessen: City) -> None:
    service = registry.get(SERVICE)
    assert service is not None and service.sample_answers
    enable_service(giessen, SERVICE)
    citizen = host_client("giessen.localhost")

    result = walk(citizen, SERVICE, dict(next(iter(service.sample_answers.values()))))
    done = citizen.get(result["done_url"]).content.decode()
    form = re.search(r'<form method="post" action="(/bewertung/[^"]+/)".*?</form>', done, re.S)
    assert form, "the confirmation page offers the rating"
    ticket = re.search(r'name="ticket" value="([^"]+)"', form.group(0))
    assert ticket
    assert citizen.post(form.group(1), {"rating": "5", "ticket": ticket.group(1)}).status_code == 200

    rollup_day(giessen, timezone.localdate())
    per_service, _total = summarise(fetch([giessen.pk], timezone.localdate(), timezone.localdate()))
    figures = per_service[SERVICE]
    assert (figures.starts, figures.submissions, figures.rating_count) == (1, 1, 1)
    assert len(figures.durations) == 1
    assert set(result["steps"]) <= set(figures.steps_completed)
    with scopes_disabled():
        assert {e.event for e in UsageEvent.objects.all()} >= {"started", "step_shown", "step_completed", "submitted"}
