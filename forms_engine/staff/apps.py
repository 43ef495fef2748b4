from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """Staff accounts, sign-in with a second factor and the admin site: the
    floor every other app stands on (it imports none of them)."""

    name = "forms_engine.staff"
    label = "staff"
    verbose_name = _("Staff")
