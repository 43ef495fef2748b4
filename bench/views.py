"""The benchmark's ceiling: a minimal view behind the full middleware stack.
Mounted at /bench/ceiling/ only when settings.BENCH_CEILING_VIEW is on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

MAX_BYTES = 1024 * 1024
_PAGES: dict[int, bytes] = {}


def ceiling(request: HttpRequest) -> HttpResponse:
    """A fixed HTML page of `?size=` bytes (the size of the page it is compared with)."""
    try:
        size = min(max(int(request.GET.get("size", "20000")), 64), MAX_BYTES)
    except ValueError:
        size = 20000
    page = _PAGES.get(size)
    if page is None:
        head, tail = b"<!doctype html><html><body><p>", b"</p></body></html>"
        page = _PAGES.setdefault(size, head + b"x" * (size - len(head) - len(tail)) + tail)
    return HttpResponse(page, content_type="text/html; charset=utf-8")
