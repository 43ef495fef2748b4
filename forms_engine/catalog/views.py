from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from forms_engine.tenants.links import city_base_url

from .schema import published_schema, schema_uri


def schema_view(request: HttpRequest, service: str, version: str) -> JsonResponse:
    """The JSON Schema of one data schema version of a service (the `schema`
    link of every delivery). Every published version stays served."""
    schema = published_schema(service, version)
    if schema is None:
        raise Http404
    city = getattr(request, "city", None)
    if city is not None:  # the same canonical address the deliveries carry
        schema["$id"] = schema_uri(service, version, city_base_url(city))
    else:
        schema["$id"] = request.build_absolute_uri()
    response = JsonResponse(schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
