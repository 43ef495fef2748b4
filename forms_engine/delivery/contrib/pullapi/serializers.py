from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .actions import SETTABLE_STATUSES


class SubmissionListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    service_slug = serializers.CharField()
    service_version = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    status = serializers.CharField()


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    key = serializers.CharField()
    step = serializers.CharField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.URLField(required=False)


class SubmissionDetailSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    city = serializers.DictField()
    service = serializers.DictField()
    schema = serializers.URLField(help_text="URI of the JSON Schema that `data` follows.")
    submitted_at = serializers.DateTimeField()
    language = serializers.CharField()
    fee = serializers.DictField(allow_null=True)
    data = serializers.JSONField()  # type: ignore[assignment]  # documents the payload only
    attachments = AttachmentSerializer(many=True)
    status = serializers.CharField()
    pdf_url = serializers.URLField()


class AcknowledgeSerializer(serializers.Serializer[Any]):
    acknowledged_at = serializers.DateTimeField(read_only=True)


class StatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in SETTABLE_STATUSES])
