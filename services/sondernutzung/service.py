"""Sondernutzungserlaubnis: permission to use public roads beyond ordinary traffic
(skips, scaffolds, outdoor seating, moving vans, information stands)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Fee,
    OnlineService,
    Parameter,
    ServiceContext,
    Step,
)

from . import forms
from .rules import PURPOSES, period_days, rate_key, use_fee

# Fee per m² per day by purpose; cities set their own from their fee schedule.
DEFAULT_RATES = {
    "container": Decimal("1.00"),
    "scaffold": Decimal("0.50"),
    "outdoor_seating": Decimal("0.20"),
    "moving_van": Decimal("0.50"),
    "info_stand": Decimal("0.50"),
}
RATE_LABELS = {
    "container": _("Fee per m² per day: skip or container (EUR)"),
    "scaffold": _("Fee per m² per day: scaffold (EUR)"),
    "outdoor_seating": _("Fee per m² per day: outdoor seating (EUR)"),
    "moving_van": _("Fee per m² per day: moving van (EUR)"),
    "info_stand": _("Fee per m² per day: information stand (EUR)"),
}


class SondernutzungService(OnlineService):
    slug = "sondernutzung"
    version = "1.0"
    title = _("Special use of public roads")
    summary_text = _("Apply for permission to put a skip, scaffold, seating or stand on a public road.")
    # LeiKa key for "Sondernutzungserlaubnis Erteilung": not verified against the
    # LeiKa catalogue (no access here); check before going live.
    leika_key = "99104007012000"
    reference_code = "SNE"
    retention_days_default = 90
    applicant_name_fields = ("applicant.first_name", "applicant.last_name")
    applicant_email_field = "applicant.email"

    parameters = (
        Parameter(
            "lead_time_days",
            _("Lead time (days)"),
            "int",
            14,
            help_text=_("The use may start this many days after the application at the earliest."),
            min_value=0,
        ),
        *(
            Parameter(rate_key(purpose), RATE_LABELS[purpose], "decimal", DEFAULT_RATES[purpose], min_value=0)
            for purpose in PURPOSES
        ),
    )

    form_parameters = {"use": ("lead_time_days",)}

    steps = (
        Step("applicant", _("About you"), forms.ApplicantForm),
        Step(
            "use",
            _("The use"),
            forms.UseForm,
            attachments=(
                AttachmentSpec(
                    "site_plan",
                    _("Site plan"),
                    hint=_("A sketch or map showing the area with its measurements."),
                ),
                AttachmentSpec(
                    "liability_insurance",
                    _("Proof of liability insurance"),
                    hint=_("Insurance certificate of the applicant or the company doing the work."),
                ),
            ),
        ),
        Step("declarations", _("Declarations"), forms.DeclarationsForm),
    )

    def fee(self, answers: Answers, context: ServiceContext) -> Fee | None:
        purpose = answers.get("use.purpose")
        if purpose not in PURPOSES:
            return None
        try:
            area = Decimal(str(answers.get("use.area_m2")))
            start = datetime.date.fromisoformat(str(answers.get("use.start_date")))
            end = datetime.date.fromisoformat(str(answers.get("use.end_date")))
        except (InvalidOperation, ValueError):
            return None
        rate = Decimal(str(context.params[rate_key(purpose)]))
        days = period_days(start, end)
        explanation = ngettext(
            "%(area)s m² × %(days)d day × %(rate)s EUR per m² and day",
            "%(area)s m² × %(days)d days × %(rate)s EUR per m² and day",
            days,
        ) % {"area": number_format(area), "days": days, "rate": number_format(rate, 2)}
        return Fee(amount=use_fee(area, days, rate), explanation=explanation)

    # A property, so that the sample dates move with today (the base declares a class attribute).
    @property
    def sample_answers(self) -> dict[str, dict[str, dict[str, str]]]:  # type: ignore[override]
        start = timezone.localdate() + datetime.timedelta(days=30)
        applicant = {
            "applicant_type": "person",
            "last_name": "Yilmaz",
            "first_name": "Deniz",
            "street": "Schillerstraße 8",
            "postcode": "35390",
            "town": "Gießen",
            "email": "deniz.yilmaz@example.org",
            "phone": "0641 987654",
        }
        declarations = {"truthful": "on", "safety": "on", "privacy": "on"}
        return {
            "moving_van_one_day": {
                "applicant": applicant,
                "use": {
                    "purpose": "moving_van",
                    "location": "Schillerstraße 8",
                    "area_m2": "30",
                    "start_date": start.isoformat(),
                    "end_date": start.isoformat(),
                },
                "declarations": declarations,
            },
            "company_scaffold": {
                "applicant": {**applicant, "applicant_type": "company", "organisation": "Gerüstbau Lahn GmbH"},
                "use": {
                    "purpose": "scaffold",
                    "location": "Neustadt 20",
                    "area_m2": "12.5",
                    "start_date": start.isoformat(),
                    "end_date": (start + datetime.timedelta(days=20)).isoformat(),
                },
                "declarations": declarations,
            },
        }
