"""Rules in the admin: the rule with its conditions and actions as inline
forms with typed fields (no code, no JSON), every drop-down limited to the
city's own people, delivery targets and letters, and a dry run over the last
submissions that changes nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import TabularInline
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_engine.catalog.admin_fields import service_title
from forms_engine.staff.admin_site import CityBoundChoicesMixin, CityOwnedAdmin, site, staff_user
from forms_engine.staff.models import StaffUser

from . import rules
from .rule_models import Rule, RuleAction, RuleCondition

A, C = RuleAction.Kind, RuleCondition.Kind
ANSWER_KINDS = (C.ANSWER_IS, C.ANSWER_IS_NOT, C.ANSWER_CONTAINS, C.ANSWER_GIVEN)
REQUIRED: dict[str, tuple[str, Any]] = {
    A.ASSIGN: ("assignee", gettext_lazy("Choose the person.")),
    A.STATUS: ("status", gettext_lazy("Choose the status.")),
    A.REQUEST_DOCUMENTS: ("text", gettext_lazy("Say which documents are missing.")),
    A.FORWARD: ("delivery_target", gettext_lazy("Choose the delivery target.")),
    A.LETTER: ("letter_template", gettext_lazy("Choose the decision letter.")),
}


def answer_paths(service: Any) -> list[str]:
    """The questions a condition may name: "step.field" of the service's steps."""
    return [
        f"{step.name}.{name}"
        for step in (service.steps if service else [])
        if step.form_class is not None and step.repeat is None
        for name in step.form_class.base_fields
    ]


class ConditionFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        city_service = getattr(self.instance, "city_service", None) if self.instance.city_service_id else None
        service = city_service.service if city_service is not None else None
        known = answer_paths(service)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            kind, name, value = data.get("kind"), data.get("field", ""), data.get("value", "")
            if kind in ANSWER_KINDS and name not in known:
                form.add_error(
                    "field",
                    _("Unknown question. Available: %(names)s.") % {"names": ", ".join(known) or "–"},
                )
            if kind == C.ATTACHMENT and not name:
                form.add_error("field", _("Give the key of the document."))
            if kind in (C.FEE_AT_LEAST, C.FEE_AT_MOST) and rules._amount(value or "") is None:
                form.add_error("value", _("Enter an amount in euros, e.g. 30 or 30,50."))
            if kind in (C.ANSWER_IS, C.ANSWER_IS_NOT, C.ANSWER_CONTAINS) and not value:
                form.add_error("value", _("Enter the answer to compare with."))


class ActionFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        city_service = self.instance.city_service if self.instance.city_service_id else None
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            needed = REQUIRED.get(str(data.get("kind")))
            if needed and not data.get(needed[0]):
                form.add_error(needed[0], str(needed[1]))
            letter = data.get("letter_template")
            if letter is not None and city_service is not None and letter.city_service_id != city_service.pk:
                form.add_error("letter_template", _("This letter belongs to another online service."))


class CityInline(CityBoundChoicesMixin, TabularInline):  # type: ignore[type-arg]
    """Conditions and actions: whoever may edit the rule edits them (the
    operator and the city administrator, as CityOwnedAdmin)."""

    extra = 1

    def _allowed(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return bool(user and user.role in (StaffUser.Role.OPERATOR, StaffUser.Role.CITY_ADMIN))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class ConditionInline(CityInline):
    model = RuleCondition
    formset = ConditionFormSet
    fields = ["kind", "field", "value"]


class ActionInline(CityInline):
    model = RuleAction
    formset = ActionFormSet
    fields = ["kind", "assignee", "status", "text", "days", "delivery_target", "letter_template"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assignee":
            city = getattr(request, "city", None)
            staff = StaffUser.objects.filter(
                role__in=(StaffUser.Role.CASEWORKER, StaffUser.Role.TEAM_LEAD), is_active=True
            )
            kwargs["queryset"] = staff.filter(city=city) if city is not None else staff
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RuleAdmin(CityOwnedAdmin):
    list_display = ["name", "service", "trigger", "enabled", "needs_confirmation", "position"]
    list_filter = ["trigger", "enabled"]
    inlines = [ConditionInline, ActionInline]
    change_form_template = "admin/backoffice/rule/change_form.html"
    fields = ["city", "city_service", "name", "trigger", "enabled", "needs_confirmation", "position"]

    def service(self, obj: Rule) -> str:
        return service_title(obj.city_service.service_slug)

    service.short_description = gettext_lazy("online service")  # type: ignore[attr-defined]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Conditions and actions belong to the rule's city."""
        for obj in formset.save(commit=False):
            obj.city = form.instance.city
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/dry-run/",
                self.admin_site.admin_view(self.dry_run_view),
                name="backoffice_rule_dry_run",
            ),
            *super().get_urls(),
        ]

    def dry_run_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """What the saved rule would have done on the last N submissions; changes nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rule = self.get_object(request, object_id)
        if rule is None:
            raise Http404
        wanted = request.GET.get("last", "20")
        last = int(wanted) if wanted.isdigit() else 20
        rows = rules.dry_run(rule, last)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Dry run of “%(name)s”") % {"name": rule.name},
            "rule": rule,
            "rows": rows,
            "last": last,
            "matched": sum(1 for row in rows if row.matched),
            "change_url": reverse("admin:backoffice_rule_change", args=[rule.pk]),
        }
        return render(request, "admin/backoffice/rule/dry_run.html", context)


site.register(Rule, RuleAdmin)
