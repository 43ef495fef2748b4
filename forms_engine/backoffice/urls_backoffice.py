"""The caseworkers' back office, mounted at /backoffice/ on every city host."""

from django.urls import path

from .views import detail, export, inbox, work

urlpatterns = [
    path("", inbox.inbox, name="backoffice-inbox"),
    path("bulk/", inbox.bulk, name="backoffice-bulk"),
    path("export.csv", export.export, {"fmt": "csv"}, name="backoffice-export"),
    path("export.xlsx", export.export, {"fmt": "xlsx"}, name="backoffice-export-xlsx"),
    path("<uuid:pk>/", detail.detail, name="backoffice-detail"),
    path("<uuid:pk>/pdf/", detail.pdf_download, name="backoffice-pdf"),
    path("<uuid:pk>/files/<uuid:attachment_id>/", detail.attachment_download, name="backoffice-attachment"),
    path("<uuid:pk>/assign/", work.assign, name="backoffice-assign"),
    path("<uuid:pk>/status/", work.change_status, name="backoffice-status"),
    path("<uuid:pk>/notes/", work.add_note, name="backoffice-note"),
    path("<uuid:pk>/request-documents/", work.request_documents, name="backoffice-request-documents"),
    path("<uuid:pk>/decisions/<uuid:decision_id>/confirm/", work.confirm_decision, name="backoffice-decision-confirm"),
    path("<uuid:pk>/decisions/<uuid:decision_id>/discard/", work.discard_decision, name="backoffice-decision-discard"),
    path("<uuid:pk>/steps/<uuid:step_id>/retry/", work.retry_step, name="backoffice-retry"),
]
