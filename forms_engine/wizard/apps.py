from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WizardConfig(AppConfig):
    name = "forms_engine.wizard"
    label = "wizard"
    verbose_name = _("Citizen forms")
