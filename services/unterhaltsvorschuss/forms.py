"""The step forms of the UVG application, sections 1 to 4: privacy notice, applicant
(person, address, family), child (person, home), custody and paternity. Fields that depend on another answer of the same
step are always shown (no JavaScript needed), labelled "only if ...", required in
clean() when they apply and emptied when they do not."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin, declared_required_messages

from .fields import (
    NATIONALITIES,
    PERMANENT_PERMITS,
    RESIDENCE_PERMITS,
    any_date,
    long_text,
    past_date,
    phone_validator,
    postal_code_validator,
    radio,
    text,
    yes_no,
)
from .rules import MAX_CHILD_AGE, YES, age_on, today

REQUIRED = _("This answer is needed here.")


class UVGForm(KernFormMixin, forms.Form):
    def require(self, *names: str, message: Any = REQUIRED) -> None:
        """Mark each named field as missing unless it has a value (or already an error)."""
        declared = declared_required_messages(type(self))
        for name in names:
            value = self.cleaned_data.get(name)
            if name not in self.errors and (value is None or value == "" or value is False):
                # A field that says what it needs says it here too.
                self.add_error(name, declared.get(name, message) if message is REQUIRED else message)

    def depends(self, applies: bool, *names: str, message: Any = REQUIRED) -> None:
        """Fields that belong to one answer: required when it is given, otherwise
        emptied, so that nothing typed before the citizen changed their mind is
        submitted (and the caseworker never reads a stale "no")."""
        if applies:
            self.require(*names, message=message)
        else:
            self.discard(*names)

    def discard_unless(self, applies: bool, *names: str) -> None:
        """Optional fields that belong to one answer: emptied when it is not given."""
        if not applies:
            self.discard(*names)

    def discard(self, *names: str) -> None:
        for name in names:
            self.errors.pop(name, None)
            self.cleaned_data[name] = "" if isinstance(self.fields[name], forms.CharField) else None

    def check_nationality(self) -> None:
        nationality = self.cleaned_data.get("staatsangehoerigkeit")
        self.depends(
            nationality in ("eu", "drittstaat"), "staatsangehoerigkeit_land", message=_("Please name the nationality.")
        )
        self.depends(nationality == "drittstaat", "aufenthaltstitel", message=_("Please choose the residence permit."))
        self.depends(
            nationality == "drittstaat" and self.cleaned_data.get("aufenthaltstitel") not in PERMANENT_PERMITS,
            "aufenthaltstitel_gueltig_bis",
            message=_("Please enter until when the residence permit is valid."),
        )


def nationality() -> forms.ChoiceField:
    return radio(_("Nationality"), NATIONALITIES)


def nationality_name() -> forms.CharField:
    return text(_("Which nationality?"), required=False, help_text=_("Only if not German, e.g. Polish or Syrian."))


def permit_type() -> forms.ChoiceField:
    return radio(
        _("Residence permit"),
        RESIDENCE_PERMITS,
        required=False,
        help_text=_("Only for nationals of a country outside the EU, the EEA and Switzerland."),
    )


def permit_valid_until() -> forms.DateField:
    return any_date(
        _("Residence permit valid until"),
        required=False,
        help_text=_("Not needed for a settlement permit or an EU long-term residence permit."),
    )


class DatenschutzForm(UVGForm):
    gelesen = forms.BooleanField(
        label=_("I have read the privacy notice."),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )


class AntragstellerForm(UVGForm):
    required_messages = {
        "nachname": _("Enter your surname."),
        "vorname": _("Enter your first name."),
        "geburtsdatum": _("Enter your date of birth."),
        "staatsangehoerigkeit": _("Choose your nationality."),
    }

    nachname = text(_("Surname"), autocomplete="family-name")
    vorname = text(_("First name"), autocomplete="given-name")
    geburtsname = text(_("Birth name"), required=False, help_text=_("Only if different from your surname."))
    geburtsdatum = past_date(_("Date of birth"), autocomplete="bday")
    staatsangehoerigkeit = nationality()
    staatsangehoerigkeit_land = nationality_name()
    aufenthaltstitel = permit_type()
    aufenthaltstitel_gueltig_bis = permit_valid_until()

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_nationality()
        return self.cleaned_data


class AnschriftForm(UVGForm):
    """The applicant's address and how to reach them (split off "antragsteller" in 1.1)."""

    required_messages = {
        "strasse": _("Enter your street and house number."),
        "plz": _("Enter your postcode."),
        "ort": _("Enter your town."),
        "email": _("Enter your email address."),
    }

    strasse = text(_("Street and house number"), autocomplete="street-address")
    plz = text(_("Postal code"), autocomplete="postal-code", max_length=5)
    ort = text(_("Town or city"), autocomplete="address-level2")
    telefon = text(_("Phone"), autocomplete="tel", required=False, max_length=30, help_text=_("For questions."))
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the confirmation of receipt here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_plz(self) -> str:
        value = str(self.cleaned_data["plz"]).strip()
        postal_code_validator(value)
        return value

    def clean_telefon(self) -> str:
        value = str(self.cleaned_data.get("telefon") or "").strip()
        if value:
            phone_validator(value)
        return value


