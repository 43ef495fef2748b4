"""Pull API for back-office systems: list new submissions (cursor pagination),
fetch data, PDF and attachments, acknowledge receipt, set the status."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django_scopes import scope
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from forms_engine.delivery.models import PullApiToken
from forms_engine.delivery.payload import city_base_url, submission_payload
from forms_engine.submissions.models import Attachment, Submission

from . import actions
from .auth import HasPullToken, PullTokenAuthentication
from .serializers import (
    AcknowledgeSerializer,
    StatusSerializer,
    SubmissionDetailSerializer,
    SubmissionListItemSerializer,
)


class SubmissionCursor(CursorPagination):
    ordering = ("submitted_at", "id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class PullApiView(APIView):
    """Opens the token's city scope once per request, right after
    authentication (as CityMiddleware does for a city's host): every query of
    the views and actions below runs inside it, with no hand-written city filter."""

    authentication_classes = [PullTokenAuthentication]
    permission_classes = [HasPullToken]
    _city_scope: ExitStack | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticates; refuses without a token
        self._city_scope = ExitStack()
        self._city_scope.enter_context(scope(city=self.token().city))

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().finalize_response(request, response, *args, **kwargs)
        finally:
            if self._city_scope is not None:
                self._city_scope.close()
                self._city_scope = None

    def token(self) -> PullApiToken:
        assert isinstance(self.request.auth, PullApiToken)
        return self.request.auth

    def submission(self, submission_id: Any) -> Submission:
        submission = (
            actions.available_submissions(self.token(), only_new=False)
            .select_related("city")
            .filter(pk=submission_id)
            .first()
        )
        if submission is None:
            raise Http404
        return submission


class SubmissionList(PullApiView, generics.GenericAPIView[Submission]):
    serializer_class = SubmissionListItemSerializer
    pagination_class = SubmissionCursor

    def get_queryset(self) -> Any:
        only_new = self.request.query_params.get("state", "new") != "all"
        return actions.available_submissions(self.token(), only_new=only_new)

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=["new", "all"], description="new: not yet acknowledged (default)."),
        ],
        summary="List submissions delivered to this system",
        operation_id="submissions_list",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        data = SubmissionListItemSerializer(page, many=True).data
        return self.get_paginated_response(data)


class SubmissionDetail(PullApiView):
    @extend_schema(
        responses=SubmissionDetailSerializer, summary="Data of one submission", operation_id="submission_get"
    )
    def get(self, request: Request, submission_id: str) -> Response:
        submission = self.submission(submission_id)
        base = city_base_url(submission.city)
        payload = submission_payload(submission)
        for item in payload["attachments"]:
            item["url"] = base + reverse("pull-attachment", args=[submission.pk, item["id"]])
        payload["status"] = submission.status
        payload["pdf_url"] = base + reverse("pull-pdf", args=[submission.pk])
        return Response(payload)


class SubmissionPdf(PullApiView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="The receipt PDF")
    def get(self, request: Request, submission_id: str) -> HttpResponse:
        from forms_engine.documents.storage import read_receipt

        submission = self.submission(submission_id)
        response = HttpResponse(read_receipt(submission), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{submission.reference}.pdf"'
        return response


class SubmissionAttachment(PullApiView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="One attachment")
    def get(self, request: Request, submission_id: str, attachment_id: str) -> HttpResponse:
        submission = self.submission(submission_id)
        attachment = Attachment.objects.filter(submission=submission, pk=attachment_id).first()
        if attachment is None:
            raise Http404
        response = HttpResponse(attachment.read(), content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{attachment.pk}"'
        return response


class SubmissionAcknowledge(PullApiView):
    @extend_schema(request=None, responses=AcknowledgeSerializer, summary="Acknowledge receipt")
    def post(self, request: Request, submission_id: str) -> Response:
        submission = self.submission(submission_id)
        return Response({"acknowledged_at": actions.pull_acknowledge(token=self.token(), submission=submission)})


class SubmissionStatus(PullApiView):
    @extend_schema(
        request=StatusSerializer,
        responses={200: StatusSerializer, 409: OpenApiTypes.OBJECT},
        summary="Set the back-office status (along the allowed paths)",
    )
    def post(self, request: Request, submission_id: str) -> Response:
        submission = self.submission(submission_id)
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            status = actions.pull_set_status(
                token=self.token(), submission=submission, status=serializer.validated_data["status"]
            )
        except actions.StatusRefused as exc:
            return Response({"detail": str(exc)}, status=409)
        return Response({"status": status})
