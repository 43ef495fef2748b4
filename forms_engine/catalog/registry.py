"""The registry of online services, filled by each service app's ready()."""

from __future__ import annotations

from .base import OnlineService

_services: dict[str, OnlineService] = {}


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


def get(slug: str) -> OnlineService | None:
    return _services.get(slug)


def all_services() -> list[OnlineService]:
    return sorted(_services.values(), key=lambda s: s.slug)


def title(slug: str) -> str:
    """The service's title in the active language; the slug only for a service
    that is no longer installed (its old rows must still show something)."""
    service = _services.get(slug)
    return str(service.title) if service else slug
