"""Field builders for the UVG forms, so that every yes/no question, date and
amount looks and validates the same way."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import formats
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import InvalidChecksumDigits, InvalidCountryCode, InvalidLength, SchwiftyException

from forms_engine.catalog.fields import DecimalTextField

from .rules import NO, YES, allowed_start_months, month_value, today

Text = Any  # str or a lazy translation

YES_NO = [(YES, _("Yes")), (NO, _("No"))]
NATIONALITIES = [
    ("deutsch", _("German")),
    ("eu", _("Another EU country, EEA country or Switzerland")),
    ("drittstaat", _("Another country or stateless")),
]
RESIDENCE_PERMITS = [
    ("niederlassungserlaubnis", _("Settlement permit (Niederlassungserlaubnis)")),
    ("daueraufenthalt_eu", _("EU long-term residence permit (Daueraufenthalt-EU)")),
    ("aufenthaltserlaubnis", _("Residence permit (Aufenthaltserlaubnis)")),
    ("blaue_karte", _("EU Blue Card")),
    ("gestattung_duldung", _("Permission to stay or toleration (Aufenthaltsgestattung, Duldung)")),
    ("sonstiges", _("Other")),
]
PERMANENT_PERMITS = {"niederlassungserlaubnis", "daueraufenthalt_eu"}

postal_code_validator = RegexValidator(r"^\d{5}$", _("Enter a German postal code of five digits, e.g. 35390."))
phone_validator = RegexValidator(
    r"^\+?[\d\s/()-]{6,20}$", _("Enter a phone number with digits only, e.g. 0641 123456 or +49 641 123456.")
)


def yes_no(label: Text, help_text: Text = "", required: bool = True) -> forms.ChoiceField:
    """A yes/no question as two radio buttons: "no" is an explicit answer, not an unticked box."""
    return forms.ChoiceField(
        label=label, help_text=help_text, choices=YES_NO, widget=forms.RadioSelect, required=required
    )


def radio(
    label: Text, choices: list[tuple[str, Any]], help_text: Text = "", required: bool = True
) -> forms.ChoiceField:
    # An optional question left unanswered is stored as null, not "", so the
    # published JSON Schema can list exactly the choices plus null.
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        coerce=str,
        empty_value=None,
    )


def text(
    label: Text, *, autocomplete: str | None = None, required: bool = True, max_length: int = 100, help_text: Text = ""
) -> forms.CharField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def long_text(label: Text, *, required: bool = True, help_text: Text = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=2000, help_text=help_text, widget=forms.Textarea(attrs={"rows": 4})
    )


class DateInput(forms.DateInput):
    """The browser's date picker (ISO value, works without JavaScript); where a browser
    shows a plain text box instead, German "23.11.2026" is accepted as well."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PastDateField(forms.DateField):
    """A date that has happened: not in the future and not before 1900."""

    default_error_messages = {
        "invalid": _("Enter a real date, e.g. 23.11.2016."),
        "future": _("The date must not be in the future."),
        "too_early": _("Enter a date after 1900."),
    }

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date):
            if value > today():
                raise ValidationError(self.error_messages["future"], code="future")
            if value.year < 1900:
                raise ValidationError(self.error_messages["too_early"], code="too_early")


def past_date(
    label: Text, *, required: bool = True, autocomplete: str | None = None, help_text: Text = ""
) -> forms.DateField:
    attrs = {"autocomplete": autocomplete} if autocomplete else {}
    return PastDateField(label=label, required=required, help_text=help_text, widget=DateInput(attrs=attrs))


def any_date(label: Text, *, required: bool = True, help_text: Text = "") -> forms.DateField:
    """A date that may lie in the future (e.g. a permit's expiry)."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date, e.g. 23.11.2016.")},
    )


def money(label: Text, *, required: bool = True, help_text: Text = "") -> forms.DecimalField:
    # "150,50", "150.50" and "1.850,00" are all accepted, in German and English.
    return DecimalTextField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={"invalid": _("Enter an amount in euros, e.g. 150 or 150.50.")},
    )


class IBANField(forms.CharField):
    """An IBAN checked with schwifty (length, country format and check digits);
    cleaned to the compact form "DE89370400440532013000"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 42)  # 34 characters plus spaces
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            iban = IBAN(value)
        except InvalidCountryCode:
            raise ValidationError(
                _("The IBAN must start with a country code, e.g. DE for Germany."), code="iban_country"
            ) from None
        except InvalidLength:
            raise ValidationError(
                _("The IBAN has the wrong number of characters. A German IBAN has 22 characters, starting with DE."),
                code="iban_length",
            ) from None
        except InvalidChecksumDigits:
            raise ValidationError(
                _("This IBAN is not valid: the check digits do not match. Please check it for typing errors."),
                code="iban_checksum",
            ) from None
        except SchwiftyException:
            raise ValidationError(
                _("This IBAN is not valid. Please copy it from your bank card or bank statement."), code="iban_invalid"
            ) from None
        if not iban.in_sepa_zone:
            raise ValidationError(_("The account must be held with a bank in the SEPA area."), code="iban_sepa")
        return str(iban.compact)


class BICField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            return str(BIC(value.replace(" ", "")).compact)
        except SchwiftyException:
            raise ValidationError(
                _("This BIC is not valid. A BIC has 8 or 11 characters, e.g. COBADEFFXXX. You may leave it empty."),
                code="bic_invalid",
            ) from None


def _month_label(month: date) -> str:
    return str(formats.date_format(month, "F Y"))


def start_month_choices() -> list[tuple[str, str]]:
    previous, current, following = allowed_start_months(today())
    return [
        (month_value(previous), _("%(month)s (previous month)") % {"month": _month_label(previous)}),
        (month_value(current), _("%(month)s (this month)") % {"month": _month_label(current)}),
        (month_value(following), _("%(month)s (next month)") % {"month": _month_label(following)}),
    ]


class StartMonthField(forms.CharField):
    """The month from which the advance is wanted, as radio buttons of the three
    months § 4 UVG allows (the previous, this and next month), value "YYYY-MM".

    Why not <input type="month">: desktop Safari and Firefox show it as a plain
    text box with no hint of the format, and screen readers announce the native
    month pickers inconsistently. Why not year and month selects: two controls
    for one answer, and most combinations would be refused. Three labelled radio
    buttons work without JavaScript, read well, and show the legal rule itself.

    The months follow the calendar, so they are computed whenever the form is
    shown or checked; a value saved in an older draft is refused with the rule
    explained. It is a CharField, not a ChoiceField, so that the published JSON
    Schema says "string" instead of an enum that would change every month."""

    widget = forms.RadioSelect
    default_error_messages = {
        "invalid_choice": _(
            "Choose the previous month, this month or next month. Unterhaltsvorschuss is paid "
            "retroactively for at most the month before the application (§ 4 UVG)."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.choices = CallableChoiceIterator(start_month_choices)  # type: ignore[attr-defined]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The labels for the check page ("November 2026 (this month)")."""
        return start_month_choices()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value not in {month for month, _label in start_month_choices()}:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
