"""Hundesteuer-Anmeldung: registering a dog for the municipal dog tax."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Fee,
    Notice,
    OnlineService,
    Parameter,
    ServiceContext,
    Step,
)

from . import forms
from .rules import NO, NOT_LISTED, YES, dog_tax, has_insurance, is_listed_breed

# Breeds presumed dangerous under the Hessian dog regulation (HundeVO § 2 (1));
# cities may tax a different list under their own statute.
DEFAULT_LISTED_BREEDS = [
    "Pitbull-Terrier",
    "American Staffordshire-Terrier",
    "Staffordshire-Bullterrier",
    "Bullterrier",
    "American Bulldog",
    "Dogo Argentino",
    "Kangal",
    "Kaukasischer Owtscharka",
    "Rottweiler",
]
RATE_EXPLANATIONS = {
    "first": _("Dog tax per year for a first dog"),
    "second": _("Dog tax per year for a second dog"),
    "further": _("Dog tax per year for a third or further dog"),
    "dangerous": _("Dog tax per year for a dog of a listed breed"),
}


class HundesteuerService(OnlineService):
    slug = "hundesteuer"
    version = "1.0"
    title = _("Register a dog for dog tax")
    summary_text = _("Register your dog for the dog tax when it moves in with you.")
    # LeiKa key for "Hundesteuer Anmeldung": not verified against the LeiKa
    # catalogue (no access here); check before going live.
    leika_key = "99035011012000"
    reference_code = "HST"
    retention_days_default = 90
    applicant_name_fields = ("owner.first_name", "owner.last_name")
    applicant_email_field = "owner.email"

    parameters = (
        Parameter("rate_first", _("Tax per year, first dog (EUR)"), "decimal", Decimal("90.00"), min_value=0),
        Parameter("rate_second", _("Tax per year, second dog (EUR)"), "decimal", Decimal("140.00"), min_value=0),
        Parameter("rate_further", _("Tax per year, each further dog (EUR)"), "decimal", Decimal("200.00"), min_value=0),
        Parameter(
            "listed_breeds",
            _("Listed (dangerous) breeds"),
            "list",
            DEFAULT_LISTED_BREEDS,
            help_text=_("Breeds taxed at the higher rate; offered to citizens as a choice."),
        ),
        Parameter(
            "rate_dangerous", _("Tax per year, dog of a listed breed (EUR)"), "decimal", Decimal("700.00"), min_value=0
        ),
    )

    form_parameters = {"dog": ("listed_breeds",)}

    # Attachment conditions are decided by the answers already saved, so documents
    # that depend on this service's questions get a page of their own after them.
    steps = (
        Step("owner", _("About you"), forms.OwnerForm),
        Step("dog", _("Your dog"), forms.DogForm),
        Step("household", _("Household and insurance"), forms.HouseholdForm),
        Step(
            "documents",
            _("Documents"),
            attachments=(
                AttachmentSpec(
                    "insurance_certificate",
                    _("Liability insurance certificate"),
                    condition=has_insurance,
                ),
                AttachmentSpec(
                    "keeping_permit",
                    _("Permit to keep a dog of a listed breed"),
                    hint=_("If you already have it; otherwise the office will contact you."),
                    required=False,
                    condition=is_listed_breed,
                ),
            ),
        ),
        Step("declarations", _("Declarations"), forms.DeclarationsForm),
    )

    def fee(self, answers: Answers, context: ServiceContext) -> Fee | None:
        dogs_already = answers.get("household.dogs_already")
        if dogs_already is None or not answers.has("dog"):
            return None
        params = context.params
        amount, rate = dog_tax(
            dogs_already=int(dogs_already),
            listed=is_listed_breed(answers),
            first=Decimal(str(params["rate_first"])),
            second=Decimal(str(params["rate_second"])),
            further=Decimal(str(params["rate_further"])),
            dangerous=Decimal(str(params["rate_dangerous"])),
        )
        return Fee(amount=amount.quantize(Decimal("0.01")), explanation=RATE_EXPLANATIONS[rate])

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        notices = []
        if is_listed_breed(answers):
            notices.append(
                Notice(
                    _("A permit is needed"),
                    _(
                        "Keeping a dog of a listed breed needs a permit from the public order office "
                        "(Hessian dog regulation). Apply for it separately if you do not have it yet."
                    ),
                )
            )
            if not has_insurance(answers):
                notices.append(
                    Notice(
                        _("Liability insurance required"),
                        _("A dog of a listed breed must have liability insurance before a permit is granted."),
                    )
                )
        return notices

    # A property, so that the sample dates move with today (the base declares a class attribute).
    @property
    def sample_answers(self) -> dict[str, dict[str, dict[str, str]]]:  # type: ignore[override]
        today = timezone.localdate()
        owner = {
            "last_name": "Wagner",
            "first_name": "Lena",
            "date_of_birth": "1988-04-12",
            "street": "Ketzerbach 5",
            "postcode": "35037",
            "town": "Marburg",
            "email": "lena.wagner@example.org",
        }
        dog = {
            "name": "Bella",
            "breed": "Labrador-Mischling",
            "listed_breed": NOT_LISTED,
            "colour": "schwarz",
            "sex": "female",
            "date_of_birth": (today - datetime.timedelta(days=400)).isoformat(),
            "microchip": "276 098 106 123 456",
            "acquired_on": (today - datetime.timedelta(days=10)).isoformat(),
            "previous_owner": "Tierheim Marburg",
        }
        declarations = {"truthful": "on", "report_changes": "on", "privacy": "on"}
        return {
            "first_dog_insured": {
                "owner": owner,
                "dog": dog,
                "household": {
                    "dogs_already": "0",
                    "insured": YES,
                    "insurer": "Hessische Tierhalter-Versicherung",
                    "policy_number": "HV-123456",
                },
                "documents": {},
                "declarations": declarations,
            },
            "listed_breed_second_dog_uninsured": {
                "owner": owner,
                "dog": {**dog, "name": "Rocky", "breed": "Rottweiler", "listed_breed": "Rottweiler", "sex": "male"},
                "household": {"dogs_already": "1", "insured": NO},
                "documents": {},
                "declarations": declarations,
            },
        }
