"""The step forms of the UVG application, sections 6 to 10: maintenance, half-orphan
pension, the questions for children aged 12 and over, payment, declarations and
the documents step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import BICField, IBANField, StartMonthField, long_text, money, past_date, radio, text, yes_no
from .forms import UVGForm
from .rules import YES


class UnterhaltForm(UVGForm):
    required_messages = {
        "zahlt": _("Say whether the other parent pays maintenance."),
        "titel": _("Say whether there is a maintenance title."),
        "sonstige": _("Say whether the child receives other regular payments."),
    }

    zahlt = yes_no(_("Does the other parent pay maintenance for the child?"))
    betrag = money(_("Maintenance per month in EUR"), required=False, help_text=_("Only if maintenance is paid."))
    seit = past_date(_("Paid since"), required=False, help_text=_("Only if maintenance is paid."))
    titel = yes_no(
        _("Is there a maintenance title?"),
        help_text=_("A document that fixes the maintenance: Jugendamt deed, court decision or settlement."),
    )
    titel_art = radio(
        _("Type of maintenance title"),
        [
            ("jugendamtsurkunde", _("Deed of the Jugendamt (Jugendamtsurkunde)")),
            ("beschluss", _("Court decision")),
            ("vergleich", _("Settlement")),
        ],
        required=False,
        help_text=_("Only if there is a maintenance title."),
    )
    titel_datum = past_date(
        _("Date of the title"), required=False, help_text=_("Only if there is a maintenance title.")
    )
    titel_aussteller = text(
        _("Issued by"),
        required=False,
        max_length=200,
        help_text=_("Only if there is a maintenance title: the Jugendamt or court."),
    )
    titel_aktenzeichen = text(
        _("File number of the title"), required=False, help_text=_("Only if there is a maintenance title.")
    )
    sonstige = yes_no(
        _("Does the child receive other regular payments for its maintenance?"),
        help_text=_("For example a half-orphan pension or payments from relatives. Child benefit does not count."),
    )
    sonstige_art = text(_("Which payments?"), required=False, max_length=200, help_text=_("Only if yes."))
    sonstige_betrag = money(_("Other payments per month in EUR"), required=False, help_text=_("Only if yes."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.depends(cleaned.get("zahlt") == YES, "betrag", "seit")
        if cleaned.get("zahlt") == YES and "betrag" not in self.errors and cleaned.get("betrag") == 0:
            self.add_error("betrag", _("Enter the amount paid, or answer that no maintenance is paid."))
        self.depends(cleaned.get("titel") == YES, "titel_art", "titel_datum", "titel_aussteller")
        self.discard_unless(cleaned.get("titel") == YES, "titel_aktenzeichen")
        self.depends(cleaned.get("sonstige") == YES, "sonstige_art", "sonstige_betrag")
        return cleaned


class WaisenrenteForm(UVGForm):
    required_messages = {
        "rente": _("Say whether the child receives a half-orphan pension."),
    }

    rente = radio(
        _("Does the child receive a half-orphan pension?"),
        [("bezogen", _("Yes, it is paid")), ("beantragt", _("It has been applied for")), ("nein", _("No"))],
        help_text=_("Paid by the pension insurance or an accident insurance after a parent's death."),
    )
    traeger = text(
        _("Paid or applied for at"),
        required=False,
        max_length=200,
        help_text=_("For example Deutsche Rentenversicherung Hessen. Only if paid or applied for."),
    )
    aktenzeichen = text(_("Insurance or file number"), required=False, help_text=_("If known."))
    betrag = money(_("Half-orphan pension per month in EUR"), required=False, help_text=_("Only if it is paid."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.depends(cleaned.get("rente") in ("bezogen", "beantragt"), "traeger")
        self.discard_unless(cleaned.get("rente") in ("bezogen", "beantragt"), "aktenzeichen")
        self.depends(cleaned.get("rente") == "bezogen", "betrag")
        return cleaned


class KindAb12Form(UVGForm):
    required_messages = {
        "buergergeld": _("Say whether the child receives Bürgergeld."),
        "einkommen_mindestens": _("Say whether you earn at least 600 EUR gross per month."),
    }

    buergergeld = yes_no(
        _("Does the child receive Bürgergeld (SGB II)?"),
        help_text=_("Also if the child belongs to a household that receives Bürgergeld."),
    )
    einkommen_mindestens = yes_no(
        _("Do you earn at least 600 EUR gross per month?"),
        help_text=_("From work, self-employment or benefits counted as income; child benefit does not count."),
    )


class KindAb15Form(UVGForm):
    required_messages = {
        "schule": _("Say whether the child still goes to a general education school."),
    }

    schule = yes_no(_("Does the child still go to a general education school?"))
    taetigkeit = radio(
        _("What does the child do?"),
        [
            ("ausbildung", _("Vocational training")),
            ("arbeit", _("Work")),
            ("andere", _("Something else, e.g. waiting for training or a voluntary service")),
        ],
        required=False,
        help_text=_("Only if the child has left school."),
    )
    einkommen = money(
        _("Child's own gross income per month in EUR"),
        required=False,
        help_text=_("Only if the child has left school, e.g. training allowance. Enter 0 if none."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        left_school = cleaned.get("schule") == "nein"
        self.depends(left_school, "taetigkeit")
        self.depends(left_school, "einkommen", message=_("Please enter the child's income, or 0 if there is none."))
        return cleaned


class ZahlungForm(UVGForm):
    required_messages = {
        "beginn": _("Choose the month from which you apply."),
        "kontoinhaber": _("Enter the account holder's name."),
        "iban": _("Enter the IBAN of the account."),
    }

    beginn = StartMonthField(
        label=_("From which month do you apply for Unterhaltsvorschuss?"),
        help_text=_("It can be paid at most from the month before the month of your application (§ 4 UVG)."),
    )
    kontoinhaber = text(_("Account holder"), autocomplete="name", max_length=200)
    iban = IBANField(
        label=_("IBAN"),
        help_text=_("For example DE02 1203 0000 0000 2020 51. Spaces do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = BICField(
        label=_("BIC"),
        required=False,
        max_length=14,
        help_text=_("Needed only for accounts outside Germany."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ErklaerungenForm(UVGForm):
    required_messages = {
        "wahrheit": _("Confirm that your answers are true and complete."),
        "mitteilungspflicht": _("Confirm that you will report any change at once."),
        "rueckzahlung": _("Confirm that you know when you must pay back."),
        "forderungsuebergang": _("Confirm that you know the maintenance claim passes to the state."),
        "datenverarbeitung": _("Confirm that you agree to the processing of the data."),
    }

    wahrheit = forms.BooleanField(label=_("I have answered all questions truthfully and completely."))
    mitteilungspflicht = forms.BooleanField(
        label=_(
            "I will tell the Jugendamt at once about any change: moving house, marriage, moving in "
            "with the other parent, maintenance paid by the other parent, the child leaving my "
            "household (§ 6 Abs. 4 UVG)."
        )
    )
    rueckzahlung = forms.BooleanField(
        label=_(
            "I know that I must pay back Unterhaltsvorschuss received because of false or missing "
            "information or changes not reported (§ 5 UVG)."
        )
    )
    forderungsuebergang = forms.BooleanField(
        label=_(
            "I know that the child's maintenance claim against the other parent passes to the state "
            "for the amount paid (§ 7 UVG), and that the Jugendamt will claim it."
        )
    )
    datenverarbeitung = forms.BooleanField(
        label=_(
            "I agree that the Jugendamt processes my data and the child's data for this application "
            "and asks other authorities for the information it needs."
        )
    )


class NachweiseForm(UVGForm):
    anmerkungen = long_text(
        _("Notes on your documents"),
        required=False,
        help_text=_("For example, which document you will send later and why."),
    )
