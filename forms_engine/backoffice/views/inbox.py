"""The inbox: saved views, search, sortable columns, pages and bulk work."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

from .. import actions, audit
from ..forms import BulkForm, InboxFilterForm, service_title
from ..inbox import (
    DEFAULT_SORT,
    SAVED_VIEWS,
    SORTS,
    apply_filters,
    inbox_page,
    is_overdue,
    listing,
    search_params,
    status_counts,
)
from ..models import ServiceAssignment
from ..permissions import BACKOFFICE_ROLES, backoffice_user, backoffice_view, is_team_lead, visible_submissions

COLUMNS = [
    ("reference", gettext_lazy("Reference number")),
    ("", gettext_lazy("Applicant")),
    ("service", gettext_lazy("Online service")),
    ("received", gettext_lazy("Received")),
    ("due", gettext_lazy("Due")),
    ("status", gettext_lazy("Status")),
    ("assignee", gettext_lazy("Assigned to")),
    ("", gettext_lazy("Payment")),
]


def _services(request: HttpRequest) -> list[str]:
    user = backoffice_user(request)
    if is_team_lead(user):
        from forms_engine.catalog.models import CityService

        return list(CityService.objects.filter(city=request.city).values_list("service_slug", flat=True))  # type: ignore[attr-defined]
    return list(ServiceAssignment.objects.filter(user=user).values_list("service_slug", flat=True))


def filtered(request: HttpRequest, data: QueryDict | None = None) -> tuple[InboxFilterForm, Any]:
    """The inbox form and the visible submissions it selects (all but the status filter)."""
    params = (request.GET if data is None else data).copy()
    if params.get("ref"):
        params["q"] = str(params["ref"])  # shown in the search box again
    form = InboxFilterForm(params or None, services=_services(request))
    cleaned = form.cleaned_data if form.is_valid() else {}
    qs = apply_filters(visible_submissions(request), cleaned, backoffice_user(request))
    return form, qs


def _canonical(request: HttpRequest, data: QueryDict) -> HttpResponse:
    """Redirect a search to its address form: a name only as its blind index."""
    query = data.copy()
    for key in ("csrfmiddlewaretoken", "page", "ref"):  # the reference is shown (and edited) in q
        query.pop(key, None)
    text = query.pop("q", [""])[-1]
    if text.strip():
        query.pop("name", None)
        for key, values in search_params(text, request.city.short_code).items():  # type: ignore[attr-defined]
            query.setlist(key, values)
    return redirect(f"{reverse('backoffice-inbox')}?{query.urlencode()}")


def without(data: QueryDict, *keys: str) -> str:
    query = data.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


def _with(data: QueryDict, **values: str) -> str:
    query = data.copy()
    query.pop("page", None)
    for key, value in values.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    return query.urlencode()


def _capped(n: int, limit: int | None) -> int:
    return n if limit is None else min(n, limit)


def bulk_candidates(request: HttpRequest) -> Any:
    """Whom the bulk form offers: team leads may give work to the city's back
    office; a caseworker takes work only for themselves."""
    user = backoffice_user(request)
    if not is_team_lead(user):
        return StaffUser.objects.filter(pk=user.pk)
    return StaffUser.objects.filter(city=request.city, role__in=BACKOFFICE_ROLES, is_active=True).order_by(  # type: ignore[attr-defined]
        "username"
    )


def _columns(data: QueryDict, sort: str) -> list[dict[str, Any]]:
    columns = []
    for key, label in COLUMNS:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        columns.append(
            {
                "label": label,
                "key": key,
                "query": _with(data, sort=("" if descending else "-") + key if current else key) if key else "",
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return columns


def statuses_in_view(form: InboxFilterForm) -> tuple[str, str]:
    """The chosen status filter and the sort key."""
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = cleaned.get("sort") or DEFAULT_SORT
    return cleaned.get("status") or "", sort if sort.lstrip("-") in SORTS else DEFAULT_SORT


@require_http_methods(["GET", "POST"])
@backoffice_view
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" or "q" in request.GET:
        return _canonical(request, request.POST if request.method == "POST" else request.GET)
    form, qs = filtered(request)
    status, sort = statuses_in_view(form)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    searching = bool(cleaned.get("ref") or cleaned.get("name"))
    # A search's hits are few: counted exactly. Browsing counts up to the limit.
    limit: int | None = None if searching else settings.BACKOFFICE_COUNT_LIMIT
    counts = status_counts(qs, limit)
    deleted = Submission.Status.DELETED
    # Tombstones (retention) are listed only when asked for by their status.
    qs = qs.filter(status=status) if status else qs.exclude(status=deleted)
    listed = [counts[status]] if status else [n for key, n in counts.items() if key != deleted]
    page = inbox_page(
        listing(qs, sort),
        number=request.GET.get("page"),
        per_page=settings.BACKOFFICE_PAGE_SIZE,
        count=sum(_capped(n, limit) for n in listed),
        exact=limit is None or all(n <= limit for n in listed),
    )
    query = without(request.GET, "page")
    service_choices: Any = form.fields["service"].choices  # type: ignore[attr-defined]
    status_choices: Any = form.fields["status"].choices  # type: ignore[attr-defined]
    titles = {slug: service_title(slug) for slug, _label in service_choices if slug}
    submissions: list[Submission] = list(page.object_list)
    rows = [
        {"submission": s, "service": titles.get(s.service_slug, s.service_slug), "overdue": is_overdue(s)}
        for s in submissions
    ]
    view = cleaned.get("view", "")
    return render(
        request,
        "backoffice/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": [
                (value, label, _capped(counts[value], limit), limit is not None and counts[value] > limit)
                for value, label in status_choices
                if value
            ],
            "query": query,
            "columns": _columns(request.GET, sort),
            "saved_views": [(key, label, _with(QueryDict(), view=key), key == view) for key, label in SAVED_VIEWS],
            "bulk_form": BulkForm(candidates=bulk_candidates(request)),
            "search_by_name": bool(cleaned.get("name")),
            "query_without_name": without(request.GET, "name", "page"),
        },
    )


@require_POST
@backoffice_view
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign or move the ticked rows. Ids the user may not see are ignored, as
    if they did not exist; each change goes through the single-row action."""
    back = request.POST.get("back", "")
    target = f"{reverse('backoffice-inbox')}?{back}" if back and "\n" not in back else reverse("backoffice-inbox")
    form = BulkForm(request.POST, candidates=bulk_candidates(request))
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return redirect(target)
    user = backoffice_user(request)
    mine = list(
        visible_submissions(request)
        .filter(Q(pk__in=form.cleaned_data["ids"]))
        .exclude(status=Submission.Status.DELETED)
        .select_related("assignee", "city")
        .order_by("submitted_at")
    )
    ip = audit.client_ip(request)
    if form.cleaned_data["action"] == "assign":
        result = actions.submissions_bulk_assign(
            submissions=mine, assignee=form.cleaned_data["assignee"], by=user, ip=ip
        )
    else:
        result = actions.submissions_bulk_change_status(
            submissions=mine, to_status=form.cleaned_data["to_status"], by=user, ip=ip
        )
    unchanged = result.refused + len(form.cleaned_data["ids"]) - len(mine)
    messages.success(
        request,
        ngettext("%(n)s submission changed.", "%(n)s submissions changed.", result.changed) % {"n": result.changed},
    )
    if unchanged:
        messages.warning(
            request,
            ngettext(
                "%(n)s submission was not changed (not allowed or not found).",
                "%(n)s submissions were not changed (not allowed or not found).",
                unchanged,
            )
            % {"n": unchanged},
        )
    return redirect(target)