class FamilieForm(UVGForm):
    """The applicant's family situation (split off "antragsteller" in 1.1)."""

    required_messages = {
        "familienstand": _("Choose your marital status."),
        "lebt_mit_anderem_elternteil": _("Say whether you live together with the child's other parent."),
        "verheiratet_zusammenlebend": _("Say whether you are married to someone else and live with that person."),
    }

    familienstand = radio(
        _("Marital status"),
        [
            ("ledig", _("Single")),
            ("verheiratet", _("Married or in a civil partnership")),
            ("getrennt", _("Permanently separated")),
            ("geschieden", _("Divorced or civil partnership dissolved")),
            ("verwitwet", _("Widowed")),
        ],
    )
    familienstand_seit = past_date(
        _("Separated, divorced or widowed since"),
        required=False,
        help_text=_("Only if separated, divorced or widowed."),
    )
    lebt_mit_anderem_elternteil = yes_no(_("Do you live together with the child's other parent?"))
    verheiratet_zusammenlebend = yes_no(
        _("Are you married to, or in a civil partnership with, someone else and living with that person?"),
        help_text=_("Someone other than the child's other parent."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.depends(
            cleaned.get("familienstand") in ("getrennt", "geschieden", "verwitwet"),
            "familienstand_seit",
            message=_("Please enter since when."),
        )
        return cleaned


class KindForm(UVGForm):
    required_messages = {
        "nachname": _("Enter the child's surname."),
        "vorname": _("Enter the child's first name."),
        "geburtsdatum": _("Enter the child's date of birth."),
        "geburtsort": _("Enter the child's place of birth."),
        "in_ehe_geboren": _("Say whether the child was born within a marriage."),
        "staatsangehoerigkeit": _("Choose the child's nationality."),
        "lebt_bei_antragsteller_seit": _("Enter since when the child has lived with you."),
    }

    nachname = text(_("Child's surname"))
    vorname = text(_("Child's first name"))
    geburtsdatum = past_date(
        _("Child's date of birth"), help_text=_("Unterhaltsvorschuss is paid until the child turns 18.")
    )
    geburtsort = text(_("Place of birth"))
    in_ehe_geboren = yes_no(_("Was the child born within a marriage?"))
    staatsangehoerigkeit = nationality()
    staatsangehoerigkeit_land = nationality_name()
    aufenthaltstitel = permit_type()
    aufenthaltstitel_gueltig_bis = permit_valid_until()
    # On this page, not with the address: it is checked against the birth date.
    lebt_bei_antragsteller_seit = past_date(_("The child has lived with me since"))

    def clean_geburtsdatum(self) -> Any:
        born = self.cleaned_data["geburtsdatum"]
        if born and age_on(born, today()) > MAX_CHILD_AGE:
            raise forms.ValidationError(
                _(
                    "The child must be under 18. Unterhaltsvorschuss is paid at the latest "
                    "until the day before the child's 18th birthday."
                ),
                code="too_old",
            )
        return born

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_nationality()
        born, since = cleaned.get("geburtsdatum"), cleaned.get("lebt_bei_antragsteller_seit")
        if born and since and since < born:
            self.add_error("lebt_bei_antragsteller_seit", _("This date cannot be before the child's birth."))
        return cleaned


class KindWohnenForm(UVGForm):
    """Where and with whom the child lives (split off "kind" in 1.1)."""

    required_messages = {
        "anschrift_abweichend": _("Say whether the child lives at another address."),
        "betreuung_tage": _("Enter on how many days per month the other parent looks after the child (0 if never)."),
        "heim_pflegefamilie": _("Say whether the child lives in a children's home or with a foster family."),
    }

    anschrift_abweichend = yes_no(_("Does the child live at an address other than yours?"))
    strasse = text(_("Child's street and house number"), required=False, help_text=_("Only if different from yours."))
    plz = text(_("Child's postal code"), required=False, max_length=5, help_text=_("Only if different from yours."))
    ort = text(_("Child's town or city"), required=False, help_text=_("Only if different from yours."))
    betreuung_tage = forms.IntegerField(
        label=_("Days per month on which the other parent regularly looks after the child"),
        help_text=_("Including overnight stays. Enter 0 if the other parent does not look after the child."),
        min_value=0,
        max_value=31,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    heim_pflegefamilie = yes_no(_("Does the child live in a children's home or with a foster family?"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.depends(
            cleaned.get("anschrift_abweichend") == YES,
            "strasse",
            "plz",
            "ort",
            message=_("Please enter the child's address."),
        )
        if cleaned.get("plz"):
            try:
                postal_code_validator(cleaned["plz"])
            except forms.ValidationError as error:
                self.add_error("plz", error)
        return cleaned


class SorgerechtForm(UVGForm):
    required_messages = {
        "sorgerecht": _("Choose who has custody of the child."),
        "amtliche_vertretung": _("Say whether the Jugendamt acts for the child."),
        "vaterschaft": _("Say whether paternity is legally established."),
    }

    sorgerecht = radio(
        _("Who has custody of the child?"),
        [("gemeinsam", _("Both parents jointly")), ("allein", _("I alone")), ("andere", _("Someone else"))],
    )
    amtliche_vertretung = radio(
        _("Does the Jugendamt act for the child?"),
        [
            ("nein", _("No")),
            ("beistandschaft", _("Yes, as adviser (Beistandschaft)")),
            ("vormundschaft", _("Yes, as guardian (Vormundschaft)")),
        ],
    )
    jugendamt = text(_("Which Jugendamt?"), required=False, help_text=_("Only if the Jugendamt acts for the child."))
    aktenzeichen = text(_("File number"), required=False, help_text=_("Only if the Jugendamt acts for the child."))
    vaterschaft = radio(
        _("Is paternity legally established?"),
        [
            ("ehe", _("Yes, by marriage to the mother at the birth")),
            ("anerkannt", _("Yes, recognised")),
            ("gerichtlich", _("Yes, determined by a court")),
            ("nein", _("No")),
        ],
    )
    vaterschaft_datum = past_date(
        _("Recognised or determined on"), required=False, help_text=_("Only if recognised or determined by a court.")
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.depends(cleaned.get("amtliche_vertretung") not in (None, "", "nein"), "jugendamt", "aktenzeichen")
        paternity = cleaned.get("vaterschaft")
        self.depends(
            paternity in ("anerkannt", "gerichtlich"),
            "vaterschaft_datum",
            message=_("Please enter the date of recognition or of the decision."),
        )
        return cleaned


class VaterschaftKlaerungForm(UVGForm):
    """Only when paternity is not established: the duty to cooperate (§ 1 Abs. 3 UVG)."""

    required_messages = {
        "vaterschaft_klaerung": _("Describe what has been done to establish paternity."),
    }

    vaterschaft_klaerung = long_text(
        _("What has been done to establish paternity?"),
        help_text=_("For example: court case pending, Beistandschaft applied for, father not known by name."),
    )
    mitwirkung = forms.BooleanField(
        label=_(
            "I will help to establish paternity and give the Jugendamt all the information I have "
            "about the father. I know that there is no claim if I refuse (§ 1 Abs. 3 UVG)."
        ),
        error_messages={"required": _("Please confirm that you will help to establish paternity.")},
    )
