"""Next and previous case from the detail page, in the inbox's order and
filters: keyset queries on the sort column and the id (one row each, on the
inbox indexes), never a scan of the whole list."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from forms_engine.submissions.models import Submission

from .inbox import ordering


def _value(submission: Submission, field: str) -> Any:
    if field == "assignee__username":
        return submission.assignee.username if submission.assignee else None
    return getattr(submission, field)


def _after(field: str, descending: bool, value: Any, pk: Any) -> Q:
    """Rows after (value, pk) in the order by field, id. PostgreSQL puts NULLs
    last when ascending and first when descending."""
    beyond, tie = ("lt", "lt") if descending else ("gt", "gt")
    if value is None:
        same_null = Q(**{f"{field}__isnull": True, f"id__{tie}": pk})
        return same_null | Q(**{f"{field}__isnull": False}) if descending else same_null
    q = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"id__{tie}": pk})
    return q if descending else q | Q(**{f"{field}__isnull": True})


def _before(field: str, descending: bool, value: Any, pk: Any) -> Q:
    # Before in this order is after in the reverse order (NULL placement flips too).
    return _after(field, not descending, value, pk)


def neighbours(qs: QuerySet[Submission], current: Submission, sort: str) -> tuple[Any, Any]:
    """(previous id, next id) around the current submission, or None at the ends."""
    first, _id = ordering(sort)
    descending = first.startswith("-")
    field = first.lstrip("-")
    value = _value(current, field)
    reverse = [f"{'' if descending else '-'}{field}", f"{'' if descending else '-'}id"]
    previous = qs.filter(_before(field, descending, value, current.pk)).order_by(*reverse)
    following = qs.filter(_after(field, descending, value, current.pk)).order_by(*ordering(sort))
    return previous.values_list("pk", flat=True).first(), following.values_list("pk", flat=True).first()
