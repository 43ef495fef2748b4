from __future__ import annotations

from typing import Any

from django import template

from forms_engine.payments.downstream import backoffice_summary

register = template.Library()


@register.simple_tag
def payment_of(submission: Any) -> dict[str, Any] | None:
    """The online payment of a submission, for the back office."""
    return backoffice_summary(submission)
