"""Every model with a `city` field has a django-scopes ScopedManager as its
default manager, so forgetting the scope fails loudly instead of leaking."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django_scopes import scope
from django_scopes.manager import DisabledQuerySet

from forms_engine.staff.models import StaffUser

# Models with a city field that are deliberately not scoped, and why.
UNSCOPED = {
    StaffUser: (
        "sign-in has to find the person before a city scope can be trusted; isolation is enforced at "
        "sign-in (may_sign_in_at), by CityMiddleware (a session on another city's host counts as "
        "signed out) and in the admin's querysets; see tests/backoffice/test_admin_isolation.py"
    ),
}


def city_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if any(f.name == "city" for f in m._meta.get_fields())]


def test_the_walk_finds_the_city_owned_models():
    names = {m._meta.label for m in city_models()}
    assert {"tenants.Domain", "catalog.CityService", "backoffice.StaffUser"} <= names


def test_every_model_with_a_city_field_has_a_scoped_default_manager(giessen):
    unscoped = []
    for model in city_models():
        if model in UNSCOPED:
            continue
        field = model._meta.get_field("city")
        if not field.many_to_one or field.null:
            unscoped.append(f"{model._meta.label}: city must be a non-null foreign key")
        if not isinstance(model._default_manager.get_queryset(), DisabledQuerySet):
            unscoped.append(f"{model._meta.label}: default manager is not a ScopedManager(city='city')")
            continue
        with scope(city=giessen):
            sql = str(model._default_manager.get_queryset().query)
        if '"city_id" = ' not in sql:
            unscoped.append(f"{model._meta.label}: the scope does not filter on city_id")
    assert not unscoped, "\n".join(unscoped)


def test_every_allowlisted_model_still_has_a_city_field():
    assert all(model in city_models() and reason for model, reason in UNSCOPED.items())
