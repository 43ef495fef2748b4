"""Dashboard for city administrators and operators, and the citizen's rating."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.lib import cache
from forms_engine.staff.admin_site import staff_user
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City

from . import dashboard
from .opendata import ZSK_FIELDS, monthly, zsk_record
from .recorder import record

RATING_MAX_AGE = 2 * 24 * 3600
RATING_SALT = "analytics.rating"


DATE_ATTRS = {"type": "date", "class": "kern-form-input__input"}
SELECT_ATTRS = {"class": "kern-form-input__select"}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d")
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"))
    service = forms.ChoiceField(
        label=_("Service for funnel and satisfaction"), required=False, widget=forms.Select(attrs=SELECT_ATTRS)
    )
    city = forms.ChoiceField(label=_("City"), required=False, widget=forms.Select(attrs=SELECT_ATTRS))

    def __init__(self, *args: Any, cities: list[City] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = [("", _("All services"))] + [(s.slug, str(s.title)) for s in registry.all_services()]
        self.fields["service"].choices = services  # type: ignore[attr-defined]
        if cities is None:
            del self.fields["city"]
        else:
            city_choices = [("", _("All cities"))] + [(c.slug, c.name) for c in cities]
            self.fields["city"].choices = city_choices  # type: ignore[attr-defined]

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=89)
        return (start, end) if start <= end else (end, start)


def dashboard_cities(request: HttpRequest) -> tuple[list[City], list[City] | None]:
    """The cities this person may see here, and (operators on a platform host) the choice.
    Raises Http404 for anyone else, so another city's dashboard looks absent."""
    user = staff_user(request)
    if user is None or not user.is_verified():  # type: ignore[attr-defined]
        raise PermissionError
    city: City | None = getattr(request, "city", None)
    if user.role not in (StaffUser.Role.CITY_ADMIN, StaffUser.Role.OPERATOR):
        raise Http404
    if city is not None:
        if not user.may_sign_in_at(city.pk):
            raise Http404
        return [city], None
    if not user.is_operator:
        raise Http404
    with scopes_disabled():
        choice = list(City.objects.order_by("name"))
    chosen = request.GET.get("city", "")
    return ([c for c in choice if c.slug == chosen] or choice), choice


def _german(value: Any) -> Any:
    """A number as German spreadsheets read it: decimal comma, no thousands separator."""
    if isinstance(value, float):
        return format(value, "g" if abs(value) >= 1e16 else "f").rstrip("0").rstrip(".").replace(".", ",")
    return value


def csv_response(filename: str, headers: list[str], rows: list[list[Any]], *, german: bool = False) -> HttpResponse:
    """Plain CSV (comma, decimal point, UTF-8: for programs), or, with german=True,
    CSV as a German Excel opens it: semicolons, decimal commas and a byte order mark."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if german:
        response.write("\ufeff")
    writer = csv.writer(response, delimiter=";" if german else ",")
    writer.writerow(headers)
    for row in rows:
        cells = ["" if v is None else v for v in row]
        writer.writerow([_german(v) for v in cells] if german else cells)
    return response


@never_cache
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    try:
        cities, choice = dashboard_cities(request)
    except PermissionError:
        return redirect_to_login(request.get_full_path())
    form = PeriodForm(request.GET or None, cities=choice)
    start, end = form.period()
    service_slug = form.cleaned_data.get("service", "") if form.is_bound and form.is_valid() else ""
    if request.GET.get("format") == "csv":
        wanted = request.GET.get("table", "summary")
        if wanted not in dashboard.TABLES:
            raise Http404
        table = next(iter(dashboard.build(cities, start, end, service_slug, only=wanted)), None)
        if table is None:
            raise Http404
        german = request.GET.get("csv") != "plain"
        return csv_response(f"statistik-{table.key}-{start}-{end}.csv", table.headers, table.rows, german=german)
    tables = dashboard.build(cities, start, end, service_slug)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": form,
            "tables": tables,
            "start": start,
            "end": end,
            "cities": cities,
            "query": query.urlencode(),
        },
    )


@never_cache
@require_GET
def zsk_export(request: HttpRequest) -> HttpResponse:
    """The unsuppressed monthly transactions for reporting to the federal statistics (ZSK)."""
    try:
        cities, _choice = dashboard_cities(request)
    except PermissionError:
        return redirect_to_login(request.get_full_path())
    rows = [zsk_record(r, suppressed=False) for r in monthly(cities)]
    return csv_response("zsk-transaktionen.csv", ZSK_FIELDS, [[r[k] for k in ZSK_FIELDS] for r in rows])


# --- satisfaction rating ---------------------------------------------------------


def rating_token(city: City, service_slug: str) -> str:
    """Signed, single-use ticket for one rating, made when the confirmation page renders."""
    import secrets

    return signing.dumps({"c": city.pk, "s": service_slug, "n": secrets.token_hex(8)}, salt=RATING_SALT)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with this online service?"),
        choices=[
            (5, _("Very satisfied")),
            (4, _("Satisfied")),
            (3, _("Neither satisfied nor dissatisfied")),
            (2, _("Dissatisfied")),
            (1, _("Very dissatisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    ticket = forms.CharField(widget=forms.HiddenInput)


@require_POST
def rate(request: HttpRequest, service: str) -> HttpResponse:
    city: City | None = getattr(request, "city", None)
    if city is None or registry.get(service) is None:
        raise Http404
    form = RatingForm(request.POST)
    context = {"service_slug": service, "service_title": registry.get(service).title}  # type: ignore[union-attr]
    if not form.is_valid():
        context |= {"rating_form": form, "rating_ticket": request.POST.get("ticket", "")}
        return render(request, "analytics/rating_page.html", context, status=400)
    try:
        ticket = signing.loads(form.cleaned_data["ticket"], salt=RATING_SALT, max_age=RATING_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    if ticket.get("c") != city.pk or ticket.get("s") != service:
        raise Http404
    # One rating per ticket; the marker is a random number, not a person. While
    # the cache is away a rating is counted rather than lost (a repeat is rarer).
    if cache.add(f"analytics:rated:{ticket['n']}", 1, RATING_MAX_AGE, when_down=True):
        record(city=city, service_slug=service, event="rating", request=request, rating=form.cleaned_data["rating"])
    return render(request, "analytics/rating_thanks.html", context)
