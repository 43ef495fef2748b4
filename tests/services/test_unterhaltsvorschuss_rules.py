"""The UVG form rules, each accepted and refused at the form level: the child's
age, dates, dependent fields within a step, the start month (§ 4 UVG), IBAN and BIC."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.utils import translation

from services.unterhaltsvorschuss import samples
from services.unterhaltsvorschuss.forms import (
    AnschriftForm,
    AntragstellerForm,
    DatenschutzForm,
    FamilieForm,
    KindForm,
    KindWohnenForm,
    SorgerechtForm,
    VaterschaftKlaerungForm,
)
from services.unterhaltsvorschuss.forms_finances import (
    ErklaerungenForm,
    KindAb15Form,
    UnterhaltForm,
    WaisenrenteForm,
    ZahlungForm,
)
from services.unterhaltsvorschuss.forms_other_parent import (
    AndererElternteilBekanntForm,
    AndererElternteilForm,
    AndererElternteilUnbekanntForm,
    AndererElternteilVerstorbenForm,
)
from services.unterhaltsvorschuss.rules import add_months, allowed_start_months, month_value, today


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` years earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def valid(form_class: type[forms.Form], data: dict[str, Any]) -> forms.Form:
    form = form_class(data=data)
    assert form.is_valid(), form.errors.as_json()
    return form


def refused(form_class: type[forms.Form], data: dict[str, Any], field: str, code: str | None = None) -> forms.Form:
    form = form_class(data=data)
    assert not form.is_valid()
    assert field in form.errors, form.errors.as_json()
    if code is not None:
        assert form.has_error(field, code), form.errors.as_json()
    return form


# --- privacy notice and declarations ---------------------------------------------


def test_the_privacy_notice_must_be_acknowledged() -> None:
    valid(DatenschutzForm, {"gelesen": "on"})
    refused(DatenschutzForm, {}, "gelesen", "required")


@pytest.mark.parametrize("missing", list(samples.DECLARATIONS))
def test_every_declaration_must_be_given(missing: str) -> None:
    valid(ErklaerungenForm, samples.DECLARATIONS)
    refused(ErklaerungenForm, {k: v for k, v in samples.DECLARATIONS.items() if k != missing}, missing, "required")


# --- applicant -------------------------------------------------------------------


def test_a_german_applicant_needs_no_residence_permit() -> None:
    form = valid(AntragstellerForm, samples.applicant())
    assert form.cleaned_data["aufenthaltstitel"] is None


def test_a_non_eu_applicant_states_the_residence_permit() -> None:
    data = samples.applicant(staatsangehoerigkeit="drittstaat", staatsangehoerigkeit_land="türkisch")
    form = refused(AntragstellerForm, data, "aufenthaltstitel")
    assert "aufenthaltstitel_gueltig_bis" in form.errors
    refused(AntragstellerForm, {**data, "aufenthaltstitel": "aufenthaltserlaubnis"}, "aufenthaltstitel_gueltig_bis")
    valid(
        AntragstellerForm,
        {**data, "aufenthaltstitel": "aufenthaltserlaubnis", "aufenthaltstitel_gueltig_bis": "2030-01-31"},
    )
    # A settlement permit has no end date.
    valid(AntragstellerForm, {**data, "aufenthaltstitel": "niederlassungserlaubnis"})


def test_a_nationality_other_than_german_is_named() -> None:
    refused(AntragstellerForm, samples.applicant(staatsangehoerigkeit="eu"), "staatsangehoerigkeit_land")
    valid(AntragstellerForm, samples.applicant(staatsangehoerigkeit="eu", staatsangehoerigkeit_land="polnisch"))


@pytest.mark.parametrize("status", ["getrennt", "geschieden", "verwitwet"])
def test_separated_divorced_and_widowed_say_since_when(status: str) -> None:
    refused(FamilieForm, samples.applicant(familienstand=status), "familienstand_seit")
    valid(FamilieForm, samples.applicant(familienstand=status, familienstand_seit="2020-05-01"))


def test_single_and_married_need_no_date() -> None:
    valid(FamilieForm, samples.applicant(familienstand="verheiratet"))


def test_the_date_of_birth_is_not_in_the_future() -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(AntragstellerForm, samples.applicant(geburtsdatum=tomorrow), "geburtsdatum", "future")
    valid(AntragstellerForm, samples.applicant(geburtsdatum="1990-02-01"))
    # German input, for browsers that show a text box instead of a date picker.
    with translation.override("de"):  # not whatever language an earlier test left active
        valid(AntragstellerForm, samples.applicant(geburtsdatum="01.02.1990"))


@pytest.mark.parametrize("plz", ["3539", "353900", "35A90"])
def test_the_postal_code_has_five_digits(plz: str) -> None:
    refused(AnschriftForm, samples.applicant(plz=plz), "plz")


def test_phone_is_optional_but_checked() -> None:
    valid(AnschriftForm, samples.applicant(telefon=""))
    valid(AnschriftForm, samples.applicant(telefon="+49 641 306-0"))
    refused(AnschriftForm, samples.applicant(telefon="call me"), "telefon")


def test_yes_no_questions_need_an_explicit_answer() -> None:
    data = samples.applicant()
    del data["lebt_mit_anderem_elternteil"]
    refused(FamilieForm, data, "lebt_mit_anderem_elternteil", "required")
    valid(FamilieForm, samples.applicant(lebt_mit_anderem_elternteil="ja"))  # a notice, not an error


def test_personal_fields_carry_autocomplete_tokens() -> None:
    fields = {**AntragstellerForm().fields, **AnschriftForm().fields}
    tokens = {name: fields[name].widget.attrs.get("autocomplete") for name in fields}
    assert tokens["vorname"] == "given-name"
    assert tokens["nachname"] == "family-name"
    assert tokens["geburtsdatum"] == "bday"
    assert tokens["strasse"] == "street-address"
    assert tokens["plz"] == "postal-code"
    assert tokens["ort"] == "address-level2"
    assert tokens["email"] == "email"
    assert tokens["telefon"] == "tel"
    # The child's name is not the citizen's own: no autofill with the parent's name.
    assert "autocomplete" not in KindForm().fields["vorname"].widget.attrs


# --- child -------------------------------------------------------------------------


def test_a_child_turning_18_tomorrow_is_accepted() -> None:
    born = years_before(today(), 18) + timedelta(days=1)
    valid(KindForm, samples.child(17, geburtsdatum=born.isoformat(), lebt_bei_antragsteller_seit=born.isoformat()))


def test_a_child_of_18_is_refused_with_a_clear_message() -> None:
    born = years_before(today(), 18)
    form = refused(
        KindForm,
        samples.child(17, geburtsdatum=born.isoformat(), lebt_bei_antragsteller_seit=born.isoformat()),
        "geburtsdatum",
        "too_old",
    )
    assert "18" in form.errors["geburtsdatum"][0]


def test_a_child_born_in_the_future_is_refused() -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(KindForm, samples.child(3, geburtsdatum=tomorrow), "geburtsdatum", "future")


def test_a_child_living_elsewhere_needs_its_address() -> None:
    form = refused(KindWohnenForm, samples.child(7, anschrift_abweichend="ja"), "strasse")
    assert {"plz", "ort"} <= set(form.errors)
    valid(KindWohnenForm, samples.child(7, anschrift_abweichend="ja", strasse="Weg 2", plz="35037", ort="Marburg"))


def test_living_with_the_applicant_cannot_start_before_birth() -> None:
    data = samples.child(7)
    before = (date.fromisoformat(data["geburtsdatum"]) - timedelta(days=1)).isoformat()
    refused(KindForm, {**data, "lebt_bei_antragsteller_seit": before}, "lebt_bei_antragsteller_seit")


@pytest.mark.parametrize(("days", "ok"), [("0", True), ("31", True), ("32", False), ("-1", False), ("viele", False)])
def test_care_days_are_days_of_a_month(days: str, ok: bool) -> None:
    form = KindWohnenForm(data=samples.child(7, betreuung_tage=days))
    assert form.is_valid() is ok


def test_a_non_eu_child_states_the_residence_permit() -> None:
    data = samples.child(7, staatsangehoerigkeit="drittstaat", staatsangehoerigkeit_land="afghanisch")
    refused(KindForm, data, "aufenthaltstitel")
    valid(KindForm, {**data, "aufenthaltstitel": "daueraufenthalt_eu"})


# --- custody and paternity ---------------------------------------------------------


@pytest.mark.parametrize("how", ["anerkannt", "gerichtlich"])
def test_recognised_or_court_determined_paternity_has_a_date(how: str) -> None:
    refused(SorgerechtForm, samples.custody(vaterschaft=how, vaterschaft_datum=""), "vaterschaft_datum")
    valid(SorgerechtForm, samples.custody(vaterschaft=how, vaterschaft_datum="2019-03-01"))


def test_paternity_by_marriage_needs_no_date() -> None:
    valid(SorgerechtForm, samples.custody(vaterschaft="ehe", vaterschaft_datum=""))


def test_paternity_not_established_asks_for_the_duty_to_cooperate() -> None:
    valid(SorgerechtForm, samples.custody(vaterschaft="nein", vaterschaft_datum=""))
    refused(VaterschaftKlaerungForm, {"mitwirkung": "on"}, "vaterschaft_klaerung", "required")
    refused(VaterschaftKlaerungForm, {"vaterschaft_klaerung": "Verfahren beim Amtsgericht"}, "mitwirkung", "required")
    valid(VaterschaftKlaerungForm, {"vaterschaft_klaerung": "Verfahren beim Amtsgericht", "mitwirkung": "on"})


def test_a_beistandschaft_names_office_and_file_number() -> None:
    refused(SorgerechtForm, samples.custody(amtliche_vertretung="beistandschaft"), "aktenzeichen")
    valid(
        SorgerechtForm,
        samples.custody(amtliche_vertretung="vormundschaft", jugendamt="Jugendamt Marburg", aktenzeichen="V-1"),
    )


# --- the other parent --------------------------------------------------------------


def test_the_whereabouts_question_must_be_answered() -> None:
    refused(AndererElternteilForm, {}, "verbleib", "required")
    valid(AndererElternteilForm, {"verbleib": "verstorben"})


def test_a_known_other_parent_has_name_and_address() -> None:
    form = refused(AndererElternteilBekanntForm, samples.other_parent_known(strasse="", plz="", ort=""), "strasse")
    assert {"plz", "ort"} <= set(form.errors)
    refused(AndererElternteilBekanntForm, samples.other_parent_known(nachname=""), "nachname", "required")
    valid(AndererElternteilBekanntForm, samples.other_parent_known(plz="1010", ort="Wien"))  # abroad


def test_unknown_whereabouts_ask_what_was_done_to_find_them() -> None:
    refused(AndererElternteilUnbekanntForm, {"suche": ""}, "suche", "required")
    valid(AndererElternteilUnbekanntForm, {"suche": "Meldeamt gefragt"})  # everything else only if known


def test_a_deceased_other_parent_has_a_date_of_death_not_in_the_future() -> None:
    data = {"nachname": "Muster", "vorname": "Max", "geburtsdatum": "1980-01-01"}
    refused(AndererElternteilVerstorbenForm, data, "sterbedatum", "required")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused(AndererElternteilVerstorbenForm, {**data, "sterbedatum": tomorrow}, "sterbedatum", "future")
    refused(AndererElternteilVerstorbenForm, {**data, "sterbedatum": "1979-12-31"}, "sterbedatum")
    valid(AndererElternteilVerstorbenForm, {**data, "sterbedatum": "2024-06-30"})


# --- maintenance, pension, older children ----------------------------------------------


def test_maintenance_paid_has_amount_and_start() -> None:
    refused(UnterhaltForm, samples.maintenance(zahlt="ja"), "betrag")
    refused(UnterhaltForm, samples.maintenance(zahlt="ja", betrag="0", seit="2024-01-01"), "betrag")
    form = valid(UnterhaltForm, samples.maintenance(zahlt="ja", betrag="120,50", seit="2024-01-01"))
    assert str(form.cleaned_data["betrag"]) == "120.50"


def test_a_maintenance_title_is_described() -> None:
    form = refused(UnterhaltForm, samples.maintenance(titel="ja"), "titel_art")
    assert {"titel_datum", "titel_aussteller"} <= set(form.errors)


def test_a_half_orphan_pension_paid_has_an_amount() -> None:
    refused(WaisenrenteForm, {"rente": "bezogen", "traeger": "DRV Hessen"}, "betrag")
    refused(WaisenrenteForm, {"rente": "beantragt"}, "traeger")
    valid(WaisenrenteForm, {"rente": "nein"})


def test_a_child_out_of_school_states_its_income() -> None:
    refused(KindAb15Form, {"schule": "nein", "taetigkeit": "arbeit"}, "einkommen")
    valid(KindAb15Form, {"schule": "nein", "taetigkeit": "andere", "einkommen": "0"})
    valid(KindAb15Form, {"schule": "ja"})


# --- start month (§ 4 UVG) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("applied_on", "expected"),
    [
        (date(2026, 11, 23), ["2026-10", "2026-11", "2026-12"]),
        (date(2027, 1, 1), ["2026-12", "2027-01", "2027-02"]),
        (date(2026, 12, 31), ["2026-11", "2026-12", "2027-01"]),
    ],
)
def test_the_start_month_is_at_most_one_month_back_and_one_ahead(applied_on: date, expected: list[str]) -> None:
    assert [month_value(m) for m in allowed_start_months(applied_on)] == expected


@pytest.mark.parametrize(("offset", "ok"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_the_payment_form_enforces_the_start_month(offset: int, ok: bool) -> None:
    month = month_value(add_months(today().replace(day=1), offset))
    form = ZahlungForm(data=samples.payment(beginn=month))
    assert form.is_valid() is ok, form.errors.as_json()
    if not ok:
        assert form.has_error("beginn", "invalid_choice")
        assert "§ 4 UVG" in form.errors["beginn"][0]


@pytest.mark.parametrize("value", ["", "2026-13", "nächsten Monat"])
def test_a_start_month_that_is_no_month_is_refused(value: str) -> None:
    refused(ZahlungForm, samples.payment(beginn=value), "beginn")


def test_the_start_month_offers_three_labelled_radio_buttons() -> None:
    html = str(ZahlungForm()["beginn"])
    assert html.count('type="radio"') == 3
    for month in allowed_start_months(today()):
        assert f'value="{month_value(month)}"' in html


# --- IBAN and BIC -------------------------------------------------------------------


@pytest.mark.parametrize("iban", ["DE89370400440532013000", "de89 3704 0044 0532 0130 00", "AT611904300234573201"])
def test_a_valid_iban_is_stored_compact(iban: str) -> None:
    form = valid(ZahlungForm, samples.payment(iban=iban))
    assert form.cleaned_data["iban"] == iban.replace(" ", "").upper()


@pytest.mark.parametrize(
    ("iban", "code"),
    [
        ("DE89370400440532013001", "iban_checksum"),
        ("DE8937040044053201300", "iban_length"),
        ("XX89370400440532013000", "iban_country"),
        ("BR1800360305000010009795493C1", "iban_sepa"),
        ("kein Konto", "iban_invalid"),
    ],
)
def test_an_invalid_iban_is_refused_with_a_reason(iban: str, code: str) -> None:
    refused(ZahlungForm, samples.payment(iban=iban), "iban", code)


def test_the_iban_is_required() -> None:
    refused(ZahlungForm, samples.payment(iban=""), "iban", "required")


@pytest.mark.parametrize(("bic", "ok"), [("", True), ("COBADEFFXXX", True), ("cobadeff", True), ("COBADEF", False)])
def test_the_bic_is_optional_and_checked_when_given(bic: str, ok: bool) -> None:
    form = ZahlungForm(data=samples.payment(bic=bic))
    assert form.is_valid() is ok
    if not ok:
        assert form.has_error("bic", "bic_invalid")


# --- answers that no longer apply ------------------------------------------------------


def test_dependent_answers_are_dropped_when_they_no_longer_apply() -> None:
    # The citizen first chose "recognised", then "by marriage": the leftover date goes.
    form = valid(SorgerechtForm, samples.custody(vaterschaft="ehe", vaterschaft_datum="2019-03-01"))
    assert form.cleaned_data["vaterschaft_datum"] is None
    form = valid(SorgerechtForm, samples.custody(amtliche_vertretung="nein", jugendamt="Jugendamt Gießen"))
    assert form.cleaned_data["jugendamt"] == ""


def test_a_broken_value_in_a_field_that_does_not_apply_is_no_error() -> None:
    form = valid(FamilieForm, samples.applicant(familienstand="ledig", familienstand_seit="irgendwann"))
    assert form.cleaned_data["familienstand_seit"] is None


def test_maintenance_details_are_kept_only_with_a_yes() -> None:
    form = valid(UnterhaltForm, samples.maintenance(zahlt="nein", betrag="100", titel="nein", titel_aktenzeichen="X"))
    assert form.cleaned_data["betrag"] is None
    assert form.cleaned_data["titel_aktenzeichen"] == ""
