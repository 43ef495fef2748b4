"""`manage.py demo --bundid-standin var/bundid.json`: BundID on for the demo
cities, against the local IdP stand-in (forms_engine/demo/bundid_idp.py; NOT
BundID). Gießen requires the login for the Unterhaltsvorschuss, so the demo
shows a required login too; elsewhere it is optional."""

from __future__ import annotations

import json
from pathlib import Path

from forms_engine.tenants.models import City

from .keys import self_signed
from .models import BundIdSettings

REQUIRED = {"giessen": "unterhaltsvorschuss"}


def bundid_standin(path: str) -> None:
    """Runs inside the demo command's unscoped block."""
    state = json.loads(Path(path).read_text())
    for city in City.objects.all():
        row = BundIdSettings.objects.filter(city=city).first()
        key, cert = (row.sp_key, row.sp_certificate) if row and row.sp_key else self_signed(f"{city.slug} demo SP")
        BundIdSettings.objects.update_or_create(
            city=city,
            defaults={
                "enabled": True,
                "environment": BundIdSettings.Environment.TEST,
                "sp_key": key,
                "sp_certificate": cert,
                "idp_metadata": state["metadata"],
                "idp_metadata_url": "",
                "required_services": REQUIRED.get(city.slug, ""),
            },
        )
