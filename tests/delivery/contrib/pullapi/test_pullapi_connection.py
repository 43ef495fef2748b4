"""“Verbindung testen” for a pull API target: can its system fetch?"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope

from forms_engine.delivery import registry
from forms_engine.delivery.base import ConnectionTestFailed
from forms_engine.delivery.models import PullApiToken
from tests.submissions.helpers import make_target


@pytest.mark.django_db
def test_connection_test_needs_an_active_token_of_the_city(giessen: Any, marburg: Any) -> None:
    channel = registry.get("pullapi")
    assert channel is not None
    target = make_target(giessen, "pullapi", {"system": "jugendamt-fachverfahren"})
    with scope(city=marburg):
        PullApiToken.issue(city=marburg, system="jugendamt-fachverfahren")  # another city's: does not count
    with scope(city=giessen):
        with pytest.raises(ConnectionTestFailed, match="hat kein aktives Pull-API-Token dieser Stadt"):
            channel.test_connection(target)
        row, _token = PullApiToken.issue(city=giessen, system="jugendamt-fachverfahren")
        assert "hat noch nicht abgerufen" in channel.test_connection(target)
        row.last_used_at = timezone.now()
        row.save()
        assert "hat zuletzt am" in channel.test_connection(target)
        row.active = False
        row.save()
        with pytest.raises(ConnectionTestFailed):
            channel.test_connection(target)


def test_system_name_is_checked() -> None:
    channel = registry.get("pullapi")
    assert channel is not None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"letters, digits and hyphens|Buchstaben, Ziffern und Bindestriche"):
        channel.validate_options({"system": "kein system!"})
    assert channel.validate_options({"system": "fachverfahren-1"}) == {"system": "fachverfahren-1"}
