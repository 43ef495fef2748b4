from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PullApiChannelConfig(AppConfig):
    name = "forms_engine.delivery.contrib.pullapi"
    label = "delivery_pullapi"
    verbose_name = _("Pull API")

    def ready(self) -> None:
        from forms_engine.delivery import registry

        from .channel import PullApiChannel

        registry.register(PullApiChannel)
