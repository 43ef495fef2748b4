"""The inbox and its CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from forms_engine.submissions.models import Submission

from .. import audit
from ..forms import InboxFilterForm, service_title
from ..inbox import apply_filters, is_overdue, listing, search_params, status_counts
from ..models import AuditEvent, ServiceAssignment
from ..permissions import backoffice_user, backoffice_view, is_team_lead, visible_submissions


def _services(request: HttpRequest) -> list[str]:
    user = backoffice_user(request)
    if is_team_lead(user):
        from forms_engine.catalog.models import CityService

        return list(CityService.objects.filter(city=request.city).values_list("service_slug", flat=True))  # type: ignore[attr-defined]
    return list(ServiceAssignment.objects.filter(user=user).values_list("service_slug", flat=True))


def _filtered(request: HttpRequest) -> tuple[InboxFilterForm, Any]:
    params = request.GET.copy()
    if params.get("ref"):
        params["q"] = str(params["ref"])  # shown in the search box again
    form = InboxFilterForm(params or None, services=_services(request))
    cleaned = form.cleaned_data if form.is_valid() else {}
    qs = apply_filters(visible_submissions(request), cleaned, backoffice_user(request))
    return form, qs


def _canonical(data: QueryDict) -> HttpResponse:
    """Redirect a search to its address form: a name only as its blind index."""
    query = data.copy()
    for key in ("csrfmiddlewaretoken", "page", "ref"):  # the reference is shown (and edited) in q
        query.pop(key, None)
    text = query.pop("q", [""])[-1]
    if text.strip():
        query.pop("name", None)
        query.update(search_params(text))
    return redirect(f"{reverse('backoffice-inbox')}?{query.urlencode()}")


def _without(data: QueryDict, *keys: str) -> str:
    query = data.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


# Filters an export's audit entry may name; search terms (q, ref, name) are
# personal or point at one person, so only the fact of a search is kept.
AUDITED_FILTERS = ("service", "status", "assigned", "received_from", "received_to", "overdue", "answers")
SEARCH_KEYS = ("q", "ref", "name")


def _filters_for_audit(data: QueryDict) -> str:
    """The filters, but a search only as the fact that there was one."""
    kept = QueryDict(mutable=True)
    for key in AUDITED_FILTERS:
        for value in data.getlist(key):
            kept.appendlist(key, value[:40])
    searched = any(str(data.get(key) or "").strip() for key in SEARCH_KEYS)
    parts = [kept.urlencode(), "search=*" if searched else ""]
    return "&".join(p for p in parts if p)[:200]


class KnownCountPaginator(Paginator):  # type: ignore[type-arg]
    """The total is already known from the counts per status: no COUNT(*) query."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


@require_http_methods(["GET", "POST"])
@backoffice_view
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" or "q" in request.GET:
        return _canonical(request.POST if request.method == "POST" else request.GET)
    form, qs = _filtered(request)
    counts = status_counts(qs)
    status = form.cleaned_data.get("status") if form.is_bound and form.is_valid() else ""
    deleted = Submission.Status.DELETED
    # Tombstones (retention) are listed only when asked for by their status.
    qs = qs.filter(status=status) if status else qs.exclude(status=deleted)
    total = counts.get(status, 0) if status else sum(counts.values()) - counts.get(deleted, 0)
    paginator = KnownCountPaginator(listing(qs), settings.BACKOFFICE_PAGE_SIZE, total)
    page = paginator.get_page(request.GET.get("page"))
    query = _without(request.GET, "page")
    service_choices: Any = form.fields["service"].choices  # type: ignore[attr-defined]
    status_choices: Any = form.fields["status"].choices  # type: ignore[attr-defined]
    titles = {slug: service_title(slug) for slug, _label in service_choices if slug}
    submissions: list[Submission] = list(page.object_list)
    rows = [
        {"submission": s, "service": titles.get(s.service_slug, s.service_slug), "overdue": is_overdue(s)}
        for s in submissions
    ]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": [(value, label, counts[value]) for value, label in status_choices if value],
            "query": query,
            "search_by_name": bool(form.is_bound and form.is_valid() and form.cleaned_data.get("name")),
            "query_without_name": _without(request.GET, "name", "page"),
        },
    )


def _cell(value: Any) -> str:
    """Neutralise spreadsheet formulas in exported text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _answers_text(snapshot: Any) -> str:
    parts = []
    for step in snapshot or []:
        lines = list(step.get("fields") or [])
        for entry in step.get("entries") or []:
            lines += entry
        parts += [f"{line.get('label')}: {line.get('value')}" for line in lines if isinstance(line, dict)]
    return " | ".join(parts)


@require_GET
@backoffice_view
def export(request: HttpRequest) -> HttpResponse:
    """CSV of the filtered list. Answers only when asked for (audited as such)."""
    form, qs = _filtered(request)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("status"):
        qs = qs.filter(status=form.cleaned_data["status"])
    with_answers = request.GET.get("answers") == "1"
    user = backoffice_user(request)
    audit.record(
        city=request.city,  # type: ignore[attr-defined]
        user=user,
        action=AuditEvent.Action.EXPORT_ANSWERS if with_answers else AuditEvent.Action.EXPORT,
        detail=_filters_for_audit(request.GET),
        ip=audit.client_ip(request),
    )
    rows = qs.select_related("assignee").order_by("-submitted_at", "-id")
    if not with_answers:
        rows = listing(qs)

    # Written inside the view: the city's scope is open only while it runs.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="submissions.csv"'
    writer = csv.writer(response)
    header = [_("Reference number"), _("Online service"), _("Received"), _("Decided"), _("Status"), _("Assigned to")]
    writer.writerow(header + ([_("Answers")] if with_answers else []))
    for s in rows.iterator(chunk_size=500):
        line = [
            s.reference,
            s.service_slug,
            s.submitted_at.isoformat(),
            s.decided_at.isoformat() if s.decided_at else "",
            s.status,
            s.assignee.username if s.assignee else "",
        ]
        if with_answers:
            line.append(_answers_text(s.snapshot))
        writer.writerow([_cell(v) for v in line])
    return response
