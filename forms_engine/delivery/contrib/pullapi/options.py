"""The pull API channel's settings: which back-office system fetches."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forms_engine.delivery.options import ChannelOptionsForm


class PullApiOptionsForm(ChannelOptionsForm):
    system = forms.SlugField(
        label=_("Back-office system"),
        max_length=50,
        help_text=_(
            "The name of the system that fetches the submissions, as in its pull API token "
            "(letters, digits and hyphens), e.g. jugendamt-fachverfahren."
        ),
        error_messages={"invalid": _("Use only letters, digits and hyphens, e.g. jugendamt-fachverfahren.")},
    )
