"""The migration that moved channel secrets out of the plain JSON options."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scope

from forms_engine.delivery.models import DeliveryTarget

BEFORE, AFTER = ("delivery", "0001_initial"), ("delivery", "0002_target_secrets")


@pytest.mark.django_db(transaction=True)
def test_existing_targets_keep_working_and_their_secrets_are_encrypted(giessen: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("delivery", "DeliveryTarget")
    common = {"city_id": giessen.pk, "service_slug": "fundsache", "enabled": True}
    hook = old.objects.create(
        name="Fachverfahren",
        channel="webhook",
        options={"url": "https://fv.example/in", "secret": "alt-geheim-1234567"},
        **common,
    )
    mailbox = old.objects.create(
        name="Postfach", channel="email", options={"to": "a@example.org; b@example.org"}, **common
    )
    pull = old.objects.create(name="Abruf", channel="pullapi", options={"system": "fv"}, **common)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    with scope(city=giessen):
        targets = {t.pk: t for t in DeliveryTarget.objects.all()}
    assert targets[hook.pk].options == {"url": "https://fv.example/in"}
    assert targets[hook.pk].settings() == {"url": "https://fv.example/in", "secret": "alt-geheim-1234567"}
    assert targets[mailbox.pk].options == {"to": ["a@example.org", "b@example.org"]}
    assert targets[pull.pk].options == {"system": "fv"} and targets[pull.pk].secrets == {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT options::text || secrets FROM delivery_deliverytarget WHERE id = %s", [hook.pk])
        assert "alt-geheim" not in cursor.fetchone()[0]
