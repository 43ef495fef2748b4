from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    """Citizen login with BundID over SAML 2.0: per-city settings, trust levels
    per service, prefill, drafts bound to the citizen (docs/bundid.md)."""

    name = "forms_engine.identity"
    label = "identity"
    verbose_name = _("Citizen login (BundID)")

    def ready(self) -> None:
        from forms_engine.submissions.retention import retention_run, tombstoning

        from . import retention

        tombstoning.connect(retention.on_tombstoning, dispatch_uid="identity.tombstoning")
        retention_run.connect(retention.on_retention_run, dispatch_uid="identity.retention_run")
