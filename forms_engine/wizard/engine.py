"""The wizard's logic without HTTP: building step forms from a draft, turning
cleaned data into JSON answers, pruning steps whose condition turned false and
building the label snapshot that is stored with a submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format

from forms_engine.catalog.base import Answers, OnlineService, ServiceContext, Step
from forms_engine.identity import prefill as bundid_prefill
from forms_engine.lib.numbers import format_amount, format_decimal
from forms_engine.submissions.models import Attachment

from .models import Draft


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


def cleaned_to_json(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {k: to_json_value(v) for k, v in cleaned.items() if not isinstance(v, forms.Field)}


def formset_class(service: OnlineService, step: Step, context: ServiceContext) -> Any:
    """The formset of a repeating group; each entry's form gets the service's
    form_kwargs (e.g. the city's lists)."""
    assert step.repeat is not None and step.form_class is not None
    base = forms.formset_factory(
        step.form_class,
        extra=0,
        min_num=step.repeat.min_entries,
        max_num=step.repeat.max_entries,
        validate_min=True,
        validate_max=True,
        absolute_max=step.repeat.max_entries,
    )
    kwargs = service.form_kwargs(step, context)
    if not kwargs:
        return base

    class WithKwargs(base):  # type: ignore[misc, valid-type]
        def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
            return {**super().get_form_kwargs(index), **kwargs}

    return WithKwargs


def build_form(
    service: OnlineService,
    step: Step,
    context: ServiceContext,
    answers: Answers,
    data: Any = None,
    entries: list[dict[str, Any]] | None = None,
) -> forms.Form | forms.BaseFormSet | None:  # type: ignore[type-arg]
    """The step's form (or formset for a repeating group), bound to POST data,
    or filled from `entries` (a repeating group being edited) or the saved answers."""
    if step.form_class is None:
        return None
    saved = answers.step(step.name)
    if step.repeat is not None:
        formset = formset_class(service, step, context)
        if data is not None:
            return formset(data, prefix=step.name)  # type: ignore[no-any-return]
        rows = entries if entries is not None else (saved if isinstance(saved, list) else [])
        return formset(initial=rows, prefix=step.name)  # type: ignore[no-any-return]
    kwargs = service.form_kwargs(step, context)
    initial = {**service.initial_data(step, context), **(saved if isinstance(saved, dict) else {})}
    initial, prefilled = bundid_prefill.initial(service, step, context, initial, saved)
    if data is not None:
        form = step.form_class(data, initial=initial, **kwargs)
    else:
        form = step.form_class(initial=initial, **kwargs)
    bundid_prefill.mark_form(form, prefilled)
    return form


def form_answers(step: Step, form: Any) -> Any:
    """JSON answers of a valid form or formset."""
    if step.repeat is not None:
        return [cleaned_to_json(f.cleaned_data) for f in form.forms if f.cleaned_data and not _deleted(f)]
    return cleaned_to_json(form.cleaned_data)


def _deleted(form: forms.Form) -> bool:
    return bool(form.cleaned_data.get("DELETE"))


def active_steps(service: OnlineService, answers: Answers) -> list[Step]:
    return service.active_steps(answers)


def prune(service: OnlineService, draft: Draft) -> list[Attachment]:
    """Discard answers and uploads of steps whose condition is now false, and
    uploads whose own condition is false. Returns the discarded attachments."""
    answers = Answers(draft.answers)
    active = {s.name for s in service.active_steps(answers)}
    for name in list(draft.answers):
        if name not in active:
            del draft.answers[name]
    draft.completed_steps = [n for n in draft.completed_steps if n in active]
    answers = Answers(draft.answers)
    uploads = list(Attachment.objects.filter(draft=draft))
    discarded = []
    for attachment in uploads:
        step = service.step(attachment.step)
        spec = next((a for a in step.attachments if a.key == attachment.key), None) if step else None
        if step is None or step.name not in active or spec is None or not spec.applies(answers):
            discarded.append(attachment)
    present = {(a.step, a.key) for a in uploads if a not in discarded}
    for attachment in discarded:
        attachment.delete_file()
        attachment.delete()
    # A change may ask for a document on a page already done: that page is open again.
    for step in service.active_steps(answers):
        needed = [s for s in step.attachments if s.required and s.applies(answers)]
        if step.name in draft.completed_steps and any((step.name, s.key) not in present for s in needed):
            draft.completed_steps.remove(step.name)
    return discarded


def first_incomplete(service: OnlineService, draft: Draft) -> Step | None:
    answers = Answers(draft.answers)
    for step in service.active_steps(answers):
        if step.name not in draft.completed_steps:
            return step
    return None


def may_open(service: OnlineService, draft: Draft, step: Step) -> bool:
    """A step can be opened when it applies and every step before it is done:
    no skipping ahead by typing a URL or posting to a later step."""
    answers = Answers(draft.answers)
    for candidate in service.active_steps(answers):
        if candidate.name == step.name:
            return True
        if candidate.name not in draft.completed_steps:
            return False
    return False


EMPTY = "–"  # an optional question left unanswered, in the snapshot (PDF, back office)


def display_value(field: forms.Field, value: Any) -> str:
    """The value as the citizen saw it: choice labels, German dates, yes/no."""
    if value in (None, "", []):
        return EMPTY
    choices = getattr(field, "choices", None)
    if choices:
        flat: dict[str, str] = {}
        for key, label in choices:
            if isinstance(label, list | tuple):
                flat.update({str(k): str(v) for k, v in label})
            else:
                flat[str(key)] = str(label)
        if isinstance(value, list):
            return ", ".join(flat.get(str(v), str(v)) for v in value)
        return flat.get(str(value), str(value))
    if isinstance(field, forms.BooleanField):
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    if isinstance(field, forms.DecimalField):
        return format_decimal(value, field.decimal_places)
    if isinstance(field, forms.DateField) and isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def _field_lines(form: forms.Form, values: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"name": name, "label": str(field.label or name), "value": display_value(field, values.get(name))}
        for name, field in form.fields.items()
        if name != "DELETE"
    ]


