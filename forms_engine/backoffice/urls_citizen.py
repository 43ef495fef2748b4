"""The citizen's side of "request documents", on the city's public host."""

from django.urls import path

import forms_engine.lib.secret_paths  # noqa: F401  (registers the "secret" path converter)

from .views import citizen

urlpatterns = [
    path("<secret:token>/", citizen.hand_in, name="documents-hand-in"),
]
