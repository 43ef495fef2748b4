from __future__ import annotations

from typing import Any

from django import template

from ..views import RatingForm, rating_token

register = template.Library()


@register.simple_tag(takes_context=True)
def rating_ticket(context: dict[str, Any], service_slug: str) -> str:
    """A single-use ticket for the rating form; empty off a city host."""
    request = context.get("request")
    city = getattr(request, "city", None)
    return rating_token(city, service_slug) if city is not None else ""


@register.simple_tag
def rating_form() -> RatingForm:
    return RatingForm()
