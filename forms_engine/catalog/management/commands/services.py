from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forms_engine.catalog import registry


class Command(BaseCommand):
    help = "List the registered online services."

    def handle(self, *args: Any, **options: Any) -> None:
        for service in registry.all_services():
            self.stdout.write(
                f"{service.slug:22} {service.version:6} LeiKa {service.leika_key}  {len(service.steps):2} steps  "
                f"{service.title}"
            )
