from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "forms_engine.delivery.contrib.email"
    label = "delivery_email"
    verbose_name = _("Delivery by email")

    def ready(self) -> None:
        from forms_engine.delivery import registry

        from .channel import EmailChannel

        registry.register(EmailChannel)
