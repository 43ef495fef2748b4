from django.urls import path

import forms_engine.lib.secret_paths  # noqa: F401  (registers the "secret" path converter)

from . import preview, receipt, views

urlpatterns = [
    path("vorschau/beenden/", preview.end_preview, name="wizard-preview-end"),
    path("resume/", views.resume, name="wizard-resume"),
    path("resume/<secret:token>/", views.resume_link, name="wizard-resume-link"),
    path("quittung/<secret:token>/", receipt.download, name="receipt-download"),
    path("<slug:service>/", views.start, name="wizard-start"),
    path("<slug:service>/check/", views.check, name="wizard-check"),
    path("<slug:service>/save/", views.save_for_later, name="wizard-save"),
    path("<slug:service>/expired/", views.session_expired, name="wizard-expired"),
    path("<slug:service>/done/<uuid:submission_id>/", views.done, name="wizard-done"),
    path("<slug:service>/<slug:step>/", views.step, name="wizard-step"),
]
