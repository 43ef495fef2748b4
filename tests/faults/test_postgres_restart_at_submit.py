"""PostgreSQL restarts while the citizen presses "submit": a clear 503 "please
try again" page in the city's layout, no reference for what was not stored;
the same click after the restart submits exactly once.

The web side (this test process) runs against a PostgreSQL server of our own,
holding a copy of the test database, so that server can be stopped."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from forms_engine.submissions.models import Submission
from tests.conftest import enable_service
from tests.faults.servers import PostgresServer
from tests.wizard.conftest import NOTE, PERSON, SLUG, answer, start
from tests.wizard.walk import hidden

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults"), pytest.mark.django_db(transaction=True)]
COPY = "gemeinsam_fault_copy"


@pytest.fixture
def web_on_own_postgres(giessen: Any, own_postgres: PostgresServer) -> Iterator[PostgresServer]:
    enable_service(giessen, SLUG)
    shared = connection.settings_dict
    own = ["-h", "127.0.0.1", "-p", str(own_postgres.port), "-U", "postgres"]
    subprocess.run(["dropdb", *own, "--if-exists", COPY], check=True, capture_output=True)
    subprocess.run(["createdb", *own, COPY], check=True, capture_output=True)
    dump = subprocess.run(
        ["pg_dump", "-h", "127.0.0.1", "-p", str(shared["PORT"] or 5432), "-U", shared["USER"] or "postgres",
         "--no-owner", shared["NAME"]],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(["psql", *own, "-q", "-v", "ON_ERROR_STOP=1", COPY], input=dump.stdout, check=True,
                   capture_output=True)  # fmt: skip
    saved = {key: shared[key] for key in ("NAME", "PORT", "HOST")}
    connection.close()
    shared.update(NAME=COPY, PORT=str(own_postgres.port), HOST="127.0.0.1")
    try:
        yield own_postgres
    finally:
        connection.close()
        shared.update(saved)


def test_retry_page_then_exactly_one_submission(web_on_own_postgres: PostgresServer) -> None:
    citizen = Client(HTTP_HOST="giessen.localhost", raise_request_exception=False)
    start(citizen)
    answer(citizen, "person", PERSON)
    answer(citizen, "nachweise", NOTE)
    check = citizen.get(f"/{SLUG}/check/").content.decode()
    form = {"draft": hidden(check, "draft"), "revision": hidden(check, "revision")}

    web_on_own_postgres.stop()
    response = citizen.post(f"/{SLUG}/check/", form)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Bitte versuchen Sie es gleich noch einmal" in page
    assert "Gießen" in page  # the city's layout, not a bare error page
    assert "GI-TST-" not in page  # no reference: nothing was stored

    web_on_own_postgres.start()
    connection.close()  # the connection died with the server
    with scopes_disabled():
        assert Submission.objects.count() == 0
    response = citizen.post(f"/{SLUG}/check/", form)  # the citizen clicks again
    assert response.status_code == 302
    with scopes_disabled():
        [submission] = Submission.objects.all()
    assert submission.reference in citizen.get(response["Location"]).content.decode()
