"""Rules of the Unterhaltsvorschussgesetz (UVG) that forms, step conditions and
hooks share: the child's age, the amount by age band, the allowed start months
(§ 4 UVG) and the paths through the form. Pure functions over dates and Answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from forms_engine.catalog.base import Answers

YES, NO = "ja", "nein"
MAX_CHILD_AGE = 17  # paid until the 18th birthday at the latest (§ 1 Abs. 1 UVG)
# Care by the other parent on this share of days or more makes it a
# "Wechselmodell"-like arrangement: the child no longer lives mainly with the
# applicant (BVerwG 5 C 10.18 draws the line near 40 %). The office decides.
CARE_SHARE_LIMIT = Decimal("0.4")
DAYS_PER_MONTH = 30

# (parameter key, youngest age, oldest age) — the amounts are city parameters
# so that a change of the law needs no new code.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("betrag_0_5", 0, 5),
    ("betrag_6_11", 6, 11),
    ("betrag_12_17", 12, 17),
)
DEFAULT_AMOUNTS = {"betrag_0_5": Decimal("227"), "betrag_6_11": Decimal("299"), "betrag_12_17": Decimal("394")}


def today() -> date:
    """The application date: the day the citizen fills in the form, in the city's time zone."""
    return timezone.localdate()


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_decimal(value: Any) -> Decimal:
    """A stored amount (a string after cleaning), 0 when missing or unreadable."""
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def child_age(answers: Answers, on: date | None = None) -> int | None:
    birth = parse_date(answers.get("kind.geburtsdatum"))
    return None if birth is None else age_on(birth, on or today())


def child_aged(answers: Answers, youngest: int, oldest: int) -> bool:
    age = child_age(answers)
    return age is not None and youngest <= age <= oldest


def amount_for_age(age: int, params: dict[str, Any]) -> Decimal | None:
    for key, youngest, oldest in AGE_BANDS:
        if youngest <= age <= oldest:
            return parse_decimal(params.get(key, DEFAULT_AMOUNTS[key]))
    return None


# --- start month (§ 4 UVG) ---------------------------------------------------


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def allowed_start_months(applied_on: date) -> list[date]:
    """Retroactively at most for the month before the application (§ 4 UVG);
    further ahead than next month makes no sense for an application made now."""
    this_month = applied_on.replace(day=1)
    return [add_months(this_month, -1), this_month, add_months(this_month, 1)]


def month_value(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


# --- paths through the form -----------------------------------------------------


def other_parent_status(answers: Answers) -> str:
    return str(answers.get("anderer-elternteil.verbleib") or "")


def other_parent_known(answers: Answers) -> bool:
    return other_parent_status(answers) == "bekannt"


def other_parent_unknown(answers: Answers) -> bool:
    return other_parent_status(answers) == "unbekannt"


def other_parent_deceased(answers: Answers) -> bool:
    return other_parent_status(answers) == "verstorben"


def other_parent_alive(answers: Answers) -> bool:
    return not other_parent_deceased(answers)


def non_eu(answers: Answers) -> bool:
    """Applicant or child holds no German/EU/EEA/Swiss nationality: residence permit needed."""
    return "drittstaat" in (answers.get("antragsteller.staatsangehoerigkeit"), answers.get("kind.staatsangehoerigkeit"))


def paternity_documented(answers: Answers) -> bool:
    """Recognised or determined by a court: there is a document. Within a marriage the
    birth certificate is the proof (§ 1592 Nr. 1 BGB)."""
    return answers.get("sorgerecht.vaterschaft") in ("anerkannt", "gerichtlich")


def paternity_open(answers: Answers) -> bool:
    return bool(answers.get("sorgerecht.vaterschaft") == NO)


def maintenance_title_exists(answers: Answers) -> bool:
    return other_parent_alive(answers) and answers.get("unterhalt.titel") == YES


def maintenance_paid(answers: Answers) -> bool:
    return other_parent_alive(answers) and answers.get("unterhalt.zahlt") == YES


def divorced_or_separated(answers: Answers) -> bool:
    return answers.get("familie.familienstand") in ("getrennt", "geschieden")


def child_from_12(answers: Answers) -> bool:
    return child_aged(answers, 12, MAX_CHILD_AGE)


def child_from_15(answers: Answers) -> bool:
    return child_aged(answers, 15, MAX_CHILD_AGE)


def receives_buergergeld(answers: Answers) -> bool:
    return child_from_12(answers) and answers.get("kind-ab-12.buergergeld") == YES


def monthly_deductions(answers: Answers) -> Decimal:
    """Payments for the child that reduce the advance (§ 2 Abs. 3 UVG): maintenance
    actually paid, half-orphan pension and other regular payments."""
    total = Decimal(0)
    if other_parent_deceased(answers):
        if answers.get("waisenrente.rente") == "bezogen":
            total += parse_decimal(answers.get("waisenrente.betrag"))
    else:
        if answers.get("unterhalt.zahlt") == YES:
            total += parse_decimal(answers.get("unterhalt.betrag"))
        if answers.get("unterhalt.sonstige") == YES:
            total += parse_decimal(answers.get("unterhalt.sonstige_betrag"))
    return total
