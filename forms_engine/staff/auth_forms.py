from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.lib.forms import KernFormMixin


class PasswordForm(KernFormMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordAndBackupCodeForm(PasswordForm):
    """While a name is locked against credential stuffing, the password alone
    is not enough: the real person adds one of their backup codes."""

    backup_code = forms.CharField(
        label=_("Backup code"),
        max_length=16,
        help_text=_("One of the backup codes you were given when you set up your second factor."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(KernFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
