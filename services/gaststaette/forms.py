from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin

from .rules import NO, YES, earliest_start

YES_NO = [(YES, _("Yes")), (NO, _("No"))]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TextInput(attrs={"type": "time"})
# Times are kept as "HH:MM" text: answers are stored as JSON, which has no time type.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
TIME_ERROR = {"invalid": _("Enter a time such as 18:30.")}


class OrganiserForm(KernFormMixin, forms.Form):
    organiser_type = forms.ChoiceField(
        label=_("Who organises the event?"),
        choices=[("person", _("I do, as a private person")), ("organisation", _("An association or company"))],
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Name of the association or company"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    last_name = forms.CharField(
        label=_("Surname of the responsible person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    street = forms.CharField(
        label=_("Street and house number"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[0-9]{5}$",
        error_messages={"invalid": _("Enter a postcode with five digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    town = forms.CharField(
        label=_("Town"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(
        label=_("Phone"),
        help_text=_("Reachable during the event."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organiser_type") == "organisation" and not data.get("organisation"):
            self.add_error("organisation", _("Enter the name of the association or company."))
        born = data.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        return data


class EventForm(KernFormMixin, forms.Form):
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

    def __init__(self, *args: Any, lead_time_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest_start(timezone.localdate(), lead_time_days)
        self.fields["start_date"].help_text = _("Notify at least %(days)s days ahead: %(date)s at the earliest.") % {
            "days": lead_time_days,
            "date": date_format(self.earliest, "SHORT_DATE_FORMAT"),
        }

    def clean_start_date(self) -> Any:
        start = self.cleaned_data["start_date"]
        if start < self.earliest:
            raise forms.ValidationError(
                _("The event can start on %(date)s at the earliest."),
                params={"date": date_format(self.earliest, "SHORT_DATE_FORMAT")},
            )
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class CateringForm(KernFormMixin, forms.Form):
    food = forms.ChoiceField(label=_("Will food be served?"), choices=YES_NO, widget=forms.RadioSelect)
    alcohol = forms.ChoiceField(label=_("Will alcoholic drinks be served?"), choices=YES_NO, widget=forms.RadioSelect)
    offer = forms.CharField(
        label=_("What will be served?"),
        help_text=_("For example grilled sausages, cake, beer, wine, soft drinks."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclarationsForm(KernFormMixin, forms.Form):
    truthful = forms.BooleanField(label=_("I confirm that my answers are complete and true."))
    forwarding = forms.BooleanField(
        label=_("I know that this notice is passed on to the building, food control, tax and police authorities.")
    )
    youth_protection = forms.BooleanField(
        label=_("I will observe the youth protection law and the rules on hygiene and noise.")
    )
