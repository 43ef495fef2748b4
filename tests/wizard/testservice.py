"""A small service for engine tests: a person, a conditional step, a repeating
group and a conditional document. Registered only in the test run."""

from __future__ import annotations

from typing import Any

from django import forms

from forms_engine.catalog import registry
from forms_engine.catalog.base import AttachmentSpec, OnlineService, Repeat, Step
from forms_engine.lib.forms import KernFormMixin

YES_NO = [("ja", "Ja"), ("nein", "Nein")]


class PersonForm(KernFormMixin, forms.Form):
    first_name = forms.CharField(
        label="Vorname", max_length=60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nachname", max_length=60, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label="E-Mail", required=False)
    has_pets = forms.ChoiceField(label="Haustiere?", choices=YES_NO, widget=forms.RadioSelect)


class PetsForm(KernFormMixin, forms.Form):
    name = forms.CharField(label="Name des Tieres", max_length=40)
    born = forms.DateField(label="Geboren am", widget=forms.DateInput(attrs={"type": "date"}))


class NoteForm(KernFormMixin, forms.Form):
    note = forms.CharField(label="Bemerkung", max_length=5000, required=False, widget=forms.Textarea)
    confirm = forms.BooleanField(label="Angaben sind richtig")


class TestService(OnlineService):
    slug = "testantrag"
    demo = False  # the engine's own test service; not in the demo cities
    version = "1.0"
    title = "Testantrag"
    leika_key = "99999999999999"
    reference_code = "TST"
    applicant_name_fields = ["person.first_name", "person.last_name"]
    applicant_email_field = "person.email"
    steps = [
        Step("person", "Person", PersonForm),
        Step(
            "tiere",
            "Tiere",
            PetsForm,
            condition=lambda a: a.get("person.has_pets") == "ja",
            repeat=Repeat(min_entries=1, max_entries=5, entry_label="Tier"),
        ),
        Step(
            "nachweise",
            "Nachweise",
            NoteForm,
            attachments=[
                AttachmentSpec("ausweis", "Ausweis"),
                AttachmentSpec("tierpass", "Tierpass", condition=lambda a: a.get("person.has_pets") == "ja"),
            ],
        ),
    ]

    @property
    def sample_answers(self) -> dict[str, Any]:  # type: ignore[override]
        return {
            "ohne_tiere": {
                "person": {
                    "first_name": "Erika",
                    "last_name": "Mustermann",
                    "email": "erika@example.org",
                    "has_pets": "nein",
                },
                "nachweise": {"note": "", "confirm": "on"},
            },
            "mit_tieren": {
                "person": {"first_name": "Jürgen", "last_name": "Öztürk", "email": "", "has_pets": "ja"},
                "tiere": [{"name": "Bello", "born": "2020-01-02"}, {"name": "Minka", "born": "2021-03-04"}],
                "nachweise": {"note": "x", "confirm": "on"},
            },
        }


registry.register(TestService)
