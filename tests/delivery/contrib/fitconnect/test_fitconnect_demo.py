"""`make run`'s FIT-Connect path: the stand-in started as scripts/run.sh starts
it (its own process), the demo command pointing Offenbach's
Unterhaltsvorschuss at it, and a submission reaching "accepted"."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from forms_engine.delivery.contrib.fitconnect.tasks import poll_events
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.tenants.models import City
from tests.submissions.helpers import submit

from .conftest import deliver, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[dict[str, Any]]:
    state = tmp_path / "zustelldienst.json"
    module = "forms_engine.demo.zustelldienst"
    command = [sys.executable, "-m", module, "--state", str(state), "--leika", "99107021017000"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not state.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the stand-in did not start"
            time.sleep(0.05)
        settings = json.loads(state.read_text())
        settings["state_file"] = str(state)
        yield settings
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_demo_submission_reaches_accepted_through_the_standin(standin: dict[str, Any], settings: Any) -> None:
    settings.DELIVERY_ALLOW_PRIVATE_TARGETS = True  # as scripts/run.sh sets it: the stand-in is on 127.0.0.1
    call_command("demo", "--quiet", "--force", "--fitconnect-standin", standin["state_file"])
    with scopes_disabled():
        offenbach = City.objects.get(slug="offenbach")
    with scope(city=offenbach):
        target = DeliveryTarget.objects.get(service_slug="unterhaltsvorschuss", channel="fitconnect")
        assert "lokaler Stand-in" in target.name and target.secrets["client_secret"] == standin["client_secret"]
    state, step = deliver(submit(offenbach), target)
    assert state == "done", step.last_error
    poll_events.apply().get()
    assert reload(step).result["fitconnect"]["status"] == "accepted"
