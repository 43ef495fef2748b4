from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import fields
from forms_engine.catalog.fields import (
    DATE_WIDGET,
    TIME_ERROR,
    TIME_PATTERN,
    TIME_WIDGET,
    YES_NO,
    LeadTimePeriodMixin,
    OrganisationContactForm,
)
from forms_engine.lib.forms import KernFormMixin


class OrganiserForm(OrganisationContactForm):
    required_messages = {
        "organiser_type": _("Choose who organises the event."),
    }

    kind_field, organisation_value = "organiser_type", "organisation"
    organisation_missing = _("Enter the name of the association or company.")
    field_order = ("organiser_type", "organisation", "last_name", "first_name", "date_of_birth")

    organiser_type = forms.ChoiceField(
        label=_("Who organises the event?"),
        choices=[("person", _("I do, as a private person")), ("organisation", _("An association or company"))],
        widget=forms.RadioSelect,
    )
    organisation = fields.organisation_field(_("Name of the association or company"))
    last_name = fields.last_name_field(_("Surname of the responsible person"))
    date_of_birth = fields.date_of_birth_field()
    phone = fields.phone_field(required=True, help_text=_("Reachable during the event."))


class EventForm(KernFormMixin, LeadTimePeriodMixin):
    required_messages = {
        "name": _("Enter the name of the event."),
        "place": _("Enter the place of the event."),
        "setting": _("Choose indoors or outdoors."),
        "start_date": _("Enter the first day."),
        "end_date": _("Enter the last day."),
        "opening_time": _("Enter the time from which you serve."),
        "closing_time": _("Enter the time until which you serve."),
        "expected_visitors": _("Enter how many visitors you expect per day."),
    }

    lead_time_help = _("Notify at least %(days)s days ahead: %(date)s at the earliest.")
    too_early_message = _("The event can start on %(date)s at the earliest.")

    name = forms.CharField(label=_("Name of the event"), max_length=200, help_text=_("For example Sommerfest."))
    place = forms.CharField(
        label=_("Place"), help_text=_("Address, and the building or square where drinks are served."), max_length=300
    )
    setting = forms.ChoiceField(
        label=_("Indoors or outdoors?"),
        choices=[("indoors", _("Indoors")), ("outdoors", _("Outdoors")), ("both", _("Both"))],
        widget=forms.RadioSelect,
    )
    start_date = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("Last day"), help_text=_("The same as the first day for a one-day event."), widget=DATE_WIDGET
    )
    opening_time = forms.RegexField(
        label=_("Serving from (time)"), regex=TIME_PATTERN, error_messages=TIME_ERROR, widget=TIME_WIDGET
    )
    # Serving often runs past midnight, so a closing time before the opening time is allowed.
    closing_time = forms.RegexField(
        label=_("Serving until (time)"),
        help_text=_("May be after midnight."),
        regex=TIME_PATTERN,
        error_messages=TIME_ERROR,
        widget=TIME_WIDGET,
    )
    expected_visitors = forms.IntegerField(label=_("Expected visitors per day"), min_value=1, max_value=1_000_000)


class CateringForm(KernFormMixin, forms.Form):
    required_messages = {
        "food": _("Say whether food will be served."),
        "alcohol": _("Say whether alcoholic drinks will be served."),
        "offer": _("Describe what will be served."),
    }

    food = forms.ChoiceField(label=_("Will food be served?"), choices=YES_NO, widget=forms.RadioSelect)
    alcohol = forms.ChoiceField(label=_("Will alcoholic drinks be served?"), choices=YES_NO, widget=forms.RadioSelect)
    offer = forms.CharField(
        label=_("What will be served?"),
        help_text=_("For example grilled sausages, cake, beer, wine, soft drinks."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclarationsForm(fields.DeclarationsForm):
    required_messages = {
        "forwarding": _("Confirm that you know the notice is passed on to other authorities."),
        "youth_protection": _("Confirm that you will observe the rules on youth protection, hygiene and noise."),
    }

    forwarding = forms.BooleanField(
        label=_("I know that this notice is passed on to the building, food control, tax and police authorities.")
    )
    youth_protection = forms.BooleanField(
        label=_("I will observe the youth protection law and the rules on hygiene and noise.")
    )
