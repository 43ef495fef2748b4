from django.apps import AppConfig


class FundsacheConfig(AppConfig):
    name = "services.fundsache"
    label = "svc_fundsache"
    verbose_name = "Fundsache"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import FundsacheService

        registry.register(FundsacheService)
