from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin

from .rules import FOUND, LOST, NO, YES

YES_NO = [(YES, _("Yes")), (NO, _("No"))]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to report?"),
        choices=[(FOUND, _("I found something")), (LOST, _("I lost something"))],
        widget=forms.RadioSelect,
    )


class ItemForm(KernFormMixin, forms.Form):
    CATEGORIES = [
        ("wallet", _("Wallet or purse")),
        ("keys", _("Keys")),
        ("phone", _("Mobile phone or other electronics")),
        ("documents", _("Identity card, driving licence or other documents")),
        ("bag", _("Bag, rucksack or suitcase")),
        ("jewellery", _("Jewellery or watch")),
        ("clothing", _("Clothing or glasses")),
        ("bicycle", _("Bicycle")),
        ("other", _("Something else")),
    ]

    category = forms.ChoiceField(label=_("Kind of item"), choices=CATEGORIES)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("Colour, brand, contents, distinguishing marks. Leave out details only the owner can know."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    estimated_value = forms.DecimalField(
        label=_("Estimated value in EUR (optional)"),
        help_text=_("Used to work out the finder's reward."),
        required=False,
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
    )


class EventForm(KernFormMixin, forms.Form):
    date = forms.DateField(label=_("Date found or lost"), widget=DATE_WIDGET)
    # Kept as "HH:MM" text: answers are stored as JSON, which has no time type.
    time = forms.RegexField(
        label=_("Time (optional)"),
        regex=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        error_messages={"invalid": _("Enter a time such as 18:30.")},
        required=False,
        widget=forms.TextInput(attrs={"type": "time"}),
    )
    place = forms.CharField(
        label=_("Place"),
        help_text=_("Street, building, bus line or a description of the place."),
        max_length=300,
    )

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class HandoverForm(KernFormMixin, forms.Form):
    whereabouts = forms.ChoiceField(
        label=_("Where is the item now?"),
        choices=[
            ("handed_in", _("I have handed it in or will bring it to the lost property office")),
            ("kept", _("I am keeping it safe until the office contacts me")),
        ],
        widget=forms.RadioSelect,
    )
    reward_wanted = forms.ChoiceField(
        label=_("Would you like to claim the finder's reward?"),
        help_text=_("By law (§ 971 BGB) the owner pays the finder a reward on request."),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, hand_in_place: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hand_in_place:
            self.fields["whereabouts"].help_text = _("Lost property office: %(place)s") % {"place": hand_in_place}


class ContactForm(KernFormMixin, forms.Form):
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
    postcode = forms.CharField(
        label=_("Postcode"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
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


class DeclarationsForm(KernFormMixin, forms.Form):
    truthful = forms.BooleanField(label=_("I confirm that my answers are complete and true."))
    privacy = forms.BooleanField(label=_("I agree that my data is processed to handle this report."))
