from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from forms_engine.staff.admin_site import site as admin_site

handler404 = "forms_engine.tenants.views.not_found"
handler500 = "forms_engine.tenants.views.server_error"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin_site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("forms_engine.delivery.urls")),
    path("", include("forms_engine.staff.urls")),
    path("backoffice/", include("forms_engine.backoffice.urls_backoffice")),
    path("nachreichen/", include("forms_engine.backoffice.urls_citizen")),
    path("bezahlen/", include("forms_engine.payments.urls")),
    path("", include("forms_engine.identity.urls")),
    path("", include("forms_engine.analytics.urls")),
    path("", include("forms_engine.tenants.urls")),
    path("api/schemas/", include("forms_engine.catalog.urls")),
    # The wizard's /<service>/<step>/ patterns match almost anything: keep them last.
    path("", include("forms_engine.wizard.urls")),
]

if settings.BENCH_CEILING_VIEW:
    from bench.views import ceiling

    # First, so no city or service pattern can shadow it.
    urlpatterns.insert(0, path("bench/ceiling/", ceiling, name="bench-ceiling"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
