from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhookChannelConfig(AppConfig):
    name = "forms_engine.delivery.contrib.webhook"
    label = "delivery_webhook"
    verbose_name = _("Delivery by webhook")

    def ready(self) -> None:
        from forms_engine.delivery import registry

        from .channel import WebhookChannel

        registry.register(WebhookChannel)
