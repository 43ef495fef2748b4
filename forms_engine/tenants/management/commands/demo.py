"""Creates (or updates) the six demo cities, their staff and services. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from forms_engine.analytics.demo import seed_quarter
from forms_engine.backoffice.demo import seed_demo_cases, seed_demo_rules
from forms_engine.backoffice.models import ServiceAssignment
from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.delivery.models import DeliveryTarget
from forms_engine.staff.auth_views import create_backup_codes
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.middleware import forget_host
from forms_engine.tenants.models import City, Domain

# name, slug, reference prefix, AGS, population, accent colour (all >= 4.5:1 on white)
CITIES = [
    ("Fulda", "fulda", "FD", "06631009", 70000, "#8a1538"),
    ("Universitätsstadt Gießen", "giessen", "GI", "06531005", 92000, "#004b87"),
    ("Limburg a. d. Lahn", "limburg", "LM", "06533009", 36000, "#9b2a10"),
    ("Universitätsstadt Marburg", "marburg", "MR", "06534014", 77000, "#005c3c"),
    ("Offenbach am Main", "offenbach", "OF", "06413000", 133000, "#5b2a86"),
    ("Wetzlar", "wetzlar", "WZ", "06532023", 53000, "#00567a"),
]
# The German article of the official name ("an die Universitätsstadt Gießen"); none for bare names.
ARTICLES = {"giessen": "die", "marburg": "die"}
# Every registered service (code- or data-defined) is switched on in every demo
# city, except these, so that the start pages differ. Gießen offers everything.
NOT_OFFERED: dict[str, set[str]] = {
    "fulda": {"bewohnerparkausweis", "sondernutzung", "gaststaette"},
    "limburg": {"bewohnerparkausweis", "sondernutzung", "hundesteuer"},
    "marburg": {"gaststaette", "fundsache"},
    "offenbach": {"sondernutzung", "gaststaette", "hundesteuer"},
    "wetzlar": {"bewohnerparkausweis", "fundsache", "hundesteuer"},
}


def offers(city_slug: str) -> list[str]:
    """The services a demo city offers, read from the registry."""
    left_out = NOT_OFFERED.get(city_slug, set())
    return [s.slug for s in registry.all_services() if s.demo and s.slug not in left_out]


# City differences live in CityService rows, never in code: the demo shows one.
DEMO_PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("offenbach", "bewohnerparkausweis"): {"annual_fee": "75.00"},
}
# The responsible office of each demo service.
OFFICES = {
    "unterhaltsvorschuss": "Jugendamt – Unterhaltsvorschusskasse",
    "bewohnerparkausweis": "Straßenverkehrsbehörde",
    "fundsache": "Fundbüro",
    "sondernutzung": "Tiefbauamt – Sondernutzungen",
    "hundesteuer": "Steueramt",
    "gaststaette": "Ordnungsamt – Gewerbe",
}
DEMO_PASSWORD = "demo-Passwort-2026"  # noqa: S105 (printed on purpose; the demo refuses production)


def placeholder_arms(name: str, colour: str) -> bytes:
    letter = name.split()[-1][0] if name.startswith("Universitätsstadt") else name[0]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120" width="100" height="120">'
        f'<path d="M5 5h90v55c0 30-20 45-45 55C25 105 5 90 5 60z" fill="{colour}" stroke="#1d1d1b" stroke-width="4"/>'
        '<text x="50" y="75" font-family="sans-serif" font-size="48" fill="#ffffff" text-anchor="middle">'
        f"{letter}</text>"
        "</svg>"
    ).encode()


class Command(BaseCommand):
    help = "Create the demo cities, staff and services (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Allow when DEBUG is off (never in production).")
        parser.add_argument("--quiet", action="store_true", help="Do not print logins.")
        parser.add_argument(
            "--fitconnect-standin",
            default="",
            help="Settings file of the local FIT-Connect stand-in (scripts/run.sh starts it): "
            "Offenbach's Unterhaltsvorschuss is then delivered through it as well.",
        )
        parser.add_argument(
            "--bundid-standin",
            default="",
            help="State file of the local BundID stand-in (scripts/run.sh starts it): BundID on for the demo cities.",
        )
        parser.add_argument(
            "--payment-standin",
            default="",
            help="Settings file of the local payment provider stand-in (scripts/run.sh starts it): "
            "Offenbach's resident parking permit fee is then paid online on it.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The demo creates known passwords: only with DEBUG=1 or --force.")
        logins: list[tuple[str, str, str]] = []
        # One hash for everyone: hashing is deliberately slow.
        self.password_hash = make_password(DEMO_PASSWORD)
        with scopes_disabled():
            operator = self._user("operator", None, StaffUser.Role.OPERATOR)
            logins.append(("operator", "localhost", self._codes(operator)))
            for name, slug, prefix, ags, population, colour in CITIES:
                city, _created = City.objects.update_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "article": ARTICLES.get(slug, ""),
                        "short_code": prefix,
                        "ags": ags,
                        "population": population,
                        "accent_colour": colour,
                        "contact_address": f"Rathaus\nMarktplatz 1\n{name}",
                        "contact_phone": "+49 641 0000-0",
                        "contact_email": f"buergerservice@{slug}.example",
                        "opening_hours": "Mo–Fr 8–12 Uhr, Do 14–18 Uhr",
                        "imprint": f"{name}\nDer Magistrat\nMarktplatz 1",
                        "privacy_statement": "Wir verarbeiten Ihre Angaben nur zur Bearbeitung Ihres Antrags.",
                        "accessibility_statement": "Diese Website soll barrierefrei sein (BITV 2.0).",
                        "feedback_contact": f"barrierefreiheit@{slug}.example",
                        "sender_email": f"noreply@{slug}.example",
                        "analytics_opt_in": True,
                    },
                )
                if not city.coat_of_arms:
                    city.coat_of_arms.save(f"{slug}.svg", ContentFile(placeholder_arms(name, colour)), save=True)
                host = f"{slug}.localhost"
                Domain.objects.update_or_create(host=host, defaults={"city": city, "is_primary": True})
                forget_host(host)
                for service_slug in offers(slug):
                    service = registry.get(service_slug)
                    if service is None:
                        continue
                    CityService.objects.update_or_create(
                        city=city,
                        service_slug=service_slug,
                        defaults={
                            "enabled": True,
                            "office_name": OFFICES.get(service_slug, "Bürgerbüro"),
                            "office_address": f"{name}\nMarktplatz 1",
                            "office_email": f"{service_slug}@{slug}.example",
                            "office_phone": "+49 641 0000-100",
                            "parameters": DEMO_PARAMETERS.get((slug, service_slug), {}),
                            "fees_confirmed": True,  # the demo's values stand for the city's own
                        },
                    )
                    # The back office gets each submission by email (printed on
                    # the console in `make run`), so the pipeline shows a delivery.
                    DeliveryTarget.objects.update_or_create(
                        city=city,
                        service_slug=service_slug,
                        channel="email",
                        defaults={
                            "name": OFFICES.get(service_slug, "Bürgerbüro"),
                            "options": {"to": [f"{service_slug}@{slug}.example"], "include_attachments": True},
                            "enabled": True,
                        },
                    )
                seed_quarter(city, offers(slug))
                staff = {}
                for role in (StaffUser.Role.CITY_ADMIN, StaffUser.Role.CASEWORKER, StaffUser.Role.TEAM_LEAD):
                    user = self._user(f"{slug}-{role.replace('_', '')}", city, role)
                    logins.append((user.username, host, self._codes(user)))
                    staff[role] = user
                    if role == StaffUser.Role.CASEWORKER:
                        # The demo caseworker works every service the city offers.
                        for service_slug in offers(slug):
                            ServiceAssignment.objects.get_or_create(city=city, user=user, service_slug=service_slug)
                # Open cases to try the back office with ("Neumann", bulk assign, due dates).
                if "unterhaltsvorschuss" in offers(slug):
                    seed_demo_cases(city, "unterhaltsvorschuss")
                # Two rules per city; the parking permit's drafts the approval with its letter.
                seed_demo_rules(city, offers(slug), staff[StaffUser.Role.CASEWORKER], staff[StaffUser.Role.TEAM_LEAD])
            if options["fitconnect_standin"]:
                fitconnect_standin(options["fitconnect_standin"])
            if options["payment_standin"]:
                from forms_engine.payments.demo import payment_standin

                payment_standin(options["payment_standin"])
            if options["bundid_standin"]:
                from forms_engine.identity.demo import bundid_standin

                bundid_standin(options["bundid_standin"])
        if options["quiet"]:
            return
        self.stdout.write(f"\nDemo staff (password for all: {DEMO_PASSWORD})")
        self.stdout.write("Second factor: enter the backup code shown (single use; `manage.py demo` prints new ones).")
        for username, host, code in logins:
            url = f"http://{host}:8000/staff/login/"
            self.stdout.write(f"  {username:22} {url:46} backup code {code}")

    def _user(self, username: str, city: City | None, role: str) -> StaffUser:
        # An address for the staff notices (digest, reminders): printed on the console in `make run`.
        email = f"{username}@{city.slug}.example" if city else ""
        user, created = StaffUser.objects.get_or_create(
            username=username, defaults={"city": city, "role": role, "email": email}
        )
        if created:
            user.password = self.password_hash
            user.save()
        return user

    def _codes(self, user: StaffUser) -> str:
        return create_backup_codes(user, count=1)[0]


def fitconnect_standin(path: str) -> None:
    """Offenbach's Unterhaltsvorschuss also goes to the local FIT-Connect
    stand-in (forms_engine/demo/zustelldienst.py), which accepts every
    submission, so `make run` shows one reach "accepted"."""
    import json
    from pathlib import Path

    state = json.loads(Path(path).read_text())
    city = City.objects.get(slug="offenbach")
    options = {k: v for k, v in state.items() if k not in ("client_secret", "standin")}
    DeliveryTarget.objects.update_or_create(
        city=city,
        service_slug="unterhaltsvorschuss",
        channel="fitconnect",
        defaults={
            "name": "Jugendamt über FIT-Connect (lokaler Stand-in, nicht FITKO)",
            "options": options,
            "secrets": {"client_secret": state["client_secret"]},
            "enabled": True,
        },
    )
