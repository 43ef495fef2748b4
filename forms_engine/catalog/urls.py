from django.urls import path

from . import views

urlpatterns = [
    path("<slug:service>/<str:version>.json", views.schema_view, name="service-schema"),
]
