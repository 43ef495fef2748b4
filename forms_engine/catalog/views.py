from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from . import registry
from .schema import data_schema


def schema_view(request: HttpRequest, service: str, version: str) -> JsonResponse:
    svc = registry.get(service)
    if svc is None or svc.version != version:
        raise Http404
    response = JsonResponse(data_schema(svc), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
