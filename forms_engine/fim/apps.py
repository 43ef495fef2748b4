from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FimConfig(AppConfig):
    name = "forms_engine.fim"
    label = "fim"
    verbose_name = _("FIM import")

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from . import loader

        registry.register_data_source(loader.services, loader.service_version)
