"""`manage.py demo --payment-standin var/bezahldienst.json`: Offenbach's
resident parking permit is paid online on the local stand-in provider
(forms_engine/demo/bezahldienst.py; NOT a real payment provider)."""

from __future__ import annotations

import json
from pathlib import Path

from forms_engine.catalog.models import CityService
from forms_engine.tenants.models import City

from .models import PaymentProvider


def payment_standin(path: str) -> None:
    """Runs inside the demo command's unscoped block."""
    state = json.loads(Path(path).read_text())
    city = City.objects.get(slug="offenbach")
    PaymentProvider.objects.update_or_create(
        city=city,
        defaults={
            "enabled": True,
            "base_url": state["base_url"],
            "originator_id": state["originator_id"],
            "endpoint_id": state["endpoint_id"],
            "auth": state["auth"],
            "username": state.get("username", ""),
            "secret": state.get("password", ""),
            "purpose_template": "OF Parkausweis {reference}",
        },
    )
    CityService.objects.filter(city=city, service_slug="bewohnerparkausweis").update(payment_mode="before")
