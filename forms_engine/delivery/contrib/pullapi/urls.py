from django.urls import path

from . import views

urlpatterns = [
    path("submissions/", views.SubmissionList.as_view(), name="pull-submissions"),
    path("submissions/<uuid:submission_id>/", views.SubmissionDetail.as_view(), name="pull-submission"),
    path("submissions/<uuid:submission_id>/pdf/", views.SubmissionPdf.as_view(), name="pull-pdf"),
    path(
        "submissions/<uuid:submission_id>/attachments/<uuid:attachment_id>/",
        views.SubmissionAttachment.as_view(),
        name="pull-attachment",
    ),
    path(
        "submissions/<uuid:submission_id>/acknowledge/",
        views.SubmissionAcknowledge.as_view(),
        name="pull-acknowledge",
    ),
    path("submissions/<uuid:submission_id>/status/", views.SubmissionStatus.as_view(), name="pull-status"),
]
