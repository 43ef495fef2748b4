"""The registry of online services: code services, filled by each service
app's ready(), and data services (FIM imports), supplied by a data source that
forms_engine.fim registers. Both are served the same way; a code slug wins."""

from __future__ import annotations

from collections.abc import Callable

from .base import OnlineService

_services: dict[str, OnlineService] = {}
# () -> {slug: latest published version}; (slug, version) -> that version
_data_services: Callable[[], dict[str, OnlineService]] = dict


def _no_version(slug: str, version: str) -> OnlineService | None:
    return None


_data_version: Callable[[str, str], OnlineService | None] = _no_version


def register_data_source(
    services: Callable[[], dict[str, OnlineService]], version: Callable[[str, str], OnlineService | None]
) -> None:
    global _data_services, _data_version
    _data_services, _data_version = services, version


class ServiceRegistrationError(Exception):
    pass


def register(service_class: type[OnlineService]) -> type[OnlineService]:
    service = service_class()
    existing = _services.get(service.slug)
    if existing is not None and type(existing) is not service_class:
        raise ServiceRegistrationError(f"two services claim the slug {service.slug!r}")
    names = [s.name for s in service.steps]
    if len(names) != len(set(names)) or {"check", "save", "done", "expired", "files"} & set(names):
        raise ServiceRegistrationError(f"{service.slug}: step names must be unique and not reserved")
    _services[service.slug] = service
    return service_class


def get(slug: str, version: str | None = None) -> OnlineService | None:
    """The service; with `version`, that version of a data service if it is not
    the current one (a submission renders with the version it was made with)."""
    service = _services.get(slug)
    if service is not None or not slug.startswith("fim-"):
        return service
    current = _data_services().get(slug)
    if version is not None and (current is None or current.version != version):
        return _data_version(slug, version) or current
    return current


def all_services() -> list[OnlineService]:
    return sorted({**_data_services(), **_services}.values(), key=lambda s: s.slug)


def title(slug: str) -> str:
    """The service's title in the active language; the slug only for a service
    that is no longer installed (its old rows must still show something)."""
    service = get(slug)
    return str(service.title) if service else slug
