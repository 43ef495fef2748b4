"""The delivery URLs: signed downloads, and the URLs each channel app owns
(a `urls.py` in the channel's folder is mounted under api/v1/)."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.urls import include, path

import forms_engine.lib.secret_paths  # noqa: F401  (registers the "secret" path converter)

from . import views


def _channel_urls() -> list[Any]:
    patterns = []
    for config in apps.get_app_configs():
        if config.name.startswith(f"{__package__}.contrib.") and find_spec(f"{config.name}.urls") is not None:
            patterns.append(path("api/v1/", include(import_module(f"{config.name}.urls"))))
    return patterns


urlpatterns = [
    path("api/v1/downloads/<secret:token>/", views.download, name="delivery-download"),
    *_channel_urls(),
]
