from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin


class ResumeForm(KernFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Resume code"),
        max_length=40,
        help_text=_("The code you were shown when you saved, e.g. ABCDE-FGHJK-LMNPQ-RSTUV."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class EmailLinkForm(KernFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link to continue. We use the address only for this."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ReceiptCodeForm(KernFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Download code"),
        max_length=20,
        help_text=_("The code you were shown after submitting, e.g. K7MQ-2XPA."),
        error_messages={"required": _("Enter the download code you were shown after submitting.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
