from django.apps import AppConfig


class HundesteuerConfig(AppConfig):
    name = "services.hundesteuer"
    label = "svc_hundesteuer"
    verbose_name = "Hundesteuer"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import HundesteuerService

        registry.register(HundesteuerService)
