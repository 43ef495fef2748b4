from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import enable_service, host_client
from tests.wizard.walk import post_step, step_post_data

SLUG = "testantrag"


@pytest.fixture
def citizen(giessen: Any) -> Client:
    enable_service(giessen, SLUG)
    return host_client("giessen.localhost")


def start(client: Client) -> str:
    response = client.post(f"/{SLUG}/", {"action": "start"})
    assert response.status_code == 302
    return str(response["Location"])


def answer(client: Client, step: str, values: Any, **extra: Any) -> Any:
    url = f"/{SLUG}/{step}/"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = step_post_data(SLUG, step, page.content.decode(), values)
    data.update(extra)
    return post_step(client, url, data)


PERSON = {"first_name": "Erika", "last_name": "Mustermann", "email": "erika@example.org", "has_pets": "nein"}
PERSON_PETS = {**PERSON, "has_pets": "ja"}
PETS = [{"name": "Bello", "born": "2020-01-02"}]
NOTE = {"note": "", "confirm": "on"}
