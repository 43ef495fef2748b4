"""The dashboard as a list of tables. The HTML page and every CSV download are
rendered from the same Table objects, so they always show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from forms_engine.tenants.models import City

from . import svg
from .comparison import compare, min_peers, size_class_label
from .health import processing_health
from .metrics import as_number, fetch, funnel, monthly_submissions, service_title, summarise, weekly_submissions


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


def minutes(seconds: float | None) -> float | None:
    """Durations are shown in minutes, one decimal."""
    return None if seconds is None else round(seconds / 60, 1)


TABLES = ("summary", "funnel", "ratings", "devices", "payments", "weekly", "monthly", "health", "comparison")


def build(cities: list[City], first: date, last: date, service_slug: str = "", only: str = "") -> list[Table]:
    """All tables of the dashboard, or just the one named `only` (a CSV download)."""
    ids = [c.pk for c in cities]
    wanted = {only} if only else set(TABLES)
    tables: list[Table] = []
    if wanted & {"summary", "funnel", "ratings", "devices", "payments", "weekly", "monthly"}:
        rows = fetch(ids, first, last)
        per_service, total = summarise(rows)
        if "summary" in wanted:
            tables.append(summary_table(per_service, total))
        chosen = service_slug if service_slug in per_service else next(iter(per_service), "")
        if chosen and "funnel" in wanted:
            tables.append(funnel_table(per_service[chosen]))
        if "ratings" in wanted:
            tables.append(ratings_table(per_service.get(service_slug) if service_slug else total, service_slug))
        if "devices" in wanted:
            tables.append(devices_table(per_service.get(service_slug) if service_slug else total, service_slug))
        if "payments" in wanted:
            tables.append(payments_table(per_service, total))
        if "weekly" in wanted:
            tables.append(weekly_table(rows))
        if "monthly" in wanted:
            tables.append(monthly_table(rows))
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
        _("Median time to complete (min)"),
        _("p90 time to complete (min)"),
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
                    minutes(s.median_seconds),
                    minutes(s.p90_seconds),
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
        "so going back to a step counts it again; a draft counts as abandoned once, at the last step "
        "it reached, when nobody has worked on it for %(hours)s hours."
    ) % {"starts": summary.starts, "hours": settings.ANALYTICS_ABANDON_AFTER_HOURS}
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


def _share(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def devices_table(summary: Any, service_slug: str) -> Table:
    """Starts by device class and by page language, with their shares."""
    devices = summary.devices if summary else {}
    languages = summary.languages if summary else {}
    device_total, language_total = sum(devices.values()), sum(languages.values())
    device_names = {"mobile": _("mobile"), "desktop": _("desktop"), "unknown": _("unknown")}
    language_names = {"de": _("German"), "en": _("English"), "-": _("unknown")}
    body: list[list[Any]] = []
    for key in ("mobile", "desktop", "unknown"):
        count = devices.get(key, 0)
        body.append(_cells([_("Device"), device_names[key], count, _share(count, device_total)]))
    for key, count in sorted(languages.items(), key=lambda kv: -kv[1]):
        body.append(_cells([_("Language"), language_names.get(key, key), count, _share(count, language_total)]))
    title = (
        _("Devices and languages: %(service)s") % {"service": service_title(service_slug)}
        if service_slug
        else _("Devices and languages, all services")
    )
    chart = svg.horizontal_bars(
        chart_id="chart-devices",
        title=title,
        desc=_("Share of starts on mobile and desktop devices; the figures are in the table below."),
        labels=[str(device_names[k]) for k in ("mobile", "desktop", "unknown")],
        values=[devices.get(k, 0) for k in ("mobile", "desktop", "unknown")],
    )
    headers = [_("Breakdown"), _("Value"), _("Starts"), _("Share of starts (%)")]
    return Table("devices", title, headers, body, chart)


PAYMENT_METHOD_NAMES = {
    "CREDITCARD": _lazy("credit card"),
    "PAYPAL": "PayPal",
    "GIROPAY": "giropay",
    "PAYDIRECT": "paydirekt",
    "OTHER": _lazy("other"),
}


def payments_table(per_service: dict[str, Any], total: Any) -> Table:
    """Online payments per service and payment method (eGovSAD shows them so):
    counts of the anonymous `paid` events, no amounts, no persons."""
    methods = sorted(total.payment_methods, key=lambda m: (-total.payment_methods[m], m))
    names = [str(PAYMENT_METHOD_NAMES.get(m, m)) for m in methods]
    headers = [_("Service"), *names, _("Online payments")]
    paying = [s for s in per_service.values() if s.payment_methods]
    body = [
        _cells(
            [
                s.title or _("All services"),
                *(s.payment_methods.get(m, 0) for m in methods),
                sum(s.payment_methods.values()),
            ]
        )
        for s in ([*paying, total] if paying else [])
    ]
    chart = svg.horizontal_bars(
        chart_id="chart-payments",
        title=_("Online payments per payment method"),
        desc=_("Number of online payments per payment method, all services; the figures are in the table below."),
        labels=names,
        values=[total.payment_methods[m] for m in methods],
    )
    return Table("payments", _("Payment methods per service"), headers, body, chart)


def _trend_table(key: str, title: str, first_header: str, periods: list[Any], per_service: dict[str, Any]) -> Table:
    slugs = list(per_service)
    headers = [first_header, *[service_title(s) for s in slugs], _("All services")]
    body: list[list[Any]] = []
    totals: list[float] = []
    for period in periods:
        counts = [per_service[s].get(period, 0) for s in slugs]
        totals.append(sum(counts))
        label = period.isoformat() if key == "weekly" else period.strftime("%Y-%m")
        body.append([label, *counts, totals[-1]])
    chart = svg.columns(
        chart_id=f"chart-{key}",
        title=title,
        desc=_("Column chart of all submissions per period; the figures per service are in the table below."),
        labels=[row[0] for row in body],
        values=totals,
    )
    return Table(key, title, headers, body, chart)


def weekly_table(rows: list[Any]) -> Table:
    weeks, per_service = weekly_submissions(rows)
    return _trend_table("weekly", _("Submissions per week"), _("Week from"), weeks, per_service)


def monthly_table(rows: list[Any]) -> Table:
    months, per_service = monthly_submissions(rows)
    return _trend_table("monthly", _("Submissions per month"), _("Month"), months, per_service)


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


COMPARED_FIGURES = (
    ("submissions_per_10k", _lazy("Submissions per 10,000 inhabitants")),
    ("completion_rate", _lazy("Completion rate (%)")),
    ("median_seconds", _lazy("Median time to complete (min)")),
    ("rating_average", _lazy("Satisfaction (average 1–5)")),
)


def comparison_table(city: City, first: date, last: date) -> Table:
    """One row per service and figure, so the table stays narrow."""
    rows = compare(city, first, last)
    headers = [
        _("Service"),
        _("Figure"),
        _("This city"),
        _("Average of other participating cities"),
        _("Other cities compared"),
        _("Average of other cities in the size class"),
        _("Other cities in the size class"),
    ]
    if rows is None:
        note = _(
            "This city does not take part in the comparison. An administrator can switch it on in the city's settings."
        )
        return Table("comparison", _("Comparison with other cities"), headers, [], None, note, {"opted_out": True})
    body = []
    for r in rows:
        for name, label in COMPARED_FIGURES:
            values = [getattr(r.own, name), getattr(r.all_cities, name), getattr(r.size_class, name)]
            if name == "median_seconds":
                values = [minutes(v) for v in values]
            own, everyone, same_class = values
            body.append(_cells([r.title, str(label), own, everyone, r.all_count, same_class, r.size_class_count]))
    note = _(
        "Size class: %(label)s. An average is shown only when at least %(minimum)s other participating cities "
        "contribute to it; figures of another city based on fewer than 5 cases are left out. "
        "This city is never part of its own comparison."
    ) % {"label": size_class_label(city.population), "minimum": min_peers()}
    return Table("comparison", _("Comparison with other cities"), headers, body, None, note)
