"""Sample answers for the contract test, one per path through the form, as a
citizen would post them. Dates are computed from today each time they are read,
so that the child's age band and the start month stay right next year."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from .rules import allowed_start_months, month_value, today

Sample = dict[str, dict[str, str]]


def years_ago(years: int, days: int = 100) -> str:
    """A date `years` years and `days` days back: the age in whole years is `years`
    for the next (365 - days) days, far from any birthday edge."""
    now = today()
    return (date(now.year - years, now.month, min(now.day, 28)) - timedelta(days=days)).isoformat()


def this_month() -> str:
    return month_value(allowed_start_months(today())[1])


def previous_month() -> str:
    return month_value(allowed_start_months(today())[0])


PRIVACY = {"gelesen": "on"}
DECLARATIONS = {
    "wahrheit": "on",
    "mitteilungspflicht": "on",
    "rueckzahlung": "on",
    "forderungsuebergang": "on",
    "datenverarbeitung": "on",
}


def applicant(**changes: str) -> dict[str, str]:
    data = {
        "nachname": "Beispiel",
        "vorname": "Erika",
        "geburtsname": "",
        "geburtsdatum": years_ago(34),
        "staatsangehoerigkeit": "deutsch",
        "staatsangehoerigkeit_land": "",
        "aufenthaltstitel": "",
        "aufenthaltstitel_gueltig_bis": "",
        "strasse": "Berliner Platz 1",
        "plz": "35390",
        "ort": "Gießen",
        "telefon": "0641 123456",
        "email": "erika.beispiel@example.org",
        "familienstand": "ledig",
        "familienstand_seit": "",
        "lebt_mit_anderem_elternteil": "nein",
        "verheiratet_zusammenlebend": "nein",
    }
    return {**data, **changes}


def child(age: int, **changes: str) -> dict[str, str]:
    born = years_ago(age)
    data = {
        "nachname": "Beispiel",
        "vorname": "Mia",
        "geburtsdatum": born,
        "geburtsort": "Gießen",
        "staatsangehoerigkeit": "deutsch",
        "staatsangehoerigkeit_land": "",
        "aufenthaltstitel": "",
        "aufenthaltstitel_gueltig_bis": "",
        "anschrift_abweichend": "nein",
        "strasse": "",
        "plz": "",
        "ort": "",
        "lebt_bei_antragsteller_seit": born,
        "betreuung_tage": "2",
        "heim_pflegefamilie": "nein",
        "in_ehe_geboren": "nein",
    }
    return {**data, **changes}


def custody(**changes: str) -> dict[str, str]:
    data = {
        "sorgerecht": "allein",
        "amtliche_vertretung": "nein",
        "jugendamt": "",
        "aktenzeichen": "",
        "vaterschaft": "anerkannt",
        "vaterschaft_datum": years_ago(4, days=200),
    }
    return {**data, **changes}


def other_parent_known(**changes: str) -> dict[str, str]:
    data = {
        "nachname": "Muster",
        "vorname": "Max",
        "geburtsdatum": years_ago(36),
        "strasse": "Bahnhofstraße 5",
        "plz": "60329",
        "ort": "Frankfurt am Main",
        "arbeitgeber": "",
        "einkommen": "",
    }
    return {**data, **changes}


def maintenance(**changes: str) -> dict[str, str]:
    data = {
        "zahlt": "nein",
        "betrag": "",
        "seit": "",
        "titel": "nein",
        "titel_art": "",
        "titel_datum": "",
        "titel_aussteller": "",
        "titel_aktenzeichen": "",
        "sonstige": "nein",
        "sonstige_art": "",
        "sonstige_betrag": "",
    }
    return {**data, **changes}


def payment(**changes: str) -> dict[str, str]:
    data = {
        "beginn": this_month(),
        "kontoinhaber": "Erika Beispiel",
        "iban": "DE89 3704 0044 0532 0130 00",
        "bic": "",
    }
    return {**data, **changes}


def build_samples() -> dict[str, Sample]:
    return {
        # Child aged 4, paternity recognised, other parent known and paying nothing.
        "standard_kleinkind": {
            "datenschutz": PRIVACY,
            "antragsteller": applicant(),
            "kind": child(4),
            "sorgerecht": custody(),
            "anderer-elternteil": {"verbleib": "bekannt"},
            "anderer-elternteil-bekannt": other_parent_known(),
            "unterhalt": maintenance(),
            "zahlung": payment(),
            "erklaerungen": DECLARATIONS,
            "nachweise": {"anmerkungen": ""},
        },
        # Child aged 14 receiving Bürgergeld; divorced applicant from outside the EU;
        # a maintenance title and some maintenance paid.
        "teenager_buergergeld": {
            "datenschutz": PRIVACY,
            "antragsteller": applicant(
                vorname="Amina",
                nachname="Haddad",
                staatsangehoerigkeit="drittstaat",
                staatsangehoerigkeit_land="syrisch",
                aufenthaltstitel="aufenthaltserlaubnis",
                aufenthaltstitel_gueltig_bis=(today() + timedelta(days=730)).isoformat(),
                familienstand="geschieden",
                familienstand_seit=years_ago(3),
            ),
            "kind": child(
                14,
                vorname="Samir",
                nachname="Haddad",
                geburtsort="Damaskus",
                staatsangehoerigkeit="drittstaat",
                staatsangehoerigkeit_land="syrisch",
                aufenthaltstitel="niederlassungserlaubnis",
                in_ehe_geboren="ja",
                betreuung_tage="4",
            ),
            "sorgerecht": custody(sorgerecht="gemeinsam", vaterschaft="ehe", vaterschaft_datum=""),
            "anderer-elternteil": {"verbleib": "bekannt"},
            "anderer-elternteil-bekannt": other_parent_known(
                nachname="Haddad", vorname="Omar", arbeitgeber="Spedition Nord", einkommen="2100"
            ),
            "unterhalt": maintenance(
                zahlt="ja",
                betrag="100",
                seit=years_ago(2),
                titel="ja",
                titel_art="jugendamtsurkunde",
                titel_datum=years_ago(2, days=120),
                titel_aussteller="Jugendamt Gießen",
                titel_aktenzeichen="51.3-UH-1234",
            ),
            "kind-ab-12": {"buergergeld": "ja", "einkommen_mindestens": "ja"},
            "zahlung": payment(kontoinhaber="Amina Haddad", beginn=previous_month(), bic="COBADEFFXXX"),
            "erklaerungen": DECLARATIONS,
            "nachweise": {"anmerkungen": ""},
        },
        # Other parent's whereabouts unknown, paternity not established; EU applicant; child aged 8.
        "elternteil_unbekannt": {
            "datenschutz": PRIVACY,
            "antragsteller": applicant(
                vorname="Anna", nachname="Nowak", staatsangehoerigkeit="eu", staatsangehoerigkeit_land="polnisch"
            ),
            "kind": child(8, vorname="Jan", nachname="Nowak", betreuung_tage="0"),
            "sorgerecht": custody(vaterschaft="nein", vaterschaft_datum=""),
            "vaterschaft-klaerung": {
                "vaterschaft_klaerung": "Beistandschaft beantragt; der Vater ist nur mit Vornamen bekannt.",
                "mitwirkung": "on",
            },
            "anderer-elternteil": {"verbleib": "unbekannt"},
            "anderer-elternteil-unbekannt": {
                "nachname": "",
                "vorname": "Tomasz",
                "geburtsdatum": "",
                "strasse": "",
                "plz": "",
                "ort": "Warschau",
                "suche": "Bekannte gefragt, Anfrage beim Einwohnermeldeamt ohne Ergebnis.",
            },
            "unterhalt": maintenance(),
            "zahlung": payment(kontoinhaber="Anna Nowak"),
            "erklaerungen": DECLARATIONS,
            "nachweise": {"anmerkungen": "Die Meldebescheinigung reiche ich nach."},
        },
        # Other parent deceased, half-orphan pension paid; widowed applicant; child aged 16 in training.
        "elternteil_verstorben": {
            "datenschutz": PRIVACY,
            "antragsteller": applicant(familienstand="verwitwet", familienstand_seit=years_ago(1)),
            "kind": child(16, vorname="Lena", in_ehe_geboren="ja", betreuung_tage="0"),
            "sorgerecht": custody(vaterschaft="ehe", vaterschaft_datum=""),
            "anderer-elternteil": {"verbleib": "verstorben"},
            "anderer-elternteil-verstorben": {
                "nachname": "Beispiel",
                "vorname": "Thomas",
                "geburtsdatum": years_ago(40),
                "sterbedatum": years_ago(1, days=30),
            },
            "waisenrente": {
                "rente": "bezogen",
                "traeger": "Deutsche Rentenversicherung Hessen",
                "aktenzeichen": "12 345678 B 901",
                "betrag": "180.50",
            },
            "kind-ab-12": {"buergergeld": "nein", "einkommen_mindestens": "ja"},
            "kind-ab-15": {"schule": "nein", "taetigkeit": "ausbildung", "einkommen": "850"},
            "zahlung": payment(),
            "erklaerungen": DECLARATIONS,
            "nachweise": {"anmerkungen": ""},
        },
        # Separated applicant, Beistandschaft, paternity determined by court, pupil aged 17.
        "getrennt_beistandschaft": {
            "datenschutz": PRIVACY,
            "antragsteller": applicant(familienstand="getrennt", familienstand_seit=years_ago(1)),
            "kind": child(17, vorname="Paul", in_ehe_geboren="nein"),
            "sorgerecht": custody(
                amtliche_vertretung="beistandschaft",
                jugendamt="Jugendamt Gießen",
                aktenzeichen="51.2-BS-0815",
                vaterschaft="gerichtlich",
                vaterschaft_datum=years_ago(16),
            ),
            "anderer-elternteil": {"verbleib": "bekannt"},
            "anderer-elternteil-bekannt": other_parent_known(),
            "unterhalt": maintenance(sonstige="ja", sonstige_art="Zahlungen der Großeltern", sonstige_betrag="50"),
            "kind-ab-12": {"buergergeld": "nein", "einkommen_mindestens": "nein"},
            "kind-ab-15": {"schule": "ja", "taetigkeit": "", "einkommen": ""},
            "zahlung": payment(),
            "erklaerungen": DECLARATIONS,
            "nachweise": {"anmerkungen": ""},
        },
    }


class SampleAnswers(Mapping[str, Mapping[str, Any]]):
    """A mapping that rebuilds the samples from today's date on every read.
    They are written per person (applicant(), child()) and spread over the
    steps the way a draft of service version 1.0 is (Step.split_from), so the
    contract test walks that upgrade on every path too."""

    def __getitem__(self, path: str) -> Mapping[str, Any]:
        from .service import UnterhaltsvorschussService

        sample = build_samples()[path]
        UnterhaltsvorschussService().upgrade_answers(sample, [])
        return sample

    def __iter__(self) -> Iterator[str]:
        return iter(build_samples())

    def __len__(self) -> int:
        return len(build_samples())
