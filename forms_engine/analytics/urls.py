from django.urls import path

from . import opendata_views, views

urlpatterns = [
    path("statistik/", views.dashboard_view, name="analytics-dashboard"),
    path("statistik/zsk.csv", views.zsk_export, name="analytics-zsk-export"),
    path("bewertung/<slug:service>/", views.rate, name="analytics-rate"),
    path("opendata/", opendata_views.index, name="analytics-opendata"),
    path("opendata/catalog", opendata_views.catalog, name="analytics-opendata-catalog"),
    path("opendata/catalog.<str:fmt>", opendata_views.catalog, name="analytics-opendata-catalog-file"),
    path("opendata/<str:dataset>.<str:fmt>", opendata_views.download, name="analytics-opendata-file"),
]
