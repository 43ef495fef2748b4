from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin

from .rules import earliest_start

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicantForm(KernFormMixin, forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("You apply as"),
        choices=[("person", _("Private person")), ("company", _("Company or association"))],
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(
        label=_("Name of the company or association"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    last_name = forms.CharField(
        label=_("Surname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
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
        help_text=_("For questions on the day of use."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("applicant_type") == "company" and not data.get("organisation"):
            self.add_error("organisation", _("Enter the name of the company or association."))
        return data


class UseForm(KernFormMixin, forms.Form):
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
    area_m2 = forms.DecimalField(
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

    def __init__(self, *args: Any, lead_time_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest_start(timezone.localdate(), lead_time_days)
        self.fields["start_date"].help_text = _("Apply at least %(days)s days ahead: %(date)s at the earliest.") % {
            "days": lead_time_days,
            "date": date_format(self.earliest, "SHORT_DATE_FORMAT"),
        }

    def clean_start_date(self) -> Any:
        start = self.cleaned_data["start_date"]
        if start < self.earliest:
            raise forms.ValidationError(
                _("The use can start on %(date)s at the earliest."),
                params={"date": date_format(self.earliest, "SHORT_DATE_FORMAT")},
            )
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class DeclarationsForm(KernFormMixin, forms.Form):
    truthful = forms.BooleanField(label=_("I confirm that my answers are complete and true."))
    safety = forms.BooleanField(
        label=_("I will secure the area as required and restore it to its previous state afterwards.")
    )
    privacy = forms.BooleanField(label=_("I agree that my data is processed to decide on this application."))
