"""Answers filled in from the citizen's BundID account. The service declares
which (OnlineService.bundid_prefill); the marker is data on the form field
(`field.bundid_prefill`, plus the hint text) and on the check page's lines
(`line["bundid"]`), so any field template shows it. A locked field is disabled:
Django then ignores what is posted for it and keeps the account's value."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from forms_engine.catalog.base import Answers, OnlineService, Prefill, ServiceContext, Step


def _for_step(service: OnlineService, step: Step, context: ServiceContext) -> dict[str, tuple[Prefill, str]]:
    if context.prefill is None or step.repeat is not None:
        return {}
    found = {}
    for path, spec in service.bundid_prefill.items():
        step_name, _sep, name = path.partition(".")
        value = context.prefill.get(spec.attribute)
        if step_name == step.name and value:
            found[name] = (spec, value)
    return found


def initial(
    service: OnlineService, step: Step, context: ServiceContext, initial: dict[str, Any], saved: Any
) -> tuple[dict[str, Any], dict[str, Prefill]]:
    """The form's initial values with the account's values in: a locked one
    always, a changeable one until the citizen saved their own."""
    found = _for_step(service, step, context)
    if not found:
        return initial, {}
    result = dict(initial)
    shown: dict[str, Prefill] = {}
    answered = saved if isinstance(saved, dict) else {}
    for name, (spec, value) in found.items():
        if spec.locked or name not in answered:
            result[name] = value
        if str(result.get(name)) == value:
            shown[name] = spec
    return result, shown


def marker(spec: Prefill) -> str:
    if spec.locked:
        return _("From your BundID account – cannot be changed here")
    return _("From your BundID account")


def mark_form(form: Any, shown: dict[str, Prefill]) -> None:
    for name, spec in shown.items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.bundid_prefill = spec
        field.help_text = f"{marker(spec)}. {field.help_text}" if field.help_text else marker(spec)
        if spec.locked:
            field.disabled = True


def mark_cards(
    service: OnlineService, context: ServiceContext, sections: list[dict[str, Any]], answers: Answers
) -> list[dict[str, Any]]:
    """The check page: lines whose answer is the account's value carry the marker."""
    if context.prefill is None:
        return sections
    for section in sections:
        for line in section.get("fields", []):
            spec = service.bundid_prefill.get(f"{section['step']}.{line['name']}")
            value = context.prefill.get(spec.attribute) if spec else None
            if spec is not None and value and str(answers.get(f"{section['step']}.{line['name']}")) == value:
                line["bundid"] = marker(spec)
                line["locked"] = spec.locked
    return sections


def changed_locked_step(service: OnlineService, context: ServiceContext, answers: Answers) -> Step | None:
    """At submit while logged in: the first step whose locked answer is not the
    account's value (answered before the login, or while logged out)."""
    if context.prefill is None:
        return None
    for path, spec in service.bundid_prefill.items():
        value = context.prefill.get(spec.attribute)
        step = service.step(path.partition(".")[0])
        if spec.locked and value and step is not None and step.applies(answers) and str(answers.get(path)) != value:
            return step
    return None
