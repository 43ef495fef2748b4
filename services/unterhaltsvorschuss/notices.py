"""Answers that usually exclude Unterhaltsvorschuss. They are explanations shown
on the check page, never form errors: the citizen may still submit and the
Jugendamt decides on the individual case."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.base import Answers, Notice

from . import rules
from .rules import NO, YES


def care_share_large(answers: Answers) -> bool:
    try:
        days = int(answers.get("kind-wohnen.betreuung_tage") or 0)
    except (TypeError, ValueError):
        return False
    return Decimal(days) / rules.DAYS_PER_MONTH >= rules.CARE_SHARE_LIMIT


def eligibility_notices(answers: Answers, params: dict[str, Any]) -> list[Notice]:
    notices: list[Notice] = []
    if answers.get("familie.lebt_mit_anderem_elternteil") == YES:
        notices.append(
            Notice(
                _("You live with the child's other parent"),
                _(
                    "Unterhaltsvorschuss is paid only if the child lives with a parent who does not live "
                    "together with the other parent (§ 1 Abs. 1 UVG). If that is the case, there is usually "
                    "no claim. You can still submit the application; the Jugendamt will check it."
                ),
            )
        )
    if answers.get("familie.verheiratet_zusammenlebend") == YES:
        notices.append(
            Notice(
                _("You live with your spouse or civil partner"),
                _(
                    "Unterhaltsvorschuss is paid only to a parent who is single, widowed, divorced or "
                    "permanently separated (§ 1 Abs. 1 Nr. 2 UVG). If you live with a spouse or civil partner, "
                    "there is usually no claim, even if that person is not the child's parent. You can still "
                    "submit the application; the Jugendamt will check it."
                ),
            )
        )
    if answers.get("kind-wohnen.heim_pflegefamilie") == YES:
        notices.append(
            Notice(
                _("The child lives in a home or with a foster family"),
                _(
                    "Unterhaltsvorschuss is paid only for a child who lives with one of its parents. While the "
                    "child lives in a children's home or with a foster family there is usually no claim. The "
                    "Jugendamt can advise you on other support."
                ),
            )
        )
    if care_share_large(answers):
        notices.append(
            Notice(
                _("The other parent looks after the child a lot"),
                gettext(
                    "You stated that the other parent looks after the child on %(days)s days per month. If "
                    "the other parent takes on about 40 %% of the care or more, the child no longer lives "
                    "mainly with you and there is usually no claim. The Jugendamt looks at your individual "
                    "arrangement."
                )
                % {"days": answers.get("kind-wohnen.betreuung_tage")},
            )
        )
    if (
        rules.child_from_12(answers)
        and answers.get("kind-ab-12.buergergeld") == YES
        and answers.get("kind-ab-12.einkommen_mindestens") == NO
    ):
        notices.append(
            Notice(
                _("Bürgergeld and income below 600 EUR"),
                _(
                    "For a child aged 12 or over, Unterhaltsvorschuss is paid only if the child receives no "
                    "Bürgergeld, or if you earn at least 600 EUR gross per month (§ 1 Abs. 1a UVG). There may "
                    "still be a claim if the payment ends the child's need for Bürgergeld; the Jugendamt "
                    "checks this with the job centre."
                ),
            )
        )
    if rules.other_parent_deceased(answers) and answers.get("waisenrente.rente") == NO:
        notices.append(
            Notice(
                _("Please apply for a half-orphan pension"),
                _(
                    "A child whose parent has died may be entitled to a half-orphan pension. Please apply for it "
                    "at the pension insurance: it comes before Unterhaltsvorschuss and is deducted from it."
                ),
                level="info",
            )
        )
    age = rules.child_age(answers)
    amount = None if age is None else rules.amount_for_age(age, params)
    if amount is not None and rules.monthly_deductions(answers) >= amount:
        notices.append(
            Notice(
                _("The payments you stated are as high as the advance"),
                _(
                    "Maintenance, half-orphan pension and other payments for the child are deducted from "
                    "Unterhaltsvorschuss. The payments you stated reach the full amount, so probably nothing "
                    "would be paid."
                ),
                level="info",
            )
        )
    return notices
