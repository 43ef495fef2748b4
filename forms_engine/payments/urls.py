from django.urls import path

import forms_engine.lib.secret_paths  # noqa: F401  (registers the "secret" path converter)

from . import views

urlpatterns = [
    path("antrag/<uuid:submission_id>/", views.submission_payment, name="payments-submission"),
    path("spaeter/<secret:token>/", views.pay_later, name="payments-later"),
    path("zurueck/<uuid:payment_id>/", views.payment_return, name="payments-return"),
]
