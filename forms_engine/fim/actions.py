"""Importing and publishing data services. An upload either imports completely
or changes nothing (ImportRefused carries every problem found)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.catalog import registry, schema

from . import loader
from .build import DataService, service_slug
from .codelists import read_codelist
from .models import FimServiceVersion
from .parser import read
from .safexml import ImportRefused, Problem


def fim_import(
    *, document: bytes, source_name: str, codelists: Sequence[tuple[str, bytes]] = (), by: Any = None
) -> FimServiceVersion:
    """A new draft version from an XDatenfelder document and the genericode
    code lists it references. A draft of the same version is replaced; a
    published one is never touched."""
    lists: dict[str, list[list[str]]] = {}
    problems: list[Problem] = []
    for name, data in codelists:
        try:
            uri, rows = read_codelist(data)
            lists[uri] = rows
        except ImportRefused as exc:
            problems += [Problem(f"{name}: {p.text()}") for p in exc.problems]
    if problems:
        raise ImportRefused(problems)
    definition, report = read(document, lists)
    slug = service_slug(definition["schema_id"])
    existing_service = registry.get(slug)
    if existing_service is not None and not isinstance(existing_service, DataService):
        raise ImportRefused([Problem(_("A code service already uses the name %(slug)s.") % {"slug": slug})])
    with transaction.atomic():
        existing = FimServiceVersion.objects.select_for_update().filter(slug=slug, version=definition["version"])
        if existing.filter(status=FimServiceVersion.Status.PUBLISHED).exists():
            raise ImportRefused(
                [
                    Problem(
                        _("Version %(version)s of %(schema)s is already published: import a newer version.")
                        % {"version": definition["version"], "schema": definition["schema_id"]}
                    )
                ]
            )
        existing.delete()
        return FimServiceVersion.objects.create(
            slug=slug,
            schema_id=definition["schema_id"],
            version=definition["version"],
            title=definition["title"][:300],
            fim_format=definition["format"],
            source_name=source_name[:200],
            definition=definition,
            report=report,
            imported_by=by,
        )


def fim_publish(*, version: FimServiceVersion) -> FimServiceVersion:
    """Publish: the version becomes what the registry serves under its slug,
    and its JSON Schema is published (immutable, like every schema)."""
    with transaction.atomic():
        row = FimServiceVersion.objects.select_for_update().get(pk=version.pk)
        if row.is_published:
            return row
        FimServiceVersion.objects.filter(pk=row.pk).update(
            status=FimServiceVersion.Status.PUBLISHED, published_at=timezone.now()
        )
        row.refresh_from_db()
        transaction.on_commit(loader.forget)
    loader.forget()
    service = registry.get(row.slug, row.version)
    if service is not None:
        schema.publish(service)
    return row
