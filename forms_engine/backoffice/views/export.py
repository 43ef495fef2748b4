"""The export of the filtered inbox list, as CSV (German Excel) or XLSX.
Answers only when asked for, and audited as such."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.http import require_GET

from .. import audit
from ..export import as_csv, as_xlsx, table
from ..inbox import ordering
from ..models import AuditEvent
from ..permissions import backoffice_user, backoffice_view
from .inbox import filtered, statuses_in_view, without

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Search terms (free text, reference, name) are personal or point at one person:
# an export's audit entry keeps only the fact that there was a search.
SEARCH_KEYS = ("q", "ref", "name")


def _filters_for_audit(data: QueryDict) -> str:
    """The filters, but a search only as the fact that there was one."""
    searched = any(str(data.get(key) or "").strip() for key in SEARCH_KEYS)
    parts = [without(data, *SEARCH_KEYS), "search=*" if searched else ""]
    return "&".join(p for p in parts if p)[:200]


@require_GET
@backoffice_view
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    form, qs = filtered(request)
    status, sort = statuses_in_view(form)
    if status:
        qs = qs.filter(status=status)
    with_answers = request.GET.get("answers") == "1"
    audit.record(
        city=request.city,  # type: ignore[attr-defined]
        user=backoffice_user(request),
        action=AuditEvent.Action.EXPORT_ANSWERS if with_answers else AuditEvent.Action.EXPORT,
        detail=_filters_for_audit(request.GET),
        ip=audit.client_ip(request),
    )
    rows = qs.select_related("assignee").order_by(*ordering(sort))
    if not with_answers:
        rows = rows.defer("data", "snapshot", "contact_email", "applicant_name")
    # Built inside the view: the city's scope is open only while it runs.
    header, cells = table(rows.iterator(chunk_size=500), with_answers=with_answers)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    if fmt == "xlsx":
        response = HttpResponse(as_xlsx(header, cells), content_type=XLSX)
    else:
        response = HttpResponse(as_csv(header, cells), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vorgaenge-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
