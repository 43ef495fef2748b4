"""KernFormMixin gives every widget KERN classes and ties hint and error to it."""

from __future__ import annotations

from django import forms

from forms_engine.lib.forms import KernFormMixin


class ExampleForm(KernFormMixin, forms.Form):
    name = forms.CharField(help_text="As in your passport.")
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    agree = forms.BooleanField(required=False)


def test_hint_and_error_are_tied_to_the_input():
    form = ExampleForm(data={})
    html = str(form["name"])
    assert 'class="kern-form-input__input"' in html
    assert 'aria-describedby="id_name_hint id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-required="true"' in html


def test_choice_widgets_get_their_classes():
    form = ExampleForm()
    assert "kern-form-check__radio" in str(form["kind"])
    assert "kern-form-check__checkbox" in str(form["agree"])
    assert form.is_choice("kind")
    assert not form.is_choice("name")
