"""The admin: password plus second factor, and city-bound.

On a city's host the admin shows that city's rows only, to that city's
administrators (and operators). On a platform host it admits operators only
and reads across cities.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import StaffUser

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def staff_user(request: HttpRequest) -> StaffUser | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, StaffUser) and user.is_authenticated else None


def is_operator(request: HttpRequest) -> bool:
    user = staff_user(request)
    return bool(user and user.is_operator)


class GemeinsamAdminSite(admin.AdminSite):
    site_header = _("Gemeinsam administration")
    site_title = _("Gemeinsam")

    def has_permission(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        if user is None or not user.is_active or not user.is_staff:
            return False
        if not user.is_verified():  # type: ignore[attr-defined]
            return False
        city = getattr(request, "city", None)
        return user.may_sign_in_at(city.pk if city else None)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The admin has no login form of its own: everyone goes through the
        two-step staff sign-in."""
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('staff-login')}?{urlencode({'next': next_url})}")

    def admin_view(self, view: ViewT, cacheable: bool = False) -> ViewT:
        """On a platform host there is no city scope: a verified operator reads
        across cities there, and nobody else gets past has_permission."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if getattr(request, "city", None) is None and is_operator(request) and self.has_permission(request):
                with scopes_disabled():
                    response = inner(request, *args, **kwargs)
                    # Render here, inside the unscoped block: a template
                    # response renders later, and forms (an inline's empty
                    # form) query while rendering.
                    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                        response.render()
                    return response
            return inner(request, *args, **kwargs)

        return cast(ViewT, wrapper)


site = GemeinsamAdminSite(name="admin")


class NotFoundOutsideQuerysetMixin:
    """A row outside the admin's queryset (another city's) answers 404, not
    Django's redirect with "does not exist", so nothing hints at it."""

    def _check_visible(self, request: HttpRequest, object_id: str | None) -> None:
        if object_id and self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            raise Http404

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        self._check_visible(request, object_id)
        return super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def delete_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        self._check_visible(request, object_id)
        return super().delete_view(request, object_id, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def history_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> HttpResponse:
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, *args, **kwargs)  # type: ignore[misc,no-any-return]


class CityBoundChoicesMixin:
    """On a city host, drop-downs offer only that city's rows: the City itself
    and unscoped models with a city field (staff) would otherwise list all."""

    def _city_choices(self, request: HttpRequest, db_field: Any, kwargs: dict[str, Any]) -> None:
        city = getattr(request, "city", None)
        if city is None or "queryset" in kwargs:
            return
        related = db_field.related_model
        if related is type(city):
            kwargs["queryset"] = related._default_manager.filter(pk=city.pk)
        elif any(field.name == "city" for field in related._meta.concrete_fields):
            kwargs["queryset"] = related._default_manager.filter(city=city)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._city_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._city_choices(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class CityOwnedAdmin(CityBoundChoicesMixin, NotFoundOutsideQuerysetMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows that belong to a city. The request's scope already limits queries to
    the host's city; this also pins writes to it and hides the field."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        city = getattr(request, "city", None)
        return qs if city is None and is_operator(request) else qs.filter(city=city)

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if getattr(request, "city", None) is not None:
            excluded.append("city")
        return excluded

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if getattr(request, "city", None) is None:
            return fieldsets
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f != "city"]}) for name, opts in fieldsets]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # By keyword: UserAdmin.get_form takes no positional `change`.
        form_class = super().get_form(request, obj, change=change, **kwargs)
        city = getattr(request, "city", None)
        if city is None:
            return form_class

        class CityPinnedForm(form_class):  # type: ignore[misc,valid-type]
            """Sets the city before validation, so model checks and unique
            constraints that involve the city see it."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.instance.city = city

            def _get_validation_exclusions(self) -> set[str]:
                # The hidden city still takes part in unique checks: a
                # duplicate is a form error, not a database error (500).
                exclusions: set[str] = super()._get_validation_exclusions()
                exclusions.discard("city")
                return exclusions

        CityPinnedForm.__name__ = form_class.__name__
        return CityPinnedForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        city = getattr(request, "city", None)
        if city is not None:
            obj.city = city
        super().save_model(request, obj, form, change)

    def _allowed(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return bool(user and user.role in (StaffUser.Role.OPERATOR, StaffUser.Role.CITY_ADMIN))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)
