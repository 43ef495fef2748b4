"""Texts a city writes itself (start page notes, emails to citizens), in German
and English, with placeholders.

City-written text is a template written by someone who is not a developer, and
it runs on our servers: it is rendered in Jinja2's SandboxedEnvironment over a
dict of plain strings (never model objects, so nothing can reach a method or an
attribute of ours), and may only contain text, placeholders, conditions and a
few filters (no loops, calls or arithmetic that could keep a worker busy). Every
kind lists its placeholders; a text using another name, or broken syntax, is a
form error before it is saved. Without a city text, the service's default
(`OnlineService.texts`) or the engine's default below is used.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .base import OnlineService, Text
from .models import CityService, CityText

if TYPE_CHECKING:
    from django.utils.functional import Promise

logger = logging.getLogger(__name__)

MAX_OUTPUT = 20_000  # characters; a text is at most 10 000, values are short


ENVIRONMENT = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)
ENVIRONMENT.globals.clear()  # no range(), dict(), lipsum(), ...: texts need none of them

# What a city text may contain: text, placeholders, conditions and a few
# harmless filters. No loops, macros, calls or assignments: they are not needed
# for a letter, and a loop in a loop could keep a worker busy for hours.
_ALLOWED_NODES = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If, nodes.CondExpr,
    nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Concat, nodes.Filter, nodes.Test,
)  # fmt: skip
_ALLOWED_FILTERS = frozenset({"upper", "lower", "capitalize", "title", "trim", "default", "d"})
_ALLOWED_TESTS = frozenset({"defined", "undefined", "none", "string"})


class NotAllowed(SecurityError):
    pass


def _check_nodes(parsed: nodes.Template) -> None:
    for node in parsed.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise NotAllowed(type(node).__name__)
        if isinstance(node, nodes.Filter) and node.name not in _ALLOWED_FILTERS:
            raise NotAllowed(node.name)
        if isinstance(node, nodes.Test) and node.name not in _ALLOWED_TESTS:
            raise NotAllowed(node.name)


_OFFICE = {
    "office_name": gettext_lazy("name of the responsible office"),
    "office_address": gettext_lazy("postal address of the office"),
    "office_email": gettext_lazy("email address of the office"),
    "office_phone": gettext_lazy("phone number of the office"),
}
_COMMON = {
    "city_name": gettext_lazy("name of the city"),
    "city_to": gettext_lazy('the city as addressee with its article ("an die Universitätsstadt Gießen")'),
    "service_title": gettext_lazy("name of the online service"),
}
_REFERENCE = {"reference": gettext_lazy("reference number of the application")}


@dataclass(frozen=True)
class TextKind:
    key: str
    placeholders: Mapping[str, Promise]
    samples: Mapping[str, Text]
    subject: Text  # engine default; "" for page texts (no subject)
    body: Text

    @property
    def is_email(self) -> bool:
        return self.key != CityText.Kind.START_NOTES


_SAMPLES: dict[str, Text] = {
    "city_name": "Universitätsstadt Gießen",
    "city_to": gettext_lazy("to Universitätsstadt Gießen"),
    "service_title": gettext_lazy("Found item report"),
    "reference": "GI-FUND-2026-000001",
    "submitted_at": "02.12.2026, 14:05",
    "office_name": gettext_lazy("Citizens' office"),
    "office_address": "Berliner Platz 1\n35390 Gießen",
    "office_email": "buergeramt@example.org",
    "office_phone": "0641 306-0",
    "message": gettext_lazy("Please send us a copy of your identity card."),
    "link": "https://giessen.example/nachreichen/…/",
    "valid_until": "16.12.2026",
    "receipt": gettext_lazy("Your application as submitted is attached as a PDF."),
}

KINDS: dict[str, TextKind] = {
    kind.key: kind
    for kind in [
        TextKind(CityText.Kind.START_NOTES, {**_COMMON, **_OFFICE}, _SAMPLES, "", ""),
        TextKind(
            CityText.Kind.CONFIRMATION,
            {
                **_COMMON,
                **_REFERENCE,
                "submitted_at": gettext_lazy("date and time of submission"),
                "receipt": gettext_lazy("how the application is handed over: attached, a download link, or not"),
                **_OFFICE,
            },
            _SAMPLES,
            gettext_lazy("Your application {{ reference }} ({{ service_title }}) has been received"),
            gettext_lazy(
                'Hello,\n\nthank you for your application "{{ service_title }}" {{ city_to }}. '
                "We have received it.\n\nReference: {{ reference }}\nSubmitted: {{ submitted_at }}\n\n"
                "What happens next\nThe responsible office checks your application. If anything is missing, "
                "it will contact you. Please quote your reference in every enquiry.\n\n{{ receipt }}\n"
                "{% if office_name %}\nResponsible office\n{{ office_name }}"
                "{% if office_address %}\n{{ office_address }}{% endif %}{% if office_email %}\nEmail: "
                "{{ office_email }}{% endif %}{% if office_phone %}\nPhone: {{ office_phone }}{% endif %}\n"
                "{% endif %}\nThis email was sent automatically. Please do not reply to it.\n\n{{ city_name }}"
            ),
        ),
        TextKind(
            CityText.Kind.DECISION_APPROVED,
            {**_COMMON, **_REFERENCE},
            _SAMPLES,
            gettext_lazy("Your application {{ reference }}"),
            gettext_lazy(
                "Hello,\n\nthere is a decision on your application {{ reference }}.\n\n"
                "Your application was approved. You will receive the decision by post as well.\n\n"
                "Kind regards\n{{ city_name }}"
            ),
        ),
        TextKind(
            CityText.Kind.DECISION_REJECTED,
            {**_COMMON, **_REFERENCE},
            _SAMPLES,
            gettext_lazy("Your application {{ reference }}"),
            gettext_lazy(
                "Hello,\n\nthere is a decision on your application {{ reference }}.\n\n"
                "Your application was rejected. You will receive the decision with the reasons and how to "
                "appeal by post.\n\nKind regards\n{{ city_name }}"
            ),
        ),
        TextKind(
            CityText.Kind.DOCUMENT_REQUEST,
            {
                **_COMMON,
                **_REFERENCE,
                "message": gettext_lazy("what the caseworker asks for"),
                "link": gettext_lazy("the one-time upload link"),
                "valid_until": gettext_lazy("last day the link works"),
            },
            _SAMPLES,
            gettext_lazy("Please hand in documents for {{ reference }}"),
            gettext_lazy(
                "Hello,\n\nto process your application {{ reference }} we need further documents:\n\n"
                "{{ message }}\n\nPlease upload them here:\n{{ link }}\n\n"
                "The link works once, until {{ valid_until }}.\n\nKind regards\n{{ city_name }}"
            ),
        ),
    ]
}


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str


def default_source(service: OnlineService | None, kind: str) -> tuple[str, str]:
    """(subject, body) of the default in the active language: the service's own
    (OnlineService.texts) over the engine's."""
    spec = KINDS[kind]
    own = (service.texts if service else {}).get(kind, {})
    return str(own.get("subject", spec.subject)), str(own.get("body", spec.body))


