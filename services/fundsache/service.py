"""Fundsache: report a found item to the lost property office, or a lost one."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Notice,
    OnlineService,
    Parameter,
    ServiceContext,
    Step,
    SummaryLine,
)

from . import forms
from .rules import FOUND, LOST, NO, YES, finders_reward, is_found


class FundsacheService(OnlineService):
    slug = "fundsache"
    version = "1.0"
    title = _("Report a found or lost item")
    summary_text = _("Tell the lost property office about something you found or lost.")
    # LeiKa key for "Fundsache Anzeige": not verified against the LeiKa catalogue
    # (no access here); check before going live.
    leika_key = "99027005000000"
    reference_code = "FUND"
    # Unclaimed items are kept 6 months; keep the report a little longer after closing.
    retention_days_default = 210
    applicant_name_fields = ("contact.first_name", "contact.last_name")
    applicant_email_field = "contact.email"

    parameters = (
        Parameter(
            "hand_in_place",
            _("Where to hand in found items"),
            "text",
            "Fundbüro im Bürgerbüro, Rathaus, Erdgeschoss",
            help_text=_("Address and opening hours of the lost property office."),
        ),
        Parameter(
            "reward_rate_low", _("Finder's reward up to the threshold (%)"), "decimal", Decimal("5"), min_value=0
        ),
        Parameter(
            "reward_rate_high", _("Finder's reward above the threshold (%)"), "decimal", Decimal("3"), min_value=0
        ),
        Parameter("reward_threshold", _("Threshold (EUR)"), "decimal", Decimal("500"), min_value=0),
        Parameter("keep_months", _("Months unclaimed items are kept"), "int", 6, min_value=1),
    )

    form_parameters = {"handover": ("hand_in_place",)}

    steps = (
        Step("report", _("Found or lost"), forms.ReportForm),
        Step(
            "item",
            _("The item"),
            forms.ItemForm,
            attachments=(
                AttachmentSpec(
                    "photo", _("Photo of the item"), hint=_("Optional, helps to recognise it."), required=False
                ),
            ),
        ),
        Step("event", _("When and where"), forms.EventForm),
        Step("handover", _("Handing in"), forms.HandoverForm, condition=is_found),
        Step("contact", _("Your contact details"), forms.ContactForm),
        Step("declarations", _("Declarations"), forms.DeclarationsForm),
    )

    def reward(self, answers: Answers, context: ServiceContext) -> Decimal | None:
        """The finder's reward, if the finder claims it and gave a value."""
        if not is_found(answers) or answers.get("handover.reward_wanted") != YES:
            return None
        try:
            value = Decimal(str(answers.get("item.estimated_value")))
        except InvalidOperation:
            return None
        params = context.params
        return finders_reward(
            value,
            threshold=Decimal(str(params["reward_threshold"])),
            rate_low=Decimal(str(params["reward_rate_low"])),
            rate_high=Decimal(str(params["reward_rate_high"])),
        )

    def summary(self, answers: Answers, context: ServiceContext) -> list[SummaryLine]:
        reward = self.reward(answers, context)
        if reward is None:
            return []
        return [
            SummaryLine(
                _("Finder's reward (estimate, § 971 BGB)"),
                _("%(amount)s EUR, paid by the owner") % {"amount": number_format(reward, 2)},
            )
        ]

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        if not is_found(answers):
            return []
        params = context.params
        notices = [
            Notice(
                _("How long the item is kept"),
                _(
                    "If the owner does not come forward within %(months)s months, "
                    "you may acquire the item as its finder (§ 973 BGB)."
                )
                % {"months": params["keep_months"]},
                level="info",
            )
        ]
        if answers.get("handover.whereabouts") == "kept":
            notices.append(
                Notice(
                    _("Keep the item safe"),
                    _("Please keep the item safe and hand it in on request at: %(place)s")
                    % {"place": params["hand_in_place"]},
                    level="info",
                )
            )
        return notices

    # A property, so that the sample dates move with today (the base declares a class attribute).
    @property
    def sample_answers(self) -> dict[str, dict[str, dict[str, str]]]:  # type: ignore[override]
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        contact = {
            "last_name": "Becker",
            "first_name": "Jonas",
            "street": "Bahnhofstraße 12",
            "postcode": "35390",
            "town": "Gießen",
            "email": "jonas.becker@example.org",
        }
        declarations = {"truthful": "on", "privacy": "on"}
        return {
            "found_with_reward": {
                "report": {"kind": FOUND},
                "item": {"category": "wallet", "description": "Braune Lederbörse", "estimated_value": "650.00"},
                "event": {"date": yesterday, "time": "17:30", "place": "Bushaltestelle Marktplatz"},
                "handover": {"whereabouts": "kept", "reward_wanted": YES},
                "contact": contact,
                "declarations": declarations,
            },
            "found_no_reward": {
                "report": {"kind": FOUND},
                "item": {"category": "keys", "description": "Schlüsselbund mit rotem Anhänger"},
                "event": {"date": yesterday, "place": "Stadtpark, Bank am Teich"},
                "handover": {"whereabouts": "handed_in", "reward_wanted": NO},
                "contact": contact,
                "declarations": declarations,
            },
            "lost": {
                "report": {"kind": LOST},
                "item": {"category": "phone", "description": "Schwarzes Smartphone, Hülle mit Blumen"},
                "event": {"date": timezone.localdate().isoformat(), "place": "Linie 2 Richtung Klinikum"},
                "contact": contact,
                "declarations": declarations,
            },
        }
