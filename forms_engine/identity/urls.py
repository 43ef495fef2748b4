from django.urls import path

from . import views

urlpatterns = [
    path("bundid/metadata/", views.metadata, name="identity-metadata"),
    path("bundid/anmelden/", views.login, name="identity-login"),
    path("bundid/acs/", views.acs, name="identity-acs"),
    path("bundid/weiter/<uuid:attempt_id>/", views.finish, name="identity-finish"),
    path("bundid/abmelden/", views.logout, name="identity-logout"),
    path("meine-antraege/", views.mine, name="identity-mine"),
]
