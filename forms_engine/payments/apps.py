from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Online payment of a service's fee through an XBezahldienste provider
    (docs/payments.md)."""

    name = "forms_engine.payments"
    label = "payments"
    verbose_name = _("Payments")
