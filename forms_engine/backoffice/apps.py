from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "forms_engine.backoffice"
    label = "backoffice"
    verbose_name = _("Staff and back office")
