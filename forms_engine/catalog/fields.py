"""Form building blocks that several online services share: the city-list field,
the applicant's contact block, declarations, date widgets and the usual date
validators. Services subclass or call these; field names stay the services' own
data keys, so the answers and the published JSON schemas do not change."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin
from forms_engine.lib.numbers import parse_decimal

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    Text = str | _StrPromise

YES, NO = "ja", "nein"
YES_NO = [(YES, _("Yes")), (NO, _("No"))]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TextInput(attrs={"type": "time"})
# Times are kept as "HH:MM" text: answers are stored as JSON, which has no time type.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
TIME_ERROR = {"invalid": _("Enter a time such as 18:30.")}


class CityListField(forms.CharField):
    """One choice from a list in the city's settings. A CharField underneath, not a
    ChoiceField: the service's published JSON schema is the same for every city,
    so it cannot enumerate one city's list. `choices` still gives the summary its labels."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices: list[tuple[str, Any]] = []

    def set_choices(self, choices: Sequence[tuple[str, Any]], *, radio_up_to: int = 6) -> None:
        self.choices = list(choices)
        # Radio buttons while they fit on one screen, a list box beyond that.
        widget = forms.RadioSelect if len(self.choices) <= radio_up_to else forms.Select
        self.widget = widget(choices=self.choices)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value not in {key for key, _label in self.choices}:
            raise forms.ValidationError(_("Select one of the choices offered."), code="invalid_choice")


def set_city_choices(form: forms.Form, name: str, choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
    """Give the form's CityListField `name` this city's choices."""
    field = form.fields[name]
    assert isinstance(field, CityListField)
    field.set_choices(choices, **kwargs)


# --- validators ---------------------------------------------------------------


IN_FUTURE = _("The date cannot be in the future.")
SURNAME = _("Surname")


def not_in_future(message: Text = IN_FUTURE) -> Callable[[datetime.date], None]:
    """A field validator: the date is today or earlier."""

    def validate(value: datetime.date) -> None:
        if value > timezone.localdate():
            raise forms.ValidationError(message, code="future")

    return validate


def earliest_start(today: datetime.date, lead_time_days: int) -> datetime.date:
    return today + datetime.timedelta(days=lead_time_days)


def respects_lead_time(days: int, message: Text) -> Callable[[datetime.date], None]:
    """A field validator: the date is at least `days` days from today. `message`
    may use %(date)s for the earliest date."""
    earliest = earliest_start(timezone.localdate(), days)

    def validate(value: datetime.date) -> None:
        if value < earliest:
            raise forms.ValidationError(
                message, code="too_early", params={"date": date_format(earliest, "SHORT_DATE_FORMAT")}
            )

    return validate


def end_not_before_start(form: forms.Form, data: dict[str, Any], start: str, end: str) -> None:
    """A cross-field check for a form's clean(): the period's last day is not before its first."""
    first, last = data.get(start), data.get(end)
    if first and last and last < first:
        form.add_error(end, _("The last day cannot be before the first day."))


class LeadTimePeriodMixin(forms.Form):
    """A period from start_date to end_date (inclusive) that starts at least the
    city's lead time from today. Subclasses set the two texts; the form takes
    the keyword argument lead_time_days."""

    lead_time_help: Text  # with %(days)s and %(date)s
    too_early_message: Text  # with %(date)s

    def __init__(self, *args: Any, lead_time_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest_start(timezone.localdate(), lead_time_days)
        start = self.fields["start_date"]
        start.help_text = str(self.lead_time_help) % {
            "days": lead_time_days,
            "date": date_format(self.earliest, "SHORT_DATE_FORMAT"),
        }
        start.validators.append(respects_lead_time(lead_time_days, self.too_early_message))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end_not_before_start(self, data, "start_date", "end_date")
        return data


# --- the applicant's contact block ----------------------------------------------


def last_name_field(label: Text = SURNAME) -> forms.CharField:
    return forms.CharField(label=label, max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))


def date_of_birth_field() -> forms.DateField:
    return forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        validators=[not_in_future(_("The date of birth cannot be in the future."))],
    )


def phone_field(*, required: bool = False, help_text: Text = "") -> forms.CharField:
    """Optional by default; a required phone is labelled without "(optional)"."""
    return forms.CharField(
        label=_("Phone") if required else _("Phone (optional)"),
        help_text=help_text,
        max_length=40,
        required=required,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


class ContactForm(KernFormMixin, forms.Form):
    """Name, postal address, email and phone with the browser's autocomplete
    tokens. Subclasses add fields after these, or place theirs with field_order."""

    required_messages = {
        "last_name": _("Enter your surname."),
        "first_name": _("Enter your first name."),
        "street": _("Enter your street and house number."),
        "postcode": _("Enter your postcode."),
        "town": _("Enter your town."),
        "email": _("Enter your email address."),
        "phone": _("Enter your phone number."),
        "date_of_birth": _("Enter your date of birth."),
    }

    last_name = last_name_field()
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    street = forms.CharField(
        label=_("Street and house number"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode: forms.CharField = forms.RegexField(
        label=_("Postcode"),
        regex=r"^[0-9]{5}$",
        error_messages={"invalid": _("Enter a postcode with five digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    town = forms.CharField(
        label=_("Town"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = phone_field()


class OrganisationContactForm(ContactForm):
    """The contact block for someone who may apply for a company or association:
    a choice of `kind_field`, then the organisation's name (required when the
    choice is `organisation_value`), then the contact block: list them first in
    the subclass's field_order."""

    kind_field: str
    organisation_value: str
    organisation_missing: Text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(self.kind_field) == self.organisation_value and not data.get("organisation"):
            self.add_error("organisation", self.organisation_missing)
        return data


def organisation_field(label: Text) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )


class DeclarationsForm(KernFormMixin, forms.Form):
    """The declarations every service asks for first; subclasses add their own."""

    required_messages = {
        "truthful": _("Confirm that your answers are complete and true."),
    }

    truthful = forms.BooleanField(label=_("I confirm that my answers are complete and true."))


class DecimalTextField(forms.DecimalField):
    """An amount or other decimal number in a text box with a decimal keypad
    (type=number refuses the comma in some browsers). Accepts comma and point in
    both languages, with thousands separators (lib/numbers.py); shows a saved
    value in the page's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        kwargs.pop("localize", None)  # parsing is ours, for both languages
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        for number_only in ("min", "max", "step"):  # meaningful for type=number only
            attrs.pop(number_only, None)
        return attrs

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not isinstance(value, str):
            return super().to_python(value)
        number = parse_decimal(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(str(number))

    def prepare_value(self, value: Any) -> Any:
        if value in self.empty_values or (isinstance(value, str) and parse_decimal(value) is None):
            return value  # as typed, when it is not a number
        number = parse_decimal(value) if isinstance(value, str) else value
        places = self.decimal_places if number is not None and number != number.to_integral() else 0
        return number_format(number, decimal_pos=places, use_l10n=True) if number is not None else value
