"""Unterhaltsvorschuss (UVG): the child maintenance advance paid by the Jugendamt
when a single parent's child gets no or too little maintenance from the other
parent. One application per child. See shared/domain/services.md."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.base import (
    Answers,
    AttachmentSpec,
    Notice,
    OnlineService,
    Parameter,
    Prefill,
    ServiceContext,
    Step,
    SummaryLine,
)

from . import rules
from .forms import (
    AnschriftForm,
    AntragstellerForm,
    DatenschutzForm,
    FamilieForm,
    KindForm,
    KindWohnenForm,
    SorgerechtForm,
    VaterschaftKlaerungForm,
)
from .forms_finances import (
    ErklaerungenForm,
    KindAb12Form,
    KindAb15Form,
    NachweiseForm,
    UnterhaltForm,
    WaisenrenteForm,
    ZahlungForm,
)
from .forms_other_parent import (
    AndererElternteilBekanntForm,
    AndererElternteilForm,
    AndererElternteilUnbekanntForm,
    AndererElternteilVerstorbenForm,
)
from .notices import eligibility_notices
from .samples import SampleAnswers

PRIVACY_NOTICE = _(
    "The Jugendamt of the city named on this page processes your data and your child's data to decide on "
    "this application for Unterhaltsvorschuss (legal basis: Art. 6 para. 1 (c) and (e) GDPR with the "
    "Unterhaltsvorschussgesetz and §§ 67a ff. SGB X). It may ask other authorities for information it "
    "needs, e.g. the registration office, the job centre or the pension insurance (§ 6 UVG). The other "
    "parent is told that the child's maintenance claim has passed to the state (§ 7 UVG). Your data is "
    "deleted when the retention periods for these files have expired. You have the right to access, "
    "correct and restrict the processing of your data, and to complain to the Hessian Commissioner for "
    "Data Protection and Freedom of Information. The city's privacy statement, linked at the bottom of "
    "every page, has the contact details of the data protection officer."
)

ATTACHMENTS = (
    AttachmentSpec("geburtsurkunde", _("Child's birth certificate")),
    AttachmentSpec(
        "ausweis_aufenthaltstitel",
        _("Passport or ID card and residence permit"),
        hint=_("For you or the child, if not a national of an EU country, an EEA country or Switzerland."),
        condition=rules.non_eu,
    ),
    AttachmentSpec(
        "vaterschaft",
        _("Recognition of paternity or court decision on paternity"),
        condition=rules.paternity_documented,
    ),
    AttachmentSpec("unterhaltstitel", _("Maintenance title"), condition=rules.maintenance_title_exists),
    AttachmentSpec(
        "unterhaltsnachweis",
        _("Proof of maintenance received"),
        hint=_("For example bank statements of the last three months. You may send it later."),
        required=False,
        condition=rules.maintenance_paid,
    ),
    AttachmentSpec(
        "scheidung_trennung",
        _("Divorce decree or proof of separation"),
        hint=_("For example the divorce decree or a letter about the separation. You may send it later."),
        required=False,
        condition=rules.divorced_or_separated,
    ),
    AttachmentSpec("sterbeurkunde", _("Death certificate of the other parent"), condition=rules.other_parent_deceased),
    AttachmentSpec(
        "buergergeld_bescheid", _("Latest Bürgergeld notice (Bürgergeldbescheid)"), condition=rules.receives_buergergeld
    ),
    AttachmentSpec(
        "schule_einkommen",
        _("School certificate or proof of the child's income"),
        hint=_("A current certificate of school attendance, or the training or pay slip."),
        condition=rules.child_from_15,
    ),
    AttachmentSpec(
        "meldebescheinigung",
        _("Certificate of registration (Meldebescheinigung)"),
        hint=_("Showing that the child is registered with you. You may send it later."),
        required=False,
    ),
)


class UnterhaltsvorschussService(OnlineService):
    slug = "unterhaltsvorschuss"
    # 1.1: "About you" and "The child" split along their topics (address, family
    # situation, the child's home); data schema 2 has the new steps. Drafts begun
    # with 1.0 move their answers over (Step.split_from).
    version = "1.1"
    data_schema_version = "2"
    title = _("Apply for child maintenance advance")
    summary_text = _(
        "Apply for Unterhaltsvorschuss for your child if the other parent pays no or too little maintenance."
    )
    leika_key = "99107021017000"
    reference_code = "UVG"
    retention_days_default = 90
    applicant_name_fields = ("antragsteller.vorname", "antragsteller.nachname")
    applicant_email_field = "anschrift.email"
    # The receipt holds bank details, the other parent's data and the child's:
    # never as an email attachment. Default a download link on the city's host.
    confirmation_attachments = ("link", "none")
    # BundID (docs/bundid.md): optional, a city may require it; a proven identity
    # of at least "substantial" (ELSTER, online ID card), the applicant page prefilled.
    bundid_login = "optional"
    bundid_level = "substantial"
    bundid_prefill = {
        "antragsteller.nachname": Prefill("family_name", locked=True),
        "antragsteller.vorname": Prefill("given_names", locked=True),
        "antragsteller.geburtsdatum": Prefill("birth_date", locked=True),
        "anschrift.strasse": Prefill("street"),
        "anschrift.plz": Prefill("postal_code"),
        "anschrift.ort": Prefill("city"),
        "anschrift.email": Prefill("email"),
    }
    parameters = (
        Parameter(
            "betrag_0_5",
            _("Monthly amount for children aged 0 to 5 (EUR)"),
            "decimal",
            rules.DEFAULT_AMOUNTS["betrag_0_5"],
            help_text=_("Shown to applicants as an estimate. Change it when the law changes the amounts."),
            min_value=Decimal(0),
        ),
        Parameter(
            "betrag_6_11",
            _("Monthly amount for children aged 6 to 11 (EUR)"),
            "decimal",
            rules.DEFAULT_AMOUNTS["betrag_6_11"],
            help_text=_("Shown to applicants as an estimate. Change it when the law changes the amounts."),
            min_value=Decimal(0),
        ),
        Parameter(
            "betrag_12_17",
            _("Monthly amount for children aged 12 to 17 (EUR)"),
            "decimal",
            rules.DEFAULT_AMOUNTS["betrag_12_17"],
            help_text=_("Shown to applicants as an estimate. Change it when the law changes the amounts."),
            min_value=Decimal(0),
        ),
    )
    steps = (
        Step("datenschutz", _("Privacy notice"), DatenschutzForm, intro=PRIVACY_NOTICE),
        Step("antragsteller", _("About you"), AntragstellerForm, intro=_("You are the parent the child lives with.")),
        Step("anschrift", _("Your address and contact details"), AnschriftForm, split_from="antragsteller"),
        Step("familie", _("Your family situation"), FamilieForm, split_from="antragsteller"),
        Step("kind", _("The child"), KindForm, intro=_("One application per child.")),
        Step("kind-wohnen", _("Where the child lives"), KindWohnenForm, split_from="kind"),
        Step("sorgerecht", _("Custody and paternity"), SorgerechtForm),
        Step(
            "vaterschaft-klaerung",
            _("Establishing paternity"),
            VaterschaftKlaerungForm,
            condition=rules.paternity_open,
            intro=_(
                "Unterhaltsvorschuss requires that you help to establish who the father is. The Jugendamt "
                "can support you, e.g. with a Beistandschaft."
            ),
        ),
        Step(
            "anderer-elternteil",
            _("The other parent"),
            AndererElternteilForm,
            intro=_("The other parent is the child's mother or father who does not live with the child."),
        ),
        Step(
            "anderer-elternteil-bekannt",
            _("Details of the other parent"),
            AndererElternteilBekanntForm,
            condition=rules.other_parent_known,
        ),
        Step(
            "anderer-elternteil-unbekannt",
            _("Search for the other parent"),
            AndererElternteilUnbekanntForm,
            condition=rules.other_parent_unknown,
            intro=_("Tell us what you know. The Jugendamt will also try to find the other parent."),
        ),
        Step(
            "anderer-elternteil-verstorben",
            _("Death of the other parent"),
            AndererElternteilVerstorbenForm,
            condition=rules.other_parent_deceased,
        ),
        Step("unterhalt", _("Maintenance"), UnterhaltForm, condition=rules.other_parent_alive),
        Step("waisenrente", _("Half-orphan pension"), WaisenrenteForm, condition=rules.other_parent_deceased),
        Step(
            "kind-ab-12",
            _("Child aged 12 or over"),
            KindAb12Form,
            condition=rules.child_from_12,
            intro=_(
                "From the age of 12, Unterhaltsvorschuss is paid if the child does not receive Bürgergeld, "
                "or if you earn at least 600 EUR gross per month (§ 1 Abs. 1a UVG)."
            ),
        ),
        Step(
            "kind-ab-15",
            _("School and income of the child"),
            KindAb15Form,
            condition=rules.child_from_15,
            intro=_("The income of a child aged 15 or over who has left school reduces the payment."),
        ),
        Step("zahlung", _("Payment"), ZahlungForm),
        Step("erklaerungen", _("Declarations"), ErklaerungenForm),
        Step(
            "nachweise",
            _("Documents"),
            NachweiseForm,
            attachments=ATTACHMENTS,
            intro=_("Upload the documents as PDF, JPEG or PNG, e.g. photos taken with your phone."),
        ),
    )
    sample_answers = SampleAnswers()

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        return eligibility_notices(answers, context.params)

    def summary(self, answers: Answers, context: ServiceContext) -> list[SummaryLine]:
        age = rules.child_age(answers)
        amount = None if age is None else rules.amount_for_age(age, context.params)
        if amount is None:
            return []
        lines = [
            SummaryLine(
                _("Expected Unterhaltsvorschuss (estimate)"),
                gettext("%(amount)s EUR per month (estimate for a child aged %(age)s; the Jugendamt decides)")
                % {"amount": euros(amount), "age": age},
            )
        ]
        deductions = rules.monthly_deductions(answers)
        if deductions > 0:
            lines.append(
                SummaryLine(
                    _("Estimate after deducting the payments you stated"),
                    gettext("%(amount)s EUR per month (estimate)")
                    % {"amount": euros(max(amount - deductions, Decimal(0)))},
                )
            )
        return lines


def euros(amount: Decimal) -> str:
    return str(formats.number_format(amount, 2, force_grouping=True))
