from django.urls import path

from . import views

urlpatterns = [
    path("antrag/<uuid:submission_id>/", views.submission_payment, name="payments-submission"),
    path("spaeter/<str:token>/", views.pay_later, name="payments-later"),
    path("zurueck/<uuid:payment_id>/", views.payment_return, name="payments-return"),
]
