"""The citizen's side of "request documents", on the city's public host."""

from django.urls import path

from .views import citizen

urlpatterns = [
    path("<str:token>/", citizen.hand_in, name="documents-hand-in"),
]
