"""Pull API: the back-office system fetches submissions itself. Delivering
means making the submission available to the system's token; the system
acknowledges receipt through the API (docs/processing.md)."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.delivery.base import Channel, ConnectionTestFailed, Delivery
from forms_engine.delivery.models import DeliveryTarget, PullApiToken

from .options import PullApiOptionsForm


class PullApiChannel(Channel):
    name = "pullapi"
    label = gettext_lazy("Pull API")
    options_form = PullApiOptionsForm

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        return {"available": True, "system": target.settings()["system"]}

    def test_connection(self, target: DeliveryTarget) -> str:
        """The system can fetch only with an active token of this city; say
        whether it has one and when it last fetched."""
        system = str(target.options.get("system") or "")
        tokens = PullApiToken.objects.filter(city=target.city, system=system, active=True)
        if not tokens.exists():
            raise ConnectionTestFailed(
                _(
                    "The system %(system)s has no active pull API token of this city, so it cannot fetch "
                    "submissions. Create one under “Pull API tokens”."
                )
                % {"system": system}
            )
        last = (
            tokens.exclude(last_used_at=None).order_by("-last_used_at").values_list("last_used_at", flat=True).first()
        )
        if last is None:
            return _("The system %(system)s has an active token but has not fetched yet.") % {"system": system}
        return _("The system %(system)s has an active token; it last fetched on %(when)s.") % {
            "system": system,
            "when": formats.date_format(timezone.localtime(last), "DATETIME_FORMAT"),
        }
