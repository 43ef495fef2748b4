"""Bewohnerparkausweis: a resident parking permit for one vehicle in the city's zones."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Fee,
    Notice,
    OnlineService,
    Parameter,
    Prefill,
    ServiceContext,
    Step,
)

from . import forms
from .rules import NO, YES, holder_is_not_applicant, permit_fee

DEFAULT_ZONES = ["Zone A – Innenstadt", "Zone B – Bahnhof"]


class BewohnerparkausweisService(OnlineService):
    slug = "bewohnerparkausweis"
    version = "1.0"
    title = _("Resident parking permit")
    summary_text = _("Apply for a permit to park in your residential parking zone.")
    # LeiKa key for "Bewohnerparkausweis Erteilung": not verified against the LeiKa
    # catalogue (no access here); check before going live.
    leika_key = "99058007012000"
    reference_code = "BPA"
    # The city service chooses one (CityService.payment_mode), with its payment provider on.
    payment_modes = ("before", "after")
    retention_days_default = 90
    applicant_name_fields = ("applicant.first_name", "applicant.last_name")
    applicant_email_field = "applicant.email"
    # BundID (docs/bundid.md): optional at any level; name locked, address and email changeable.
    bundid_login = "optional"
    bundid_level = "basic"
    bundid_prefill = {
        "applicant.last_name": Prefill("family_name", locked=True),
        "applicant.first_name": Prefill("given_names", locked=True),
        "applicant.street": Prefill("street"),
        "applicant.postcode": Prefill("postal_code"),
        "applicant.town": Prefill("city"),
        "applicant.email": Prefill("email"),
    }

    parameters = (
        Parameter("zones", _("Parking zones"), "list", DEFAULT_ZONES, help_text=_("One entry per zone.")),
        Parameter(
            "annual_fee",
            _("Fee per year (EUR)"),
            "decimal",
            Decimal("120.00"),
            help_text=_("For example 75.00 in Offenbach, 120.00 in Frankfurt."),
            min_value=Decimal("0"),
        ),
    )

    form_parameters = {"residence": ("zones",)}

    # Attachment conditions are decided by the answers already saved, so documents
    # that depend on this service's questions get a page of their own after them.
    steps = (
        Step("applicant", _("About you"), forms.ApplicantForm),
        Step("residence", _("Your parking zone"), forms.ResidenceForm),
        Step("vehicle", _("Your vehicle"), forms.VehicleForm),
        Step("validity", _("Period of validity"), forms.ValidityForm),
        Step(
            "documents",
            _("Documents"),
            attachments=(
                AttachmentSpec(
                    "registration_certificate",
                    _("Vehicle registration certificate part I"),
                    hint=_("Both sides of the Zulassungsbescheinigung Teil I."),
                ),
                AttachmentSpec(
                    "proof_of_use",
                    _("Proof that you may use the vehicle"),
                    hint=_("For example your employer's confirmation for a company car or the leasing contract."),
                    condition=holder_is_not_applicant,
                ),
            ),
        ),
        Step("declarations", _("Declarations"), forms.DeclarationsForm),
    )

    def fee(self, answers: Answers, context: ServiceContext) -> Fee | None:
        years = answers.get("validity.years")
        if str(years) not in ("1", "2"):
            return None
        annual_fee = Decimal(str(context.params["annual_fee"]))
        explanation = ngettext(
            "%(years)d year × %(fee)s EUR per year", "%(years)d years × %(fee)s EUR per year", int(years)
        ) % {"years": int(years), "fee": number_format(annual_fee, 2)}
        return Fee(amount=permit_fee(int(years), annual_fee), explanation=explanation)

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        if answers.get("residence.main_residence") == NO:
            return [
                Notice(
                    _("Only for your main residence"),
                    _(
                        "A resident parking permit is issued only for the address of your main residence. "
                        "You may still submit; the office will decide."
                    ),
                )
            ]
        return []

    # A property, so that the sample dates move with today (the base declares a class attribute).
    @property
    def sample_answers(self) -> dict[str, dict[str, dict[str, str]]]:  # type: ignore[override]
        applicant = {
            "last_name": "Schneider",
            "first_name": "Anna",
            "street": "Marktplatz 3",
            "postcode": "35390",
            "town": "Gießen",
            "email": "anna.schneider@example.org",
            "phone": "0641 123456",
        }
        declarations = {"truthful": "on", "report_changes": "on", "privacy": "on"}
        return {
            "own_car_one_year": {
                "applicant": applicant,
                "residence": {"zone": DEFAULT_ZONES[0], "main_residence": YES},
                "vehicle": {"licence_plate": "gi ab123", "make": "VW Golf", "holder_is_applicant": YES},
                "validity": {"years": "1"},
                "documents": {},
                "declarations": declarations,
            },
            "company_car_two_years": {
                "applicant": applicant,
                "residence": {"zone": DEFAULT_ZONES[1], "main_residence": YES},
                "vehicle": {
                    "licence_plate": "GI-X 42E",
                    "make": "Renault Zoe",
                    "holder_is_applicant": NO,
                    "holder_name": "Muster GmbH",
                    "use_basis": "company_car",
                },
                "validity": {"years": "2"},
                "documents": {},
                "declarations": declarations,
            },
        }
