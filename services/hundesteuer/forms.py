from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import fields
from forms_engine.catalog.fields import DATE_WIDGET, YES_NO, CityListField, set_city_choices
from forms_engine.lib.forms import KernFormMixin

from .rules import NOT_LISTED, YES, normalise_microchip


class OwnerForm(fields.ContactForm):
    field_order = ("last_name", "first_name", "date_of_birth")

    date_of_birth = fields.date_of_birth_field()


class DogForm(KernFormMixin, forms.Form):
    required_messages = {
        "name": _("Enter your dog's name."),
        "breed": _("Enter your dog's breed."),
        "listed_breed": _("Say whether your dog is one of these breeds or a cross of one."),
        "colour": _("Enter your dog's colour."),
        "sex": _("Choose your dog's sex."),
        "date_of_birth": _("Enter your dog's date of birth."),
        "microchip": _("Enter the microchip number."),
        "acquired_on": _("Enter since when you keep the dog."),
    }

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
        # Always radio buttons: the citizen should see every listed breed at once.
        choices = [*((breed, breed) for breed in listed_breeds), (NOT_LISTED, _("No, none of these"))]
        set_city_choices(self, "listed_breed", choices, radio_up_to=100)

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
    required_messages = {
        "dogs_already": _("Enter how many dogs are already registered in your household (0 if none)."),
        "insured": _("Say whether the dog has liability insurance."),
    }

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


class DeclarationsForm(fields.DeclarationsForm):
    required_messages = {
        "privacy": _("Confirm that you agree to the processing of your data."),
        "report_changes": _("Confirm that you will deregister the dog when it no longer lives with you."),
    }

    report_changes = forms.BooleanField(label=_("I will deregister the dog when I move away, give it away or it dies."))
    privacy = forms.BooleanField(label=_("I agree that my data is processed to assess the dog tax."))
