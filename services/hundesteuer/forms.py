from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin

from .rules import NO, NOT_LISTED, YES, normalise_microchip

YES_NO = [(YES, _("Yes")), (NO, _("No"))]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


class OwnerForm(KernFormMixin, forms.Form):
    last_name = forms.CharField(
        label=_("Surname"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
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
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class DogForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Dog's name"), max_length=100)
    breed = forms.CharField(
        label=_("Breed"), help_text=_("For a cross-breed, name the breeds you know of."), max_length=200
    )
    listed_breed = CityListField(
        label=_("Is your dog one of these breeds, or a cross of one?"),
        help_text=_("Breeds listed as dangerous; a higher tax rate applies and keeping one needs a permit."),
    )
    colour = forms.CharField(label=_("Colour"), max_length=100)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("male", _("Male")), ("female", _("Female"))], widget=forms.RadioSelect
    )
    date_of_birth = forms.DateField(
        label=_("Dog's date of birth"), help_text=_("An estimate is fine if you do not know it."), widget=DATE_WIDGET
    )
    microchip = forms.CharField(
        label=_("Microchip number"),
        help_text=_("The 15 digits from the vaccination passport or the vet's certificate."),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    acquired_on = forms.DateField(label=_("Kept by you since"), widget=DATE_WIDGET)
    previous_owner = forms.CharField(
        label=_("Previous owner (optional)"),
        help_text=_("Name and address, for example the breeder or animal shelter."),
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, listed_breeds: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["listed_breed"]
        assert isinstance(field, CityListField)
        # Always radio buttons: the citizen should see every listed breed at once.
        field.set_choices(
            [*((breed, breed) for breed in listed_breeds), (NOT_LISTED, _("No, none of these"))], radio_up_to=100
        )

    def clean_microchip(self) -> str:
        number = normalise_microchip(self.cleaned_data["microchip"])
        if number is None:
            raise forms.ValidationError(_("Enter the microchip number: exactly 15 digits."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        born, acquired = data.get("date_of_birth"), data.get("acquired_on")
        if born and born > today:
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        if acquired and acquired > today:
            self.add_error("acquired_on", _("Register the dog once you keep it; this date is in the future."))
        elif born and acquired and acquired < born:
            self.add_error("acquired_on", _("You cannot have kept the dog before it was born."))
        return data


class HouseholdForm(KernFormMixin, forms.Form):
    dogs_already = forms.IntegerField(
        label=_("How many dogs are already registered for tax in your household?"),
        help_text=_("Do not count this dog. The rate rises with each further dog."),
        min_value=0,
        max_value=50,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    insured = forms.ChoiceField(
        label=_("Does the dog have liability insurance?"), choices=YES_NO, widget=forms.RadioSelect
    )
    insurer = forms.CharField(label=_("Insurance company"), max_length=200, required=False)
    policy_number = forms.CharField(label=_("Policy number"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("insured") == YES:
            if not data.get("insurer"):
                self.add_error("insurer", _("Enter the insurance company."))
            if not data.get("policy_number"):
                self.add_error("policy_number", _("Enter the policy number."))
        else:
            data["insurer"], data["policy_number"] = "", ""
        return data


class DeclarationsForm(KernFormMixin, forms.Form):
    truthful = forms.BooleanField(label=_("I confirm that my answers are complete and true."))
    report_changes = forms.BooleanField(label=_("I will deregister the dog when I move away, give it away or it dies."))
    privacy = forms.BooleanField(label=_("I agree that my data is processed to assess the dog tax."))
