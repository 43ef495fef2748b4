"""Section 5, the other parent: one question first (known, whereabouts unknown or
deceased), then one conditional step per answer, so that every field shown is
either truly required or truly optional on that page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import long_text, money, past_date, radio, text
from .forms import UVGForm

WHEREABOUTS = [
    ("bekannt", _("I know where the other parent lives")),
    ("unbekannt", _("The other parent's whereabouts are unknown")),
    ("verstorben", _("The other parent has died")),
]


def surname(required: bool = True) -> forms.CharField:
    return text(_("Surname of the other parent"), required=required, help_text="" if required else _("If known."))


def first_name(required: bool = True) -> forms.CharField:
    return text(_("First name of the other parent"), required=required, help_text="" if required else _("If known."))


def date_of_birth() -> forms.DateField:
    return past_date(_("Date of birth of the other parent"), required=False, help_text=_("If known."))


class AndererElternteilForm(UVGForm):
    required_messages = {
        "verbleib": _("Choose what you know about the other parent."),
    }

    verbleib = radio(_("What do you know about the other parent?"), WHEREABOUTS)


class AndererElternteilBekanntForm(UVGForm):
    required_messages = {
        "nachname": _("Enter the other parent's surname."),
        "vorname": _("Enter the other parent's first name."),
        "strasse": _("Enter the other parent's street and house number."),
        "plz": _("Enter the other parent's postal code."),
        "ort": _("Enter the other parent's town or city."),
    }

    nachname = surname()
    vorname = first_name()
    geburtsdatum = date_of_birth()
    strasse = text(_("Street and house number"))
    plz = text(_("Postal code"), max_length=10, help_text=_("May be abroad."))
    ort = text(_("Town or city"))
    arbeitgeber = text(_("Employer of the other parent"), required=False, max_length=200, help_text=_("If known."))
    einkommen = money(_("Monthly net income of the other parent in EUR"), required=False, help_text=_("If known."))


class AndererElternteilUnbekanntForm(UVGForm):
    required_messages = {
        "suche": _("Describe what you have done to find the other parent."),
    }

    nachname = surname(required=False)
    vorname = first_name(required=False)
    geburtsdatum = date_of_birth()
    strasse = text(_("Last known street and house number"), required=False, help_text=_("If known."))
    plz = text(_("Last known postal code"), required=False, max_length=10, help_text=_("If known."))
    ort = text(_("Last known town or city"), required=False, help_text=_("If known."))
    suche = long_text(
        _("What have you done to find the other parent?"),
        help_text=_("For example asked relatives or friends, made an enquiry at the registration office."),
    )


class AndererElternteilVerstorbenForm(UVGForm):
    required_messages = {
        "nachname": _("Enter the other parent's surname."),
        "vorname": _("Enter the other parent's first name."),
        "sterbedatum": _("Enter the date of death."),
    }

    nachname = surname()
    vorname = first_name()
    geburtsdatum = date_of_birth()
    sterbedatum = past_date(_("Date of death"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        born, died = self.cleaned_data.get("geburtsdatum"), self.cleaned_data.get("sterbedatum")
        if born and died and died < born:
            self.add_error("sterbedatum", _("The date of death cannot be before the date of birth."))
        return self.cleaned_data
