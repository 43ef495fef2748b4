from django.apps import AppConfig


class BewohnerparkausweisConfig(AppConfig):
    name = "services.bewohnerparkausweis"
    label = "svc_bewohnerparkausweis"
    verbose_name = "Bewohnerparkausweis"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import BewohnerparkausweisService

        registry.register(BewohnerparkausweisService)
