from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import fields
from forms_engine.catalog.fields import DATE_WIDGET, LeadTimePeriodMixin, OrganisationContactForm
from forms_engine.lib.forms import KernFormMixin


class ApplicantForm(OrganisationContactForm):
    required_messages = {
        "applicant_type": _("Choose whether you apply as a private person or for an organisation."),
    }

    kind_field, organisation_value = "applicant_type", "company"
    organisation_missing = _("Enter the name of the company or association.")
    field_order = ("applicant_type", "organisation")

    applicant_type = forms.ChoiceField(
        label=_("You apply as"),
        choices=[("person", _("Private person")), ("company", _("Company or association"))],
        widget=forms.RadioSelect,
    )
    organisation = fields.organisation_field(_("Name of the company or association"))
    phone = fields.phone_field(required=True, help_text=_("For questions on the day of use."))


class UseForm(KernFormMixin, LeadTimePeriodMixin):
    required_messages = {
        "purpose": _("Choose the purpose."),
        "location": _("Enter the street and house number of the area."),
        "area_m2": _("Enter the area in square metres."),
        "start_date": _("Enter the first day."),
        "end_date": _("Enter the last day."),
    }

    lead_time_help = _("Apply at least %(days)s days ahead: %(date)s at the earliest.")
    too_early_message = _("The use can start on %(date)s at the earliest.")

    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[
            ("container", _("Skip or container")),
            ("scaffold", _("Scaffold")),
            ("outdoor_seating", _("Outdoor seating of a café or restaurant")),
            ("moving_van", _("No-parking zone for a moving van")),
            ("info_stand", _("Information stand")),
        ],
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label=_("Street and house number"),
        help_text=_("Where on the road, pavement or square the area is."),
        max_length=200,
    )
    area_m2 = fields.DecimalTextField(
        label=_("Area in m²"),
        help_text=_("Length × width of the area used, for example 2.5 × 6 = 15."),
        min_value=Decimal("0.01"),
        max_value=10_000,
        decimal_places=2,
    )
    start_date = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("To (inclusive)"), help_text=_("The same as the first day for a one-day use."), widget=DATE_WIDGET
    )


class DeclarationsForm(fields.DeclarationsForm):
    required_messages = {
        "privacy": _("Confirm that you agree to the processing of your data."),
        "safety": _("Confirm that you will secure the area and restore it afterwards."),
    }

    safety = forms.BooleanField(
        label=_("I will secure the area as required and restore it to its previous state afterwards.")
    )
    privacy = forms.BooleanField(label=_("I agree that my data is processed to decide on this application."))
