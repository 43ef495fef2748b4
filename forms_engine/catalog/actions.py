"""Write-side actions of the catalogue: business actions that span models."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City, Domain

from . import registry
from .models import CityService


def city_create(
    *,
    city: City,
    host: str,
    service_slugs: Sequence[str],
    delivery_email: str,
    admin_username: str,
    admin_email: str,
    admin_password: str,
) -> City:
    """A new city in one transaction (the operator's guided pass): the city (an
    unsaved, validated instance), its primary domain, its services switched on
    with their fees still to be checked, an email delivery target per service
    when an address is given, and its first city administrator."""
    from forms_engine.delivery.models import DeliveryTarget

    with transaction.atomic(), scopes_disabled():  # a new city has no scope yet; every row names it
        city.save()
        Domain.objects.create(city=city, host=host, is_primary=True)
        for slug in service_slugs:
            service = registry.get(slug)
            if service is None:
                continue
            CityService.objects.create(
                city=city, service_slug=slug, enabled=True, retention_days=service.retention_days_default
            )
            if delivery_email:
                target = DeliveryTarget(
                    city=city, service_slug=slug, name=_("Email to the office"), channel="email", enabled=True
                )
                target.configure({"to": [delivery_email], "include_attachments": True})
                target.save()
        StaffUser.objects.create_user(
            username=admin_username,
            email=admin_email,
            password=admin_password,
            city=city,
            role=StaffUser.Role.CITY_ADMIN,
        )
    return city