def snapshot(
    service: OnlineService, context: ServiceContext, answers: Answers, attachments: list[Attachment]
) -> list[dict[str, Any]]:
    """Every shown step with its title, labels and displayed values, in the
    citizen's current language: an old submission renders the same forever."""
    result = []
    for step in service.active_steps(answers):
        entry: dict[str, Any] = {"step": step.name, "title": str(step.title), "fields": [], "entries": []}
        if step.form_class is not None:
            kwargs = service.form_kwargs(step, context)
            form = step.form_class(**kwargs)
            saved = answers.step(step.name)
            if step.repeat is not None:
                entry["entries"] = [_field_lines(form, item) for item in (saved or [])]
            else:
                entry["fields"] = _field_lines(form, saved or {})
        files = [a for a in attachments if a.step == step.name]
        if files:
            labels = {a.key: str(a.label) for a in step.attachments}
            entry["attachments"] = [
                {"key": a.key, "label": labels.get(a.key, a.key), "filename": a.filename, "sha256": a.sha256}
                for a in files
            ]
        result.append(entry)
    return result


def answers_as_data(step: Step, saved: Any) -> dict[str, Any]:
    """Saved JSON answers in the shape of POST data, to re-validate a step."""
    if step.repeat is None:
        return dict(saved or {})
    items = saved if isinstance(saved, list) else []
    data: dict[str, Any] = {
        f"{step.name}-TOTAL_FORMS": str(len(items)),
        f"{step.name}-INITIAL_FORMS": str(len(items)),
        f"{step.name}-MIN_NUM_FORMS": "0",
        f"{step.name}-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{step.name}-{index}-{key}"] = value
    return data


def check_cards(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The check page's cards: the snapshot's steps without the optional
    questions left empty (the PDF and the back office keep them)."""
    return [
        {
            **section,
            "fields": [line for line in section["fields"] if line["value"] != EMPTY],
            "entries": [[line for line in entry if line["value"] != EMPTY] for entry in section["entries"]],
        }
        for section in sections
    ]


def page_range(service: OnlineService) -> dict[str, int]:
    """The start page's "10 to 17 steps": the steps a new application shows
    (plus the check page) up to every step there is (plus the check page).
    `progress` counts the same way, so the numbers agree on every page."""
    return {"fewest": len(service.active_steps(Answers({}))) + 1, "most": len(service.steps) + 1}


def progress(service: OnlineService, answers: Answers, step: Step | None) -> dict[str, int]:
    """ "Schritt 3 von 8": the check page counts as the last step."""
    steps = service.active_steps(answers)
    total = len(steps) + 1
    if step is None:
        return {"current": total, "total": total}
    index = next((i for i, s in enumerate(steps) if s.name == step.name), 0)
    return {"current": index + 1, "total": total}


def extra_lines(service: OnlineService, context: ServiceContext, answers: Answers) -> list[dict[str, Any]]:
    """The check page's computed lines (estimates, fee) for the snapshot."""
    from django.utils.translation import gettext

    lines = [
        {"name": "", "label": str(line.label), "value": str(line.value)} for line in service.summary(answers, context)
    ]
    fee = service.fee(answers, context)
    if fee is not None:
        lines.append(
            {
                "name": "fee",
                "label": gettext("Fee"),
                "value": f"{format_amount(fee.amount, fee.currency)} – {fee.explanation}",
            }
        )
    if not lines:
        return []
    return [{"step": "_summary", "title": gettext("Calculated for you"), "fields": lines, "entries": []}]


def last_step_reached(draft: Draft) -> str:
    """The step a citizen had reached (first unfinished one, or "check")."""
    from forms_engine.catalog import registry

    service = registry.get(draft.service_slug)
    if service is None:
        return ""
    step = first_incomplete(service, draft)
    return step.name if step else "check"
