"""The registry of delivery channels."""

from __future__ import annotations

from .base import Channel

_channels: dict[str, Channel] = {}


def register(channel_class: type[Channel]) -> type[Channel]:
    _channels[channel_class.name] = channel_class()
    return channel_class


def get(name: str) -> Channel | None:
    return _channels.get(name)


def all_channels() -> list[Channel]:
    return sorted(_channels.values(), key=lambda c: c.name)


def choices() -> list[tuple[str, str]]:
    return [(c.name, str(c.label)) for c in all_channels()]
