"""The dashboard as a list of tables. The HTML page and every CSV download are
rendered from the same Table objects, so they always show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forms_engine.tenants.models import City

from . import svg
from .comparison import compare, size_class_label
from .health import processing_health
from .metrics import as_number, fetch, funnel, service_title, summarise, weekly_submissions


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: SafeString | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _cells(values: list[Any]) -> list[Any]:
    return [as_number(v) for v in values]


TABLES = ("summary", "funnel", "ratings", "weekly", "health", "comparison")


def build(cities: list[City], first: date, last: date, service_slug: str = "", only: str = "") -> list[Table]:
    """All tables of the dashboard, or just the one named `only` (a CSV download)."""
    ids = [c.pk for c in cities]
    wanted = {only} if only else set(TABLES)
    tables: list[Table] = []
    if wanted & {"summary", "funnel", "ratings", "weekly"}:
        rows = fetch(ids, first, last)
        per_service, total = summarise(rows)
        if "summary" in wanted:
            tables.append(summary_table(per_service, total))
        chosen = service_slug if service_slug in per_service else next(iter(per_service), "")
        if chosen and "funnel" in wanted:
            tables.append(funnel_table(per_service[chosen]))
        if "ratings" in wanted:
            tables.append(ratings_table(per_service.get(service_slug) if service_slug else total, service_slug))
        if "weekly" in wanted:
            tables.append(weekly_table(rows))
    if "health" in wanted:
        tables.append(health_table(ids, first, last))
    if len(cities) == 1 and "comparison" in wanted:
        tables.append(comparison_table(cities[0], first, last))
    return tables


def summary_table(per_service: dict[str, Any], total: Any) -> Table:
    headers = [
        _("Service"),
        _("Starts"),
        _("Submissions"),
        _("Completion rate (%)"),
        _("Saved for later"),
        _("Resumed"),
        _("Abandoned drafts"),
        _("Median time to complete (s)"),
        _("p90 time to complete (s)"),
        _("Ratings"),
        _("Satisfaction (average 1–5)"),
    ]
    body = []
    for s in [*per_service.values(), total]:
        body.append(
            _cells(
                [
                    s.title or _("All services"),
                    s.starts,
                    s.submissions,
                    s.completion_rate,
                    s.saved,
                    s.resumed,
                    s.abandoned,
                    s.median_seconds,
                    s.p90_seconds,
                    s.rating_count,
                    s.rating_average,
                ]
            )
        )
    chart = svg.horizontal_bars(
        chart_id="chart-summary",
        title=_("Submissions per service"),
        desc=_("Bar chart of the submissions per service in the period; the figures are in the table below."),
        labels=[s.title for s in per_service.values()],
        values=[s.submissions for s in per_service.values()],
    )
    return Table("summary", _("Usage per service"), headers, body, chart)


def funnel_table(summary: Any) -> Table:
    steps = funnel(summary)
    headers = [
        _("Step"),
        _("Shown"),
        _("Completed"),
        _("Completed (% of starts)"),
        _("Drafts abandoned here"),
    ]
    body = [_cells([s.label, s.shown, s.completed, s.share_of_starts(summary.starts), s.abandoned_here]) for s in steps]
    chart = svg.horizontal_bars(
        chart_id="chart-funnel",
        title=_("Drop-off funnel: %(service)s") % {"service": summary.title},
        desc=_("How often each step was completed, in the order of the steps; the figures are in the table below."),
        labels=[s.label for s in steps],
        values=[s.completed for s in steps],
    )
    note = _(
        "Started: %(starts)s. Shown and completed count every time a step was shown or sent, "
        "so going back to a step counts it again; abandoned drafts count each expired draft once, "
        "at the last step it reached."
    ) % {"starts": summary.starts}
    return Table(
        "funnel",
        _("Drop-off funnel: %(service)s") % {"service": summary.title},
        headers,
        body,
        chart,
        note,
        {"service_slug": summary.service_slug},
    )


def ratings_table(summary: Any, service_slug: str) -> Table:
    ratings = summary.ratings if summary else {}
    body = [[n, ratings.get(n, 0)] for n in range(1, 6)]
    title = (
        _("Satisfaction: %(service)s") % {"service": service_title(service_slug)}
        if service_slug
        else _("Satisfaction, all services")
    )
    chart = svg.horizontal_bars(
        chart_id="chart-ratings",
        title=title,
        desc=_("Number of ratings from 1 (poor) to 5 (very good); the figures are in the table below."),
        labels=[str(n) for n in range(1, 6)],
        values=[ratings.get(n, 0) for n in range(1, 6)],
    )
    return Table("ratings", title, [_("Rating"), _("Count")], body, chart)


def weekly_table(rows: list[Any]) -> Table:
    weeks, per_service = weekly_submissions(rows)
    slugs = list(per_service)
    headers = [_("Week from"), *[service_title(s) for s in slugs], _("All services")]
    body: list[list[Any]] = []
    totals: list[float] = []
    for week in weeks:
        counts = [per_service[s].get(week, 0) for s in slugs]
        totals.append(sum(counts))
        body.append([week.isoformat(), *counts, totals[-1]])
    chart = svg.columns(
        chart_id="chart-weekly",
        title=_("Submissions per week"),
        desc=_("Column chart of all submissions per calendar week; the figures per service are in the table below."),
        labels=[w.isoformat() for w in weeks],
        values=totals,
    )
    return Table("weekly", _("Submissions per week"), headers, body, chart)


def health_table(city_ids: list[int], first: date, last: date) -> Table:
    health = processing_health(city_ids, first, last)
    headers = [
        _("Service"),
        _("Submissions"),
        _("Failed deliveries"),
        _("Median submit to delivered (s)"),
        _("Median received to decision (s)"),
    ]
    not_yet = _("not available yet")
    body = [
        _cells(
            [
                service_title(h.service_slug),
                h.submissions,
                h.deliveries_failed,
                h.median_delivery_seconds,
                h.median_decision_seconds if h.decisions_available else not_yet,
            ]
        )
        for h in health
    ]
    return Table("health", _("Processing health"), headers, body)


def comparison_table(city: City, first: date, last: date) -> Table:
    rows = compare(city, first, last)
    headers = [
        _("Service"),
        _("Submissions per 10,000 inhabitants"),
        _("Average of participating cities"),
        _("Average of size class"),
        _("Completion rate (%)"),
        _("Average of participating cities"),
        _("Average of size class"),
        _("Median time to complete (s)"),
        _("Average of participating cities"),
        _("Average of size class"),
        _("Satisfaction (average 1–5)"),
        _("Average of participating cities"),
        _("Average of size class"),
        _("Cities compared"),
        _("Cities in size class"),
    ]
    if rows is None:
        note = _(
            "This city does not take part in the comparison. An administrator can switch it on in the city's settings."
        )
        return Table("comparison", _("Comparison with other cities"), headers, [], None, note, {"opted_out": True})
    body = []
    for r in rows:
        cells: list[Any] = [r.title]
        for name in ("submissions_per_10k", "completion_rate", "median_seconds", "rating_average"):
            cells += [getattr(r.own, name), getattr(r.all_cities, name), getattr(r.size_class, name)]
        body.append(_cells([*cells, r.all_count, r.size_class_count]))
    note = _("Size class: %(label)s. Averages are the mean of each participating city's figure.") % {
        "label": size_class_label(city.population)
    }
    return Table("comparison", _("Comparison with other cities"), headers, body, None, note)
