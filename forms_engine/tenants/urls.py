from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("theme.css", views.theme_css, name="city-theme"),
    path("coat-of-arms", views.coat_of_arms, name="city-arms"),
    path("info/<slug:page>/", views.city_page, name="city-page"),
]
