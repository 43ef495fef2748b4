"""The city setup checklist: what still stands between a city and its citizens.

Shown on the city's admin page and on the admin index (for an operator: every
city). Each item says what is missing and links to the form that fixes it.
Read-only; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City, Domain

from . import registry
from .models import CityService


@dataclass(frozen=True)
class Item:
    city: City
    text: str
    url: str
    action: str


def _add_url(model: str, **initial: str) -> str:
    return reverse(f"admin:{model}_add") + ("?" + urlencode(initial) if initial else "")


def city_checklist(city: City) -> list[Item]:
    """Open items of one city, in the order they are best done."""
    from forms_engine.backoffice.models import ServiceAssignment
    from forms_engine.delivery.models import DeliveryTarget
    from forms_engine.staff.models import StaffUser

    items: list[Item] = []
    city_url = reverse("admin:tenants_city_change", args=[city.pk])
    with scopes_disabled():  # every query below names the city
        if not Domain.objects.filter(city=city).exists():
            items.append(Item(city, _("The city has no web address (domain) yet."), city_url, _("Add domain")))
        if not StaffUser.objects.filter(city=city, role=StaffUser.Role.CITY_ADMIN, is_active=True).exists():
            items.append(
                Item(
                    city,
                    _("Nobody administers the city yet."),
                    _add_url("backoffice_staffuser", city=str(city.pk), role=StaffUser.Role.CITY_ADMIN),
                    _("Add a city administrator"),
                )
            )
        enabled = [cs for cs in CityService.objects.filter(city=city, enabled=True) if cs.service is not None]
        if not enabled:
            items.append(
                Item(city, _("No online service is switched on."), _add_url("catalog_cityservice"), _("Switch on"))
            )
        targets = set(
            DeliveryTarget.objects.filter(city=city, enabled=True).values_list("service_slug", flat=True).distinct()
        )
        staffed = set(
            ServiceAssignment.objects.filter(city=city, user__is_active=True)
            .values_list("service_slug", flat=True)
            .distinct()
        )
        for city_service in sorted(enabled, key=lambda cs: registry.title(cs.service_slug).lower()):
            title = registry.title(city_service.service_slug)
            slug = city_service.service_slug
            service = city_service.service
            if service is not None and service.parameters and not city_service.fees_confirmed:
                items.append(
                    Item(
                        city,
                        _("%(service)s: the fees and settings are not checked yet.") % {"service": title},
                        reverse("admin:catalog_cityservice_change", args=[city_service.pk]),
                        _("Check fees"),
                    )
                )
            if slug not in targets:
                items.append(
                    Item(
                        city,
                        _("%(service)s: submissions have nowhere to go (no delivery target).") % {"service": title},
                        _add_url("delivery_deliverytarget", service_slug=slug),
                        _("Add delivery target"),
                    )
                )
            if slug not in staffed:
                items.append(
                    Item(
                        city,
                        _("%(service)s: no caseworker works on it.") % {"service": title},
                        _add_url("backoffice_serviceassignment", service_slug=slug),
                        _("Assign a caseworker"),
                    )
                )
    return items


def checklists(request_city: City | None) -> list[Item]:
    """For a city's host: that city's items. For the platform host: all cities'."""
    if request_city is not None:
        return city_checklist(request_city)
    return [item for city in City.objects.all() for item in city_checklist(city)]
