from django.apps import AppConfig


class SondernutzungConfig(AppConfig):
    name = "services.sondernutzung"
    label = "svc_sondernutzung"
    verbose_name = "Sondernutzung"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import SondernutzungService

        registry.register(SondernutzungService)
