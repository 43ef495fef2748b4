from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "forms_engine.delivery"
    label = "delivery"
    verbose_name = _("Delivery")

    def ready(self) -> None:
        from . import registry
        from .contrib.email.channel import EmailChannel
        from .contrib.pullapi.channel import PullApiChannel
        from .contrib.webhook.channel import WebhookChannel

        for channel in (EmailChannel, WebhookChannel, PullApiChannel):
            registry.register(channel)
