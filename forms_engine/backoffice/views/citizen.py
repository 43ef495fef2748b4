"""The citizen's page for handing in requested documents (/nachreichen/<token>/).
No sign-in: the secret token in the link is the authority, once, until expiry."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import actions
from ..forms import UploadForm


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/citizen/link_invalid.html", status=404)


@never_cache
def hand_in(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "city", None) is None:  # platform hosts read across cities
        return _gone(request)
    document_request = actions.find_document_request(token)
    if document_request is None or document_request.city_id != request.city.pk:  # type: ignore[attr-defined]
        return _gone(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.documents_request_fulfil(request=document_request, files=form.cleaned_data["files"])
        except actions.ActionRefused as exc:
            error = str(exc)
        else:
            return render(
                request, "backoffice/citizen/thanks.html", {"reference": document_request.submission.reference}
            )
    return render(
        request,
        "backoffice/citizen/hand_in.html",
        {"form": form, "error": error, "document_request": document_request},
    )
