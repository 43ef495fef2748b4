from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import fields
from forms_engine.catalog.fields import DATE_WIDGET, TIME_ERROR, TIME_PATTERN, TIME_WIDGET, YES_NO, not_in_future
from forms_engine.lib.forms import KernFormMixin

from .rules import FOUND, LOST


class ReportForm(KernFormMixin, forms.Form):
    required_messages = {
        "kind": _("Choose whether you found or lost something."),
    }

    kind = forms.ChoiceField(
        label=_("What would you like to report?"),
        choices=[(FOUND, _("I found something")), (LOST, _("I lost something"))],
        widget=forms.RadioSelect,
    )


class ItemForm(KernFormMixin, forms.Form):
    required_messages = {
        "category": _("Choose the kind of item."),
        "description": _("Describe the item."),
    }

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
    estimated_value = fields.DecimalTextField(
        label=_("Estimated value in EUR (optional)"),
        help_text=_("Used to work out the finder's reward."),
        required=False,
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
    )


class EventForm(KernFormMixin, forms.Form):
    required_messages = {
        "date": _("Enter the date it was found or lost."),
        "place": _("Enter the place."),
    }

    date = forms.DateField(label=_("Date found or lost"), widget=DATE_WIDGET, validators=[not_in_future()])
    time = forms.RegexField(
        label=_("Time (optional)"), regex=TIME_PATTERN, error_messages=TIME_ERROR, required=False, widget=TIME_WIDGET
    )
    place = forms.CharField(
        label=_("Place"),
        help_text=_("Street, building, bus line or a description of the place."),
        max_length=300,
    )


class HandoverForm(KernFormMixin, forms.Form):
    required_messages = {
        "reward_wanted": _("Say whether you would like to claim the finder's reward."),
        "whereabouts": _("Choose where the item is now."),
    }

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


class ContactForm(fields.ContactForm):
    # Unlike the shared block: free text up to ten characters, no five-digit check.
    postcode = forms.CharField(
        label=_("Postcode"), max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )


class DeclarationsForm(fields.DeclarationsForm):
    required_messages = {
        "privacy": _("Confirm that you agree to the processing of your data."),
    }

    privacy = forms.BooleanField(label=_("I agree that my data is processed to handle this report."))
