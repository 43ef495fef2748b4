"""The OnlineService base class: what a service declares, and the hooks it may
override. A service is a Django app in services/<slug>/ whose service.py holds
one subclass, registered from its AppConfig.ready() (see docs/writing-a-service.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.functional import Promise

from forms_engine.lib.files import JPEG, PDF, PNG

if TYPE_CHECKING:
    from .models import CityService

Text = str | Promise


class Answers:
    """The citizen's answers so far: {step name: {field: value}} for ordinary
    steps and {step name: [{field: value}, ...]} for repeating groups. Values are
    JSON types (dates as ISO strings, decimals as strings)."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = dict(data or {})

    def step(self, name: str) -> Any:
        return self.data.get(name)

    def get(self, path: str, default: Any = None) -> Any:
        """answers.get("applicant.marital_status")"""
        step, _sep, name = path.partition(".")
        values = self.data.get(step)
        if not isinstance(values, dict):
            return default
        return values.get(name, default)

    def has(self, step: str) -> bool:
        return step in self.data

    def __repr__(self) -> str:  # never print answers into logs by accident
        return f"<Answers steps={sorted(self.data)}>"


Condition = Callable[[Answers], bool]


@dataclass(frozen=True)
class AttachmentSpec:
    """A document the citizen uploads on a step. `condition` decides whether it
    is asked for at all; `required` whether the step can be completed without it."""

    key: str
    label: Text
    hint: Text = ""
    required: bool = True
    condition: Condition | None = None
    content_types: tuple[str, ...] = (PDF, JPEG, PNG)
    max_bytes: int | None = None  # None: settings.UPLOAD_MAX_FILE_BYTES

    def applies(self, answers: Answers) -> bool:
        return self.condition is None or bool(self.condition(answers))


@dataclass(frozen=True)
class Repeat:
    """Makes a step a repeating group: the form is shown once per entry."""

    min_entries: int = 1
    max_entries: int = 20
    entry_label: Text = ""
    add_label: Text = ""


@dataclass(frozen=True)
class Step:
    name: str
    title: Text
    form_class: type[forms.Form] | None = None
    condition: Condition | None = None
    attachments: Sequence[AttachmentSpec] = ()
    repeat: Repeat | None = None
    intro: Text = ""
    # The step whose page these questions were on in earlier service versions:
    # answers saved there (a draft begun before the split) move here when the
    # draft is opened again (OnlineService.upgrade_answers).
    split_from: str = ""

    def applies(self, answers: Answers) -> bool:
        return self.condition is None or bool(self.condition(answers))


@dataclass(frozen=True)
class Parameter:
    """A per-city setting the service declares (fee, lead time, zones, ...)."""

    key: str
    label: Text
    kind: str  # "decimal" | "int" | "text" | "list" | "bool"
    default: Any
    help_text: Text = ""
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    explanation: Text
    currency: str = "EUR"

    def as_data(self) -> dict[str, str]:
        return {"amount": f"{self.amount:.2f}", "currency": self.currency, "explanation": str(self.explanation)}


@dataclass(frozen=True)
class SummaryLine:
    """An extra line on the check-your-answers page and the PDF (e.g. an estimate)."""

    label: Text
    value: Text


@dataclass(frozen=True)
class Notice:
    """An explanation shown before submitting (e.g. an eligibility rule). It never
    blocks: the citizen may still submit and the office decides."""

    title: Text
    text: Text
    level: str = "warning"  # "info" | "warning"


# "pdf": the receipt attached; "link": a link to download it on the city's host,
# with the code shown after submitting (submissions/receipt_links.py); "none".
CONFIRMATION_ATTACHMENTS = ("pdf", "link", "none")


@dataclass(frozen=True)
class Prefill:
    """An answer filled in from the citizen's BundID account: `attribute` is one
    of identity/levels.py ATTRIBUTES (family_name, given_names, birth_date,
    birth_place, street, postal_code, city, email); `locked`: the citizen may
    not change it (enforced on the server: the field ignores what is posted)."""

    attribute: str
    locked: bool = False


@dataclass
class ServiceContext:
    """What hooks get besides answers: the city's settings for this service."""

    city_service: CityService | None
    params: dict[str, Any] = field(default_factory=dict)
    # The logged-in citizen's BundID attributes to prefill from (forms_engine/identity), or None.
    prefill: dict[str, str] | None = None

    @classmethod
    def for_service(
        cls, service: OnlineService, city_service: CityService | None = None, params: Mapping[str, Any] | None = None
    ) -> ServiceContext:
        """A context whose params are complete: the given values over the service's defaults."""
        return cls(city_service=city_service, params={**service.default_params(), **(params or {})})


