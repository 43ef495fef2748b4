"""Who may use the back office, and which submissions they see.

Caseworkers see the services assigned to them in their city; team leads see
all of their city's services and assign work. Nobody sees another city: the
tenant middleware scopes every query to the host's city, and a user whose own
city is not the host's city is refused outright.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from forms_engine.staff.models import StaffUser
from forms_engine.submissions.models import Submission

from .models import ServiceAssignment

BACKOFFICE_ROLES = (StaffUser.Role.CASEWORKER, StaffUser.Role.TEAM_LEAD)

View = Callable[..., HttpResponse]


def _to_login(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('staff-login')}?{urlencode({'next': request.get_full_path()})}")


def backoffice_user(request: HttpRequest) -> StaffUser:
    user = request.user
    assert isinstance(user, StaffUser)
    return user


def backoffice_view(view: View) -> View:
    """Signed in with both factors, on the user's own city's host."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_verified():  # type: ignore[union-attr,attr-defined]
            return _to_login(request)
        # The idle timeout is StaffIdleTimeoutMiddleware's, for every staff page.
        city = getattr(request, "city", None)
        if (
            not isinstance(user, StaffUser)
            or city is None
            or user.city_id != city.pk
            or user.role not in BACKOFFICE_ROLES
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def is_team_lead(user: StaffUser) -> bool:
    return user.role == StaffUser.Role.TEAM_LEAD


def assigned_services(user: StaffUser) -> list[str]:
    return list(ServiceAssignment.objects.filter(user=user).values_list("service_slug", flat=True))


def visible_submissions(request: HttpRequest) -> QuerySet[Submission]:
    """The submissions this user may see: their city (twice over: scope and
    filter), and for caseworkers only their assigned services."""
    user = backoffice_user(request)
    qs = Submission.objects.filter(city=request.city)  # type: ignore[attr-defined]
    if not is_team_lead(user):
        qs = qs.filter(service_slug__in=ServiceAssignment.objects.filter(user=user).values("service_slug"))
    return qs


def visible_submission(request: HttpRequest, pk: Any) -> Submission:
    submission = visible_submissions(request).select_related("assignee").filter(pk=pk).first()
    if submission is None:
        raise Http404
    return submission


def may_assign(by: StaffUser, submission: Submission, assignee: StaffUser | None) -> bool:
    """Team leads assign anyone of the back office of their city; caseworkers
    take a submission for themselves or give back their own."""
    if assignee is not None and (assignee.city_id != submission.city_id or assignee.role not in BACKOFFICE_ROLES):
        return False
    if is_team_lead(by):
        return True
    if assignee is None:
        return submission.assignee_id == by.pk
    return assignee.pk == by.pk
