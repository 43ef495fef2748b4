"""The widgets lib/formrender.py writes in Python give exactly what Django's own
widget templates give: the reference is Django's template renderer, so a Django
upgrade that changes a widget's markup fails here instead of drifting."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.template import engines

from forms_engine.lib.formrender import PYTHON_WIDGETS, WidgetRenderer, kern_field
from forms_engine.lib.forms import KernFormMixin

CHOICES = [("a", "Äpfel & <Birnen>"), ("b", "B"), ("Gruppe „1“", [("c", "C"), ("d", 'D "quoted"')])]


class Everything(forms.Form):
    text = forms.CharField(max_length=40, help_text="Hint", widget=forms.TextInput(attrs={"autocomplete": "name"}))
    optional = forms.CharField(required=False)
    email = forms.EmailField()
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(max_digits=6, decimal_places=2, localize=True)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    secret = forms.CharField(widget=forms.HiddenInput(attrs={"data-x": '"<&>'}))
    url = forms.URLField(assume_scheme="https")
    tel = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "disabled": True, "readonly": False}))
    textarea = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    empty_textarea = forms.CharField(required=False, widget=forms.Textarea)
    checkbox = forms.BooleanField()
    select = forms.ChoiceField(choices=CHOICES)
    multiple = forms.MultipleChoiceField(choices=CHOICES)
    radios = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)
    when = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]))


class KernEverything(KernFormMixin, Everything):
    pass


DATA = {
    "text": 'Müller & "Söhne" <b>',
    "email": "not an address",
    "number": "-1",
    "decimal": "12,5",
    "date": "2026-02-30",
    "password": "x<y",
    "hidden": "h",
    "secret": "s",
    "url": "https://example.org/?a=1&b=2",
    "tel": "0641 123",
    "textarea": "Zeile 1\nZeile 2 </textarea>",
    "checkbox": "on",
    "select": "d",
    "multiple": ["a", "c"],
    "radios": "c",
    "boxes": ["b", "d"],
    "when_day": "3",
    "when_month": "12",
    "when_year": "2026",
}
INITIAL = {"text": "Anfang", "number": 3, "date": dt.date(2026, 12, 3), "select": "b", "checkbox": True}


def forms_to_compare() -> list[tuple[str, forms.Form]]:
    return [
        ("unbound", Everything()),
        ("initial", Everything(initial=INITIAL)),
        ("bound", Everything(data=DATA)),
        ("empty", Everything(data={})),
        ("kern bound", KernEverything(data=DATA)),
        ("kern empty", KernEverything(data={})),
    ]


def test_the_project_uses_the_python_widget_renderer() -> None:
    assert settings.FORM_RENDERER == "forms_engine.lib.formrender.WidgetRenderer"


@pytest.mark.parametrize(("case", "form"), forms_to_compare(), ids=[c for c, _f in forms_to_compare()])
def test_every_widget_renders_as_django_s_templates_do(case: str, form: forms.Form) -> None:
    python, templates = WidgetRenderer(), DjangoTemplates()
    for name in form.fields:
        form.renderer = templates
        expected = str(form[name])
        form.renderer = python
        assert str(form[name]) == expected, f"{case}: {name}"


def test_the_widgets_written_in_python_are_django_s_own_templates() -> None:
    """The renderer's templates come from Django; an app's override would be
    ignored by the Python widgets, so there must be none."""
    renderer = DjangoTemplates()
    for name in PYTHON_WIDGETS:
        origin = renderer.get_template(name).origin.name
        assert "/django/forms/templates/" in origin, f"{name} is overridden by {origin}"


def test_kern_field_escapes_what_it_is_given() -> None:
    class Labels(KernFormMixin, forms.Form):
        name = forms.CharField(label="Name <script>", help_text="Hint & <b>more</b>")
        choice = forms.ChoiceField(label="Wahl", choices=[("x", "<i>X</i>")], widget=forms.RadioSelect)

    form = Labels(data={})
    html = kern_field(form["name"]) + kern_field(form["choice"])
    assert "<script>" not in html and "Name &lt;script&gt;" in html
    assert "Hint &amp; &lt;b&gt;more&lt;/b&gt;" in html
    assert "&lt;i&gt;X&lt;/i&gt;" in html
    assert 'aria-describedby="id_name_hint id_name_error"' in html
    assert 'aria-describedby="id_choice_error"' in html  # no stray space without a hint


def test_the_field_tag_is_what_the_citizen_templates_use() -> None:
    template = engines["django"].from_string(
        "{% load wizard_extras %}{% for field in form %}{% kern_field field %}{% endfor %}"
    )
    form = KernEverything(data={})
    assert template.render({"form": form}) == "".join(kern_field(form[name]) for name in form.fields)
