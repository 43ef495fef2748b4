from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """Delivery targets and the pipeline's delivery step. The channels are
    plugin apps in contrib/<name>/ that register themselves (apps.py ready())."""

    name = "forms_engine.delivery"
    label = "delivery"
    verbose_name = _("Delivery")
