"""Across steps: which steps apply given the answers, the eligibility notices from
clean_all (explanations, never errors), and the estimated amount by age band."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from forms_engine.catalog.base import Answers, ServiceContext
from services.unterhaltsvorschuss.rules import amount_for_age, today
from services.unterhaltsvorschuss.service import UnterhaltsvorschussService

from .test_unterhaltsvorschuss_rules import years_before
from .test_unterhaltsvorschuss_samples import answers_for

SERVICE = UnterhaltsvorschussService()
DEFAULTS = ServiceContext(None, SERVICE.default_params())


def born(years: int, *, tomorrow_birthday: bool = False) -> str:
    """A child who is `years` old today; with tomorrow_birthday, one who turns `years` tomorrow."""
    day = years_before(today(), years)
    return (day + timedelta(days=1) if tomorrow_birthday else day).isoformat()


def with_answers(path: str = "standard_kleinkind", **changes: dict[str, Any]) -> Answers:
    answers = answers_for(path)
    for step, values in changes.items():
        answers.data[step.replace("_", "-")] = {**(answers.step(step.replace("_", "-")) or {}), **values}
    return answers


def active(answers: Answers) -> set[str]:
    return {s.name for s in SERVICE.active_steps(answers)}


def notice_titles(answers: Answers) -> list[str]:
    with translation.override("en"):
        return [str(n.title) for n in SERVICE.clean_all(answers, DEFAULTS)]


# --- step conditions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "from_12", "from_15"),
    [
        (born(12, tomorrow_birthday=True), False, False),
        (born(12), True, False),
        (born(15, tomorrow_birthday=True), True, False),
        (born(15), True, True),
        (born(17), True, True),
        (born(18), False, False),
    ],
)
def test_the_steps_for_older_children_follow_the_age_today(birth: str, from_12: bool, from_15: bool) -> None:
    answers = with_answers(kind={"geburtsdatum": birth})
    assert ("kind-ab-12" in active(answers)) is from_12
    assert ("kind-ab-15" in active(answers)) is from_15


def test_without_a_child_date_of_birth_no_age_step_applies() -> None:
    assert not {"kind-ab-12", "kind-ab-15"} & active(Answers({}))


@pytest.mark.parametrize(
    ("whereabouts", "shown", "hidden"),
    [
        ("bekannt", {"anderer-elternteil-bekannt", "unterhalt"}, {"anderer-elternteil-unbekannt", "waisenrente"}),
        ("unbekannt", {"anderer-elternteil-unbekannt", "unterhalt"}, {"anderer-elternteil-bekannt", "waisenrente"}),
        (
            "verstorben",
            {"anderer-elternteil-verstorben", "waisenrente"},
            {"anderer-elternteil-bekannt", "anderer-elternteil-unbekannt", "unterhalt"},
        ),
    ],
)
def test_the_other_parent_path_decides_the_following_steps(whereabouts: str, shown: set[str], hidden: set[str]) -> None:
    steps = active(with_answers(anderer_elternteil={"verbleib": whereabouts}))
    assert shown <= steps
    assert not hidden & steps


@pytest.mark.parametrize(("paternity", "asked"), [("nein", True), ("ehe", False), ("anerkannt", False)])
def test_the_duty_to_cooperate_is_asked_only_without_established_paternity(paternity: str, asked: bool) -> None:
    answers = with_answers(sorgerecht={"vaterschaft": paternity})
    assert ("vaterschaft-klaerung" in active(answers)) is asked


def test_documents_follow_the_answers() -> None:
    step = SERVICE.step("nachweise")
    assert step is not None
    specs = {a.key: a for a in step.attachments}
    answers = with_answers(
        familie={"familienstand": "geschieden"},
        kind={"staatsangehoerigkeit": "drittstaat"},
        sorgerecht={"vaterschaft": "gerichtlich"},
        unterhalt={"zahlt": "ja", "titel": "ja"},
    )
    for key in (
        "ausweis_aufenthaltstitel",
        "scheidung_trennung",
        "vaterschaft",
        "unterhaltsnachweis",
        "unterhaltstitel",
    ):
        assert specs[key].applies(answers), key
    # A maintenance title left behind from before the other parent's death does not count.
    answers.data["anderer-elternteil"]["verbleib"] = "verstorben"
    assert not specs["unterhaltstitel"].applies(answers)
    assert specs["sterbeurkunde"].applies(answers)
    assert specs["geburtsurkunde"].required and specs["geburtsurkunde"].condition is None


# --- notices (never errors) ---------------------------------------------------------------


def test_living_with_the_other_parent_is_explained() -> None:
    answers = with_answers(familie={"lebt_mit_anderem_elternteil": "ja"})
    assert notice_titles(answers) == ["You live with the child's other parent"]


def test_living_with_a_new_spouse_is_explained() -> None:
    answers = with_answers(familie={"familienstand": "verheiratet", "verheiratet_zusammenlebend": "ja"})
    assert notice_titles(answers) == ["You live with your spouse or civil partner"]


def test_a_child_in_a_home_or_foster_family_is_explained() -> None:
    answers = with_answers(kind_wohnen={"heim_pflegefamilie": "ja"})
    assert notice_titles(answers) == ["The child lives in a home or with a foster family"]


@pytest.mark.parametrize(("days", "explained"), [(0, False), (11, False), (12, True), (15, True)])
def test_a_large_share_of_care_by_the_other_parent_is_explained(days: int, explained: bool) -> None:
    answers = with_answers(kind_wohnen={"betreuung_tage": days})
    assert ("The other parent looks after the child a lot" in notice_titles(answers)) is explained


@pytest.mark.parametrize(
    ("buergergeld", "income", "explained"),
    [("ja", "nein", True), ("ja", "ja", False), ("nein", "nein", False)],
)
def test_buergergeld_from_12_needs_income_of_600(buergergeld: str, income: str, explained: bool) -> None:
    answers = with_answers(
        "teenager_buergergeld", kind_ab_12={"buergergeld": buergergeld, "einkommen_mindestens": income}
    )
    assert ("Bürgergeld and income below 600 EUR" in notice_titles(answers)) is explained


def test_the_notices_are_explanations_with_text() -> None:
    answers = with_answers(familie={"lebt_mit_anderem_elternteil": "ja"}, kind_wohnen={"heim_pflegefamilie": "ja"})
    notices = SERVICE.clean_all(answers, DEFAULTS)
    assert len(notices) == 2
    assert all(n.level == "warning" and len(str(n.text)) > 80 for n in notices)


def test_no_half_orphan_pension_applied_for_is_a_hint() -> None:
    answers = with_answers("elternteil_verstorben", waisenrente={"rente": "nein"})
    notices = SERVICE.clean_all(answers, DEFAULTS)
    assert [n.level for n in notices] == ["info"]


def test_payments_as_high_as_the_advance_are_a_hint() -> None:
    answers = with_answers(unterhalt={"zahlt": "ja", "betrag": "250.00"})
    assert "The payments you stated are as high as the advance" in notice_titles(answers)


# --- estimate by age band ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "amount"),
    [(0, "227"), (5, "227"), (6, "299"), (11, "299"), (12, "394"), (17, "394"), (18, None)],
)
def test_the_amount_by_age_band(age: int, amount: str | None) -> None:
    expected = None if amount is None else Decimal(amount)
    assert amount_for_age(age, SERVICE.default_params()) == expected


def estimate(answers: Answers, context: ServiceContext = DEFAULTS) -> list[tuple[str, str]]:
    with translation.override("en"):
        return [(str(line.label), str(line.value)) for line in SERVICE.summary(answers, context)]


@pytest.mark.parametrize(
    ("birth", "shown"),
    [
        (born(6, tomorrow_birthday=True), "227.00 EUR per month"),
        (born(6), "299.00 EUR per month"),
        (born(12, tomorrow_birthday=True), "299.00 EUR per month"),
        (born(12), "394.00 EUR per month"),
        (born(18, tomorrow_birthday=True), "394.00 EUR per month"),
    ],
)
def test_the_summary_shows_the_estimate_at_the_band_edges(birth: str, shown: str) -> None:
    lines = estimate(with_answers(kind={"geburtsdatum": birth}))
    assert lines[0][0] == "Expected Unterhaltsvorschuss (estimate)"
    assert lines[0][1].startswith(shown)
    assert "estimate" in lines[0][1]


def test_no_estimate_for_a_child_of_18() -> None:
    assert estimate(with_answers(kind={"geburtsdatum": born(18)})) == []


def test_the_city_can_change_the_amounts() -> None:
    context = ServiceContext(None, {**SERVICE.default_params(), "betrag_0_5": Decimal("230")})
    assert estimate(with_answers(), context)[0][1].startswith("230.00 EUR per month")


def test_the_estimate_deducts_the_payments_stated() -> None:
    answers = with_answers(unterhalt={"zahlt": "ja", "betrag": "100.00", "sonstige": "ja", "sonstige_betrag": "27"})
    lines = estimate(answers)
    assert lines[1] == ("Estimate after deducting the payments you stated", "100.00 EUR per month (estimate)")


def test_the_estimate_is_german_by_default() -> None:
    with translation.override("de"):
        value = str(SERVICE.summary(with_answers(), DEFAULTS)[0].value)
        assert value.startswith("227,00 EUR monatlich")
        assert str(SERVICE.title) == "Unterhaltsvorschuss beantragen"


def test_the_child_age_counts_birthdays_exactly() -> None:
    answers = Answers({"kind": {"geburtsdatum": date(2010, 2, 28).isoformat()}})
    from services.unterhaltsvorschuss.rules import child_age

    assert child_age(answers, on=date(2028, 2, 27)) == 17
    assert child_age(answers, on=date(2028, 2, 28)) == 18
