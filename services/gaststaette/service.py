"""Anzeige vorübergehender Gaststättenbetrieb: notice of serving food or drinks at
an event (§ 6 HGastG; Hessen asks for a notice, not a permit)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Fee,
    Notice,
    OnlineService,
    Parameter,
    ServiceContext,
    Step,
    SummaryLine,
)

from . import forms
from .rules import NO, YES, event_days, is_organisation, notice_fee, serves_food

DEFAULT_RECIPIENTS = ["Bauaufsicht", "Lebensmittelüberwachung", "Finanzamt", "Polizei"]


class GaststaetteService(OnlineService):
    slug = "gaststaette"
    version = "1.0"
    title = _("Notice of temporary catering at an event")
    summary_text = _("Notify the office when you serve food or drinks at a fête, festival or party.")
    # LeiKa key for "Gaststättenbetrieb vorübergehend Anzeige": not verified against
    # the LeiKa catalogue (no access here); check before going live.
    leika_key = "99050012104000"
    reference_code = "GAST"
    retention_days_default = 90
    applicant_name_fields = ("organiser.first_name", "organiser.last_name")
    applicant_email_field = "organiser.email"

    # The fee schedule gives a range of 11-66 EUR; it is graded by the event's
    # length: the first day's fee plus a fee per further day, capped at the maximum.
    parameters = (
        Parameter(
            "lead_time_days",
            _("Lead time (days)"),
            "int",
            28,
            help_text=_("The event may start this many days after the notice at the earliest."),
            min_value=0,
        ),
        Parameter("fee_first_day", _("Fee for the first day (EUR)"), "decimal", Decimal("11.00"), min_value=0),
        Parameter("fee_further_day", _("Fee per further day (EUR)"), "decimal", Decimal("11.00"), min_value=0),
        Parameter("fee_max", _("Highest fee (EUR)"), "decimal", Decimal("66.00"), min_value=0),
        Parameter(
            "recipients",
            _("Authorities the notice is passed on to"),
            "list",
            DEFAULT_RECIPIENTS,
            help_text=_("Shown to the citizen before submitting."),
        ),
    )

    form_parameters = {"event": ("lead_time_days",)}

    # Attachment conditions are decided by the answers already saved, so documents
    # that depend on this service's questions get a page of their own after them.
    steps = (
        Step("organiser", _("The organiser"), forms.OrganiserForm),
        Step("event", _("The event"), forms.EventForm),
        Step("catering", _("Food and drinks"), forms.CateringForm),
        Step(
            "documents",
            _("Documents"),
            intro=_("All documents here are optional; the office may ask for them later."),
            attachments=(
                AttachmentSpec(
                    "site_plan",
                    _("Site plan"),
                    hint=_("Stands, seating, toilets and escape routes."),
                    required=False,
                ),
                AttachmentSpec(
                    "authorisation",
                    _("Authorisation to act for the association or company"),
                    hint=_("For example a letter from the board."),
                    required=False,
                    condition=is_organisation,
                ),
                AttachmentSpec(
                    "hygiene_instruction",
                    _("Certificate of instruction under § 43 IfSG"),
                    hint=_("For the people handling food; you may also show it on site."),
                    required=False,
                    condition=serves_food,
                ),
            ),
        ),
        Step("declarations", _("Declarations"), forms.DeclarationsForm),
    )

    def fee(self, answers: Answers, context: ServiceContext) -> Fee | None:
        try:
            start = datetime.date.fromisoformat(str(answers.get("event.start_date")))
            end = datetime.date.fromisoformat(str(answers.get("event.end_date")))
        except ValueError:
            return None
        params = context.params
        days = event_days(start, end)
        amount = notice_fee(
            days,
            first_day=Decimal(str(params["fee_first_day"])),
            further_day=Decimal(str(params["fee_further_day"])),
            maximum=Decimal(str(params["fee_max"])),
        )
        explanation = ngettext(
            "Fee for an event of %(days)d day (at most %(max)s EUR)",
            "Fee for an event of %(days)d days (at most %(max)s EUR)",
            days,
        ) % {"days": days, "max": number_format(Decimal(str(params["fee_max"])), 2)}
        return Fee(amount=amount, explanation=explanation)

    def summary(self, answers: Answers, context: ServiceContext) -> list[SummaryLine]:
        recipients = context.params["recipients"]
        return [SummaryLine(_("Your notice is passed on to"), ", ".join(recipients))] if recipients else []

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        if answers.get("catering.alcohol") == YES:
            return [
                Notice(
                    _("Serving alcohol"),
                    _(
                        "No alcohol to under-16s and no spirits to under-18s (Youth Protection Act). Offer at "
                        "least one soft drink that is no more expensive than the cheapest alcoholic drink."
                    ),
                    level="info",
                )
            ]
        return []

    # A property, so that the sample dates move with today (the base declares a class attribute).
    @property
    def sample_answers(self) -> dict[str, dict[str, dict[str, str]]]:  # type: ignore[override]
        start = timezone.localdate() + datetime.timedelta(days=40)
        organiser = {
            "organiser_type": "person",
            "last_name": "Hoffmann",
            "first_name": "Petra",
            "date_of_birth": "1975-09-30",
            "street": "Lindenweg 4",
            "postcode": "35578",
            "town": "Wetzlar",
            "email": "petra.hoffmann@example.org",
            "phone": "06441 55555",
        }
        event = {
            "name": "Straßenfest Lindenweg",
            "place": "Lindenweg, zwischen Nr. 1 und 20",
            "setting": "outdoors",
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "opening_time": "14:00",
            "closing_time": "22:00",
            "expected_visitors": "150",
        }
        declarations = {"truthful": "on", "forwarding": "on", "youth_protection": "on"}
        return {
            "street_party_one_day_no_food": {
                "organiser": organiser,
                "event": event,
                "catering": {"food": NO, "alcohol": YES, "offer": "Bier, Apfelwein, Limonade"},
                "documents": {},
                "declarations": declarations,
            },
            "club_festival_three_days_food": {
                "organiser": {**organiser, "organiser_type": "organisation", "organisation": "TV Wetzlar 1850 e. V."},
                "event": {
                    **event,
                    "name": "Vereinsfest",
                    "setting": "both",
                    "end_date": (start + datetime.timedelta(days=2)).isoformat(),
                    "closing_time": "01:00",
                    "expected_visitors": "800",
                },
                "catering": {"food": YES, "alcohol": NO, "offer": "Bratwurst, Kuchen, Kaffee, Limonade"},
                "documents": {},
                "declarations": declarations,
            },
        }
