"""{% city_setup_items city as items %}: the open setup items (catalog/checklist.py)
for the admin index and the city's page. `city` None: every city (operators)."""

from __future__ import annotations

from django import template

from forms_engine.catalog.checklist import Item, checklists
from forms_engine.tenants.models import City

register = template.Library()


@register.simple_tag
def city_setup_items(city: City | None) -> list[Item]:
    return checklists(city)
