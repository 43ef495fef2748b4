from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .safexml import max_bytes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xml,.gc,application/xml,text/xml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    document = forms.FileField(
        label=_("XDatenfelder document"),
        help_text=_("A Stammdatenschema in XDatenfelder 2.0 or 3.0.0 (XML)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    codelists = MultipleFileField(
        label=_("Code lists (optional)"),
        help_text=_("Genericode files of the code lists the document references but does not contain."),
        required=False,
    )

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        if document.size > max_bytes():
            raise forms.ValidationError(
                _("The document is larger than %(mb)s MB and is refused."), params={"mb": max_bytes() // 1048576}
            )
        return document
