from __future__ import annotations

from typing import Any

from django import template

from forms_engine.identity.downstream import identity_data

register = template.Library()


@register.simple_tag
def identity_of(submission: Any) -> dict[str, Any] | None:
    """How the applicant proved their identity, for the back office."""
    return identity_data(submission)


@register.filter
def trust_level_label(level: str) -> str:
    from forms_engine.identity.levels import LEVEL_LABELS

    return str(LEVEL_LABELS.get(level, level))


@register.filter
def iso_datetime(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)
