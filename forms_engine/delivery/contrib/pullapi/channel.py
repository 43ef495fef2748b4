"""Pull API: the back-office system fetches submissions itself. Delivering
means making the submission available to the system's token; the system
acknowledges receipt through the API (docs/processing.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.base import Channel, Delivery
from forms_engine.delivery.models import DeliveryTarget


class PullApiChannel(Channel):
    name = "pullapi"
    label = _("Pull API")

    def validate_options(self, options: dict[str, Any]) -> dict[str, Any]:
        system = str(options.get("system") or "").strip()
        try:
            validate_slug(system)
        except ValidationError as exc:
            raise ValidationError(_("system: the name of the back-office system (letters, digits, -).")) from exc
        return {"system": system}

    def deliver(self, target: DeliveryTarget, delivery: Delivery) -> dict[str, Any]:
        return {"available": True, "system": self.validate_options(target.options)["system"]}
