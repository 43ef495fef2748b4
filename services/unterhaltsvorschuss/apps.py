from django.apps import AppConfig


class UnterhaltsvorschussConfig(AppConfig):
    name = "services.unterhaltsvorschuss"
    label = "svc_unterhaltsvorschuss"
    verbose_name = "Unterhaltsvorschuss"

    def ready(self) -> None:
        from forms_engine.catalog import registry

        from .service import UnterhaltsvorschussService

        registry.register(UnterhaltsvorschussService)
