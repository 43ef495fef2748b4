from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FitConnectChannelConfig(AppConfig):
    name = "forms_engine.delivery.contrib.fitconnect"
    label = "delivery_fitconnect"
    verbose_name = _("Delivery by FIT-Connect")

    def ready(self) -> None:
        from forms_engine.delivery import registry

        from .channel import FitConnectChannel

        registry.register(FitConnectChannel)
