"""A stored definition (parser.py's JSON) -> an OnlineService, built from the
same objects a code service declares (Step, Repeat, AttachmentSpec, Django
forms). A data service runs no code of its own: its conditions are data
(field equals value) evaluated here, and every hook keeps the base default."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog.base import Answers, AttachmentSpec, Condition, OnlineService, Repeat, Step
from forms_engine.catalog.fields import (
    DATE_WIDGET,
    TIME_ERROR,
    TIME_PATTERN,
    TIME_WIDGET,
    YES,
    YES_NO,
    DecimalTextField,
)
from forms_engine.lib.forms import KernFormMixin

DEFAULT_MAX_LENGTH = 1000
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$"
# DIN SPEC 91379 ("String.Latin+"), approximated by the Latin blocks of Unicode.
LATIN = r"^[\u0020-\u007e\u00a0-\u024f\u1e00-\u1eff\u0300-\u036f\n\r\t]*$"
FORMAT_ERROR = _("The entry does not have the required format.")


class DataService(OnlineService):
    """Base of every data-defined service; `definition` is the stored JSON."""

    definition: dict[str, Any]
    demo = False
    reference_code = "FIM"
    leika_key = ""


def _number_bounds(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        key: Decimal(str(spec[key])) if spec["kind"] != "num_int" else int(float(spec[key]))
        for key in ("min_value", "max_value")
        if spec.get(key) is not None
    }


def build_field(spec: dict[str, Any]) -> forms.Field:
    common: dict[str, Any] = {"label": spec["label"], "help_text": spec.get("hint", ""), "required": spec["required"]}
    kind = spec["kind"]
    if kind in {"text", "text_latin"}:
        max_length = spec.get("max_length") or DEFAULT_MAX_LENGTH
        validators = [RegexValidator(spec["pattern"], FORMAT_ERROR)] if spec.get("pattern") else []
        if kind == "text_latin":
            validators.append(RegexValidator(LATIN, _("Use Latin letters only.")))
        widget = forms.Textarea(attrs={"rows": 4}) if max_length > 200 else forms.TextInput()
        return forms.CharField(
            max_length=max_length, min_length=spec.get("min_length"), validators=validators, widget=widget, **common
        )
    if kind == "email":
        return forms.EmailField(max_length=spec.get("max_length") or 254, widget=forms.EmailInput(), **common)
    if kind == "date":
        return forms.DateField(widget=DATE_WIDGET, **common)
    if kind == "time":
        return forms.RegexField(regex=TIME_PATTERN, error_messages=TIME_ERROR, widget=TIME_WIDGET, **common)
    if kind == "datetime":
        return forms.RegexField(
            regex=DATETIME_PATTERN,
            error_messages={"invalid": _("Enter a date and time such as 2026-05-01T18:30.")},
            widget=forms.TextInput(attrs={"type": "datetime-local"}),
            **common,
        )
    if kind == "bool":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == "num_int":
        return forms.IntegerField(**_number_bounds(spec), **common)
    if kind in {"num", "num_currency"}:
        places = 2 if kind == "num_currency" else 6
        return DecimalTextField(decimal_places=places, max_digits=18, **_number_bounds(spec), **common)
    if kind == "select":
        choices = [(str(c), str(label)) for c, label in spec["choices"]]
        if len(choices) <= 6:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("Please choose")), *choices], **common)
    if kind in {"hidden", "locked"}:
        shown: forms.Widget = forms.HiddenInput() if kind == "hidden" else forms.TextInput(attrs={"readonly": True})
        return forms.CharField(initial=spec.get("value", ""), disabled=True, widget=shown, **common)
    raise ValueError(f"unknown field kind {kind!r}")


def build_form(step: dict[str, Any]) -> type[forms.Form]:
    fields = {spec["name"]: build_field(spec) for spec in step["fields"]}
    name = "Form_" + re.sub(r"\W", "_", step["name"])
    return type(name, (KernFormMixin, forms.Form), fields)


def build_condition(condition: dict[str, str] | None) -> Condition | None:
    if not condition:
        return None
    path, value = f"{condition['step']}.{condition['field']}", condition["equals"]

    def applies(answers: Answers) -> bool:
        return str(answers.get(path, "")) == value

    return applies


def build_step(step: dict[str, Any]) -> Step:
    repeat = step.get("repeat")
    return Step(
        name=step["name"],
        title=step["title"],
        form_class=build_form(step) if step["fields"] else None,
        condition=build_condition(step.get("condition")),
        attachments=tuple(
            AttachmentSpec(a["key"], a["label"], hint=a.get("hint", ""), required=a["required"])
            for a in step["attachments"]
        ),
        repeat=Repeat(min_entries=repeat["min"], max_entries=repeat["max"]) if repeat else None,
        intro=step.get("intro", ""),
    )


def sample_value(spec: dict[str, Any]) -> Any:
    """An answer the field accepts, for the contract test and the demo."""
    kind = spec["kind"]
    if kind == "email":
        return "antrag@example.org"
    if kind in {"text", "text_latin"}:
        candidates = ["Beispiel", "12345", "ABC123", "DE12", "A", "Mustermann Maria"]
        pattern = spec.get("pattern")
        low, high = spec.get("min_length") or 0, spec.get("max_length") or DEFAULT_MAX_LENGTH
        for candidate in candidates:
            if (not pattern or re.fullmatch(pattern, candidate)) and low <= len(candidate) <= high:
                return candidate
        return "x" * max(low, 1)
    bounds = {k: float(spec[k]) for k in ("min_value", "max_value") if spec.get(k) is not None}
    number = bounds.get("min_value", min(10.0, bounds.get("max_value", 10.0)))
    return {
        "date": "2024-03-01",
        "time": "10:30",
        "datetime": "2024-03-01T10:30",
        "bool": YES,
        "num_int": str(int(number)),
        "num": f"{number:g}",
        "num_currency": f"{number:.2f}",
        "select": str(spec["choices"][0][0]) if spec.get("choices") else "",
    }.get(kind)


def sample_answers(definition: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for step in definition["steps"]:
        values = {f["name"]: sample_value(f) for f in step["fields"] if f["kind"] not in {"hidden", "locked"}}
        answers[step["name"]] = [values] * max(1, step["repeat"]["min"]) if step.get("repeat") else values
    return answers


def service_slug(schema_id: str) -> str:
    return "fim-" + re.sub(r"[^a-z0-9]+", "-", schema_id.lower()).strip("-")


def build_service(definition: dict[str, Any], *, version: str) -> OnlineService:
    attrs = {
        "definition": definition,
        "slug": service_slug(definition["schema_id"]),
        "version": version,
        "title": definition["title"],
        "summary_text": definition.get("description", "")[:300],
        "data_schema_version": version,
        "steps": tuple(build_step(s) for s in definition["steps"]),
        "sample_answers": {"fim": sample_answers(definition)},
        "applicant_email_field": definition.get("roles", {}).get("email"),
        "applicant_name_fields": tuple(v for k, v in definition.get("roles", {}).items() if k == "family_name"),
    }
    service_class = type(f"DataService_{attrs['slug']}", (DataService,), attrs)
    service: OnlineService = service_class()
    return service
