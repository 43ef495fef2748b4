from django.apps import AppConfig


class GaststaetteConfig(AppConfig):
    name = "services.gaststaette"
    label = "svc_gaststaette"
    verbose_name = "Vorübergehender Gaststättenbetrieb"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import GaststaetteService

        registry.register(GaststaetteService)