class OnlineService:
    slug: ClassVar[str]
    version: ClassVar[str]
    title: ClassVar[Text]
    summary_text: ClassVar[Text] = ""
    leika_key: ClassVar[str]
    reference_code: ClassVar[str]  # 2-4 capitals, e.g. "UVG" in GI-UVG-2026-004711
    steps: ClassVar[Sequence[Step]]
    parameters: ClassVar[Sequence[Parameter]] = ()
    pdf_template: ClassVar[str] = "documents/receipt.html"
    data_schema_version: ClassVar[str] = "1"
    retention_days_default: ClassVar[int] = 90
    demo: ClassVar[bool] = True  # `manage.py demo` switches it on in the demo cities
    # Online payment of the fee (forms_engine/payments): the modes a city may
    # choose for this service (CityService.payment_mode): "before" = paid before
    # the submission is delivered, "after" = delivered at once, paid later by a
    # link. Empty: online payment is not offered; the fee is only shown.
    payment_modes: ClassVar[Sequence[str]] = ()
    # Field paths ("step.field") that identify the applicant, for the back
    # office's name search (blind index) and the confirmation email.
    applicant_name_fields: ClassVar[Sequence[str]] = ()
    applicant_email_field: ClassVar[str | None] = None
    # Sample answers per path, for the contract test: {path name: {step: data}}.
    sample_answers: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    # City parameters a step's form takes as keyword arguments of the same name:
    # {step name: (parameter key, ...)}, passed on by the default form_kwargs().
    form_parameters: ClassVar[Mapping[str, Sequence[str]]] = {}
    # Default texts a city may replace with its own (catalog/texts.py lists the
    # kinds and their placeholders): {kind: {"subject": ..., "body": ...}}.
    # A kind left out uses the engine's default.
    texts: ClassVar[Mapping[str, Mapping[str, Text]]] = {}
    # What the confirmation email carries (CONFIRMATION_ATTACHMENTS): the first
    # is the default, a city may choose another of these (CityService.
    # confirmation_attachment). Services whose receipt holds social data (bank
    # details, income, a child's data) leave "pdf" out: docs/security.md.
    confirmation_attachments: ClassVar[Sequence[str]] = ("pdf", "link", "none")
    # Citizen login with BundID (forms_engine/identity, docs/bundid.md): "none",
    # "optional" or "required"; the minimum trust level ("basic", "substantial",
    # "high"); and answers filled in from the account: {"step.field": Prefill(...)}.
    bundid_login: ClassVar[str] = "none"
    bundid_level: ClassVar[str] = "basic"
    bundid_prefill: ClassVar[Mapping[str, Prefill]] = {}

    # --- hooks with defaults -------------------------------------------------

    def initial_data(self, step: Step, context: ServiceContext) -> dict[str, Any]:
        return {}

    def form_kwargs(self, step: Step, context: ServiceContext) -> dict[str, Any]:
        """Extra keyword arguments for the step's form (e.g. the city's zones):
        by default the parameters named for the step in form_parameters."""
        return {key: context.params[key] for key in self.form_parameters.get(step.name, ())}

    def clean_all(self, answers: Answers, context: ServiceContext) -> list[Notice]:
        """Cross-step rules, shown as explanations on the check page."""
        return []

    def fee(self, answers: Answers, context: ServiceContext) -> Fee | None:
        return None

    def summary(self, answers: Answers, context: ServiceContext) -> list[SummaryLine]:
        return []

    def pdf_context(self, submission: Any) -> dict[str, Any]:
        return {}

    def after_submit(self, submission: Any) -> None:
        return None

    # --- derived ---------------------------------------------------------------

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def active_steps(self, answers: Answers) -> list[Step]:
        return [s for s in self.steps if s.applies(answers)]

    def upgrade_answers(self, answers: dict[str, Any], completed: list[str]) -> bool:
        """Answers saved under an earlier step layout, moved (in place) to this
        version's: a step split off another (Step.split_from) takes its fields
        from there, and is done if that step was. Returns whether anything moved;
        a second call moves nothing."""
        moved = False
        for step in self.steps:
            old = answers.get(step.split_from) if step.split_from else None
            if step.form_class is None or not isinstance(old, dict):
                continue
            names = set(step.form_class.base_fields)
            taken = {key: value for key, value in old.items() if key in names}
            if not taken:
                continue
            current = answers.get(step.name)
            answers[step.name] = {**(current if isinstance(current, dict) else {}), **taken}
            answers[step.split_from] = {key: value for key, value in old.items() if key not in names}
            if step.split_from in completed and step.name not in completed:
                completed.append(step.name)
            moved = True
        return moved

    def applicant_name(self, answers: Answers) -> str:
        return " ".join(str(answers.get(p) or "") for p in self.applicant_name_fields).strip()

    def applicant_email(self, answers: Answers) -> str:
        return str(answers.get(self.applicant_email_field) or "") if self.applicant_email_field else ""

    def default_params(self) -> dict[str, Any]:
        return {p.key: p.default for p in self.parameters}

    def __repr__(self) -> str:
        return f"<OnlineService {self.slug} {self.version}>"
