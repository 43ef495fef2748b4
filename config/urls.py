from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from forms_engine.backoffice.admin_site import site as admin_site

handler404 = "forms_engine.tenants.views.not_found"
handler500 = "forms_engine.tenants.views.server_error"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin_site.urls),
    path("", include("forms_engine.backoffice.urls")),
    path("", include("forms_engine.tenants.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
