from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user

from .admin_site import CityOwnedAdmin, is_operator, site
from .models import StaffUser


@admin.action(description=_("Reset second factor (the person enrols a new device at next sign-in)"))
def reset_second_factor(modeladmin: Any, request: HttpRequest, queryset: QuerySet[StaffUser]) -> None:
    for user in queryset:
        for device in devices_for_user(user, confirmed=None):
            device.delete()
    messages.success(request, _("Second factor reset for %(count)d people.") % {"count": queryset.count()})


class PasswordLinkWidget(forms.Widget):
    """Instead of Django's hash summary (algorithm, salt, hash), which tells a
    city administrator nothing: one sentence and the link to set a new one."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return format_html(
            '<div class="readonly">{}</div><p><a class="button" href="../password/">{}</a></p>',
            _("The password is stored only in a form nobody can read back, so it cannot be shown."),
            _("Set a new password"),
        )

    def id_for_label(self, id_: str) -> str:
        return ""


class StaffUserChangeForm(UserChangeForm):  # type: ignore[type-arg]
    password = forms.CharField(label=_("Password"), required=False, disabled=True, widget=PasswordLinkWidget)


def _password_always_required(form: forms.BaseForm) -> None:
    """Staff always sign in with a password and a second factor, so Django's
    "password-based authentication: enabled/disabled" choice is left out."""
    form.fields.pop("usable_password", None)
    for name in ("password1", "password2"):
        form.fields[name].required = True


class StaffPasswordForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password_always_required(self)


class StaffUserCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password_always_required(self)


class StaffUserAdmin(CityOwnedAdmin, UserAdmin):  # type: ignore[misc,type-arg]
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    change_password_form = StaffPasswordForm
    add_form_template = "admin/backoffice/staffuser/add_form.html"
    list_display = ["username", "first_name", "last_name", "role", "city", "is_active"]
    list_select_related = ["city"]  # nullable (operators have none): not joined by default
    list_filter = ["role", "is_active"]
    actions = [reset_second_factor]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["city", "role", "is_active"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2", "city", "role"]})]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not is_operator(request):
            kwargs["choices"] = [c for c in StaffUser.Role.choices if c[0] != StaffUser.Role.OPERATOR]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


site.register(StaffUser, StaffUserAdmin)

# Lockouts (django-axes access attempts) for city administrators.
from . import lockouts_admin  # noqa: E402,F401
