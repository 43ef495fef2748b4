from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.fields import YES_NO, CityListField, ContactForm, set_city_choices
from forms_engine.catalog.fields import DeclarationsForm as BaseDeclarationsForm
from forms_engine.lib.forms import KernFormMixin

from .rules import NO, normalise_licence_plate


class ApplicantForm(ContactForm):
    """Name, address and contact details (the shared contact block)."""


class ResidenceForm(KernFormMixin, forms.Form):
    required_messages = {
        "main_residence": _("Say whether the address is your main residence."),
        "zone": _("Choose your parking zone."),
    }

    zone = CityListField(
        label=_("Parking zone"), help_text=_("The zone your address belongs to, as signposted in your street.")
    )
    main_residence = forms.ChoiceField(
        label=_("Is the address you gave your main residence?"),
        help_text=_("Resident parking permits are issued only for the main residence (Hauptwohnsitz)."),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, zones: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_city_choices(self, "zone", [(zone, zone) for zone in zones])


class VehicleForm(KernFormMixin, forms.Form):
    required_messages = {
        "holder_is_applicant": _("Say whether the vehicle is registered in your name."),
        "licence_plate": _("Enter the licence plate."),
        "make": _("Enter the make and model."),
    }

    USE_BASES = [
        ("company_car", _("Company car")),
        ("leasing", _("Leasing or hire purchase")),
        ("other", _("Other (e.g. a relative's car I use permanently)")),
    ]

    licence_plate = forms.CharField(
        label=_("Licence plate"),
        help_text=_("For example GI-AB 123; for an electric car with the E at the end: GI-AB 123E."),
        max_length=14,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    make = forms.CharField(label=_("Make and model"), max_length=100, help_text=_("For example VW Golf."))
    holder_is_applicant = forms.ChoiceField(
        label=_("Is the vehicle registered in your name?"),
        help_text=_("As entered as holder in the registration certificate part I."),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    holder_name = forms.CharField(
        label=_("Registered holder (if not you)"),
        help_text=_("Person or company named in the registration certificate."),
        max_length=200,
        required=False,
    )
    use_basis = forms.ChoiceField(
        label=_("Why may you use the vehicle (if not registered to you)?"),
        choices=USE_BASES,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_licence_plate(self) -> str:
        plate = normalise_licence_plate(self.cleaned_data["licence_plate"])
        if plate is None:
            raise forms.ValidationError(
                _("Enter a German licence plate such as GI-AB 123: district, one or two letters, up to four digits.")
            )
        return plate

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("holder_is_applicant") == NO:
            if not data.get("holder_name"):
                self.add_error("holder_name", _("Enter who the vehicle is registered to."))
            if not data.get("use_basis"):
                self.add_error("use_basis", _("Choose why you may use the vehicle."))
        else:
            data["holder_name"], data["use_basis"] = "", None
        return data


class ValidityForm(KernFormMixin, forms.Form):
    required_messages = {
        "years": _("Choose how long the permit should be valid."),
    }

    years = forms.ChoiceField(
        label=_("Period of validity"),
        choices=[("1", _("1 year")), ("2", _("2 years"))],
        widget=forms.RadioSelect,
    )


class DeclarationsForm(BaseDeclarationsForm):
    required_messages = {
        "privacy": _("Confirm that you agree to the processing of your data."),
        "report_changes": _("Confirm that you will return the permit when it no longer applies."),
    }

    report_changes = forms.BooleanField(
        label=_("I will return the permit when I move out of the zone or no longer use the vehicle.")
    )
    privacy = forms.BooleanField(label=_("I agree that my data is processed to decide on this application."))