def _plain(kind: str, values: Mapping[str, Any]) -> dict[str, str]:
    """Only the kind's placeholders, each as a plain string."""
    return {name: "" if values.get(name) is None else str(values[name]) for name in KINDS[kind].placeholders}


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    """Checked on every render path, not only when saved (a text stored by other
    means gets no further than one saved in the admin), and compiled once per
    distinct text: parsing and compiling cost tens of milliseconds, rendering
    a compiled text a fraction of one. A failing text is not cached."""
    _check_nodes(ENVIRONMENT.parse(source))
    return ENVIRONMENT.from_string(source)


def render_source(source: str, kind: str, values: Mapping[str, Any]) -> str:
    return render_plain(source, _plain(kind, values))


def render_plain(source: str, values: Mapping[str, str]) -> str:
    """A checked text over plain strings only (also the decision letters')."""
    text = _compiled(source).render(dict(values))
    if len(text) > MAX_OUTPUT:
        raise SecurityError("result too large")
    return text


def problems(kind: str, source: str) -> list[str]:
    """What is wrong with a city's text, in the admin's language; [] if fine."""
    return template_problems(source, KINDS[kind].placeholders, sample_values(kind))


def template_problems(source: str, placeholders: Iterable[str], samples: Mapping[str, str]) -> list[str]:
    """What is wrong with a text over these placeholders; [] if fine."""
    allowed = list(placeholders)
    try:
        parsed = ENVIRONMENT.parse(source)
    except TemplateSyntaxError as exc:
        return [
            _(
                "Line %(line)d cannot be read. Write placeholders as {{ name }} and conditions as "
                "{%% if name %%}…{%% endif %%}."
            )
            % {"line": exc.lineno}
        ]
    try:
        _check_nodes(parsed)
    except NotAllowed:
        return [
            _("Only placeholders such as {{ name }} and conditions such as {%% if name %%}…{%% endif %%} are allowed.")
            % {}
        ]
    unknown = sorted(meta.find_undeclared_variables(parsed) - set(allowed))
    if unknown:
        return [
            _("Unknown placeholder: %(names)s. Available: %(available)s.")
            % {"names": ", ".join(unknown), "available": ", ".join(allowed)}
        ]
    try:
        render_plain(source, {name: str(samples.get(name, "")) for name in allowed})
    except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError):
        return [_("The text uses something that is not allowed in texts of a city. Use only the placeholders.")]
    return []


