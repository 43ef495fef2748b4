"""The inbox query: filters, saved views, search, sorting and counts per status,
in a fixed number of SQL queries whatever the page size (no per-row queries;
of the encrypted columns only the applicant's name is read, for the page's rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.crypto import name_digests
from forms_engine.payments.downstream import payment_state_q, with_payment_state
from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import NameToken, Submission

# Only what the list shows: answers and snapshot are never read here.
LIST_FIELDS = [
    "id",
    "reference",
    "service_slug",
    "status",
    "submitted_at",
    "decided_at",
    "due_on",
    "applicant_name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
]
OPEN_STATUSES = (Submission.Status.RECEIVED, Submission.Status.IN_PROGRESS, Submission.Status.WAITING)

# Sort key in the address -> model field. The name cannot be sorted: it exists
# only encrypted (sorting in the database would need it in plaintext).
SORTS = {
    "reference": "reference",
    "service": "service_slug",
    "received": "submitted_at",
    "due": "due_on",
    "status": "status",
    "assignee": "assignee__username",
}
DEFAULT_SORT = "-received"

SAVED_VIEWS = [
    ("mine", _("My open cases")),
    ("overdue", _("Overdue")),
    ("due_week", _("Due this week")),
    ("unassigned", _("Unassigned")),
]


def today() -> date:
    return timezone.localdate()


def open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def overdue_q() -> Q:
    """Still open after its due date (the city's Bearbeitungsfrist)."""
    return open_q() & Q(due_on__lt=today())


def due_week_q() -> Q:
    return open_q() & Q(due_on__gte=today(), due_on__lte=today() + timedelta(days=7))


def is_overdue(submission: Submission) -> bool:
    return submission.is_open and submission.due_on is not None and submission.due_on < today()


def looks_like_reference(word: str, city_code: str) -> bool:
    """A reference or its beginning: "GI-UVG", "gi-uvg-2026-0004", "2026-000123".
    A name has no digits and does not begin with the city's code and a hyphen."""
    return any(c.isdigit() for c in word) or word.upper().startswith(f"{city_code.upper()}-")


def search_params(text: str, city_code: str) -> dict[str, list[str]]:
    """What the search box becomes in the inbox's address: a reference (or its
    beginning) stays readable; every word of a name is replaced at once by its
    blind index, so that names never sit in addresses, browser histories or
    proxy logs. Words match whole ("Neumann", "ben"), in any order."""
    words = text.split()
    refs = [w.upper() for w in words if looks_like_reference(w, city_code)]
    name = " ".join(w for w in words if not looks_like_reference(w, city_code))
    params: dict[str, list[str]] = {}
    if refs:
        params["ref"] = refs[:1]
    if name_digests(name):
        params["name"] = name_digests(name)
    return params


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _saved_view(qs: QuerySet[Submission], view: str, user: StaffUser) -> QuerySet[Submission]:
    if view == "mine":
        return qs.filter(open_q(), assignee=user)
    if view == "overdue":
        return qs.filter(overdue_q())
    if view == "due_week":
        return qs.filter(due_week_q())
    if view == "unassigned":
        return qs.filter(open_q(), assignee__isnull=True)
    return qs


def apply_filters(qs: QuerySet[Submission], data: dict[str, Any], user: StaffUser) -> QuerySet[Submission]:
    """All filters but the status one (the status counts are taken before it)."""
    if data.get("ref"):
        qs = qs.filter(reference__startswith=data["ref"].upper())
    for digest in data.get("name") or []:
        # One semi-join per word on the (city, digest) index; the scope limits it to the city.
        qs = qs.filter(pk__in=NameToken.objects.filter(digest=digest).values("submission_id"))
    if data.get("service"):
        qs = qs.filter(service_slug=data["service"])
    if data.get("assigned") == "me":
        qs = qs.filter(assignee=user)
    elif data.get("assigned") == "none":
        qs = qs.filter(assignee__isnull=True)
    if data.get("payment"):
        qs = qs.filter(payment_state_q(data["payment"]))
    if data.get("received_from"):
        qs = qs.filter(submitted_at__gte=_day_start(data["received_from"]))
    if data.get("received_to"):
        qs = qs.filter(submitted_at__lt=_day_start(data["received_to"] + timedelta(days=1)))
    return _saved_view(qs, data.get("view") or "", user)


def status_counts(qs: QuerySet[Submission], limit: int | None) -> dict[str, int]:
    """Rows per status. With a limit each status is counted up to limit + 1 (a
    value above limit means "more than limit"): one query whose cost is bounded
    by the limit, not by how many cases the city has closed over the years.
    Without one (a search, whose hits are few and found by their own index)
    the exact counts, in one GROUP BY on that index."""
    if limit is None:
        # COUNT(*), not COUNT(id): the inbox indexes answer it without the table.
        rows = qs.order_by().values("status").annotate(n=Count("*"))
        counts = dict.fromkeys(Submission.Status.values, 0)
        counts.update({row["status"]: row["n"] for row in rows})
        return counts
    parts, params = [], []
    for i, status in enumerate(Submission.Status.values):
        bounded = qs.filter(status=status).order_by().values("pk")[: limit + 1]
        sql, part_params = bounded.query.get_compiler(using=qs.db).as_sql()
        # The SQL is the ORM's own compiled query; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS s{i})")  # noqa: S608
        params.extend(part_params)
    with connections[qs.db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(Submission.Status.values, row, strict=True))


@dataclass(frozen=True)
class InboxPage:
    """One page of the inbox. The total is exact up to the count limit; beyond
    it the page knows only whether another page follows (it fetched one row more)."""

    number: int
    object_list: list[Submission]
    has_next: bool
    count: int
    exact: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        return max(1, -(-self.count // self.per_page)) if self.exact else None

    @property
    def paginated(self) -> bool:
        return self.has_previous or self.has_next


def inbox_page(qs: QuerySet[Submission], *, number: Any, per_page: int, count: int, exact: bool) -> InboxPage:
    try:
        wanted = max(1, int(number))
    except (TypeError, ValueError):
        wanted = 1
    last = max(1, -(-count // per_page)) if exact else None
    if last is not None:
        wanted = min(wanted, last)
    offset = (wanted - 1) * per_page
    rows = list(qs[offset : offset + per_page + 1]) if count or not exact else []
    return InboxPage(
        number=wanted,
        object_list=rows[:per_page],
        has_next=len(rows) > per_page,
        count=count,
        exact=exact,
        per_page=per_page,
    )


def ordering(sort: str) -> list[str]:
    """The ORDER BY of a sort key ("due", "-received"); the id makes it total,
    so that pages and next/previous never skip or repeat a row."""
    key = sort.lstrip("-")
    if key not in SORTS:
        return ordering(DEFAULT_SORT)
    sign = "-" if sort.startswith("-") else ""
    return [f"{sign}{SORTS[key]}", f"{sign}id"]


def listing(qs: QuerySet[Submission], sort: str = DEFAULT_SORT) -> QuerySet[Submission]:
    return with_payment_state(qs.select_related("assignee").only(*LIST_FIELDS)).order_by(*ordering(sort))
