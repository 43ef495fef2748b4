"""Demo cases for `manage.py demo`: enough open submissions for a city's back
office to try the inbox with (search "Neumann", bulk-assign ten, due dates,
the digest). Fictitious people; never run against real data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from forms_engine.catalog import registry
from forms_engine.submissions.actions import next_reference
from forms_engine.submissions.models import Submission
from forms_engine.submissions.names import due_date, store_name

FIRST = ["Ben", "Lena", "Jonas", "Mia", "Paul", "Emma", "Leon", "Hannah", "Felix", "Sophie", "Lukas", "Marie"]
LAST = ["Neumann", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer"]
CASES = 60
STATUSES = ["received"] * 6 + ["in_progress"] * 3 + ["waiting_for_citizen"]


def seed_demo_cases(city: Any, service_slug: str, count: int = CASES) -> int:
    """Create `count` submissions of one service over the last 40 days, unless
    the city has cases already. Returns how many were created."""
    service = registry.get(service_slug)
    if service is None or Submission.objects.filter(city=city).exists():
        return 0
    now = timezone.now()
    with transaction.atomic():
        for i in range(count):
            first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
            submitted = now - timedelta(hours=16 * i + 3)
            snapshot = [
                {
                    "step": "antragsteller",
                    "title": "Antragstellende Person",
                    "fields": [
                        {"name": "vorname", "label": "Vorname", "value": first},
                        {"name": "nachname", "label": "Nachname", "value": last},
                    ],
                    "entries": [],
                }
            ]
            submission = Submission.objects.create(
                city=city,
                service_slug=service.slug,
                service_version=service.version,
                data_schema_version=service.data_schema_version,
                reference=next_reference(city, service.reference_code, timezone.localdate(submitted).year),
                data={"antragsteller": {"vorname": first, "nachname": last}},
                snapshot=snapshot,
                submitted_at=submitted,
                due_on=due_date(city.pk, service.slug, timezone.localdate(submitted)),
                status=STATUSES[i % len(STATUSES)],
            )
            store_name(submission, f"{first} {last}")
    return count


PERMIT_LETTER = (
    "Sehr geehrte Damen und Herren,\n\n"
    "auf Ihren Antrag vom {{ submitted_at }} erteilen wir Ihnen einen Bewohnerparkausweis für die Parkzone "
    "{{ residence_zone }} für das Fahrzeug mit dem Kennzeichen {{ vehicle_licence_plate }} "
    "({{ vehicle_make }}).\n\n"
    "Gültigkeit: {{ validity_years }} ab dem {{ decided_on }}. Bitte legen Sie den Ausweis gut sichtbar hinter "
    "die Windschutzscheibe; er gilt nur in der genannten Parkzone.\n\n"
    "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
    "erhoben werden, schriftlich oder zur Niederschrift bei {{ office_name }}{% if office_address %}, "
    "{{ office_address }}{% endif %}.\n\n"
    "Mit freundlichen Grüßen\n{{ office_name }}\n{{ city_name }}"
)


def seed_demo_rules(city: Any, offered: list[str], caseworker: Any, team_lead: Any) -> None:
    """Two useful rules per demo city (idempotent): where the resident parking
    permit is offered, complete applications are assigned and the approval with
    the permit letter is drafted for a person to confirm, and applications
    without a main residence are asked for a registration certificate; elsewhere
    new Unterhaltsvorschuss applications are assigned and overdue ones go to
    the team lead."""
    from forms_engine.catalog.models import CityService

    from .letters import save_version
    from .models import LetterTemplate, Rule, RuleAction, RuleCondition

    def rule(
        slug: str, name: str, trigger: str, conditions: list[tuple[str, str, str]], actions: list[dict[str, Any]]
    ) -> None:
        city_service = CityService.objects.get(city=city, service_slug=slug)
        made, created = Rule.objects.get_or_create(
            city=city, city_service=city_service, name=name, defaults={"trigger": trigger, "needs_confirmation": True}
        )
        if not created:
            return
        for kind, field, value in conditions:
            RuleCondition.objects.create(city=city, rule=made, kind=kind, field=field, value=value)
        for action in actions:
            RuleAction.objects.create(city=city, rule=made, **action)

    C, A = RuleCondition.Kind, RuleAction.Kind
    if "bewohnerparkausweis" in offered:
        city_service = CityService.objects.get(city=city, service_slug="bewohnerparkausweis")
        letter, _created = LetterTemplate.objects.get_or_create(
            city=city,
            city_service=city_service,
            name="Bewohnerparkausweis – Bewilligung",
            defaults={
                "decision": "approved",
                "subject": "Bescheid über Ihren Bewohnerparkausweis ({{ reference }})",
                "body": PERMIT_LETTER,
            },
        )
        save_version(letter, None)
        rule(
            "bewohnerparkausweis",
            "Parkausweis: zuweisen und Bewilligung vorbereiten",
            Rule.Trigger.SUBMITTED,
            [
                (C.ANSWER_IS, "residence.main_residence", "ja"),
                (C.ATTACHMENT, "registration_certificate", ""),
            ],
            [
                {"kind": A.ASSIGN, "assignee": caseworker},
                {"kind": A.STATUS, "status": "in_progress"},
                {"kind": A.LETTER, "letter_template": letter},
            ],
        )
        rule(
            "bewohnerparkausweis",
            "Parkausweis: kein Hauptwohnsitz – Meldebescheinigung anfordern",
            Rule.Trigger.SUBMITTED,
            [(C.ANSWER_IS, "residence.main_residence", "nein")],
            [
                {"kind": A.ASSIGN, "assignee": caseworker},
                {"kind": A.STATUS, "status": "in_progress"},
                {
                    "kind": A.REQUEST_DOCUMENTS,
                    "text": "Bitte reichen Sie eine aktuelle Meldebescheinigung ein, die Ihren Hauptwohnsitz in "
                    "der Parkzone zeigt. Ohne Hauptwohnsitz können wir keinen Bewohnerparkausweis erteilen.",
                    "days": 14,
                },
            ],
        )
    elif "unterhaltsvorschuss" in offered:
        rule(
            "unterhaltsvorschuss",
            "Unterhaltsvorschuss: neue Anträge zuweisen",
            Rule.Trigger.SUBMITTED,
            [],
            [{"kind": A.ASSIGN, "assignee": caseworker}, {"kind": A.STATUS, "status": "in_progress"}],
        )
        rule(
            "unterhaltsvorschuss",
            "Unterhaltsvorschuss: Frist überschritten – an die Teamleitung",
            Rule.Trigger.DEADLINE,
            [],
            [{"kind": A.ASSIGN, "assignee": team_lead}],
        )