def sample_values(kind: str) -> dict[str, str]:
    return {name: str(KINDS[kind].samples.get(name, "")) for name in KINDS[kind].placeholders}


def city_text(city_service: CityService | None, kind: str, language: str) -> CityText | None:
    if city_service is None or city_service.pk is None:
        return None
    with scopes_disabled():  # filtered by the city service, which belongs to one city
        return CityText.objects.filter(
            city_id=city_service.city_id, city_service=city_service, kind=kind, language=language
        ).first()


def render_text(
    *,
    city_service: CityService | None,
    service: OnlineService | None,
    kind: str,
    language: str,
    values: Mapping[str, Any],
) -> RenderedText:
    """The city's text for this kind and language, else the default, rendered
    over the given values. A city text that fails (it was checked when saved,
    so only after a placeholder was withdrawn) falls back to the default."""
    with translation.override(language or settings.LANGUAGE_CODE):
        own = city_text(city_service, kind, language)
        if own is not None:
            try:
                return RenderedText(render_source(own.subject, kind, values), render_source(own.body, kind, values))
            except (TemplateError, SecurityError, TypeError, ValueError, ArithmeticError) as exc:
                logger.warning("city text not rendered: kind=%s text=%s error=%s", kind, own.pk, type(exc).__name__)
        subject, body = default_source(service, kind)
        return RenderedText(render_source(subject, kind, values), render_source(body, kind, values))


def city_values(city: Any) -> dict[str, str]:
    """The city's placeholders, in the active language."""
    return {"city_name": city.name, "city_to": city.name_to()}


def office_values(city_service: CityService | None) -> dict[str, str]:
    if city_service is None:
        return dict.fromkeys(_OFFICE, "")
    return {
        "office_name": city_service.office_name,
        "office_address": city_service.office_address,
        "office_email": city_service.office_email,
        "office_phone": city_service.office_phone,
    }


def start_notes(city_service: CityService, language: str) -> str:
    service = city_service.service
    values = {
        **city_values(city_service.city),
        "service_title": str(service.title) if service else city_service.service_slug,
        **office_values(city_service),
    }
    return render_text(
        city_service=city_service, service=service, kind=CityText.Kind.START_NOTES, language=language, values=values
    ).body.strip()


@dataclass(frozen=True)
class OverviewRow:
    kind: str
    kind_label: str
    language: str
    language_label: str
    text: CityText | None


def text_overview(city_service: CityService) -> list[OverviewRow]:
    """Every kind in every language, with the city's text where there is one."""
    with scopes_disabled():
        own = {(t.kind, t.language): t for t in CityText.objects.filter(city_service=city_service)}
    return [
        OverviewRow(kind, str(label), code, str(name), own.get((kind, code)))
        for kind, label in CityText.Kind.choices
        for code, name in settings.LANGUAGES
    ]
