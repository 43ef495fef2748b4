from django.urls import include, path

from . import views

urlpatterns = [
    path("api/v1/downloads/<str:token>/", views.download, name="delivery-download"),
    path("api/v1/", include("forms_engine.delivery.contrib.pullapi.urls")),
]
