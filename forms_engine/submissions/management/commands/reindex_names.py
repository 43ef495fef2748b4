"""Rebuilds the applicant names (encrypted) and their blind index (NameToken)
from the stored answers, and fills missing due dates. For submissions made
before issue 12, and after a change of BLIND_INDEX_KEY. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from forms_engine.submissions import names
from forms_engine.submissions.models import Submission


class Command(BaseCommand):
    help = "Rebuild applicant names, their blind index and missing due dates."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        with scopes_disabled():
            ids = list(Submission.objects.exclude(status=Submission.Status.DELETED).values_list("pk", flat=True))
            for pk in ids:
                with transaction.atomic():
                    submission = Submission.objects.select_for_update().get(pk=pk)
                    names.store_name(submission, names.name_from_answers(submission))
                    if submission.due_on is None:
                        submission.due_on = names.due_date(
                            submission.city_id, submission.service_slug, names.local_day(submission)
                        )
                        submission.save(update_fields=["due_on"])
                count += 1
        # Counts only: names never go to the output.
        self.stdout.write(f"reindexed {count} submissions")
