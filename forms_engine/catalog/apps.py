from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "forms_engine.catalog"
    label = "catalog"
    verbose_name = _("Online services")

    def ready(self) -> None:
        from .schema import publish_all

        post_migrate.connect(publish_all, sender=self, dispatch_uid="catalog.publish_all")
