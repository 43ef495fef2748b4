"""Plans today's digests and deadline reminders now, as the beat does every
morning (backoffice.daily_notices). Safe to run again: nothing is planned twice.
The emails go out through the worker, like every staff notice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forms_engine.backoffice.notice_tasks import daily_notices


class Command(BaseCommand):
    help = "Plan today's back-office digests and reminders (the beat does this at 06:30)."

    def handle(self, *args: Any, **options: Any) -> None:
        totals = daily_notices()
        self.stdout.write(f"planned {totals['digests']} digests and {totals['reminders']} reminders")
