"""JSON Schema of a service's submission data, derived from its step forms.
Every stored submission validates against the schema of its service version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from .base import OnlineService, Step

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_uri(service_slug: str, data_schema_version: str, base_url: str = "") -> str:
    """The one address of a data schema version: what deliveries carry in
    `schema` (with the city's base URL) and what `schema_view` serves."""
    return base_url + reverse("service-schema", args=[service_slug, data_schema_version])


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    return list(field.choices)  # type: ignore[arg-type]


def field_schema(field: forms.Field) -> dict[str, Any]:
    schema: dict[str, Any]
    if isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, forms.MultipleChoiceField):
        schema = {"type": "array", "items": {"enum": [str(k) for k, _v in _choices(field)]}}
    elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        keys = [k for k, _v in _choices(field)]
        schema = {"enum": keys if field.required else [*dict.fromkeys([*keys, "", None])]}
    elif isinstance(field, forms.DecimalField):  # before IntegerField: it is a subclass
        schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(field, forms.FloatField):
        schema = {"type": "number"}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, forms.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.EmailField):
        schema = {"type": "string", "format": "email"}
    else:
        schema = {"type": "string"}
        max_length = getattr(field, "max_length", None)
        if max_length:
            schema["maxLength"] = max_length
    if not field.required and "enum" not in schema:
        schema = {"anyOf": [schema, {"type": "null"}, {"const": ""}]}
    if field.label:
        schema["title"] = str(field.label)
    return schema


def form_schema(form: forms.Form) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: field_schema(field) for name, field in form.fields.items()},
        "required": [name for name, field in form.fields.items() if field.required],
        "additionalProperties": False,
    }


def step_schema(service: OnlineService, step: Step) -> dict[str, Any]:
    assert step.form_class is not None
    try:
        form = step.form_class()
    except TypeError:  # forms with required city parameters: use the defaults
        from .base import ServiceContext

        form = step.form_class(**service.form_kwargs(step, ServiceContext.for_service(service)))
    schema = form_schema(form)
    if step.repeat is not None:
        return {
            "type": "array",
            "items": schema,
            "minItems": step.repeat.min_entries,
            "maxItems": step.repeat.max_entries,
            "title": str(step.title),
        }
    schema["title"] = str(step.title)
    return schema


def data_schema(service: OnlineService) -> dict[str, Any]:
    steps = [s for s in service.steps if s.form_class is not None]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_uri(service.slug, service.data_schema_version),
        "title": str(service.title),
        "description": f"{service.slug} {service.version}, data schema {service.data_schema_version}",
        "type": "object",
        "properties": {s.name: step_schema(service, s) for s in steps},
        # Conditional steps may be absent; unconditional ones must be there.
        "required": [s.name for s in steps if s.condition is None],
        "additionalProperties": False,
    }


def publish(service: OnlineService) -> dict[str, Any]:
    """Store the schema of the service's current data schema version, unless
    that version is already published (published schemas never change).
    Returns the published schema."""
    from .models import PublishedSchema

    row = PublishedSchema.objects.filter(
        service_slug=service.slug, data_schema_version=service.data_schema_version
    ).first()
    if row is None:
        with translation.override(settings.LANGUAGE_CODE):
            schema = data_schema(service)
        try:
            with transaction.atomic():
                row = PublishedSchema.objects.create(
                    service_slug=service.slug,
                    data_schema_version=service.data_schema_version,
                    service_version=service.version,
                    schema=schema,
                )
        except IntegrityError:  # published concurrently
            row = PublishedSchema.objects.get(
                service_slug=service.slug, data_schema_version=service.data_schema_version
            )
    return dict(row.schema)


def published_schema(service_slug: str, data_schema_version: str) -> dict[str, Any] | None:
    """A published schema; the current code's version is published on first use."""
    from . import registry
    from .models import PublishedSchema

    row = PublishedSchema.objects.filter(service_slug=service_slug, data_schema_version=data_schema_version).first()
    if row is not None:
        return dict(row.schema)
    service = registry.get(service_slug)
    if service is None or service.data_schema_version != data_schema_version:
        return None
    return publish(service)


def publish_all(**kwargs: Any) -> None:
    """post_migrate: every deployment publishes the schemas of its services."""
    from . import registry

    for service in registry.all_services():
        publish(service)
