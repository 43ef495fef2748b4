from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def city(request: HttpRequest) -> dict[str, Any]:
    return {"city": getattr(request, "city", None)}
